package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * never-closing-server: accepts, reads the first request, answers it, and never calls close(2).
 * When the client closes, the socket moves to CLOSE_WAIT and stays there, holding its descriptor
 * (RFC 9293 section 3.10.4: only the application's CLOSE leaves CLOSE-WAIT; tcp_fin moves the
 * socket there). With one listener the process can hold {@code RLIMIT_NOFILE - 3 - 1} such
 * sockets (0 to 2 are stdio); the next accept(2) fails with EMFILE and the connection waits in
 * the accept queue until that fills too.
 */
final class NeverClosingServerApp extends ServerProcess {
  private final Workload.NeverClosingServer w;

  NeverClosingServerApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.NeverClosingServer w) {
    super(ctx, app, api, tally, w.port(), w.backlog(), 0);
    this.w = w;
  }

  @Override
  void serve(Conn c) {
    RunContext.Exchange x = ctx.exchange(app.name(), api.socketOf(c.fd).remoteAddress());
    readExactly(c, Math.max(1, x.requestBytes()), outcome -> {
      if (outcome == ReadOutcome.DONE) {
        sendAll(c, w.responseBytes(), ok -> { /* and then nothing: the leak */ });
      }
    });
  }
}
