package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.socket.SysResult;

/**
 * session-client: sessions one after another, the fuzzer's {@code client session N} run by a
 * {@code read-to-eof-close} client. A session: socket(2), non-blocking; with {@code local_port},
 * SO_REUSEADDR and bind(2) to it, so every session is a new incarnation of the same 4-tuple;
 * connect(2) (EINPROGRESS); then an {@link EventLoopConnection} writes the session's bytes as the
 * socket takes them, shuts down for writing, reads to the end of the stream and closes. The next
 * session connects {@code pause} after that close. A failed bind or connect is recorded and the
 * next session tried after the pause.
 *
 * <p>Each session's bytes carry its incarnation's tag ({@link RunContext#tagContent}), numbered
 * when connect(2) is called, before anything is sent.
 */
final class SessionClientApp extends AppProcess {
  private final Workload.SessionClient w;
  private final RunContext.Endpoint server;
  private final byte[] in = new byte[EventLoopConnection.IO_MAX];
  /** Sessions started so far. */
  private int started;

  SessionClientApp(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally,
      Workload.SessionClient w) {
    super(ctx, app, api, tally);
    this.w = w;
    this.server = ctx.server(w.server());
  }

  @Override
  void start() {
    nextSession();
  }

  private void nextSession() {
    if (started == w.sessionBytes().size() * w.repeat()) {
      happened("sessions done", "all " + started + " sessions ended");
      return;
    }
    long bytes = w.sessionBytes().get(started % w.sessionBytes().size());
    started++;
    SysResult<Integer> s = api.socket();
    if (!s.isOk()) {
      errno("socket()", s.errno());
      after(w.pauseNanos(), this::nextSession);
      return;
    }
    Conn c = new Conn(s.intValue());
    api.setNonBlocking(c.fd, true);
    if (w.localPort() != 0) {
      api.setsockopt(c.fd, SocketOption.SO_REUSEADDR, 1);
      SysResult<Integer> b = api.bind(c.fd, 0, w.localPort());
      if (!b.isOk()) {
        errno("bind()", b.errno());
        endSession(c);
        return;
      }
    }
    long connectAt = now();
    SysResult<Integer> r = api.connect(c.fd, server.address(), server.port());
    if (!r.isOk() && r.errno() != Errno.EINPROGRESS) {
      errno("connect()", r.errno());
      endSession(c);
      return;
    }
    if (ctx.contentTagged()) {
      tcpsim.net.tcp.TcpConnection sock = api.socketOf(c.fd);
      c.tag = RunContext.tag(ctx.newIncarnation(sock.localAddress(), sock.localPort(),
          sock.remoteAddress(), sock.remotePort()));
    }
    EventLoopConnection loop = new EventLoopConnection(this, c, false, in, () -> endSession(c));
    loop.connectingSince(connectAt);
    loop.write(bytes, true);
  }

  /** Closes the session's socket (if the loop has not) and starts the next after the pause. */
  private void endSession(Conn c) {
    close(c);
    after(w.pauseNanos(), this::nextSession);
  }
}
