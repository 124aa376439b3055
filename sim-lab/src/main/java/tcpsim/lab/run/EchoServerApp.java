package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * echo-server: the Echo Protocol (RFC 862) as an event-loop server runs it. Each accepted
 * connection is made non-blocking and served by an {@link EventLoopConnection} with echo on:
 * whatever arrives is read at once and written back as far as the socket takes it; at the end of
 * the stream the server writes what it still owes, then closes, so the client's half-close is
 * answered with a FIN after the whole echo. With tagged content (a session-client on the same
 * run) the echo is written in this incarnation's tag, so each side can tell a stale byte.
 */
final class EchoServerApp extends ServerProcess {
  private final byte[] in = new byte[EventLoopConnection.IO_MAX];

  EchoServerApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally, Workload.EchoServer w) {
    super(ctx, app, api, tally, w.port(), w.backlog(), 0);
  }

  @Override
  void serve(Conn c) {
    tcpsim.net.tcp.TcpConnection s = api.socketOf(c.fd);
    if (ctx.contentTagged()) {
      int k = ctx.incarnation(s.remoteAddress(), s.remotePort(), s.localAddress(), s.localPort());
      c.tag = k == 0 ? 0 : RunContext.tag(k);
    }
    api.setNonBlocking(c.fd, true);
    new EventLoopConnection(this, c, true, in, () -> {}).pump();
  }
}
