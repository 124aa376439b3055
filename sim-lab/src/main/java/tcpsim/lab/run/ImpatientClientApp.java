package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * impatient-client: one connection per interval of the rate; each sends its request and waits
 * {@code give_up_after} for the whole answer. If it came, the client closes; if not, it closes
 * anyway, which nginx logs as status 499 on the server: the server's socket gets a FIN while it
 * is still working, and its late answer meets a closed socket and is answered with RST
 * (tcp_rcv_state_process: data after the application closed).
 */
final class ImpatientClientApp extends AppProcess {
  private final Workload.ImpatientClient w;
  private final RunContext.Endpoint server;

  ImpatientClientApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.ImpatientClient w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    connectEvery(w.rate().intervalNanos(), server, this::ask);
  }

  private void ask(Conn c) {
    sendAll(c, w.requestBytes(), ok -> {
      if (!ok) {
        close(c);
        return;
      }
      after(w.giveUpAfterNanos(), () -> {
        if (!c.closed) {
          happened("gave up (499)", "gave up after " + tcpsim.core.time.Nanos.format(w.giveUpAfterNanos())
              + ": close() before the answer (nginx 499)");
          close(c);
        }
      });
      readExactly(c, w.responseBytes(), outcome -> close(c));
    });
  }
}
