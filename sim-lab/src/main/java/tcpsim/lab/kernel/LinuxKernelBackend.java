package tcpsim.lab.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import tcpsim.lab.script.Expr;
import tcpsim.lab.script.ScriptBackend;
import tcpsim.lab.script.ScriptIntegers;
import tcpsim.lab.script.ScriptRunner;
import tcpsim.net.observe.PacketDecoder;
import tcpsim.net.observe.PacketEncoder;
import tcpsim.net.observe.PacketFormatException;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;

/**
 * The host's own Linux kernel as a {@link ScriptBackend}, the way packetdrill runs scripts: a
 * fresh network namespace ({@code tcpsim-k-PID-N}) holding only {@code lo} and a tun device
 * {@code tun0} (IFF_TUN | IFF_NO_PI) with the local address 192.168.0.1/24 and a route for the
 * remote's 192.0.2.0/24 through it. Inbound segments are written into the tun as IPv4 packets
 * ({@link PacketEncoder}); what the kernel routes to the remote comes out of the tun and is decoded
 * ({@link PacketDecoder}). Socket calls run on real sockets in the namespace, made by a small C
 * helper ({@code tcpsim-kernel-helper.c}) that Java drives over a pipe; sysctls are written under
 * the namespace's own /proc/sys/net.
 *
 * <p>Time is real: the clock is the monotonic clock ({@link System#nanoTime}) since the backend
 * opened. {@link #advanceTo} only notes the time; the next packet or call goes to the helper as
 * "at T ...", and the helper sleeps to T and acts (a JVM thread on a busy machine wakes up far
 * later than the small niced helper does). Outbound segments carry the kernel's own time stamp,
 * taken as they leave the stack. The backend keeps its worst delay ({@link #worstLateness}). Until the first call or packet the clock stands still while settings are applied
 * (sysctls, the queue), as packetdrill runs its init block before the script's time 0. Use one
 * backend per script and close it: closing deletes the namespace.
 *
 * <p>Caveats: a call counts as blocked when its thread sleeps interruptibly in the kernel (the
 * helper watches /proc/self/task/TID/stat); poll's {@code revents} are not checked against the
 * script (the runner leaves struct results to backends), but a poll that returns at once leaves
 * the first pollfd's revents in pointer 0, as the simulated backend does, so that the two are
 * compared; sendto, recvfrom, sendmsg, recvmsg and epoll are UNSUPPORTED; only IPv4.
 */
public final class LinuxKernelBackend implements ScriptBackend, AutoCloseable {
  static final String TUN = "tun0";
  private static final String LOCAL = Ipv4.format(ScriptRunner.LOCAL_ADDRESS);
  private static final String REMOTE = Ipv4.format(ScriptRunner.REMOTE_ADDRESS);

  private final NetNamespace ns;
  private final KernelHelper helper;
  /** System.nanoTime() at the backend's time 0; moves only while init settings are applied. */
  private long epoch;
  /** Whether the script has begun to talk to the kernel (a call, a packet). */
  private boolean started;
  private int ipId = 1;
  private boolean queueDropsAll;
  /** A congestion control the namespace may not default to, set on each new socket instead. */
  private String perSocketCongestion;
  private final List<String> notes = new ArrayList<>();
  /** The worst lateness of the runner's own actions (sleeping past a time, a slow call). */
  private long worstLatenessNanos;
  private String worstLateness = "none";
  /**
   * The time the runner has advanced to but this backend has not slept to yet, or -1. The next
   * packet or call is sent to the helper as "at T ...": the helper (a small niced process) sleeps
   * to T and acts, which a busy machine makes far less late than a JVM thread waking up.
   */
  private long pendingNanos = -1;
  /**
   * The namespace's /proc/net/tcp and tcp6 lines as a state probe last read them: the probes of one
   * instant (a differential run asks for ten states at once) share one read, until a packet or a
   * call may have changed the table or a millisecond has passed; null: read again.
   */
  private List<String> procTcpLines;
  private long procTcpReadNanos;
  private static final long PROC_TCP_REUSE_NANOS = 1_000_000;
  /** When the last packet or call was due to start (System.nanoTime), for its round trip. */
  private long actionStart;
  /** When control last went back to the runner; 0 before the script's first event. */
  private long lastExit;
  private final HexFormat hex = HexFormat.of();

