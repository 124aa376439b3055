package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/** bulk-transfer: connects once, writes {@code bytes}, closes (the server reads it all). */
final class BulkTransferApp extends AppProcess {
  private final Workload.BulkTransfer w;
  private final RunContext.Endpoint server;

  BulkTransferApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.BulkTransfer w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    connect(server, c -> sendAll(c, w.bytes(), ok -> {
      if (ok) {
        happened("sent everything", "all " + w.bytes() + " bytes queued; close()");
      }
      close(c);
    }), () -> {});
  }
}
