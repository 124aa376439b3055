package tcpsim.lab.script;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.PendingEventSet;
import tcpsim.core.event.Simulation;
import tcpsim.core.event.SimulationLimitException;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.WireTap;
import tcpsim.net.observe.SocketRow;
import tcpsim.net.observe.SsTable;
import tcpsim.net.observe.TcpdumpFormatter;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.socket.SysResult;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpInfo;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TcpSysctls;
import tcpsim.net.tcp.TimeWaitSocket;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;

/**
 * The {@link ScriptBackend} of tcpsim itself: one simulated {@link TcpStack} at 192.168.0.1 (the
 * kernel under test) on a {@link Simulation} with a fixed seed, with nothing between it and the
 * script. What the stack outputs is kept, with its virtual time, for the runner to match; what the
 * script injects goes straight into {@link TcpStack#input} at the current virtual time. The
 * process making calls is a {@link SocketApi}.
 *
 * <p>Time: a change the stack makes when a segment arrives or a call is made wakes the process
 * after the stack is done (SocketApi defers wake-ups by a zero-delay event), so after each
 * injected segment and each call the simulation runs every event due at the current time.
 *
 * <p>Differences from Linux (and from packetdrill on Linux):
 * <ul>
 *   <li>Settings the stack does not model are refused by {@link #setSysctl}, and so is any
 *       tcp_congestion_control but cubic (its loss response, with Reno's growth) and reno: a
 *       script's own such line is UNSUPPORTED.</li>
 *   <li>epoll, MSG_PEEK, blocking poll on more than one descriptor, and socket options outside
 *       {@link SocketOption}, SO_LINGER and TCP_INFO are UNSUPPORTED, named.</li>
 *   <li>{@code ss} checks see listeners, connections, TIME_WAIT entries (with their FIN_WAIT_2
 *       substate) and a listener's request sockets as syn-recv.</li>
 * </ul>
 */
public final class SimulatedBackend implements ScriptBackend {
  /** The seed of every run unless another is asked for: runs are reproducible by default. */
  public static final long DEFAULT_SEED = 0x5eed_7c95_1a6bL;
  /** Events one script may fire: far beyond any spec, low enough that a runaway loop ends. */
  static final long MAX_EVENTS = 50_000_000L;
  /** The link name taps see for what the script injects into the stack. */
  public static final String SCRIPT_TO_STACK = "script->local";
  /** The link name taps see for what the stack sends to the script. */
  public static final String STACK_TO_SCRIPT = "local->script";

  private static final String[] TCP_INFO_FIELDS = {"tcpi_state", "tcpi_ca_state",
      "tcpi_retransmits", "tcpi_probes", "tcpi_backoff", "tcpi_rto", "tcpi_ato", "tcpi_snd_mss",
      "tcpi_rcv_mss", "tcpi_unacked", "tcpi_sacked", "tcpi_lost", "tcpi_retrans", "tcpi_rtt",
      "tcpi_rttvar", "tcpi_snd_ssthresh", "tcpi_snd_cwnd", "tcpi_reordering", "tcpi_total_retrans",
      "tcpi_snd_wnd", "tcpi_rcv_wnd", "tcpi_notsent_bytes", "tcpi_bytes_acked",
      "tcpi_bytes_received", "tcpi_segs_out", "tcpi_segs_in"};

  private final Simulation sim;
  private final TcpStack stack;
  private final SocketApi api;
  private final ArrayDeque<TimedSegment> outbound = new ArrayDeque<>();
  private final Map<Integer, Boolean> nonBlocking = new LinkedHashMap<>();
  private boolean dropAll;
  private Consumer<String> wireLog = line -> { };
  private final List<WireTap> taps = new ArrayList<>();
  private SyscallCompletion completion;
  /** The outstanding blocking call, or null: only its completion may be recorded. */
  private Object blockedToken;

  public SimulatedBackend() {
    this(DEFAULT_SEED);
  }