  private LinuxKernelBackend(NetNamespace ns, KernelHelper helper) {
    this.ns = ns;
    this.helper = helper;
    this.epoch = System.nanoTime();
    if (!helper.kernelStamps()) {
      note("no packet socket on " + TUN + ": outbound segments are timed when read, not when sent");
    }
  }

  /**
   * Creates the namespace, starts the helper and brings the tun up. Throws
   * {@link KernelBackendException} (after removing what it made) when the machine does not allow it.
   */
  public static LinuxKernelBackend open() {
    NetNamespace ns = NetNamespace.create();
    KernelHelper helper = null;
    try {
      helper = KernelHelper.start(ns, TUN);
      ns.ipBatch(List.of("link set lo up", "addr add " + LOCAL + "/24 dev " + TUN,
          "link set " + TUN + " up",
          "route add " + REMOTE.substring(0, REMOTE.lastIndexOf('.')) + ".0/24 dev " + TUN));
      warmUp(helper);
      return new LinuxKernelBackend(ns, helper);
    } catch (RuntimeException e) {
      if (helper != null) {
        helper.close();
      }
      ns.close();
      throw e;
    }
  }

  /**
   * Loads and runs once the code a script's first events take (encoding, decoding, the pipe), so
   * that a cold JVM does not make the first segment late.
   */
  private static void warmUp(KernelHelper helper) {
    Segment s = new Segment(ScriptRunner.REMOTE_ADDRESS, 1, ScriptRunner.LOCAL_ADDRESS, 2, 0, 0,
        tcpsim.net.wire.TcpFlags.SYN, 0, 0,
        tcpsim.net.wire.TcpOptions.builder().mss(1460).sackPermitted().timestamp(1, 0).nop()
            .windowScale(8).build(), 0, null);
    byte[] b = PacketEncoder.encode(s, 0);
    PacketDecoder.decodePacket(HexFormat.of().parseHex(HexFormat.of().formatHex(b)), 0, b.length, true);
    for (int i = 0; i < 3; i++) {
      helper.command("now");
    }
  }

  /** The namespace's name (for messages and for looking at it with {@code ip netns exec}). */
  public String namespace() {
    return ns.name();
  }

  /** What the backend noticed on the way (packets it skipped, sysctls it could not set). */
  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  @Override
  public long nowNanos() {
    return Math.max(System.nanoTime() - epoch, pendingNanos);
  }

  @Override
  public void advanceTo(long nanos) {
    enter();
    try {
      advanceTo0(nanos);
    } finally {
      exit();
    }
  }

  private void advanceTo0(long nanos) {
    if (nanos > System.nanoTime() - epoch) {
      pendingNanos = Math.max(pendingNanos, nanos);
    }
  }

