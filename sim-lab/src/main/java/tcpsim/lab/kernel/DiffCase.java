package tcpsim.lab.kernel;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.random.SimRandom;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.net.wire.TcpFlags;

/**
 * One generated teardown script of a differential campaign ({@link DiffFuzz}): an opening (a
 * passive open through a listener, or a non-blocking active open, with or without timestamps),
 * then a short random body of local calls (write, read, shutdown, close, SO_LINGER {1, 0},
 * poll, SO_ERROR, SIOCINQ/SIOCOUTQ, closing the listener), inbound segments and state probes,
 * then a last probe. The case depends on the run seed and its index only.
 *
 * <p>The peer's segments are chosen relative to what the script has done so far, as the generator
 * counts it (the peer's next sequence number, what the local stack has written and whether it sent
 * its FIN, the highest ACK the peer sent): in order, old, ahead, at and past the window's edges;
 * acknowledging nothing new, part, all, or data never sent, or older than the window; with FIN,
 * RST (with and without ACK) or SYN; timestamps in order, older than the last (PAWS), or far
 * ahead; window 0 now and then. The count is an estimate: a segment the stack refused still moves
 * it, which only makes the following segments land elsewhere.
 *
 * <p>Timing: the opening's ACK comes 30 ms after the SYN-ACK (or the SYN-ACK 30 ms after the SYN),
 * so the smoothed RTT is about 30 ms; the body's events are 0 or 1 ms apart (5 ms after an inbound
 * FIN, see {@link #AFTER_FIN_GAP_US}), 12 at most and no more once they span 15 ms, and the last
 * probe comes 5 ms after them. Every timer the body can start runs longer: a delayed ACK 40 ms
 * (TCP_DELACK_MIN, 36 to 40 ms on 4 ms ticks), a tail loss probe 2 * srtt + 2 ticks, the RTO
 * 200 ms at least. So on both stacks the body sees only what the segments and calls cause at once
 * (or at the next tick), and the kernel's timer jitter never shows.
 *
 * <p>With timers ({@code --timers}), the body is followed by a wait of {@link #TIMER_WAITS_US}
 * (one of them, drawn) with nothing else happening, then by up to {@link #MAX_TAIL_STEPS} more
 * steps; three cases in ten turn keepalive on before the body (1 s idle, probes 1 s apart, two of
 * them), so keepalive probes fall inside the longer waits. During the wait the timers the body started fire: delayed ACKs, the loss probe, the
 * retransmissions with their backoff, zero-window probes, the orphan's FIN retransmissions; what
 * they send is compared as the answers of the step before the wait. The waits fall between the
 * instants those timers fire after a body of 30 ms RTT (TLP about 70 ms, RTO about 230 ms, then
 * 460, 920, 1840 ms apart), so the jitter of a kernel timer does not decide which side of the wait's
 * end a segment falls on.
 */
final class DiffCase {
  /** A line of the script: the opening's lines are written as they are; the rest are steps. */
  enum Kind { OPENING, PACKET, CALL, PROBE }

  /** A line: the gap before it (us), what it is, and its text without time or expected result. */
  record Step(long gapUs, Kind kind, String text) {
    boolean outbound() {
      return text.startsWith(">");
    }

    /** An inbound segment with FIN, after which the next event waits {@link #AFTER_FIN_GAP_US}. */
    boolean inboundFin() {
      return kind == Kind.PACKET && text.matches("< [A-Z]*F.*");
    }

    /** Whether the runner makes it an event of the tap (all but expected segments). */
    boolean event() {
      return !outbound();
    }
  }

