package tcpsim.net.socket;

/** The integer-valued socket options the simulated socket API supports, with Linux's names. */
public enum SocketOption {
  SO_ERROR,
  SO_REUSEADDR,
  SO_KEEPALIVE,
  SO_SNDBUF,
  SO_RCVBUF,
  TCP_NODELAY,
  TCP_MAXSEG,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_KEEPCNT,
  TCP_USER_TIMEOUT,
  TCP_LINGER2
}