  /** Sleeps to the time the runner advanced to, when something must be seen at that time. */
  private void realize() {
    if (pendingNanos < 0) {
      return;
    }
    long nanos = pendingNanos;
    pendingNanos = -1;
    long target = epoch + nanos;
    for (long wait = target - System.nanoTime(); wait > 0; wait = target - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
    late(System.nanoTime() - target, "a sleep past " + tcpsim.core.time.Nanos.format(nanos));
  }

  /**
   * How late the runner's own actions were at worst, in nanoseconds: sleeping past an event's
   * time, or a call or injection whose round trip through the helper was slow. Large values mean
   * the machine was too busy for the script's tolerances, not that the kernel misbehaved.
   */
  public long worstLatenessNanos() {
    return worstLatenessNanos;
  }

  /** What was late at worst, and by how much. */
  public String worstLateness() {
    return worstLateness;
  }

  /** The runner comes back: time since it last left counts as its own lateness. */
  private void enter() {
    long now = System.nanoTime();
    if (lastExit != 0) {
      late(now - lastExit, "a gap between two events (runner busy or descheduled)");
    }
  }

  private void exit() {
    lastExit = System.nanoTime();
  }

  /** Sends {@code command}, timed for the pending time if there is one; notes how late it ran. */
  private KernelHelper.Reply timed(String command, String what) {
    long pending = pendingNanos;
    pendingNanos = -1;
    actionStart = Math.max(System.nanoTime(), epoch + pending);
    KernelHelper.Reply r = helper.command(pending > System.nanoTime() - epoch
        ? "at " + (epoch + pending) + " " + command : command);
    String lateNs = r.values().get("late");
    if (lateNs != null) {
      late(Long.parseLong(lateNs), what + " due at " + tcpsim.core.time.Nanos.format(pending)
          + " started late");
    }
    return r;
  }

  private void late(long nanos, String what) {
    if (nanos > worstLatenessNanos) {
      worstLatenessNanos = nanos;
      worstLateness = what + ": " + nanos / 1000 + " us";
    }
  }

  @Override
  public TimedSegment awaitOutbound(long deadlineNanos) {
    enter();
    try {
      return awaitOutbound0(deadlineNanos);
    } finally {
      exit();
    }
  }

  private TimedSegment awaitOutbound0(long deadlineNanos) {
    started = true;
    for (;;) {
      KernelHelper.Packet p = helper.takePacket(epoch + deadlineNanos);
      if (p == null) {
        realize();
        return null;
      }
      byte[] b = p.bytes();
      if (b.length < PacketEncoder.IP_HEADER_LENGTH || (b[0] & 0xf0) != 0x40
          || (b[9] & 0xff) != PacketEncoder.PROTOCOL_TCP) {
        note("skipped a non-TCP/IPv4 packet of " + b.length + " bytes from the kernel");
        continue;
      }
      try {
        Segment s = PacketDecoder.decodePacket(b, 0, b.length, true).segment();
        return new TimedSegment(p.monoNanos() - epoch, s);
      } catch (PacketFormatException e) {
        note("skipped a packet tcpsim cannot decode: " + e.getMessage() + ": " + hex.formatHex(b));
      }
    }
  }

  @Override
  public void inject(Segment segment) {
    enter();
    procTcpLines = null;
    try {
      inject0(segment);
    } finally {
      exit();
    }
  }

  private void inject0(Segment segment) {
    started = true;
    byte[] packet = PacketEncoder.encode(segment, ipId);
    ipId = (ipId + 1) & 0xffff;
    KernelHelper.Reply r = timed("inject " + hex.formatHex(packet), "an injection");
    late(System.nanoTime() - actionStart, "an injection's round trip");
    if (r.ret() != packet.length) {
      throw new KernelBackendException("writing a " + packet.length + "-byte packet into " + TUN
          + " failed: " + r.errno());
    }
  }

  // ---- system calls --------------------------------------------------------------------------

  /** An argument form the helper cannot pass: the script is UNSUPPORTED on this backend. */
  private static final class NotPassable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPassable(String feature) {
      super(feature, null, false, false);
    }
  }

  @Override
  public SyscallOutcome syscall(SyscallRequest call) {
    enter();
    procTcpLines = null;
    try {
      return syscall0(call);
    } finally {
      exit();
    }
  }

  private SyscallOutcome syscall0(SyscallRequest call) {
    started = true;
    String command;
    try {
      command = translate(call);
    } catch (NotPassable e) {
      return new SyscallOutcome.Unsupported(e.getMessage());
    }
    KernelHelper.Reply r = timed(command, call.name() + "()");
    if (r.blocked()) {
      return new SyscallOutcome.Blocked();
    }
    if (call.name().equals("socket") && r.ret() >= 0 && perSocketCongestion != null) {
      KernelHelper.Reply c = helper.command("cong " + r.ret() + " " + perSocketCongestion);
      if (c.ret() != 0) {
        throw new KernelBackendException("setsockopt(TCP_CONGESTION, " + perSocketCongestion
            + ") failed: " + c.errno());
      }
    }
    late(System.nanoTime() - actionStart, call.name() + "()'s round trip");
    return new SyscallOutcome.Returned(result(call, r));
  }

