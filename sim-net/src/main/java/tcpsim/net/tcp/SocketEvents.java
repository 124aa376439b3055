package tcpsim.net.tcp;

/**
 * How a socket tells its owner (the socket API) that something it may wait for changed: data or
 * a FIN arrived, send space freed, the handshake finished, an error was recorded, or a child
 * connection joined a listener's accept queue. The owner re-reads the socket's readiness.
 */
@FunctionalInterface
public interface SocketEvents {
  void socketChanged(TcpConnection socket);
}
