package tcpsim.lab.run;

import tcpsim.lab.experiment.App;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SysResult;

/**
 * A listening server: socket, bind, listen, then an accept loop that hands each new connection
 * to {@link #serve}. When accept(2) fails with EMFILE or ENFILE the process waits
 * {@link #ACCEPT_RETRY_NANOS} before trying again, as nginx does (ngx_event_accept disables
 * accept events for accept_mutex_delay, 500 ms); a server that retried at once would spin, since
 * the listener stays readable while the connection waits in the accept queue.
 */
abstract class ServerProcess extends AppProcess {
  /** nginx's accept_mutex_delay default (ngx_event_core_module). */
  static final long ACCEPT_RETRY_NANOS = 500_000_000L;

  private final int port;
  private final int backlog;
  /** Time between accept(2) calls at most this often; 0: as soon as a connection is ready. */
  private final long acceptIntervalNanos;
  private int listenFd = -1;

  ServerProcess(RunContext ctx, App app, SocketApi api, Recorder.AppTally tally, int port,
      int backlog, long acceptIntervalNanos) {
    super(ctx, app, api, tally);
    this.port = port;
    this.backlog = backlog;
    this.acceptIntervalNanos = acceptIntervalNanos;
  }

  /** Takes over a freshly accepted connection. */
  abstract void serve(Conn c);

  @Override
  final void start() {
    SysResult<Integer> s = api.socket();
    if (!s.isOk()) {
      errno("socket()", s.errno());
      return;
    }
    listenFd = s.intValue();
    SysResult<Integer> b = api.bind(listenFd, 0, port);
    if (!b.isOk()) {
      errno("bind()", b.errno());
      return;
    }
    SysResult<Integer> l = api.listen(listenFd, backlog);
    if (!l.isOk()) {
      errno("listen()", l.errno());
      return;
    }
    acceptNext();
  }

  private void acceptNext() {
    api.accept(listenFd, r -> {
      if (stopped) {
        return;
      }
      if (r.isOk()) {
        happened("accepted", null);
        serve(new Conn(r.intValue()));
        if (acceptIntervalNanos > 0) {
          after(acceptIntervalNanos, this::acceptNext);
        } else {
          acceptNext();
        }
      } else {
        errno("accept()", r.errno());
        if (r.errno() == Errno.EMFILE || r.errno() == Errno.ENFILE) {
          after(ACCEPT_RETRY_NANOS, this::acceptNext);
        } else if (r.errno() != Errno.EBADF && r.errno() != Errno.EINVAL) {
          after(ACCEPT_RETRY_NANOS, this::acceptNext); // ECONNABORTED and the like: keep going
        }
      }
    });
  }
}