  @Override
  public SyscallCompletion takeCompletion() {
    enter();
    try {
      return takeCompletion0();
    } finally {
      exit();
    }
  }

  private SyscallCompletion takeCompletion0() {
    realize();
    KernelHelper.Reply r = helper.takeCompletion();
    if (r == null) {
      return null;
    }
    return new SyscallCompletion(r.monoNanos() - epoch, result(null, r));
  }

  private static SyscallResult result(SyscallRequest call, KernelHelper.Reply r) {
    Map<Integer, Long> pointers = new LinkedHashMap<>();
    String val = r.values().get("val");
    if (val != null && call != null) {
      pointers.put(call.name().equals("ioctl") ? 2 : 3, Long.parseLong(val));
      if (call.name().equals("getsockopt") && call.args().size() > 4
          && call.args().get(4) instanceof Expr.Array) {
        pointers.put(4, 4L); // an int option's length
      }
    }
    String revents = r.values().get("revents0");
    if (revents != null && call != null && call.name().equals("poll")) {
      pointers.put(0, Long.parseLong(revents)); // the first pollfd's revents, as the sim reports it
    }
    return new SyscallResult(r.ret(), r.errno(), pointers);
  }

  /** The helper's command line for {@code call}. */
  private static String translate(SyscallRequest call) {
    List<Expr> a = call.args();
    String n = call.name();
    return switch (n) {
      case "socket" -> {
        need(call, 3);
        long domain = a.get(0) instanceof Expr.Ellipsis ? 2 : value(a.get(0));
        yield "socket " + domain + " " + value(a.get(1)) + " " + value(a.get(2));
      }
      // packetdrill binds to the local address and port 8080, and connects to the remote's 8080.
      case "bind" -> "bind " + fd(call) + " " + LOCAL + " " + ScriptRunner.SERVER_PORT;
      case "connect" -> "connect " + fd(call) + " " + REMOTE + " " + ScriptRunner.SERVER_PORT;
      case "listen" -> {
        need(call, 2);
        yield "listen " + fd(call) + " " + value(a.get(1));
      }
      case "accept" -> "accept " + fd(call);
      case "read", "write" -> {
        need(call, 3);
        yield n + " " + fd(call) + " " + value(a.get(2));
      }
      case "recv", "send" -> {
        need(call, 4);
        yield n + " " + fd(call) + " " + value(a.get(2)) + " " + value(a.get(3));
      }
      case "close" -> "close " + fd(call);
      case "shutdown" -> {
        need(call, 2);
        yield "shutdown " + fd(call) + " " + value(a.get(1));
      }
      case "setsockopt" -> setsockopt(call);
      case "getsockopt" -> {
        need(call, 4);
        long level = value(a.get(1));
        long opt = value(a.get(2));
        if (opt == 11 && level == 6) {
          throw new NotPassable("getsockopt TCP_INFO as a call (use %{ }% blocks)");
        }
        yield "getsockopt " + fd(call) + " " + level + " " + opt;
      }
      case "fcntl" -> {
        if (a.size() < 2) {
          throw new NotPassable("fcntl with " + a.size() + " arguments");
        }
        yield "fcntl " + fd(call) + " " + value(a.get(1)) + " " + (a.size() > 2 ? value(a.get(2)) : 0);
      }
      case "ioctl" -> {
        need(call, 2);
        yield "ioctl " + fd(call) + " " + value(a.get(1));
      }
      case "poll" -> poll(call);
      default -> throw new NotPassable("the call " + n + "() on the linux backend");
    };
  }