  static final long HANDSHAKE_GAP_US = 30_000;
  static final long LAST_PROBE_GAP_US = 5_000;
  static final int MIN_STEPS = 3;
  static final int MAX_STEPS = 12;
  /** The body stops growing past this span, well before a 36 ms delayed ACK can fire. */
  static final long MAX_BODY_US = 15_000;
  /**
   * The gap after an inbound FIN: before any data arrived the kernel ACKs a FIN from the
   * delayed-ACK timer armed for "jiffies + 0" (ato is 0: tcp_send_delayed_ack), at the next
   * tick, 0 to 4 ms later; the next event waits for it, or which event it answers would depend
   * on the tick's phase. 10 ms leaves room for a runner up to 4 ms late on the FIN (a late event
   * shortens the gap after it; later runs are tried when the runner was later than that).
   */
  static final long AFTER_FIN_GAP_US = 10_000;
  private static final String PROBE = "`ss -tan state established | grep -q ':8080'`";
  /**
   * The waits of a case with timers, each clear of the instants the body's timers fire (see the
   * class comment): after the loss probe, after the first RTO, after the second, after the third.
   */
  static final long[] TIMER_WAITS_US = {130_000, 420_000, 1_150_000, 2_600_000};
  /** The most steps after the wait of a case with timers. */
  static final int MAX_TAIL_STEPS = 3;
  /** How often a case with timers turns keepalive on first (1 s idle, 1 s apart, two probes). */
  static final int KEEPALIVE_PPM = 300_000;

  final long runSeed;
  final int index;
  /** Whether the body ends with a wait for the timers ({@code --timers}). */
  final boolean timers;
  final boolean active;
  final boolean timestamps;
  final List<Step> opening;
  final List<Step> body;

  private DiffCase(long runSeed, int index, boolean timers, boolean active, boolean timestamps,
      List<Step> opening, List<Step> body) {
    this.runSeed = runSeed;
    this.index = index;
    this.timers = timers;
    this.active = active;
    this.timestamps = timestamps;
    this.opening = List.copyOf(opening);
    this.body = List.copyOf(body);
  }

  /** Case {@code index} of the campaign with {@code runSeed}. */
  static DiffCase generate(long runSeed, int index) {
    return generate(runSeed, index, false);
  }

  /**
   * Case {@code index} of the campaign with {@code runSeed}; with {@code timers}, the body is the
   * same as without, then a wait for the timers and a short tail (a separate stream of draws, so
   * the bodies of a seed are the same in both modes).
   */
  static DiffCase generate(long runSeed, int index, boolean timers) {
    SimRandom r = new SimRandom(runSeed).split("diff-fuzz case " + index);
    boolean active = r.chancePpm(300_000);
    boolean ts = r.chancePpm(800_000);
    Generator g = new Generator(r, active, ts);
    List<Step> body = g.body();
    if (timers) {
      SimRandom t = new SimRandom(runSeed).split("diff-fuzz timers " + index);
      List<Step> timed = new ArrayList<>();
      if (t.chancePpm(KEEPALIVE_PPM)) {
        timed.addAll(keepalive(active ? 3 : 4));
      }
      timed.addAll(body);
      timed.add(new Step(TIMER_WAITS_US[t.nextInt(TIMER_WAITS_US.length)], Kind.PROBE, PROBE));
      timed.addAll(g.withRandom(t).tail(t.nextInt(MAX_TAIL_STEPS + 1)));
      body = timed;
    }
    return new DiffCase(runSeed, index, timers, active, ts, opening(active, ts), body);
  }

  /**
   * Keepalive after 1 s idle, then every second, two probes (SO_KEEPALIVE, TCP_KEEPIDLE,
   * TCP_KEEPINTVL, TCP_KEEPCNT): the probes fall about 1 and 2 s into a wait, clear of its end.
   */
  private static List<Step> keepalive(int fd) {
    List<Step> k = new ArrayList<>();
    k.add(new Step(0, Kind.CALL, "setsockopt(" + fd + ", SOL_SOCKET, SO_KEEPALIVE, [1], 4)"));
    k.add(new Step(0, Kind.CALL, "setsockopt(" + fd + ", SOL_TCP, TCP_KEEPIDLE, [1], 4)"));
    k.add(new Step(0, Kind.CALL, "setsockopt(" + fd + ", SOL_TCP, TCP_KEEPINTVL, [1], 4)"));
    k.add(new Step(0, Kind.CALL, "setsockopt(" + fd + ", SOL_TCP, TCP_KEEPCNT, [2], 4)"));
    return k;
  }

  /** This case without body step {@code i} (for shrinking). */
  DiffCase without(int i) {
    List<Step> b = new ArrayList<>(body);
    b.remove(i);
    return new DiffCase(runSeed, index, timers, active, timestamps, opening, b);
  }

  /** The script's name: "diff-fuzz seed 0x5eed case 17" (", with timers"). */
  String name() {
    return "diff-fuzz seed 0x" + Long.toHexString(runSeed) + " case " + index + (timers ? " with timers" : "");
  }

