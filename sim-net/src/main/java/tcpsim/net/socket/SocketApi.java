package tcpsim.net.socket;

import static tcpsim.net.socket.PollEvents.*;

import java.util.IdentityHashMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.tcp.SocketEvents;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpInfo;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;

/**
 * The BSD socket calls of one simulated process on one host, deterministic and in virtual time.
 * Every call returns a {@link SysResult}: a value, or an {@link Errno} with Linux's number and
 * meaning; nothing the application does throws.
 *
 * <p>Descriptors are handed out as a fresh process gets them: 3 first, then always the lowest free
 * number, up to RLIMIT_NOFILE (default 1024, then EMFILE).
 *
 * <p>Blocking: the plain calls never block (they answer EAGAIN / EINPROGRESS where a blocking call
 * would wait). A blocking call takes a completion and finishes later in virtual time, when the
 * socket is ready or failed; on a descriptor set non-blocking ({@link #setNonBlocking}) it completes
 * at once, as O_NONBLOCK would. One blocking call per descriptor may be outstanding.
 *
 * <p>Wake-ups are deferred: when a socket changes, the process runs at the same virtual time but
 * after the segment that changed it has been fully processed (as a woken process runs after the
 * softirq), so a read never happens in the middle of the stack's input path.
 *
 * <pre>{@code
 * SocketApi server = new SocketApi(serverStack);
 * int l = server.socket().intValue();
 * server.bind(l, 0, 8080); server.listen(l, 128);
 * server.accept(l, r -> server.recv(r.intValue(), buf, 0, buf.length, n -> ...));
 * }</pre>
 *
 * <p>Differences from Linux: no signals (a send that would raise SIGPIPE is counted in
 * {@link #sigpipeCount()}); SO_LINGER with a timeout does not block close (the teardown work
 * models it); one address per host.
 */
public final class SocketApi implements SocketEvents, EventHandler {
  /** RLIMIT_NOFILE's usual soft limit. */
  public static final int DEFAULT_NOFILE = 1024;
  public static final int SHUT_RD = 0;
  public static final int SHUT_WR = 1;
  public static final int SHUT_RDWR = 2;
  /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF (include/net/sock.h), for 64-bit kernels. */
  static final int SOCK_MIN_SNDBUF = 4608;
  static final int SOCK_MIN_RCVBUF = 2304;

  private final TcpStack stack;
  private final Simulation sim;
  private final TreeMap<Integer, Fd> fds = new TreeMap<>();
  /** Descriptor by socket, for wake-ups (looked up only, never iterated). */
  private final IdentityHashMap<TcpConnection, Fd> bySocket = new IdentityHashMap<>();
  private int nofile = DEFAULT_NOFILE;
  private long sigpipes;

  /** One open descriptor. */
  private static final class Fd {
    final int number;
    final TcpConnection socket;
    boolean nonBlocking;
    /** connect() was called and has not yet reported its outcome (sock->state SS_CONNECTING). */
    boolean connecting;
    boolean connected;
    /** connect() started a handshake on it once: listen() refuses it from then on. */
    boolean connectStarted;
    boolean wakeScheduled;
    Pending pending;
    int readyMask;
    IntConsumer readyCallback;

    Fd(int number, TcpConnection socket) {
      this.number = number;
      this.socket = socket;
    }
  }

  /** An outstanding blocking call, retried at each wake-up until it completes. */
  private interface Pending {
    /** Tries to finish; returns true when done. */
    boolean tryComplete();
  }

  public SocketApi(TcpStack stack) {
    if (stack == null) {
      throw new IllegalArgumentException("stack must not be null");
    }
    this.stack = stack;
    this.sim = stack.sim();
  }

  public TcpStack stack() {
    return stack;
  }

  /** setrlimit(RLIMIT_NOFILE). */
  public void setNofileLimit(int limit) {
    if (limit < 4) {
      throw new IllegalArgumentException("RLIMIT_NOFILE must leave room past stdio, was " + limit);
    }
    nofile = limit;
  }

  /** Sends that hit a broken pipe (each would have raised SIGPIPE without MSG_NOSIGNAL). */
  public long sigpipeCount() {
    return sigpipes;
  }

  /** Runs {@code step} at virtual time {@code atNanos}: the way a scripted application acts. */
  public void at(long atNanos, Runnable step) {
    sim.schedule(atNanos, (now, arg) -> step.run(), 0);
  }