  public SimulatedBackend(long seed) {
    sim = new Simulation(seed, new HeapEventSet(), MAX_EVENTS,
        ScriptRunner.TIME_LIMIT_NANOS + ScriptRunner.TIMEOUT_NANOS + Nanos.seconds(60));
    stack = new TcpStack(sim, "local", ScriptRunner.LOCAL_ADDRESS, this::output, TcpSysctls.defaults());
    api = new SocketApi(stack);
  }

  public long seed() {
    return sim.seed();
  }

  /**
   * Runs {@code script} on a fresh backend with {@code seed}, sending the wire to {@code wireLog}
   * (may be null). A run the simulation's own limits end (a runaway event loop) is a FAIL naming
   * the limit and the seed, never an exception; so is a failed invariant of the stack, whose
   * message then starts with "tcpsim internal error".
   */
  public static ScriptResult run(Script script, long seed, Consumer<String> wireLog) {
    SimulatedBackend backend = new SimulatedBackend(seed);
    backend.setWireLog(wireLog);
    return backend.execute(script);
  }

  /**
   * Runs {@code script} on this backend, which must be fresh (taps, wire log and observations
   * may be set up first). Ends as {@link #run} does: limits and invariants give a FAIL.
   */
  public ScriptResult execute(Script script) {
    try {
      return ScriptRunner.run(script, this);
    } catch (SimulationLimitException e) {
      return new ScriptResult.Fail(script.file(), 0, e.getMessage(), nowNanos());
    } catch (IllegalStateException | IllegalArgumentException e) {
      return new ScriptResult.Fail(script.file(), 0, "tcpsim internal error (seed 0x"
          + Long.toHexString(sim.seed()) + "): " + e, nowNanos());
    }
  }

  /**
   * Shows {@code tap} both directions of the script's wire at their virtual times: an injected
   * segment is transmitted on {@link #SCRIPT_TO_STACK} and delivered at once; a segment the
   * stack sends is transmitted on {@link #STACK_TO_SCRIPT} and delivered at once, or, while the
   * script has the local queue drop everything, dropped there as {@link DropReason#QDISC_DROP}.
   * A segment the stack drops on arrival is then reported dropped with link null. A
   * {@code PcapWriter} with a sender-side filter thus records each segment once.
   */
  public void addWireTap(WireTap tap) {
    if (tap == null) {
      throw new IllegalArgumentException("tap must not be null");
    }
    if (taps.isEmpty()) {
      // A segment the stack drops after it arrived: taps see it as dropped with link null.
      stack.addDropObserver((now, segment, reason) -> {
        for (WireTap t : taps) {
          t.dropped(now, null, segment, reason);
        }
      });
    }
    taps.add(tap);
  }

  /**
   * Calls {@code observer} with the virtual time when the simulation reaches {@code atNanos},
   * if the script runs that long. It only observes: it must not call the stack.
   */
  public void observeAt(long atNanos, LongConsumer observer) {
    if (atNanos < sim.now()) {
      throw new IllegalArgumentException("cannot observe at " + Nanos.format(atNanos)
          + ", before now " + Nanos.format(sim.now()));
    }
    sim.schedule(atNanos, (now, arg) -> observer.accept(now), 0);
  }

  /**
   * The stack's sockets in {@code ss -tano} form, listeners first as the stack lists them, each
   * with the timer inet_diag reports ({@code on}, {@code keepalive}, {@code persist},
   * {@code timewait}).
   */
  public String ssTable() {
    return SsTable.render(SocketRow.of(stack), true, false);
  }

  /** The stack under test, for observation. */
  public TcpStack stack() {
    return stack;
  }

  /** Receives one tcpdump-format line per segment on the wire, both ways, as it passes. */
  public void setWireLog(Consumer<String> log) {
    wireLog = log == null ? line -> { } : log;
  }