  /** The command that runs this case again. */
  String replayCommand() {
    return "./tcpsim pkt --diff-fuzz" + (timers ? " --timers" : "") + " --seed 0x" + Long.toHexString(runSeed)
        + " --case " + index;
  }

  /** The script as run: every call expects nothing ({@code = ...}), a probe after the body. */
  String script() {
    StringBuilder b = new StringBuilder("`../common/defaults.sh`\n");
    boolean first = true;
    for (Step s : all()) {
      b.append(time(s.gapUs(), first)).append(' ').append(s.text());
      b.append(s.kind() == Kind.CALL || s.kind() == Kind.OPENING && isCall(s.text()) ? " = ..." : "")
          .append('\n');
      first = false;
    }
    return b.toString();
  }

  /** Every line: the opening, the body and the last probe. */
  List<Step> all() {
    List<Step> all = new ArrayList<>(opening);
    all.addAll(body);
    boolean finLast = !body.isEmpty() && body.get(body.size() - 1).inboundFin();
    all.add(new Step(finLast ? AFTER_FIN_GAP_US : LAST_PROBE_GAP_US, Kind.PROBE, PROBE));
    return all;
  }

  /** The body's steps as the summary prints them, one a line. */
  String bodyListing() {
    StringBuilder b = new StringBuilder();
    for (Step s : body) {
      b.append("    ").append(time(s.gapUs(), false)).append(' ').append(s.text()).append('\n');
    }
    return b.toString();
  }

  /**
   * The script with what {@code events} (one backend's run of it, normally the kernel's) gave
   * written in as expectations: each call's result, each probe's states as {@code ss} checks, and
   * the segments sent after each body event as {@code >} lines at the same time. Run with
   * {@code tcpsim pkt --backend both}, it passes on that backend and shows where the other
   * departs. {@code header} lines are written first as comments.
   */
  String render(List<DiffTap.Event> events, List<String> header) {
    StringBuilder b = new StringBuilder();
    for (String h : header) {
      b.append("// ").append(h).append('\n');
    }
    b.append("`../common/defaults.sh`\n\n");
    int ev = 0;
    boolean first = true;
    List<Step> all = all();
    DiffTap.Event previous = null;
    long scriptUs = 0; // the step's time in the script
    long printedUs = 0; // the time of the last line written
    for (Step s : all) {
      scriptUs += s.gapUs();
      String time = time(scriptUs - printedUs, first);
      first = false;
      if (!s.event()) {
        b.append(time).append(' ').append(s.text()).append('\n');
        printedUs = scriptUs;
        continue;
      }
      DiffTap.Event e = ev < events.size() ? events.get(ev) : null;
      ev++;
      if (e == null) {
        b.append("// (the run ended before:) ").append(time).append(' ').append(s.text()).append('\n');
        continue;
      }
      List<DiffTap.Sent> answers = e.answers;
      if (s.kind() != Kind.OPENING && previous != null) {
        // What a timer sent before the event (a delayed ACK, a retransmission during a wait) goes
        // before it, at the time the run gave it, so the script runs as a spec. The event began
        // at its time in the script, or when the one before it returned if the runner was late.
        answers = new java.util.ArrayList<>(e.answers);
        long beganNanos = Math.max(previous.doneNanos, scriptUs * 1000);
        while (!answers.isEmpty() && answers.get(0).atNanos() < beganNanos - 1_000_000) {
          DiffTap.Sent sent = answers.remove(0);
          long atUs = Math.min(scriptUs, Math.max(printedUs, sent.atNanos() / 1_000_000 * 1000));
          b.append(time(atUs - printedUs, false)).append(' ').append(expected(sent)).append('\n');
          printedUs = atUs;
        }
        time = time(scriptUs - printedUs, false);
      }
      printedUs = scriptUs;
      previous = e;
      if (s.kind() == Kind.PROBE) {
        if (e.states == null || e.states.isEmpty()) {
          b.append("// ").append(time).append(" ss: no socket on port 8080\n");
        }
        for (String state : e.states == null ? new String[0] : e.states.split(" ")) {
          if (!state.isEmpty()) {
            b.append(time).append(" `ss -tan state ").append(state).append(" | grep -q ':8080'`\n");
            time = "+0";
          }
        }
      } else if (e.result != null) {
        b.append(time).append(' ').append(withResult(s.text(), e.result)).append('\n');
      } else {
        b.append(time).append(' ').append(s.text()).append('\n');
      }
      if (s.kind() != Kind.OPENING) {
        for (DiffTap.Sent sent : answers) {
          b.append("+0 ").append(expected(sent)).append('\n');
        }
      }
    }
    return b.toString();
  }

