package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.ScriptBackend.SyscallCompletion;
import tcpsim.lab.script.ScriptBackend.SyscallOutcome;
import tcpsim.lab.script.ScriptBackend.SyscallRequest;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.lab.script.ScriptBackend.TimedSegment;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * Plays a {@link Script} against a {@link ScriptBackend} on virtual time, with packetdrill's
 * matching rules:
 *
 * <ul>
 *   <li>Script time 0 is the backend's clock when the run starts; {@code +t} counts from the
 *       previous event's scripted time, or from its actual time when that event was a {@code *} or
 *       {@code a~b} packet; the next event after {@code T...E} counts from T.
 *   <li>Inbound packets, calls and commands happen exactly at their time. Outbound segments are
 *       taken in the order the stack sent them, one expected line after another, each within the
 *       tolerance: the larger of {@code --tolerance_usecs} and {@code --tolerance_percent} of the
 *       scripted gap from the previous event. A segment that never comes fails at its scripted
 *       time plus 2 s: "timed out waiting for packet".
 *   <li>Compared: flags, sequence number, ack, urgent pointer, payload length and the option list
 *       kind by kind (MSS, window scale and SACK blocks by value); the window only when scripted;
 *       an outbound TS val only with {@code --tcp_ts_tick_usecs}; a TS ecr never.
 *   <li>Unless {@code --strict_segments}, consecutive segments whose payloads add up to an
 *       expected line's length (never more) meet it together.
 *   <li>The remote's sequence numbers are literal; the local stack's are relative to the ISN it
 *       chose (learned from its SYN or SYN-ACK, 0 until then). An inbound TS ecr is shifted by
 *       the offset between the first scripted and actual outbound TS val, so it echoes a value
 *       the local stack really sent.
 *   <li>Syscall results, errno and {@code [v]} pointers are checked when the call returns;
 *       {@code %{ }%} blocks snapshot TCP_INFO of the socket last named and are evaluated after
 *       the run.
 * </ul>
 *
 * <p>Differences from packetdrill: segments the stack sends after the last expected line are not
 * reported (packetdrill's sniffer stops there too); poll's {@code revents} and other struct
 * results are left to the backend; any script time beyond {@link #TIME_LIMIT_NANOS} fails; a
 * packet line may name another remote port ({@code remote_port N}) to play a second peer of the
 * listener, each such flow with its own local ISN.
 */
public final class ScriptRunner {
  public static final int LOCAL_ADDRESS = Ipv4.parse("192.168.0.1");
  public static final int REMOTE_ADDRESS = Ipv4.parse("192.0.2.1");
  /** The port the local side listens on, and the remote's for an active open. */
  public static final int SERVER_PORT = 8080;
  /** The remote's port for a passive open (any ephemeral port would do). */
  public static final int REMOTE_EPHEMERAL_PORT = 40000;
  public static final long TIMEOUT_NANOS = Nanos.seconds(2);
  /** A virtual-time limit so that no script runs the stack for long. */
  public static final long TIME_LIMIT_NANOS = Nanos.seconds(3600);

  /**
   * packetdrill's standard test settings (its defaults.sh), name then value. The plain FIFO queue
   * is {@link ScriptBackend#setQueueDropsAll}(false).
   */
  public static final List<String[]> DEFAULT_SYSCTLS = List.of(
      new String[] {"net.ipv4.tcp_rmem", "4096 540000 15728640"},
      new String[] {"net.ipv4.tcp_wmem", "4096 262144 4194304"},
      new String[] {"net.ipv4.tcp_timestamps", "1"},
      new String[] {"net.ipv4.tcp_syn_retries", "5"},
      new String[] {"net.ipv4.tcp_synack_retries", "5"},
      new String[] {"net.ipv4.tcp_sack", "1"},
      new String[] {"net.ipv4.tcp_dsack", "1"},
      new String[] {"net.ipv4.tcp_frto", "2"},
      new String[] {"net.ipv4.tcp_reordering", "3"},
      new String[] {"net.ipv4.tcp_congestion_control", "cubic"},
      new String[] {"net.ipv4.tcp_slow_start_after_idle", "0"},
      new String[] {"net.ipv4.tcp_early_retrans", "4"},
      new String[] {"net.ipv4.tcp_recovery", "1"},
      new String[] {"net.ipv4.tcp_tso_win_divisor", "3"},
      new String[] {"net.ipv4.tcp_ecn", "0"},
      new String[] {"net.ipv4.tcp_syncookies", "1"});

  private final Script script;
  private final ScriptOptions opt;
  private final ScriptBackend backend;
  private final long origin;

  /** Script time (microseconds) the next relative time counts from. */
  private long baseUs;
  /** Each flow's local ISN, by the remote end's port, once the stack's SYN or SYN-ACK showed it. */
  private final Map<Integer, Integer> localIsns = new LinkedHashMap<>();
  private int localPort = SERVER_PORT;
  /** The remote's port of the script's flow; a line's {@code remote_port} names another. */
  private int remotePort = REMOTE_EPHEMERAL_PORT;
  /** Each flow's TS offset (the stack's clock less the script's), by the remote end's port, in the order learnt. */
  private final Map<Integer, Integer> tsOffsets = new LinkedHashMap<>();
  private int socketUnderTest = -1;

  private ScriptLine.SyscallLine blockedLine;
  private long blockedEndUs;
  private long blockedTolUs;

  private final List<ScriptLine.AssertBlock> assertBlocks = new ArrayList<>();
  private final List<Map<String, Long>> snapshots = new ArrayList<>();
  private final List<Long> assertUs = new ArrayList<>();

  private ScriptRunner(Script script, ScriptBackend backend) {
    this.script = script;
    this.opt = script.options();
    this.backend = backend;
    this.origin = backend.nowNanos();
  }

  /** Runs {@code script} against {@code backend} to its result. */
  public static ScriptResult run(Script script, ScriptBackend backend) {
    ScriptResult unsupported = unsupportedFeature(script);
    if (unsupported != null) {
      return unsupported;
    }
    try {
      return new ScriptRunner(script, backend).walk();
    } catch (Stop s) {
      return s.result;
    }
  }

  /** The first thing in {@code script} tcpsim does not model, or null. */
  public static ScriptResult unsupportedFeature(Script script) {
    String f = script.file();
    if (!script.options().unsupported().isEmpty()) {
      return new ScriptResult.Unsupported(f, 0, "option " + script.options().unsupported().get(0));
    }
    for (ScriptLine line : script.lines()) {
      int n = line.pos().line();
      if (line instanceof ScriptLine.UnsupportedLine u) {
        return new ScriptResult.Unsupported(f, n, u.feature());
      }
      if (line instanceof ScriptLine.AssertBlock a && a.unsupported() != null) {
        return new ScriptResult.Unsupported(f, n, a.unsupported());
      }
      if (line instanceof ScriptLine.CommandLine c) {
        for (Command cmd : c.commands()) {
          if (cmd instanceof Command.Unsupported) {
            return new ScriptResult.Unsupported(f, n, "command `" + cmd.text() + "`");
          }
        }
      }
      if (line instanceof ScriptLine.SyscallLine s
          && !(s.result() instanceof Expr.IntLit) && !(s.result() instanceof Expr.Ellipsis)) {
        return new ScriptResult.Unsupported(f, n, "a symbolic return value (" + s.result() + ")");
      }
    }
    return null;
  }

  /** Ends the run with a result from deep inside it. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ScriptResult result;

    Stop(ScriptResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  private ScriptResult walk() {
    for (ScriptLine line : script.lines()) {
      if (line instanceof ScriptLine.PacketLine p) {
        if (p.inbound()) {
          long t = pointTime(line);
          advanceTo(line, t);
          backend.inject(inboundSegment(p));
          baseUs = t;
        } else {
          expectOutbound(p);
        }
      } else if (line instanceof ScriptLine.SyscallLine s) {
        syscall(s);
      } else if (line instanceof ScriptLine.CommandLine c) {
        long t = pointTime(line);
        advanceTo(line, t);
        for (Command cmd : c.commands()) {
          command(c, cmd);
        }
        baseUs = t;
      } else if (line instanceof ScriptLine.AssertBlock a) {
        long t = pointTime(line);
        advanceTo(line, t);
        if (socketUnderTest < 0) {
          throw fail(line, "%{ }% needs a socket, but no call has named one yet");
        }
        assertBlocks.add(a);
        snapshots.add(backend.tcpInfo(socketUnderTest));
        assertUs.add(t);
        baseUs = t;
      }
    }
    if (blockedLine != null) {
      advanceTo(blockedLine, blockedEndUs);
    }
    if (blockedLine != null) {
      advanceTo(blockedLine, blockedEndUs + blockedTolUs);
      if (blockedLine != null) {
        throw fail(blockedLine, "blocking call did not return by " + us(blockedEndUs));
      }
    }
    for (int i = 0; i < assertBlocks.size(); i++) {
      evaluate(assertBlocks.get(i), snapshots.get(i));
    }
    return new ScriptResult.Pass(script.file());
  }

  // ---- time ----------------------------------------------------------------------------------

  private long resolve(Timing.Point p) {
    return p.relative() ? baseUs + p.usecs() : p.usecs();
  }

  /** The time of an event that happens at one point. */
  private long pointTime(ScriptLine line) {
    Timing t = line.timing();
    long us;
    if (t instanceof Timing.At a) {
      us = resolve(a.at());
    } else if (t instanceof Timing.Blocking b) {
      us = resolve(b.start());
    } else {
      us = baseUs;
    }
    if (us < baseUs) {
      throw fail(line, "time " + us(us) + " is before the previous event's " + us(baseUs));
    }
    return us;
  }

  private long tolerance(long scriptedUs) {
    return Math.max(opt.toleranceUsecs(), percentOf(Math.max(0, scriptedUs - baseUs)));
  }

  /** {@code --tolerance_percent} of a gap, in integer arithmetic that cannot overflow here. */
  private long percentOf(long gapUs) {
    return gapUs / 1000 * opt.tolerancePpm() / 1000 + gapUs % 1000 * opt.tolerancePpm() / 1_000_000;
  }

  private long nanos(long scriptUs) {
    return origin + Nanos.micros(scriptUs);
  }

  private long scriptNow() {
    return backend.nowNanos() - origin;
  }

  private void advanceTo(ScriptLine line, long us) {
    if (us > TIME_LIMIT_NANOS / 1000) {
      throw fail(line, "time " + us(us) + " is past the virtual-time limit of "
          + Nanos.format(TIME_LIMIT_NANOS));
    }
    if (nanos(us) > backend.nowNanos()) {
      backend.advanceTo(nanos(us));
    }
    checkBlocked();
  }

  /** Settles the outstanding blocking call if it has returned, or fails if it is overdue. */
  private void checkBlocked() {
    if (blockedLine == null) {
      return;
    }
    SyscallCompletion c = backend.takeCompletion();
    if (c != null) {
      ScriptLine.SyscallLine line = blockedLine;
      blockedLine = null;
      long atUs = (c.atNanos() - origin) / 1000;
      if (Math.abs(atUs - blockedEndUs) > blockedTolUs) {
        throw fail(line, line.name() + "() returned at " + us(atUs) + ", expected at " + us(blockedEndUs)
            + " (tolerance " + blockedTolUs + " us)");
      }
      checkResult(line, c.result());
    } else if (scriptNow() > Nanos.micros(blockedEndUs + blockedTolUs)) {
      throw fail(blockedLine, "blocking call did not return by " + us(blockedEndUs));
    }
  }

  // ---- packets -------------------------------------------------------------------------------

  private Segment inboundSegment(ScriptLine.PacketLine p) {
    int ackField = 0;
    if (p.hasAck()) {
      ackField = (int) p.ack() + localIsn(flowPort(p));
    }
    TcpOptions.Builder b = TcpOptions.builder();
    for (PacketOption o : p.options()) {
      if (o instanceof PacketOption.Nop) {
        b.nop();
      } else if (o instanceof PacketOption.Eol) {
        b.eol();
      } else if (o instanceof PacketOption.Mss m) {
        b.mss(m.value());
      } else if (o instanceof PacketOption.WindowScale w) {
        b.windowScale(w.shift());
      } else if (o instanceof PacketOption.SackPermitted) {
        b.sackPermitted();
      } else if (o instanceof PacketOption.Sack s) {
        // Inbound SACK blocks speak of the local stack's data: relative to its ISN.
        int[] pairs = new int[2 * s.count()];
        for (int i = 0; i < s.count(); i++) {
          pairs[2 * i] = (int) s.start(i) + localIsn(flowPort(p));
          pairs[2 * i + 1] = (int) s.end(i) + localIsn(flowPort(p));
        }
        b.sack(pairs);
      } else if (o instanceof PacketOption.Timestamp ts) {
        int ecr = ts.ecr() == 0 ? 0 : (int) ts.ecr() + tsOffset(flowPort(p));
        b.timestamp((int) ts.val(), ecr);
      }
    }
    return new Segment(REMOTE_ADDRESS, flowPort(p), LOCAL_ADDRESS, localPort, (int) p.start(), ackField,
        p.flags(), (int) p.window(), p.urgentPointer(), b.build(), p.length(), null);
  }

  private void expectOutbound(ScriptLine.PacketLine p) {
    Timing t = p.timing();
    long lo;
    long hi;
    boolean anyTime = t instanceof Timing.Any;
    if (t instanceof Timing.Window w) {
      lo = resolve(w.from());
      hi = resolve(w.to());
      if (hi < lo) {
        throw fail(p, "the window " + w + " ends before it starts");
      }
    } else {
      lo = pointTime(p);
      hi = lo;
    }
    if (lo < baseUs) {
      throw fail(p, "time " + us(lo) + " is before the previous event's " + us(baseUs));
    }
    long tol = tolerance(hi);
    if (hi > TIME_LIMIT_NANOS / 1000) {
      advanceTo(p, hi);
    }
    long deadlineUs = hi + TIMEOUT_NANOS / 1000;
    TimedSegment first = backend.awaitOutbound(nanos(deadlineUs));
    checkBlocked();
    if (first == null) {
      throw fail(p, "timed out waiting for packet " + p.describe());
    }
    long actualUs = (first.atNanos() - origin) / 1000;
    if (!anyTime && (actualUs < lo - tol || actualUs > hi + tol)) {
      throw fail(p, "packet at " + us(actualUs) + ", expected at "
          + (lo == hi ? us(lo) : us(lo) + "~" + us(hi)) + " (tolerance " + tol + " us): "
          + notation(first.segment()));
    }
    learnFlow(p, first.segment());
    String mismatch = mismatch(p, first.segment(), true);
    if (mismatch != null) {
      throw fail(p, mismatch + "\n    expected: " + p.describe() + "\n    actual:   "
          + notation(first.segment()));
    }
    int got = first.segment().payloadLength();
    int lastFlags = first.segment().flags();
    int localIsn = localIsn(flowPort(p));
    long nextSeq = Integer.toUnsignedLong(first.segment().seq() - localIsn) + got;
    // Several segments may meet one line when their payloads add up to its length.
    while (got < p.length() && !opt.strictSegments()) {
      TimedSegment more = backend.awaitOutbound(nanos(deadlineUs));
      checkBlocked();
      if (more == null) {
        throw fail(p, "timed out waiting for packet: " + got + " of " + p.length() + " bytes came");
      }
      Segment s = more.segment();
      String m = mismatch(p, s, false);
      if (m == null && Integer.toUnsignedLong(s.seq() - localIsn) != (nextSeq & 0xffffffffL)) {
        m = "the next piece starts at " + Integer.toUnsignedLong(s.seq() - localIsn) + ", not " + nextSeq;
      }
      if (m == null && got + s.payloadLength() > p.length()) {
        m = "segments add up to " + (got + s.payloadLength()) + " bytes, more than " + p.length();
      }
      if (m != null) {
        throw fail(p, m + "\n    expected: " + p.describe() + "\n    actual:   " + notation(s));
      }
      got += s.payloadLength();
      nextSeq += s.payloadLength();
      lastFlags |= s.flags();
    }
    if (got != p.length()) {
      throw fail(p, "payload of " + got + " bytes, expected " + p.length() + ": " + notation(first.segment()));
    }
    if (lastFlags != p.flags()) {
      throw fail(p, "flags " + TcpFlags.packetdrill(lastFlags) + ", expected "
          + TcpFlags.packetdrill(p.flags()) + ": " + notation(first.segment()));
    }
    baseUs = (anyTime || t instanceof Timing.Window) ? actualUs : hi;
  }

  /**
   * Learns a flow's local ISN from the stack's SYN or SYN-ACK, and the ports from an active open.
   * A later SYN of a known flow written {@code 0:0(0)} starts a new incarnation (a fresh connect
   * from the same port, whose ISN the clock picks): the flow's numbers count from it. Written
   * with any other start, a SYN is checked against the numbers in force (a connect that took over
   * a TIME-WAIT entry starts at its SND.NXT + 65537).
   */
  private void learnFlow(ScriptLine.PacketLine p, Segment s) {
    boolean newIncarnation = !s.has(TcpFlags.ACK) && p.start() == 0 && localIsns.containsKey(flowPort(p));
    if (s.has(TcpFlags.SYN) && (p.flags() & TcpFlags.SYN) != 0
        && (newIncarnation || !localIsns.containsKey(flowPort(p)))) {
      if (!s.has(TcpFlags.ACK) && !p.hasRemotePort()) {
        localPort = s.srcPort();
        remotePort = s.dstPort();
      }
      localIsns.put(flowPort(p), s.seq() - (int) p.start());
    }
  }

  /** The remote's port of the flow {@code p} belongs to. */
  private int flowPort(ScriptLine.PacketLine p) {
    return p.hasRemotePort() ? (int) p.remotePort() : remotePort;
  }

  /** The local ISN of the flow whose remote end has {@code port}; 0 until the stack showed it. */
  private int localIsn(int port) {
    Integer isn = localIsns.get(port);
    return isn == null ? 0 : isn;
  }

  /**
   * Why {@code s} does not meet {@code p}, or null. For a first piece everything is compared; for
   * a later piece of a merged line the sequence number and length are checked by the caller.
   */
  private String mismatch(ScriptLine.PacketLine p, Segment s, boolean firstPiece) {
    if (s.srcAddr() != LOCAL_ADDRESS || s.dstAddr() != REMOTE_ADDRESS || s.srcPort() != localPort
        || s.dstPort() != flowPort(p)) {
      return "segment of another flow: " + Ipv4.format(s.srcAddr()) + ":" + s.srcPort() + " > "
          + Ipv4.format(s.dstAddr()) + ":" + s.dstPort();
    }
    int mergeable = TcpFlags.PSH | TcpFlags.FIN;
    boolean merging = !opt.strictSegments() && s.payloadLength() < p.length();
    int want = p.flags();
    int have = s.flags();
    if (merging || !firstPiece) {
      want &= ~mergeable;
      have &= ~mergeable;
    }
    if (want != have) {
      return "flags " + TcpFlags.packetdrill(s.flags()) + ", expected " + TcpFlags.packetdrill(p.flags());
    }
    if (firstPiece) {
      long seq = Integer.toUnsignedLong(s.seq() - localIsn(flowPort(p)));
      if (seq != p.start()) {
        return "sequence number " + seq + ", expected " + p.start();
      }
      if (!merging && s.payloadLength() != p.length()) {
        return "payload of " + s.payloadLength() + " bytes, expected " + p.length();
      }
      if (s.payloadLength() > p.length()) {
        return "payload of " + s.payloadLength() + " bytes, more than " + p.length();
      }
    }
    if (p.hasAck() && Integer.toUnsignedLong(s.ack()) != p.ack()) {
      return "ack " + Integer.toUnsignedLong(s.ack()) + ", expected " + p.ack();
    }
    if (s.urgentPointer() != p.urgentPointer()) {
      return "urgent pointer " + s.urgentPointer() + ", expected " + p.urgentPointer();
    }
    if (p.hasWindow() && s.window() != p.window()) {
      return "win " + s.window() + ", expected " + p.window();
    }
    return p.anyOptions() ? null : optionMismatch(p.options(), s.options(), flowPort(p));
  }

  private String optionMismatch(List<PacketOption> want, TcpOptions have, int flow) {
    if (want.size() != have.count()) {
      return "options <" + have.describe() + ">, expected <"
          + String.join(",", want.stream().map(Object::toString).toList()) + ">";
    }
    for (int i = 0; i < want.size(); i++) {
      PacketOption w = want.get(i);
      int kind = have.kind(i);
      String where = "option " + (i + 1) + " ";
      if (kind != kindOf(w)) {
        return where + "is " + kindName(kind) + ", expected " + w;
      }
      if (w instanceof PacketOption.Mss m && have.mss() != m.value()) {
        return where + "is mss " + have.mss() + ", expected " + w;
      }
      if (w instanceof PacketOption.WindowScale ws && have.windowScale() != ws.shift()) {
        return where + "is wscale " + have.windowScale() + ", expected " + w;
      }
      if (w instanceof PacketOption.Sack s) {
        boolean same = s.count() == have.sackBlockCount();
        for (int j = 0; same && j < s.count(); j++) {
          same = Integer.toUnsignedLong(have.sackStart(j)) == s.start(j)
              && Integer.toUnsignedLong(have.sackEnd(j)) == s.end(j);
        }
        if (!same) {
          return where + "is <" + have.describe() + ">, expected " + w;
        }
      }
      if (w instanceof PacketOption.Timestamp ts) {
        String m = timestampMismatch(ts, have.tsVal(), flow);
        if (m != null) {
          return where + m;
        }
      }
    }
    return null;
  }

  /**
   * TS val counts only with --tcp_ts_tick_usecs; the first one a flow shows sets its offset. The
   * kernel keys the offset on the 4-tuple (secure_tcp_seq_and_ts_off), so each flow has its own.
   */
  private String timestampMismatch(PacketOption.Timestamp ts, int actualVal, int flow) {
    Integer known = tsOffsets.get(flow);
    if (known == null) {
      tsOffsets.put(flow, actualVal - (int) ts.val());
      return null;
    }
    int offset = known;
    if (opt.tsTickUsecs() == 0) {
      return null;
    }
    long expected = Integer.toUnsignedLong((int) ts.val() + offset);
    long slack = opt.toleranceUsecs() / opt.tsTickUsecs() + 1;
    long diff = Math.abs(Integer.toUnsignedLong(actualVal) - expected);
    if (diff > slack) {
      return "has TS val " + Integer.toUnsignedLong(actualVal - offset) + " (script's clock), expected "
          + ts.val() + " within " + slack + " ticks";
    }
    return null;
  }

  /**
   * The offset between the script's TS clock and the stack's on flow {@code flow}: the flow's own
   * once it showed a TS val, else the first flow's (an echo on a flow that has sent nothing yet).
   */
  private int tsOffset(int flow) {
    Integer known = tsOffsets.get(flow);
    if (known != null) {
      return known;
    }
    return tsOffsets.isEmpty() ? 0 : tsOffsets.values().iterator().next();
  }

  private static int kindOf(PacketOption o) {
    if (o instanceof PacketOption.Nop) return TcpOptions.NOP;
    if (o instanceof PacketOption.Eol) return TcpOptions.EOL;
    if (o instanceof PacketOption.Mss) return TcpOptions.MSS;
    if (o instanceof PacketOption.WindowScale) return TcpOptions.WSCALE;
    if (o instanceof PacketOption.SackPermitted) return TcpOptions.SACK_PERMITTED;
    if (o instanceof PacketOption.Sack) return TcpOptions.SACK;
    return TcpOptions.TIMESTAMP;
  }

  private static String kindName(int kind) {
    return switch (kind) {
      case TcpOptions.NOP -> "nop";
      case TcpOptions.EOL -> "eol";
      case TcpOptions.MSS -> "mss";
      case TcpOptions.WSCALE -> "wscale";
      case TcpOptions.SACK_PERMITTED -> "sackOK";
      case TcpOptions.SACK -> "sack";
      case TcpOptions.TIMESTAMP -> "TS";
      default -> "kind " + kind;
    };
  }

  /** An outbound segment in script notation: sequence numbers relative to the local ISN. */
  private String notation(Segment s) {
    long start = Integer.toUnsignedLong(s.seq() - localIsn(s.dstPort()));
    StringBuilder b = new StringBuilder("> ").append(TcpFlags.packetdrill(s.flags())).append(' ')
        .append(start).append(':').append((start + s.payloadLength()) & 0xffffffffL)
        .append('(').append(s.payloadLength()).append(')');
    if (s.has(TcpFlags.ACK)) {
      b.append(" ack ").append(Integer.toUnsignedLong(s.ack()));
    }
    if (s.urgentPointer() != 0) {
      b.append(" urg ").append(s.urgentPointer());
    }
    b.append(" win ").append(s.window());
    if (!s.options().isEmpty()) {
      b.append(' ').append(s.options());
    }
    return b.toString();
  }

  // ---- system calls --------------------------------------------------------------------------

  private void syscall(ScriptLine.SyscallLine s) {
    long start = pointTime(s);
    advanceTo(s, start);
    boolean blocking = s.timing() instanceof Timing.Blocking;
    long end = start;
    if (s.timing() instanceof Timing.Blocking b) {
      end = b.end().relative() ? start + b.end().usecs() : b.end().usecs();
      if (end < start) {
        throw fail(s, "the call ends at " + us(end) + ", before it starts at " + us(start));
      }
      if (blockedLine != null) {
        throw fail(s, "one blocking call at a time: the call at line " + blockedLine.pos().line()
            + " has not returned");
      }
    }
    // A call's return is timed against its own duration, not the gap from the previous event.
    long tol = blocking ? Math.max(opt.toleranceUsecs(), percentOf(end - start)) : tolerance(end);
    SyscallOutcome out = backend.syscall(new SyscallRequest(s.name(), s.args(), s.pos()));
    if (out instanceof SyscallOutcome.Unsupported u) {
      throw new Stop(new ScriptResult.Unsupported(script.file(), s.pos().line(), u.feature()));
    }
    if (out instanceof SyscallOutcome.Returned r) {
      if (blocking && end - start > tol) {
        throw fail(s, s.name() + "() returned at once, expected it to block until " + us(end));
      }
      checkResult(s, r.result());
    } else if (blocking) {
      blockedLine = s;
      blockedEndUs = end;
      blockedTolUs = tol;
    } else {
      if (nanos(start + tol) > backend.nowNanos()) {
        backend.advanceTo(nanos(start + tol));
      }
      SyscallCompletion c = backend.takeCompletion();
      if (c == null) {
        throw fail(s, s.name() + "() blocked; the script expects it to return at once (write T...E"
            + " for a blocking call)");
      }
      checkResult(s, c.result());
    }
    baseUs = start;
  }

  private void checkResult(ScriptLine.SyscallLine s, SyscallResult r) {
    if (s.result() instanceof Expr.IntLit want && want.value() != r.ret()) {
      throw fail(s, s.name() + "() returned " + r.ret() + (r.errno() == null ? "" : " " + r.errno())
          + ", expected " + want.value() + (s.errno() == null ? "" : " " + s.errno()));
    }
    String wantErrno = s.errno();
    if (wantErrno == null ? r.errno() != null && r.ret() < 0 : !wantErrno.equals(r.errno())) {
      throw fail(s, s.name() + "() failed with " + (r.errno() == null ? "no errno" : r.errno())
          + ", expected " + (wantErrno == null ? "no errno" : wantErrno));
    }
    for (int i = 0; i < s.args().size(); i++) {
      Expr a = s.args().get(i);
      Long got = r.intPointers().get(i);
      if (got != null && a instanceof Expr.Array arr && arr.elements().size() == 1
          && arr.elements().get(0) instanceof Expr.IntLit v && v.value() != got) {
        throw fail(s, s.name() + "() left [" + got + "] in argument " + (i + 1) + ", expected ["
            + v.value() + "]");
      }
    }
    if (r.ret() >= 0 && (s.name().equals("socket") || s.name().equals("accept"))) {
      socketUnderTest = (int) r.ret();
    } else if (!s.args().isEmpty() && s.args().get(0) instanceof Expr.IntLit fd
        && !s.name().startsWith("epoll")) {
      socketUnderTest = (int) fd.value();
    }
  }

  // ---- commands and assertions ---------------------------------------------------------------

  private void command(ScriptLine.CommandLine line, Command cmd) {
    if (cmd instanceof Command.Defaults) {
      // A setting the stack does not model is taken as its fixed behaviour here, or no script
      // starting with defaults.sh could run; a sysctl line of the script's own must be modelled.
      for (String[] kv : DEFAULT_SYSCTLS) {
        backend.setSysctl(kv[0], kv[1]);
      }
      backend.setQueueDropsAll(false);
    } else if (cmd instanceof Command.SetSysctl s) {
      setSysctl(line, s.name(), s.value());
    } else if (cmd instanceof Command.QueueDropsAll) {
      backend.setQueueDropsAll(true);
    } else if (cmd instanceof Command.SocketStateCheck c) {
      if (!backend.socketMatches(c.state(), c.port())) {
        throw fail(line, "`" + c.text() + "` failed: no socket in state " + c.state() + " on port "
            + c.port());
      }
    }
  }

  private void setSysctl(ScriptLine line, String name, String value) {
    if (!backend.setSysctl(name, value)) {
      throw new Stop(new ScriptResult.Unsupported(script.file(), line.pos().line(), "sysctl " + name));
    }
  }

  private void evaluate(ScriptLine.AssertBlock block, Map<String, Long> info) {
    for (Assertion a : block.assertions()) {
      long[] values = new long[a.operands().size()];
      for (int i = 0; i < values.length; i++) {
        Assertion.Operand o = a.operands().get(i);
        if (o instanceof Assertion.Operand.Int n) {
          values[i] = n.value();
        } else {
          String name = ((Assertion.Operand.Field) o).name();
          Long v = info == null ? null : info.get(name);
          if (v == null) {
            throw new Stop(new ScriptResult.Unsupported(script.file(), block.pos().line(),
                "TCP_INFO field " + name));
          }
          values[i] = v;
        }
      }
      for (int i = 0; i < a.operators().size(); i++) {
        if (!a.operators().get(i).holds(values[i], values[i + 1])) {
          StringBuilder got = new StringBuilder();
          for (int j = 0; j < values.length; j++) {
            if (a.operands().get(j) instanceof Assertion.Operand.Field f) {
              got.append(got.length() == 0 ? "" : ", ").append(f.name()).append(" = ").append(values[j]);
            }
          }
          throw new Stop(new ScriptResult.Fail(script.file(), a.pos().line(), "assertion failed: " + a
              + " (" + got + ")", Nanos.micros(assertUs.get(assertBlocks.indexOf(block)))));
        }
      }
    }
  }

  private Stop fail(ScriptLine line, String message) {
    return new Stop(new ScriptResult.Fail(script.file(), line.pos().line(), message, scriptNow()));
  }

  private static String us(long usecs) {
    return Nanos.format(Nanos.micros(usecs));
  }
}