  private void output(Segment s) {
    if (dropAll) {
      wireLog.accept(TcpdumpFormatter.line(sim.now(), s) + " (dropped by the local queue)");
      for (WireTap t : taps) {
        t.transmitted(sim.now(), STACK_TO_SCRIPT, s);
        t.dropped(sim.now(), STACK_TO_SCRIPT, s, DropReason.QDISC_DROP);
      }
      return;
    }
    wireLog.accept(TcpdumpFormatter.line(sim.now(), s));
    for (WireTap t : taps) {
      t.transmitted(sim.now(), STACK_TO_SCRIPT, s);
      t.delivered(sim.now(), STACK_TO_SCRIPT, s);
    }
    outbound.add(new TimedSegment(sim.now(), s));
  }

  // ---- time and wire -------------------------------------------------------------------------

  @Override
  public long nowNanos() {
    return sim.now();
  }

  @Override
  public void advanceTo(long nanos) {
    if (nanos < sim.now()) {
      throw new IllegalArgumentException("cannot go back to " + Nanos.format(nanos) + " from "
          + Nanos.format(sim.now()));
    }
    sim.runUntil(nanos);
  }

  @Override
  public TimedSegment awaitOutbound(long deadlineNanos) {
    PendingEventSet pending = sim.pendingSet();
    while (outbound.isEmpty()) {
      if (pending.peek() < 0 || pending.peekTime() > deadlineNanos) {
        if (deadlineNanos > sim.now()) {
          sim.runUntil(deadlineNanos);
        }
        return outbound.poll();
      }
      sim.step();
    }
    return outbound.poll();
  }

  @Override
  public void inject(Segment segment) {
    wireLog.accept(TcpdumpFormatter.line(sim.now(), segment));
    for (WireTap t : taps) {
      t.transmitted(sim.now(), SCRIPT_TO_STACK, segment);
      t.delivered(sim.now(), SCRIPT_TO_STACK, segment);
    }
    stack.input(segment);
    settle();
  }

  /** Runs what is due now: the process's wake-ups after the stack's work. */
  private void settle() {
    sim.runUntil(sim.now());
  }

  // ---- settings and observation --------------------------------------------------------------