  /** A call line with its result written in: the value, errno, and what it left in pointers. */
  static String withResult(String call, SyscallResult r) {
    String text = call;
    Long v = r.intPointers().get(call.startsWith("ioctl") ? 2 : 3);
    if (v != null && (call.startsWith("getsockopt") || call.startsWith("ioctl"))) {
      text = text.replaceFirst("\\[0\\]", "[" + v + "]");
    }
    Long revents = r.intPointers().get(0);
    if (revents != null && call.startsWith("poll")) {
      text = text.replace("}]", ", revents=" + pollNames(revents) + "}]");
    }
    boolean failed = r.ret() < 0 && r.errno() != null && !r.errno().startsWith("(");
    return text + " = " + r.ret() + (failed ? " " + r.errno() : "");
  }

  /** An outbound line for a segment the stack sent: flags, numbers, ACK; options not pinned. */
  static String expected(DiffTap.Sent s) {
    String d = RecordingBackend.describe(s.segment(), s.base(), false);
    int win = d.indexOf(" win ");
    return "> " + (win < 0 ? d : d.substring(0, win)) + (s.segment().options().isEmpty() ? "" : " <...>");
  }

  private static final String[] POLL_NAMES = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP",
      "POLLNVAL"};

  /** POLLIN|POLLOUT|... for the bits a generated poll can see (the low six and POLLRDHUP). */
  static String pollNames(long mask) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < POLL_NAMES.length; i++) {
      if ((mask & (1L << i)) != 0) {
        b.append(b.length() == 0 ? "" : "|").append(POLL_NAMES[i]);
      }
    }
    if ((mask & 0x2000) != 0) {
      b.append(b.length() == 0 ? "" : "|").append("POLLRDHUP");
    }
    return b.length() == 0 ? "0" : b.toString();
  }

  private static boolean isCall(String text) {
    return !text.startsWith("<") && !text.startsWith(">") && !text.startsWith("`");
  }

  private static String time(long gapUs, boolean first) {
    if (first) {
      return "0";
    }
    if (gapUs == 0) {
      return "+0";
    }
    String s = String.format("%d.%06d", gapUs / 1_000_000, gapUs % 1_000_000).replaceAll("0+$", "");
    return "+" + (s.startsWith("0.") ? s.substring(1) : s);
  }

  private static List<Step> opening(boolean active, boolean ts) {
    List<Step> o = new ArrayList<>();
    if (active) {
      o.add(open("socket(..., SOCK_STREAM, IPPROTO_TCP)"));
      o.add(open("fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK)"));
      o.add(open("connect(3, ..., ...)"));
      o.add(open(ts ? "> S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>" : "> S 0:0(0) <...>"));
      o.add(new Step(HANDSHAKE_GAP_US, Kind.OPENING, ts
          ? "< S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 8>"
          : "< S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 8>"));
      o.add(open("> . 1:1(0) ack 1 <...>"));
    } else {
      o.add(open("socket(..., SOCK_STREAM, IPPROTO_TCP)"));
      o.add(open("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4)"));
      o.add(open("bind(3, ..., ...)"));
      o.add(open("listen(3, 1)"));
      o.add(open(ts ? "< S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>"
          : "< S 0:0(0) win 65535 <mss 1460,nop,wscale 8>"));
      o.add(open(ts ? "> S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>"
          : "> S. 0:0(0) ack 1 <...>"));
      o.add(new Step(HANDSHAKE_GAP_US, Kind.OPENING, ts
          ? "< . 1:1(0) ack 1 win 1050 <nop,nop,TS val 110 ecr 200>" : "< . 1:1(0) ack 1 win 1050"));
      o.add(open("accept(3, ..., ...)"));
      o.add(open("fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK)"));
    }
    return o;
  }

  private static Step open(String text) {
    return new Step(0, Kind.OPENING, text);
  }

  /** Draws a body, counting sequence numbers as it goes (see the class comment). */
  private static final class Generator {
    private SimRandom r;
    private final boolean active;
    private final boolean ts;
    private final int fd;
    /** The peer's next sequence number (its ISN is 0). */
    private long peerNxt = 1;
    /** The local stack's next sequence number as the script counts it, relative to its ISN. */
    private long localNxt = 1;
    /** The highest ACK the peer has sent. */
    private long peerAck = 1;
    private long tsVal;
    /** The echo of a value the local stack sent (the runner maps it to the real one). */
    private final long tsEcr;
    private boolean fdOpen = true;
    private boolean listenerOpen;
    private boolean finSent;
    private boolean peerFin;
    private boolean lingerZero;

    Generator(SimRandom r, boolean active, boolean ts) {
      this.r = r;
      this.active = active;
      this.ts = ts;
      this.fd = active ? 3 : 4;
      this.listenerOpen = !active;
      this.tsVal = active ? 700 : 110;
      this.tsEcr = active ? 100 : 200;
    }

    List<Step> body() {
      int n = MIN_STEPS + r.nextInt(MAX_STEPS - MIN_STEPS + 1);
      List<Step> steps = new ArrayList<>();
      long span = 0;
      boolean afterFin = false;
      for (int i = 0; i < n && span <= MAX_BODY_US; i++) {
        long gap = afterFin ? AFTER_FIN_GAP_US : r.chancePpm(800_000) ? 0 : 1000;
        span += gap;
        int roll = r.nextInt(100);
        Step s;
        if (roll < 8) {
          s = new Step(gap, Kind.PROBE, PROBE);
        } else if (fdOpen && roll < 55) {
          s = new Step(gap, Kind.CALL, call());
        } else {
          s = new Step(gap, Kind.PACKET, packet());
        }
        steps.add(s);
        afterFin = s.inboundFin();
      }
      return steps;
    }

    /** Draws from {@code other} from now on. */
    Generator withRandom(SimRandom other) {
      r = other;
      return this;
    }

    /** {@code n} steps after a wait, each 0 or 1 ms after the one before (5 ms after a FIN). */
    List<Step> tail(int n) {
      List<Step> steps = new ArrayList<>();
      boolean afterFin = false;
      for (int i = 0; i < n; i++) {
        long gap = afterFin ? AFTER_FIN_GAP_US : r.chancePpm(800_000) ? 0 : 1000;
        Step s = fdOpen && r.nextInt(100) < 50 ? new Step(gap, Kind.CALL, call()) : new Step(gap, Kind.PACKET, packet());
        steps.add(s);
        afterFin = s.inboundFin();
      }
      return steps;
    }

    private String call() {
      int roll = r.nextInt(100);
      if (lingerZero && roll < 60) {
        return close();
      }
      if (roll < 18) {
        long n = pick(1, 10, 100, 1000, 3000);
        if (!finSent) {
          localNxt += n;
        }
        return "write(" + fd + ", ..., " + n + ")";
      }
      if (roll < 32) {
        return "read(" + fd + ", ..., " + pick(1000, 1000, 5) + ")";
      }
      if (roll < 44) {
        int how = r.nextInt(3);
        if (how != 0) {
          fin();
        }
        return "shutdown(" + fd + ", " + new String[] {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"}[how] + ")";
      }
      if (roll < 55) {
        return close();
      }
      if (roll < 61) {
        lingerZero = true;
        return "setsockopt(" + fd + ", SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8)";
      }
      if (roll < 72) {
        return "poll([{fd=" + fd + ", events=POLLIN|POLLOUT|POLLRDHUP}], 1, 0)";
      }
      if (roll < 81) {
        return "getsockopt(" + fd + ", SOL_SOCKET, SO_ERROR, [0], [4])";
      }
      if (roll < 90) {
        return "ioctl(" + fd + ", " + (r.nextInt(2) == 0 ? "SIOCINQ" : "SIOCOUTQ") + ", [0])";
      }
      if (listenerOpen && roll < 95) {
        listenerOpen = false;
        return "close(3)";
      }
      return "read(" + fd + ", ..., 1000)";
    }

    private String close() {
      fdOpen = false;
      if (!lingerZero) {
        fin();
      }
      return "close(" + fd + ")";
    }

    private void fin() {
      if (!finSent) {
        finSent = true;
        localNxt++;
      }
    }

    private String packet() {
      int roll = r.nextInt(100);
      int flags;
      int length = 0;
      if (roll < 22) {
        flags = TcpFlags.ACK;
      } else if (roll < 44) {
        flags = TcpFlags.PSH | TcpFlags.ACK;
        length = (int) pick(1, 10, 100, 1000);
      } else if (roll < 62) {
        flags = TcpFlags.FIN | TcpFlags.ACK;
        length = r.nextInt(4) == 0 ? (int) pick(1, 10, 100) : 0;
        if (length > 0) {
          flags |= TcpFlags.PSH;
        }
      } else if (roll < 82) {
        flags = r.nextInt(2) == 0 ? TcpFlags.RST : TcpFlags.RST | TcpFlags.ACK;
      } else if (roll < 92) {
        return syn();
      } else {
        // data or a FIN that does not acknowledge anything
        flags = r.nextInt(2) == 0 ? TcpFlags.PSH : TcpFlags.FIN;
        length = flags == TcpFlags.PSH ? (int) pick(1, 10, 100) : 0;
      }
      long seq = seq();
      boolean inOrder = seq == peerNxt;
      StringBuilder b = new StringBuilder("< ").append(TcpFlags.packetdrill(flags)).append(' ')
          .append(u32(seq)).append(':').append(u32(seq + length)).append('(').append(length).append(')');
      if ((flags & TcpFlags.ACK) != 0) {
        long ack = ack();
        b.append(" ack ").append(u32(ack));
        if (ack > peerAck && ack <= localNxt) {
          peerAck = ack;
        }
      }
      b.append(" win ").append(r.chancePpm(900_000) ? 1050 : pick(0, 0, 1));
      if (ts && ((flags & TcpFlags.RST) == 0 || r.nextInt(2) == 0)) {
        b.append(" <nop,nop,TS val ").append(tsValue()).append(" ecr ").append(tsEcr).append('>');
      }
      if (inOrder && (flags & TcpFlags.RST) == 0) {
        peerNxt += length;
        if ((flags & TcpFlags.FIN) != 0 && !peerFin) {
          peerFin = true;
          peerNxt++;
        }
      }
      return b.toString();
    }

    private String syn() {
      long seq = pick(0, peerNxt, peerNxt + 1_000_000, peerNxt - 1);
      StringBuilder b = new StringBuilder("< S ").append(u32(seq)).append(':').append(u32(seq))
          .append("(0) win 65535 <mss 1460");
      if (ts) {
        b.append(",sackOK,TS val ").append(tsValue()).append(" ecr 0");
      }
      return b.append(",nop,wscale 8>").toString();
    }

    /** Mostly the peer's next number; else a retransmission, old, ahead, at the window's edges. */
    private long seq() {
      int roll = r.nextInt(100);
      if (roll < 60) {
        return peerNxt;
      }
      return peerNxt + pick(-1, -10, -1000, 1, 100, 65_535, 65_536, 131_072, 1 << 20, 1L << 30);
    }

    /** All, nothing new, part, data never sent, older than any window, or a random value. */
    private long ack() {
      int roll = r.nextInt(100);
      if (roll < 50) {
        return localNxt;
      }
      if (roll < 65) {
        return peerAck;
      }
      if (roll < 75 && localNxt - peerAck > 1) {
        return peerAck + 1 + r.nextLong(localNxt - peerAck - 1);
      }
      if (roll < 87) {
        return localNxt + pick(1, 100, 10_000);
      }
      if (roll < 95) {
        return peerAck - pick(1, 70_000, 1 << 20);
      }
      return r.nextLong(1L << 32);
    }

    /** In order (a few ticks on), older than the last one (PAWS), or far ahead. */
    private long tsValue() {
      int roll = r.nextInt(100);
      if (roll < 85) {
        tsVal += 1 + r.nextInt(5);
        return tsVal;
      }
      if (roll < 94) {
        return tsVal - 1 - r.nextInt(50);
      }
      tsVal += 1_000_000;
      return tsVal;
    }

    private long pick(long... values) {
      return values[r.nextInt(values.length)];
    }

    private static long u32(long v) {
      return v & 0xffffffffL;
    }
  }
}