  private static String setsockopt(SyscallRequest call) {
    List<Expr> a = call.args();
    need(call, 4);
    long level = value(a.get(1));
    long opt = value(a.get(2));
    Expr v = a.get(3);
    if (v instanceof Expr.Struct s) {
      Expr onoff = s.get("onoff");
      Expr linger = s.get("linger");
      if (level != 1 || opt != 13 || onoff == null || linger == null) {
        throw new NotPassable("setsockopt with the struct " + s);
      }
      return "linger " + fd(call) + " " + value(onoff) + " " + value(linger);
    }
    return "setsockopt " + fd(call) + " " + level + " " + opt + " " + value(v);
  }

  private static String poll(SyscallRequest call) {
    List<Expr> a = call.args();
    need(call, 3);
    if (!(a.get(0) instanceof Expr.Array fds)) {
      throw new NotPassable("poll without a pollfd array");
    }
    StringBuilder b = new StringBuilder("poll ").append(value(a.get(2)));
    for (Expr e : fds.elements()) {
      if (!(e instanceof Expr.Struct s) || s.get("fd") == null) {
        throw new NotPassable("a pollfd written as " + e);
      }
      b.append(' ').append(value(s.get("fd"))).append(' ')
          .append(s.get("events") == null ? 0 : value(s.get("events")));
    }
    return b.toString();
  }

  private static void need(SyscallRequest call, int n) {
    if (call.args().size() < n) {
      throw new NotPassable(call.name() + "() with " + call.args().size() + " arguments");
    }
  }

  private static long fd(SyscallRequest call) {
    need(call, 1);
    return value(call.args().get(0));
  }

  /** An integer argument: a literal, a constant, {@code A|B}, {@code [v]}, or {@code htons(v)}. */
  private static long value(Expr e) {
    try {
      return ScriptIntegers.value(e, LinuxConstants::value, x -> null);
    } catch (ScriptIntegers.NotAnInteger x) {
      throw new NotPassable(x.getMessage() + " on the linux backend");
    }
  }

  // ---- sysctls, queue, socket table, TCP_INFO ------------------------------------------------

  /**
   * Writes {@code /proc/sys/NAME} inside the namespace. Only {@code net.*} names: net.ipv4.* are
   * per-namespace on Linux 6.x, and a global one (net.ipv4.tcp_mem, registered for init_net
   * only) does not exist in a child namespace, so it is refused instead of touching the host.
   */
  @Override
  public boolean setSysctl(String name, String value) {
    long t0 = System.nanoTime();
    try {
      return writeSysctl(name, value);
    } finally {
      holdClockSince(t0);
    }
  }

  /** Before the script's first call or packet, time spent on settings does not count. */
  private void holdClockSince(long t0) {
    if (!started) {
      epoch += System.nanoTime() - t0;
    }
  }

  private boolean writeSysctl(String name, String value) {
    realize();
    if (!name.startsWith("net.") || !Pattern.matches("[A-Za-z0-9_.-]+", name)) {
      note("sysctl " + name + " refused: only net.* sysctls are set, inside the namespace");
      return false;
    }
    KernelHelper.Reply r = helper.command("sysctl /proc/sys/" + name.replace('.', '/') + " "
        + value.trim());
    if (r.ret() != 0 && name.equals("net.ipv4.tcp_congestion_control")
        && Pattern.matches("[a-z0-9_]+", value.trim())) {
      // tcp_set_default_congestion_control (net/ipv4/tcp_cong.c): "Only init netns can set
      // default to a restricted algorithm", and net.ipv4.tcp_allowed_congestion_control is the
      // host's (init_net only). Root may still pick any algorithm per socket (TCP_CONGESTION);
      // accepted sockets inherit the listener's (tcp_ca_openreq_child).
      perSocketCongestion = value.trim();
      note("net.ipv4.tcp_congestion_control=" + perSocketCongestion + " is restricted by the "
          + "host's tcp_allowed_congestion_control; set on each socket with TCP_CONGESTION instead");
      return true;
    }
    if (r.ret() != 0) {
      note("sysctl " + name + " not set: " + r.errno()
          + ("ENOENT".equals(r.errno()) ? " (not a per-namespace sysctl on this kernel)" : ""));
      return false;
    }
    return true;
  }

