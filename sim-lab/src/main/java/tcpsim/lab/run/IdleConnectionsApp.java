package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.socket.SocketApi;

/**
 * idle-connections: opens {@code count} connections at its start (with SO_KEEPALIVE if asked),
 * sends nothing and waits in recv(2). Only the peer's close or an error wakes it: with
 * keepalive, unanswered probes end the connection with ETIMEDOUT (tcp_keepalive_timer) after
 * idle + interval x probes; without, a silent peer leaves it ESTABLISHED for ever.
 */
final class IdleConnectionsApp extends AppProcess {
  private final Workload.IdleConnections w;
  private final RunContext.Endpoint server;

  IdleConnectionsApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.IdleConnections w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    for (int i = 0; i < w.count(); i++) {
      connect(server, c -> {
        if (w.keepalive()) {
          api.setsockopt(c.fd, SocketOption.SO_KEEPALIVE, 1);
        }
        readToEnd(c, outcome -> close(c));
      }, () -> {});
    }
  }
}