  /** The socket behind a descriptor, for observation (ss, tests); null when not open. */
  public TcpConnection socketOf(int fd) {
    Fd f = fds.get(fd);
    return f == null ? null : f.socket;
  }

  // ---------------------------------------------------------------------------------------
  // Descriptors
  // ---------------------------------------------------------------------------------------

  private int lowestFree() {
    int n = 3;
    for (int used : fds.keySet()) {
      if (used != n) {
        break;
      }
      n++;
    }
    return n < nofile ? n : -1;
  }

  private Fd install(TcpConnection s) {
    int n = lowestFree();
    Fd f = new Fd(n, s);
    fds.put(n, f);
    bySocket.put(s, f);
    s.setEvents(this);
    return f;
  }

  /** socket(AF_INET, SOCK_STREAM, 0). */
  public SysResult<Integer> socket() {
    if (lowestFree() < 0) {
      return SysResult.error(Errno.EMFILE);
    }
    return SysResult.ok(install(stack.socket()).number);
  }

  /** fcntl(F_SETFL, O_NONBLOCK). */
  public SysResult<Integer> setNonBlocking(int fd, boolean on) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    f.nonBlocking = on;
    return SysResult.ok(0);
  }

  // ---------------------------------------------------------------------------------------
  // Calls
  // ---------------------------------------------------------------------------------------

  /** bind: {@code address} 0 is INADDR_ANY; another address than the host's is EADDRNOTAVAIL. */
  public SysResult<Integer> bind(int fd, int address, int port) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    if (address != 0 && address != stack.address()) {
      return SysResult.error(Errno.EADDRNOTAVAIL);
    }
    return result(stack.bind(f.socket, port));
  }

  public SysResult<Integer> listen(int fd, int backlog) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    if (f.connectStarted || f.connected) {
      // inet_listen: EINVAL unless sock->state is SS_UNCONNECTED, so an accepted or connected
      // socket is refused even after a reset. A 6.18 kernel also refuses once a failed attempt
      // (refused, shut down in SYN_SENT) set it back, though bind() and connect() work again:
      // observed, the source line not found; see specs/pkt/socket/listen-after-*.pkt.
      return SysResult.error(Errno.EINVAL);
    }
    return result(stack.listen(f.socket, backlog));
  }

  /** accept, non-blocking: a new descriptor, EAGAIN when none is queued, EMFILE at the limit. */
  public SysResult<Integer> accept(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    if (f.socket.state() != TcpState.LISTEN) {
      return SysResult.error(Errno.EINVAL);
    }
    if (f.socket.listener().acceptQueueLength() == 0) {
      return SysResult.error(Errno.EAGAIN);
    }
    if (lowestFree() < 0) {
      return SysResult.error(Errno.EMFILE); // the connection stays queued (do_accept)
    }
    TcpConnection child = stack.accept(f.socket);
    Fd c = install(child);
    c.connected = true;
    return SysResult.ok(c.number);
  }

  /** accept, blocking: completes when a connection is ready (or at once if non-blocking). */
  public void accept(int fd, Consumer<SysResult<Integer>> done) {
    block(fd, done, () -> accept(fd), r -> r.errno() != Errno.EAGAIN);
  }

  /**
   * connect, non-blocking: EINPROGRESS while the handshake runs; asked again, EALREADY while in
   * progress, 0 once connected, then EISCONN; after a failure, the error (__inet_stream_connect).
   */
  public SysResult<Integer> connect(int fd, int address, int port) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    if (f.connected) {
      return SysResult.error(Errno.EISCONN);
    }
    if (f.connecting) {
      switch (s.state()) {
        case SYN_SENT, SYN_RECV -> {
          return SysResult.error(Errno.EALREADY);
        }
        case CLOSE -> {
          // __inet_stream_connect, sock_error: the error once, then tcp_disconnect, so that a
          // later connect() starts afresh.
          f.connecting = false;
          Errno e = s.takeError();
          s.disconnected();
          return SysResult.error(e != null ? e : Errno.ECONNABORTED);
        }
        default -> {
          f.connecting = false;
          f.connected = true;
          return SysResult.ok(0);
        }
      }
    }
    Errno e = stack.connect(s, address, port);
    if (e != null) {
      return SysResult.error(e);
    }
    f.connecting = true;
    f.connectStarted = true;
    return SysResult.error(Errno.EINPROGRESS);
  }

  /** connect, blocking: completes with 0 when established, or the error that ended the attempt. */
  public void connect(int fd, int address, int port, Consumer<SysResult<Integer>> done) {
    SysResult<Integer> first = connect(fd, address, port);
    Fd f = fds.get(fd);
    if (first.errno() != Errno.EINPROGRESS || f.nonBlocking) {
      deliver(done, first);
      return;
    }
    block(fd, done, () -> connect(fd, address, port), r -> r.errno() != Errno.EALREADY);
  }

  /**
   * send, non-blocking (tcp_sendmsg): bytes queued; EAGAIN when the buffer is full; a pending
   * error first (ECONNRESET), then EPIPE once the connection is gone or shut for writing.
   * {@code data} may be null to send {@code length} bytes without content.
   */
  public SysResult<Integer> send(int fd, byte[] data, int offset, int length) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    Errno err = s.takeError();
    if (err != null) {
      if (err == Errno.EPIPE) {
        sigpipes++; // sk_stream_error: an EPIPE from sk_err raises SIGPIPE too
      }
      return SysResult.error(err);
    }
    if (s.sendShutdown()) {
      sigpipes++;
      return SysResult.error(Errno.EPIPE);
    }
    TcpState st = s.state();
    if (st == TcpState.SYN_SENT || st == TcpState.SYN_RECV) {
      return SysResult.error(Errno.EAGAIN); // sk_stream_wait_connect with no time to wait
    }
    if (st != TcpState.ESTABLISHED && st != TcpState.CLOSE_WAIT) {
      sigpipes++;
      return SysResult.error(Errno.EPIPE);
    }
    if (length == 0) {
      return SysResult.ok(0);
    }
    int n = s.send(data, offset, length);
    return n == 0 ? SysResult.error(Errno.EAGAIN) : SysResult.ok(n);
  }

  /** send, blocking: completes once every byte is queued (or with the count queued before an error). */
  public void send(int fd, byte[] data, int offset, int length, Consumer<SysResult<Integer>> done) {
    int[] queued = {0};
    Fd f = fds.get(fd);
    if (f == null) {
      deliver(done, SysResult.error(Errno.EBADF));
      return;
    }
    Pending p = () -> {
      while (queued[0] < length) {
        SysResult<Integer> r = send(fd, data, data == null ? 0 : offset + queued[0],
            length - queued[0]);
        if (!r.isOk()) {
          if (r.errno() == Errno.EAGAIN && !f.nonBlocking) {
            return false;
          }
          deliver(done, queued[0] > 0 ? SysResult.ok(queued[0]) : r);
          return true;
        }
        queued[0] += r.intValue();
      }
      deliver(done, SysResult.ok(queued[0]));
      return true;
    };
    startPending(f, p);
  }

  /**
   * recv, non-blocking (tcp_recvmsg): bytes read; 0 at end of stream; EAGAIN when nothing is there
   * yet; the pending error once (ECONNRESET); ENOTCONN on a socket never connected.
   */
  public SysResult<Integer> recv(int fd, byte[] into, int offset, int length) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    if (s.state() == TcpState.LISTEN) {
      return SysResult.error(Errno.ENOTCONN);
    }
    int n = s.receive(into, offset, length);
    if (n > 0) {
      return SysResult.ok(n);
    }
    if (s.peerFinReceived()) {
      // tcp_recvmsg_locked: SOCK_DONE (set by tcp_fin) ends the read before sk_err is looked at,
      // so after the peer's FIN a later RST's error is left for the next send.
      return SysResult.ok(0);
    }
    Errno err = s.takeError();
    if (err != null) {
      return SysResult.error(err);
    }
    if (s.receiveShutdown()) {
      return SysResult.ok(0);
    }
    if (s.state() == TcpState.CLOSE) {
      return SysResult.error(Errno.ENOTCONN);
    }
    return SysResult.error(Errno.EAGAIN);
  }

  /** recv, blocking: completes when data, the end of the stream or an error is there. */
  public void recv(int fd, byte[] into, int offset, int length, Consumer<SysResult<Integer>> done) {
    block(fd, done, () -> recv(fd, into, offset, length), r -> r.errno() != Errno.EAGAIN);
  }

  /** shutdown(SHUT_RD | SHUT_WR | SHUT_RDWR) (inet_shutdown, tcp_shutdown). */
  public SysResult<Integer> shutdown(int fd, int how) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    if (how < SHUT_RD || how > SHUT_RDWR) {
      return SysResult.error(Errno.EINVAL);
    }
    TcpState st = f.socket.state();
    if (st == TcpState.CLOSE) {
      return SysResult.error(Errno.ENOTCONN);
    }
    if (st == TcpState.SYN_SENT) {
      // inet_shutdown: tcp_disconnect for any how, returns 0; the socket is SS_UNCONNECTED again,
      // so the next connect() starts a new attempt rather than reporting this one's error.
      f.socket.disconnectSynSent();
      f.connecting = false;
      return SysResult.ok(0);
    }
    if (st == TcpState.LISTEN) {
      // inet_shutdown, case TCP_LISTEN: only a shutdown of the receive side does anything, and
      // then it is tcp_disconnect: the listener stops listening.
      if (how != SHUT_WR) {
        f.socket.disconnectListener();
      }
      return SysResult.ok(0);
    }
    if (how != SHUT_WR) {
      f.socket.shutdownRead();
    }
    if (how != SHUT_RD) {
      f.socket.shutdownWrite();
    }
    return SysResult.ok(0);
  }

  /** close: the descriptor is freed at once; the connection closes (FIN, or RST with unread data). */
  public SysResult<Integer> close(int fd) {
    Fd f = fds.remove(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    bySocket.remove(f.socket);
    f.socket.setEvents(null);
    f.socket.close();
    return SysResult.ok(0);
  }

  /**
   * close, blocking, as it behaves under SO_LINGER {1, N} (tcp_close -> sk_stream_wait_close):
   * the descriptor is freed at once; the call completes when the FIN has been acknowledged (the
   * socket has left FIN_WAIT1, CLOSING and LAST_ACK) or after N seconds, and returns 0 either
   * way. On a timeout the orphan keeps its unsent data and FIN and goes on delivering them.
   * Without SO_LINGER, or with {1, 0}, it completes at once as {@link #close(int)}.
   *
   * <p>As in Linux, the socket becomes an orphan (sock_orphan) only after the wait: during it,
   * its retransmissions count against tcp_retries2, not tcp_orphan_retries
   * ({@link TcpConnection#closeLingering}). The wait is exact, not rounded to jiffies.
   */
  public void close(int fd, Consumer<SysResult<Integer>> done) {
    Fd f = fds.get(fd);
    if (f == null) {
      deliver(done, SysResult.error(Errno.EBADF));
      return;
    }
    TcpConnection s = f.socket;
    if (!(s.lingerOn() && s.lingerSeconds() > 0)) {
      deliver(done, close(fd));
      return;
    }
    fds.remove(fd);
    bySocket.remove(s);
    s.setEvents(null);
    s.closeLingering();
    if (!lingerClosing(s.state())) {
      s.lingerOver();
      deliver(done, SysResult.ok(0));
      return;
    }
    long[] timer = {Simulation.NO_EVENT};
    boolean[] finished = {false};
    Runnable finish = () -> {
      if (finished[0]) {
        return;
      }
      finished[0] = true;
      s.setEvents(null);
      stack.sim().cancelIfPending(timer[0]);
      s.lingerOver();
      deliver(done, SysResult.ok(0));
    };
    // The closing process runs after the segment that woke it has been processed.
    s.setEvents(sock -> {
      if (!lingerClosing(sock.state())) {
        stack.sim().scheduleAfter(0, (now, arg) -> finish.run(), 0);
      }
    });
    timer[0] = stack.sim().scheduleAfter(Nanos.seconds(s.lingerSeconds()),
        (now, arg) -> finish.run(), 0);
  }

  /** sk_stream_closing: the states in which our FIN is not yet acknowledged. */
  private static boolean lingerClosing(TcpState st) {
    return st == TcpState.FIN_WAIT1 || st == TcpState.CLOSING || st == TcpState.LAST_ACK;
  }

  /** getsockname: {address, port} (address 0 while unbound, the host's address once bound). */
  public SysResult<int[]> getsockname(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    boolean bound = s.localPort() != 0;
    return SysResult.ok(new int[] {bound ? s.localAddress() : 0, s.localPort()});
  }

  /** getpeername: {address, port}, or ENOTCONN before connect() or after the connection ended. */
  public SysResult<int[]> getpeername(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    TcpState st = s.state();
    if (st == TcpState.CLOSE || st == TcpState.LISTEN || st == TcpState.SYN_SENT) {
      return SysResult.error(Errno.ENOTCONN);
    }
    return SysResult.ok(new int[] {s.remoteAddress(), s.remotePort()});
  }

  // ---------------------------------------------------------------------------------------
  // Options
  // ---------------------------------------------------------------------------------------

  /** setsockopt for the integer options (booleans as 0/1). */
  public SysResult<Integer> setsockopt(int fd, SocketOption option, int value) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    switch (option) {
      case SO_ERROR -> {
        return SysResult.error(Errno.ENOPROTOOPT);
      }
      case SO_REUSEADDR -> s.setReuseAddr(value != 0);
      case SO_KEEPALIVE -> s.setKeepAlive(value != 0);
      case SO_SNDBUF -> {
        // sock_setsockopt: min(value, wmem_max) doubled, at least SOCK_MIN_SNDBUF.
        int v = Math.min(Math.max(value, 0), stack.sysctls().coreWmemMax());
        s.setSendBufferBytes(Math.max(v * 2, SOCK_MIN_SNDBUF));
      }
      case SO_RCVBUF -> {
        int v = Math.min(Math.max(value, 0), stack.sysctls().coreRmemMax());
        s.setReceiveBufferBytes(Math.max(v * 2, SOCK_MIN_RCVBUF));
      }
      case TCP_NODELAY -> s.setNoDelay(value != 0);
      case TCP_MAXSEG -> {
        if (value != 0 && (value < 88 || value > 65535)) { // TCP_MIN_MSS .. MAX_TCP_WINDOW
          return SysResult.error(Errno.EINVAL);
        }
        s.setUserMss(value);
      }
      case TCP_KEEPIDLE -> {
        if (value < 1 || value > 32767) {
          return SysResult.error(Errno.EINVAL);
        }
        s.setKeepIdleSeconds(value);
      }
      case TCP_KEEPINTVL -> {
        if (value < 1 || value > 32767) {
          return SysResult.error(Errno.EINVAL);
        }
        s.setKeepIntvlSeconds(value);
      }
      case TCP_KEEPCNT -> {
        if (value < 1 || value > 127) {
          return SysResult.error(Errno.EINVAL);
        }
        s.setKeepCount(value);
      }
      case TCP_USER_TIMEOUT -> {
        if (value < 0) {
          return SysResult.error(Errno.EINVAL);
        }
        s.setUserTimeoutMs(value);
      }
      case TCP_LINGER2 -> s.setLinger2Seconds(value);
    }
    return SysResult.ok(0);
  }

  /** getsockopt for the integer options; SO_ERROR returns and clears the pending error number. */
  public SysResult<Integer> getsockopt(int fd, SocketOption option) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    TcpConnection s = f.socket;
    int v = switch (option) {
      case SO_ERROR -> {
        Errno e = s.takeError();
        yield e == null ? 0 : e.number();
      }
      case SO_REUSEADDR -> s.reuseAddr() ? 1 : 0;
      case SO_KEEPALIVE -> s.keepAlive() ? 1 : 0;
      case SO_SNDBUF -> s.sendBufferBytes();
      case SO_RCVBUF -> s.receiveBufferBytes();
      case TCP_NODELAY -> s.noDelay() ? 1 : 0;
      case TCP_MAXSEG -> s.maxSegment();
      case TCP_KEEPIDLE -> s.keepIdleSeconds();
      case TCP_KEEPINTVL -> s.keepIntvlSeconds();
      case TCP_KEEPCNT -> s.keepCount();
      case TCP_USER_TIMEOUT -> s.userTimeoutMs();
      case TCP_LINGER2 -> s.linger2Seconds();
    };
    return SysResult.ok(v);
  }

  /** setsockopt(SO_LINGER, {onoff, linger}). */
  public SysResult<Integer> setLinger(int fd, boolean on, int seconds) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    if (seconds < 0) {
      return SysResult.error(Errno.EINVAL);
    }
    f.socket.setLinger(on, seconds);
    return SysResult.ok(0);
  }

  /** getsockopt(SO_LINGER): {onoff, linger}. */
  public SysResult<int[]> getLinger(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    return SysResult.ok(new int[] {f.socket.lingerOn() ? 1 : 0, f.socket.lingerSeconds()});
  }

  /** getsockopt(TCP_INFO). */
  public SysResult<TcpInfo> tcpInfo(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return SysResult.error(Errno.EBADF);
    }
    return SysResult.ok(f.socket.info());
  }

  /** ioctl(SIOCINQ): bytes ready to read. */
  public SysResult<Integer> inq(int fd) {
    Fd f = fds.get(fd);
    return f == null ? SysResult.error(Errno.EBADF) : SysResult.ok(f.socket.readableBytes());
  }

  /**
   * ioctl(SIOCOUTQ): bytes sent and not acknowledged, plus those not yet sent, plus our FIN until
   * it is acknowledged (write_seq - snd_una, tcp_ioctl).
   */
  public SysResult<Integer> outq(int fd) {
    Fd f = fds.get(fd);
    return f == null ? SysResult.error(Errno.EBADF) : SysResult.ok(f.socket.outqBytes());
  }

  // ---------------------------------------------------------------------------------------
  // Readiness (tcp_poll)
  // ---------------------------------------------------------------------------------------

  /** The poll/epoll mask of a descriptor now, as tcp_poll computes it; EPOLLNVAL-less: 0 if closed. */
  public int poll(int fd) {
    Fd f = fds.get(fd);
    if (f == null) {
      return 0;
    }
    TcpConnection s = f.socket;
    TcpState st = s.state();
    if (st == TcpState.LISTEN) {
      return s.listener().acceptQueueLength() > 0 ? EPOLLIN | EPOLLRDNORM : 0;
    }
    int mask = 0;
    boolean bothShut = s.receiveShutdown() && s.sendShutdown();
    if (bothShut || st == TcpState.CLOSE) {
      mask |= EPOLLHUP;
    }
    if (s.receiveShutdown()) {
      mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
    }
    if (st != TcpState.SYN_SENT && st != TcpState.SYN_RECV) {
      if (s.readableBytes() > 0) {
        mask |= EPOLLIN | EPOLLRDNORM;
      }
      if (!s.sendShutdown()) {
        if (s.writable()) {
          mask |= EPOLLOUT | EPOLLWRNORM;
        }
      } else {
        mask |= EPOLLOUT | EPOLLWRNORM;
      }
    }
    if (s.pendingError() != null) {
      mask |= EPOLLERR;
    }
    return mask;
  }

  /**
   * Calls {@code callback} once with the ready bits, as soon as {@code poll(fd) & mask} is not 0
   * (at once if it already is): an edge the application waits for, like epoll_wait on one fd.
   */
  public void onReady(int fd, int mask, IntConsumer callback) {
    Fd f = fds.get(fd);
    if (f == null) {
      throw new IllegalArgumentException("descriptor " + fd + " is not open");
    }
    f.readyMask = mask;
    f.readyCallback = callback;
    scheduleWake(f);
  }

  // ---------------------------------------------------------------------------------------
  // Wake-ups
  // ---------------------------------------------------------------------------------------

  /** The stack says a socket changed: wake its descriptor's waiters after the current event. */
  @Override
  public void socketChanged(TcpConnection socket) {
    Fd f = bySocket.get(socket);
    if (f != null) {
      scheduleWake(f);
    }
  }

  private void scheduleWake(Fd f) {
    if (!f.wakeScheduled && (f.pending != null || f.readyCallback != null)) {
      f.wakeScheduled = true;
      sim.scheduleAfter(0, this, f.number);
    }
  }

  @Override
  public void fire(long nowNanos, long arg) {
    Fd f = fds.get((int) arg);
    if (f == null) {
      return;
    }
    f.wakeScheduled = false;
    if (f.pending != null) {
      // Clear first: a completion may start the next blocking call on this descriptor.
      Pending p = f.pending;
      f.pending = null;
      if (!p.tryComplete()) {
        f.pending = p;
      }
    }
    if (f.readyCallback != null) {
      int ready = poll(f.number) & f.readyMask;
      if (ready != 0) {
        IntConsumer cb = f.readyCallback;
        f.readyCallback = null;
        cb.accept(ready);
      }
    }
  }

  private void block(int fd, Consumer<SysResult<Integer>> done,
      java.util.function.Supplier<SysResult<Integer>> attempt,
      java.util.function.Predicate<SysResult<Integer>> finished) {
    Fd f = fds.get(fd);
    if (f == null) {
      deliver(done, SysResult.error(Errno.EBADF));
      return;
    }
    startPending(f, () -> {
      SysResult<Integer> r = attempt.get();
      if (finished.test(r) || f.nonBlocking) {
        deliver(done, r);
        return true;
      }
      return false;
    });
  }

  private void startPending(Fd f, Pending p) {
    if (f.pending != null) {
      throw new IllegalStateException("descriptor " + f.number
          + " already has a blocking call outstanding");
    }
    if (!p.tryComplete()) {
      f.pending = p;
    }
  }

  private static void deliver(Consumer<SysResult<Integer>> done, SysResult<Integer> r) {
    if (done != null) {
      done.accept(r);
    }
  }

  private static SysResult<Integer> result(Errno e) {
    return e == null ? SysResult.ok(0) : SysResult.error(e);
  }
}
