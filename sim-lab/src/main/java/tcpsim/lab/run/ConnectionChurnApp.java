package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * connection-churn: one new connection per interval of the rate, for the whole run; each sends
 * its request, reads the answer, holds, and closes first, so the TIME_WAIT is the client's
 * (RFC 9293 section 3.10.4: the side that closes first ends in TIME-WAIT). A connect(2) that
 * fails (EADDRNOTAVAIL once every port is held) is recorded and the next tick tries again.
 */
final class ConnectionChurnApp extends AppProcess {
  private final Workload.ConnectionChurn w;
  private final RunContext.Endpoint server;

  ConnectionChurnApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.ConnectionChurn w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    connectEvery(w.rate().intervalNanos(), server, this::exchange);
  }

  private void exchange(Conn c) {
    if (ctx.contentTagged()) {
      tcpsim.net.tcp.TcpConnection s = api.socketOf(c.fd);
      c.tag = RunContext.tag(ctx.newIncarnation(s.localAddress(), s.localPort(), s.remoteAddress(),
          s.remotePort()));
    }
    sendAll(c, w.requestBytes(), ok -> {
      if (!ok) {
        close(c);
        return;
      }
      readExactly(c, w.responseBytes(), outcome -> {
        if (outcome != ReadOutcome.DONE) {
          close(c);
          return;
        }
        after(w.holdNanos(), () -> close(c));
      });
    });
  }
}