  @Override
  public boolean setSysctl(String name, String value) {
    try {
      stack.setSysctls(stack.sysctls().with(name, value));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void setQueueDropsAll(boolean dropAll) {
    this.dropAll = dropAll;
  }

  @Override
  public boolean socketMatches(String ssState, int port) {
    for (TcpConnection c : stack.sockets()) {
      boolean portMatches = c.localPort() == port || c.remotePort() == port;
      if (!portMatches) {
        continue;
      }
      TcpState st = c.state();
      if (st.ssFilterName().equals(ssState) || st == TcpState.LISTEN && ssState.equals("listening")) {
        return true;
      }
      if (st == TcpState.LISTEN && ssState.equals("syn-recv") && c.listener().synQueueLength() > 0) {
        return true;
      }
    }
    // TIME_WAIT and an orphan's FIN_WAIT_2 live on as light entries (inet_timewait_sock); ss
    // shows their substate.
    for (TimeWaitSocket tw : stack.timeWaitSockets()) {
      if (tw.alive() && (tw.localPort() == port || tw.remotePort() == port)
          && tw.state().ssFilterName().equals(ssState)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Map<String, Long> tcpInfo(int fd) {
    SysResult<TcpInfo> r = api.tcpInfo(fd);
    if (!r.isOk()) {
      return null;
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (String f : TCP_INFO_FIELDS) {
      m.put(f, r.value().field(f));
    }
    return m;
  }

  // ---- calls ---------------------------------------------------------------------------------

  @Override
  public SyscallCompletion takeCompletion() {
    SyscallCompletion c = completion;
    completion = null;
    return c;
  }

  @Override
  public SyscallOutcome syscall(SyscallRequest call) {
    try {
      SyscallOutcome out = dispatch(call.name(), call.args());
      settle();
      return out;
    } catch (NotModelled e) {
      return new SyscallOutcome.Unsupported(e.getMessage());
    }
  }

  /** A call or argument form the simulated process does not model; the message names it. */
  private static final class NotModelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotModelled(String feature) {
      super(feature, null, false, false);
    }
  }

  private SyscallOutcome dispatch(String name, List<Expr> a) {
    return switch (name) {
      case "socket" -> socket(a);
      case "bind" -> done(api.bind(fd(a, 0), 0, ScriptRunner.SERVER_PORT));
      case "listen" -> done(api.listen(fd(a, 0), (int) value(arg(a, 1))));
      case "accept" -> blocking(cb -> api.accept(fd(a, 0), cb));
      case "connect" -> blocking(
          cb -> api.connect(fd(a, 0), ScriptRunner.REMOTE_ADDRESS, ScriptRunner.SERVER_PORT, cb));
      case "read" -> receive(fd(a, 0), (int) value(arg(a, 2)), 0);
      case "recv", "recvfrom" -> receive(fd(a, 0), (int) value(arg(a, 2)), value(arg(a, 3)));
      case "recvmsg" -> receive(fd(a, 0), iovLength(arg(a, 1)), value(arg(a, 2)));
      case "write" -> transmit(fd(a, 0), (int) value(arg(a, 2)), 0);
      case "send", "sendto" -> transmit(fd(a, 0), (int) value(arg(a, 2)), value(arg(a, 3)));
      case "sendmsg" -> transmit(fd(a, 0), iovLength(arg(a, 1)), value(arg(a, 2)));
      case "close" -> {
        // Blocks only under SO_LINGER {1, N} (sk_stream_wait_close); otherwise returns at once.
        int fd = fd(a, 0);
        nonBlocking.remove(fd);
        yield blocking(cb -> api.close(fd, cb));
      }
      case "shutdown" -> done(api.shutdown(fd(a, 0), (int) value(arg(a, 1))));
      case "setsockopt" -> setsockopt(fd(a, 0), arg(a, 1), arg(a, 2), arg(a, 3));
      case "getsockopt" -> getsockopt(fd(a, 0), arg(a, 2), arg(a, 3), a.size() > 4 ? a.get(4) : null);
      case "fcntl" -> fcntl(a);
      case "ioctl" -> ioctl(fd(a, 0), arg(a, 1));
      case "poll" -> poll(a);
      default -> throw new NotModelled("system call " + name + "()");
    };
  }

  private SyscallOutcome socket(List<Expr> a) {
    long type = value(arg(a, 1));
    if ((type & ~0x800L) != 1) {
      throw new NotModelled("socket type " + arg(a, 1) + " (only SOCK_STREAM)");
    }
    SysResult<Integer> r = api.socket();
    if (r.isOk() && (type & 0x800L) != 0) {
      api.setNonBlocking(r.intValue(), true);
      nonBlocking.put(r.intValue(), true);
    }
    return done(r);
  }

  private SyscallOutcome receive(int fd, int length, long flags) {
    if (length < 0) {
      return done(SysResult.error(Errno.EFAULT)); // a size_t beyond the address space
    }
    if ((flags & ~(0x40L | 0x4000L)) != 0) {
      throw new NotModelled("recv flags " + flags + " (only MSG_DONTWAIT)");
    }
    byte[] buffer = new byte[Math.max(0, Math.min(length, 1 << 24))];
    if ((flags & 0x40L) != 0) {
      return done(api.recv(fd, buffer, 0, buffer.length));
    }
    return blocking(cb -> api.recv(fd, buffer, 0, buffer.length, cb));
  }

  private SyscallOutcome transmit(int fd, int length, long flags) {
    if (length < 0) {
      return done(SysResult.error(Errno.EFAULT));
    }
    if ((flags & ~(0x40L | 0x4000L)) != 0) {
      throw new NotModelled("send flags " + flags + " (only MSG_DONTWAIT, MSG_NOSIGNAL)");
    }
    if ((flags & 0x40L) != 0) {
      return done(api.send(fd, null, 0, length));
    }
    return blocking(cb -> api.send(fd, null, 0, length, cb));
  }

  /**
   * Starts a call that may block: its result comes through the callback, at once (the call
   * returns) or later in virtual time (it is kept for {@link #takeCompletion}).
   */
  private SyscallOutcome blocking(Consumer<Consumer<SysResult<Integer>>> start) {
    Object token = new Object();
    SysResult<?>[] immediate = new SysResult<?>[1];
    boolean[] starting = {true};
    blockedToken = token;
    start.accept(r -> {
      if (starting[0]) {
        immediate[0] = r;
      } else if (blockedToken == token) {
        blockedToken = null;
        completion = new SyscallCompletion(sim.now(), result(r));
      }
    });
    starting[0] = false;
    if (immediate[0] != null) {
      blockedToken = null;
      return new SyscallOutcome.Returned(result(immediate[0]));
    }
    return new SyscallOutcome.Blocked();
  }

  private SyscallOutcome setsockopt(int fd, Expr level, Expr option, Expr val) {
    String opt = optionName(level, option);
    if (opt.equals("SO_LINGER")) {
      if (!(val instanceof Expr.Struct s) || s.get("onoff") == null || s.get("linger") == null) {
        throw new NotModelled("SO_LINGER value " + val + " (write {onoff=N, linger=N})");
      }
      return done(api.setLinger(fd, value(s.get("onoff")) != 0, (int) value(s.get("linger"))));
    }
    return done(api.setsockopt(fd, intOption(opt), (int) value(val)));
  }

  private SyscallOutcome getsockopt(int fd, Expr option, Expr val, Expr length) {
    String opt = optionName(null, option);
    if (opt.equals("TCP_INFO")) {
      SysResult<TcpInfo> r = api.tcpInfo(fd);
      if (!r.isOk()) {
        return done(SysResult.error(r.errno()));
      }
      if (val instanceof Expr.Struct s) {
        for (Expr.Field f : s.fields()) {
          long have;
          try {
            have = r.value().field(f.name());
          } catch (IllegalArgumentException e) {
            throw new NotModelled("TCP_INFO field " + f.name());
          }
          long want = value(f.value());
          if (have != want) {
            return mismatch(f.name() + " is " + have + ", expected " + want);
          }
        }
      }
      return done(SysResult.ok(0));
    }
    if (opt.equals("SO_LINGER")) {
      SysResult<int[]> r = api.getLinger(fd);
      if (!r.isOk()) {
        return done(SysResult.error(r.errno()));
      }
      if (val instanceof Expr.Struct s) {
        int[] v = r.value();
        if (s.get("onoff") != null && value(s.get("onoff")) != v[0]
            || s.get("linger") != null && value(s.get("linger")) != v[1]) {
          return mismatch("SO_LINGER is {onoff=" + v[0] + ", linger=" + v[1] + "}, expected " + s);
        }
      }
      return done(SysResult.ok(0));
    }
    SysResult<Integer> r = api.getsockopt(fd, intOption(opt));
    if (!r.isOk()) {
      return done(r);
    }
    Map<Integer, Long> out = new LinkedHashMap<>();
    out.put(3, (long) r.intValue());
    if (length instanceof Expr.Array) {
      out.put(4, 4L); // optlen: sizeof(int)
    }
    return new SyscallOutcome.Returned(new SyscallResult(0, null, out));
  }

  /** A struct result that differs from the script's: reported as the call's failure. */
  private static SyscallOutcome mismatch(String what) {
    return new SyscallOutcome.Returned(new SyscallResult(-1, "(" + what + ")", Map.of()));
  }

  private static String optionName(Expr level, Expr option) {
    if (option instanceof Expr.Sym s) {
      return s.name();
    }
    long v = value(option);
    boolean socketLevel = level != null && value(level) == 1;
    for (String n : new String[] {"SO_REUSEADDR", "SO_ERROR", "SO_SNDBUF", "SO_RCVBUF",
        "SO_KEEPALIVE", "SO_LINGER", "TCP_NODELAY", "TCP_MAXSEG", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
        "TCP_KEEPCNT", "TCP_INFO", "TCP_USER_TIMEOUT", "TCP_LINGER2"}) {
      if (n.startsWith("SO_") == socketLevel && LinuxConstants.value(n) == v) {
        return n;
      }
    }
    throw new NotModelled("socket option " + option);
  }

  private static SocketOption intOption(String name) {
    try {
      return SocketOption.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new NotModelled("socket option " + name);
    }
  }

  private SyscallOutcome fcntl(List<Expr> a) {
    int fd = fd(a, 0);
    long cmd = value(arg(a, 1));
    if (cmd == 4) { // F_SETFL
      boolean on = (value(arg(a, 2)) & 0x800L) != 0;
      SysResult<Integer> r = api.setNonBlocking(fd, on);
      if (r.isOk()) {
        nonBlocking.put(fd, on);
      }
      return done(r);
    }
    if (cmd == 3) { // F_GETFL
      if (api.socketOf(fd) == null) {
        return done(SysResult.error(Errno.EBADF));
      }
      return done(SysResult.ok(2 | (nonBlocking.getOrDefault(fd, false) ? 0x800 : 0)));
    }
    throw new NotModelled("fcntl command " + arg(a, 1));
  }

  private SyscallOutcome ioctl(int fd, Expr request) {
    long req = value(request);
    SysResult<Integer> r;
    if (req == 0x541B) {
      r = api.inq(fd);
    } else if (req == 0x5411) {
      r = api.outq(fd);
    } else {
      throw new NotModelled("ioctl " + request);
    }
    if (!r.isOk()) {
      return done(r);
    }
    return new SyscallOutcome.Returned(new SyscallResult(0, null, Map.of(2, (long) r.intValue())));
  }

  /** POLLERR, POLLHUP and POLLNVAL are reported whether asked for or not (poll(2)). */
  private static final long ALWAYS = 0x008 | 0x010 | 0x020;

  private SyscallOutcome poll(List<Expr> a) {
    if (!(arg(a, 0) instanceof Expr.Array fds)) {
      throw new NotModelled("poll without a pollfd array");
    }
    long timeoutMs = value(arg(a, 2));
    int ready = 0;
    for (Expr e : fds.elements()) {
      if (!(e instanceof Expr.Struct s) || s.get("fd") == null || s.get("events") == null) {
        throw new NotModelled("pollfd " + e + " (write {fd=N, events=..., revents=...})");
      }
      if (revents(s) != 0) {
        ready++;
      }
    }
    if (ready > 0 || timeoutMs == 0) {
      return pollResult(fds, ready);
    }
    if (fds.elements().size() != 1) {
      throw new NotModelled("a blocking poll on " + fds.elements().size() + " descriptors");
    }
    Expr.Struct only = (Expr.Struct) fds.elements().get(0);
    int fd = (int) value(only.get("fd"));
    if (api.socketOf(fd) == null) {
      return pollResult(fds, 0);
    }
    Object token = new Object();
    blockedToken = token;
    api.onReady(fd, (int) (value(only.get("events")) | ALWAYS), mask -> {
      if (blockedToken == token) {
        blockedToken = null;
        completion = new SyscallCompletion(sim.now(), pollOutcome(fds, 1, false));
      }
    });
    if (timeoutMs > 0) {
      sim.scheduleAfter(Nanos.millis(timeoutMs), (now, arg) -> {
        if (blockedToken == token) {
          blockedToken = null;
          completion = new SyscallCompletion(now, pollOutcome(fds, 0, false));
        }
      }, 0);
    }
    return new SyscallOutcome.Blocked();
  }

  private long revents(Expr.Struct s) {
    int fd = (int) value(s.get("fd"));
    if (api.socketOf(fd) == null) {
      return 0x020; // POLLNVAL
    }
    return api.poll(fd) & (value(s.get("events")) | ALWAYS);
  }

  private SyscallOutcome pollResult(Expr.Array fds, int ready) {
    return new SyscallOutcome.Returned(pollOutcome(fds, ready, true));
  }

  /**
   * The count of ready descriptors, for a poll that returns at once ({@code now}) with the first
   * pollfd's revents left in pointer 0 as the kernel backend reports them; or a failure naming
   * the first revents that differs from the script's.
   */
  private SyscallResult pollOutcome(Expr.Array fds, int ready, boolean now) {
    for (Expr e : fds.elements()) {
      Expr.Struct s = (Expr.Struct) e;
      if (s.get("revents") != null) {
        long have = revents(s);
        long want = value(s.get("revents"));
        if (have != want) {
          return new SyscallResult(-1, "(revents of fd " + value(s.get("fd")) + " is "
              + LinuxConstants.pollNames(have) + ", expected " + LinuxConstants.pollNames(want) + ")",
              Map.of());
        }
      }
    }
    Map<Integer, Long> first = !now || fds.elements().isEmpty() ? Map.of()
        : Map.of(0, revents((Expr.Struct) fds.elements().get(0)));
    return new SyscallResult(ready, null, first);
  }

  // ---- arguments and results -----------------------------------------------------------------

  private static Expr arg(List<Expr> a, int i) {
    if (i >= a.size()) {
      throw new NotModelled("a call with " + a.size() + " arguments where " + (i + 1) + " are needed");
    }
    return a.get(i);
  }

  private static int fd(List<Expr> a, int i) {
    return (int) value(arg(a, i));
  }

  /** The total length of a msghdr's iovecs ({@code msg_iov(1)=[{iov_base=..., iov_len=N}]}). */
  private static int iovLength(Expr msg) {
    if (msg instanceof Expr.Struct s && s.get("msg_iov") instanceof Expr.Array iov) {
      long total = 0;
      for (Expr e : iov.elements()) {
        if (!(e instanceof Expr.Struct v) || v.get("iov_len") == null) {
          throw new NotModelled("iovec " + e);
        }
        total += value(v.get("iov_len"));
      }
      return (int) Math.min(total, Integer.MAX_VALUE);
    }
    throw new NotModelled("msghdr " + msg + " (write {msg_iov(N)=[{iov_base=..., iov_len=N}]})");
  }

  /** The integer an argument stands for. */
  static long value(Expr e) {
    try {
      return ScriptIntegers.value(e, LinuxConstants::value, SimulatedBackend::simulatorForms);
    } catch (ScriptIntegers.NotAnInteger x) {
      throw new NotModelled(x.getMessage());
    }
  }

  /** Forms only this backend reads: NULL and ... as 0, htonl(v), inet_addr("a.b.c.d"). */
  private static Long simulatorForms(Expr e) {
    if (e instanceof Expr.Null || e instanceof Expr.Ellipsis) {
      return 0L;
    }
    if (e instanceof Expr.Call c && c.args().size() == 1) {
      if (c.name().equals("htonl")) {
        return value(c.args().get(0));
      }
      if (c.name().equals("inet_addr") && c.args().get(0) instanceof Expr.Str s) {
        try {
          return Integer.toUnsignedLong(Ipv4.parse(s.value()));
        } catch (IllegalArgumentException ex) {
          throw new NotModelled("the address " + s);
        }
      }
    }
    return null;
  }

  private static SyscallOutcome done(SysResult<?> r) {
    return new SyscallOutcome.Returned(result(r));
  }

  private static SyscallResult result(SysResult<?> r) {
    if (!r.isOk()) {
      return SyscallResult.error(r.errno().name());
    }
    return SyscallResult.ok(r.value() instanceof Number n ? n.longValue() : 0);
  }
}
