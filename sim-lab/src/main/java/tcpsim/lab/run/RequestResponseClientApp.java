package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.SocketApi;

/**
 * request-response-client: each connection writes a request (in {@code write_pieces} writes
 * {@code piece_gap} apart), reads the whole answer, thinks, and again; after {@code
 * requests_per_connection} answers (0: never) it closes. Without a rate it opens {@code
 * connections} at its start; with a rate it opens one per interval until it has opened {@code
 * connections} in all. A connection ends at the first failed call (its errno is recorded) or
 * when the server closes first.
 */
final class RequestResponseClientApp extends AppProcess {
  private final Workload.RequestResponseClient w;
  private final RunContext.Endpoint server;
  private int opened;

  RequestResponseClientApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.RequestResponseClient w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    if (w.rate().isPresent()) {
      every(w.rate().get().intervalNanos(), () -> {
        open();
        return opened < w.connections();
      });
    } else {
      while (opened < w.connections()) {
        open();
      }
    }
  }

  private void open() {
    opened++;
    connect(server, c -> request(c, 0), () -> {});
  }

  private void request(Conn c, int done) {
    writePiece(c, 0, () -> readExactly(c, w.responseBytes(), outcome -> {
      if (outcome != ReadOutcome.DONE) {
        if (outcome == ReadOutcome.EOF) {
          happened("server closed first", "recv() = 0 (server closed before answering)");
        }
        close(c);
        return;
      }
      int answered = done + 1;
      if (w.requestsPerConnection() > 0 && answered >= w.requestsPerConnection()) {
        close(c);
      } else {
        after(w.thinkTimeNanos(), () -> {
          if (!c.closed) {
            request(c, answered);
          }
        });
      }
    }));
  }

  private void writePiece(Conn c, int piece, Runnable then) {
    long base = w.requestBytes() / w.writePieces();
    long size = piece == w.writePieces() - 1 ? w.requestBytes() - base * piece : base;
    sendAll(c, size, ok -> {
      if (!ok) {
        close(c);
      } else if (piece + 1 == w.writePieces()) {
        then.run();
      } else {
        after(w.pieceGapNanos(), () -> {
          if (!c.closed) {
            writePiece(c, piece + 1, then);
          }
        });
      }
    });
  }
}