  @Override
  public void setQueueDropsAll(boolean dropAll) {
    realize();
    if (dropAll == queueDropsAll) {
      return;
    }
    long t0 = System.nanoTime();
    Tools.Output o = dropAll
        ? Tools.run(ns.exec("tc", "qdisc", "replace", "dev", TUN, "root", "pfifo", "limit", "0"))
        : Tools.run(ns.exec("tc", "qdisc", "del", "dev", TUN, "root"));
    if (!o.ok()) {
      throw new KernelBackendException("tc on " + TUN + " failed: " + o.out().trim());
    }
    queueDropsAll = dropAll;
    holdClockSince(t0);
  }

  @Override
  public boolean socketMatches(String ssState, int port) {
    enter();
    try {
      return socketMatches0(ssState, port);
    } finally {
      exit();
    }
  }

  private boolean socketMatches0(String ssState, int port) {
    realize();
    Integer code = PROC_NET_TCP_STATES.get(ssState);
    if (code != null) {
      return procNetTcpMatches(code, port);
    }
    Tools.Output o = Tools.run(ns.exec("ss", "-H", "-tan", "state", ssState));
    if (!o.ok()) {
      throw new KernelBackendException("ss -tan state " + ssState + " failed: " + o.out().trim());
    }
    return Pattern.compile(":" + port + "(\\s|$)", Pattern.MULTILINE).matcher(o.out()).find();
  }

  /** ss's state names and the kernel's state codes as /proc/net/tcp prints them (include/net/tcp_states.h). */
  private static final Map<String, Integer> PROC_NET_TCP_STATES = Map.ofEntries(
      Map.entry("established", 1), Map.entry("syn-sent", 2), Map.entry("syn-recv", 3),
      Map.entry("fin-wait-1", 4), Map.entry("fin-wait-2", 5), Map.entry("time-wait", 6),
      Map.entry("closed", 7), Map.entry("close-wait", 8), Map.entry("last-ack", 9),
      Map.entry("listening", 10), Map.entry("closing", 11));

  /**
   * Whether a socket in state {@code code} has {@code port} at either end, read from the helper's
   * /proc/PID/net/tcp{,6} (its namespace's table): exec'ing ss takes tens of milliseconds on a busy
   * machine, long enough to push the script's next packet outside its tolerance.
   */
  private boolean procNetTcpMatches(int code, int port) {
    String portHex = String.format(":%04X", port);
    if (procTcpLines == null || System.nanoTime() - procTcpReadNanos > PROC_TCP_REUSE_NANOS) {
      procTcpLines = new ArrayList<>();
      for (String table : new String[] {"tcp", "tcp6"}) {
        try {
          List<String> lines = java.nio.file.Files.readAllLines(
              java.nio.file.Path.of("/proc", Long.toString(helper.pid()), "net", table));
          procTcpLines.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
        } catch (java.io.IOException e) {
          throw new KernelBackendException("cannot read the namespace's /proc/net/" + table + ": "
              + e.getMessage(), e);
        }
      }
      procTcpReadNanos = System.nanoTime();
    }
    for (String line : procTcpLines) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && Integer.parseInt(f[3], 16) == code
          && (f[1].endsWith(portHex) || f[2].endsWith(portHex))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Map<String, Long> tcpInfo(int fd) {
    enter();
    try {
      return tcpInfo0(fd);
    } finally {
      exit();
    }
  }

  private Map<String, Long> tcpInfo0(int fd) {
    realize();
    KernelHelper.Reply r = helper.command("tcpinfo " + fd);
    if (r.ret() != 0) {
      return null;
    }
    Map<String, Long> info = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : r.values().entrySet()) {
      info.put(e.getKey(), Long.parseLong(e.getValue()));
    }
    return info;
  }

  private void note(String s) {
    if (notes.size() < 20) {
      notes.add(s);
    }
  }

  /** Stops the helper and deletes the namespace (its sockets go with it). */
  @Override
  public void close() {
    try {
      helper.close();
    } finally {
      ns.close();
    }
  }
}
