package tcpsim.lab.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tcpsim.lab.script.ScriptBackend;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * Between the script runner and one backend in a differential run ({@link DiffFuzz}): writes down,
 * event by event (each injected segment, call and state probe of the script, in order), what the
 * event gave and which segments the stack sent in answer, so that two backends running the same
 * script can be compared event by event rather than as one stream.
 *
 * <p>Which event a segment answers: tcpsim's stack sends at once, so a segment belongs to the
 * event after which it was taken; one sent while time moved between two events (a timer) belongs
 * to the later event. The kernel sends from its own context, so its segments are placed by the
 * time stamp the kernel gave them: the first event that had returned by then (the kernel answers a
 * packet written into the tun, or a call, before the write or the call returns); one sent after
 * the last event's return and before the next event's belongs, again, to the later event.
 *
 * <p>The script expects nothing of its calls (fuzzed scripts write {@code = ...}): the runner is
 * told each call succeeded, while the real result is kept here. A state probe (any {@code ss}
 * line) asks the backend for every state ss names but {@code closed} (the kernel does not list a
 * socket in CLOSE) and passes; the states found are kept. A local SYN after the opening (the stack
 * took a new incarnation, whose ISN the script does not know) ends the comparison there.
 */
final class DiffTap implements ScriptBackend {
  /** How long a probe waits for kernel segments still on their way to the runner. */
  static final long GRACE_NANOS = 2_000_000;
  static final List<String> PROBED_STATES = List.of("listening", "syn-sent", "syn-recv",
      "established", "fin-wait-1", "fin-wait-2", "close-wait", "closing", "last-ack", "time-wait");

  /** What one event gave: a call's result, a probe's states, the stack's segments in answer. */
  static final class Event {
    final String what;
    /** The call's result, or null for a segment or a probe. */
    SyscallResult result;
    /** The states a probe found, space-separated ("" for none), or null for other events. */
    String states;
    long doneNanos;
    final List<Sent> answers = new ArrayList<>();

    Event(String what) {
      this.what = what;
    }

    /** The event and what it gave, as compared: "write(4, ..., 10) = 10". */
    String outcome() {
      if (result != null) {
        return what + " = " + RecordingBackend.result(result);
      }
      return states != null ? what + ": " + (states.isEmpty() ? "none" : states) : what;
    }
  }

  /**
   * A segment the stack sent, with the ISN of its flow as known when it was sent. A RST with
   * sequence number 0 answers a segment without ACK (RFC 9293 §3.10.7.1, tcp_v4_send_reset): its
   * number is no offset from the ISN, so it is written as it is.
   */
  record Sent(long atNanos, Segment segment, int isn) {
    int base() {
      return segment.has(TcpFlags.RST) && segment.seq() == 0 ? 0 : isn;
    }

    /**
     * As compared: without PSH. tcpsim sets it where a write or a TSO skb ends as the kernel's
     * autosizing would group the segments, but the kernel's grouping follows its own measured RTT,
     * which the runner's timing moves (see TcpConnection's differences from Linux).
     */
    String describe() {
      String d = RecordingBackend.describe(segment, base(), true);
      int sp = d.indexOf(' ');
      return "> " + d.substring(0, sp).replace("P", "") + d.substring(sp);
    }
  }

  private final ScriptBackend inner;
  private final boolean realTime;
  private final List<Event> events = new ArrayList<>();
  /** Real time: every segment the kernel sent, placed when the run is read. */
  private final List<Sent> stamped = new ArrayList<>();
  /** Segments taken while time moved, for the next event (simulated stack). */
  private final List<Sent> beforeNext = new ArrayList<>();
  /** Segments taken here that the runner has not asked for (it asks for the opening's). */
  private final ArrayDeque<TimedSegment> forRunner = new ArrayDeque<>();
  private int isn;

  /**
   * @param realTime the backend runs in real time (the kernel): segments are placed by their time
   *     stamps, and are taken only when the runner or a probe asks, so that the helper keeps its
   *     own timing of each event
   */
  DiffTap(ScriptBackend inner, boolean realTime) {
    this.inner = inner;
    this.realTime = realTime;
  }

  /** The events in script order, each with the segments that answered it. */
  List<Event> events() {
    if (realTime) {
      place();
    }
    return events;
  }

  /**
   * One line per event outcome and per segment, prefixed with the event's number: the list two
   * backends are compared on. It ends at a local SYN after the first (a new incarnation).
   */
  List<String> observations() {
    List<String> out = new ArrayList<>();
    boolean sawSyn = false;
    List<Event> all = events();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      out.add("#" + (i + 1) + " " + e.outcome());
      for (Sent s : e.answers) {
        out.add("#" + (i + 1) + " " + s.describe());
        if (s.segment().has(TcpFlags.SYN)) {
          if (sawSyn) {
            out.add("(a new incarnation: compared no further)");
            return out;
          }
          sawSyn = true;
        }
      }
    }
    return out;
  }

  /** Puts each kernel segment under the first event that had returned when it was sent. */
  private void place() {
    for (Event e : events) {
      e.answers.clear();
    }
    int next = 0;
    for (Sent s : stamped) {
      while (next < events.size() && events.get(next).doneNanos < s.atNanos()) {
        next++;
      }
      if (next < events.size()) {
        events.get(next).answers.add(s);
      }
    }
  }

  private Event begin(String what) {
    Event e = new Event(what);
    if (!realTime) {
      e.answers.addAll(beforeNext);
      beforeNext.clear();
    }
    events.add(e);
    return e;
  }

  private void end(Event e) {
    e.doneNanos = inner.nowNanos();
    if (!realTime) {
      take(e.doneNanos, e.answers);
    }
  }

  /** Takes every segment the stack has sent by {@code deadline} into {@code into}. */
  private void take(long deadlineNanos, List<Sent> into) {
    for (TimedSegment t = inner.awaitOutbound(deadlineNanos); t != null;
        t = inner.awaitOutbound(deadlineNanos)) {
      into.add(sent(t));
      forRunner.add(t);
    }
  }

  private Sent sent(TimedSegment t) {
    if (t.segment().has(TcpFlags.SYN)) {
      isn = t.segment().seq();
    }
    return new Sent(t.atNanos(), t.segment(), isn);
  }

  @Override
  public long nowNanos() {
    return inner.nowNanos();
  }

  @Override
  public void advanceTo(long nanos) {
    inner.advanceTo(nanos);
    if (!realTime) {
      take(nanos, beforeNext);
    }
  }

  @Override
  public TimedSegment awaitOutbound(long deadlineNanos) {
    if (!forRunner.isEmpty()) {
      return forRunner.poll();
    }
    TimedSegment t = inner.awaitOutbound(deadlineNanos);
    if (t != null) {
      (realTime ? stamped : beforeNext).add(sent(t));
    }
    return t;
  }

  @Override
  public void inject(Segment segment) {
    Event e = begin("< " + inbound(segment));
    inner.inject(segment);
    end(e);
  }

  /** An injected segment as the script wrote it: its ACK relative to the local ISN. */
  private String inbound(Segment s) {
    String d = RecordingBackend.describe(s, 0, false);
    if (!s.has(TcpFlags.ACK)) {
      return d;
    }
    int at = d.indexOf(" ack ") + 5;
    return d.substring(0, at) + Integer.toUnsignedLong(s.ack() - isn) + d.substring(d.indexOf(' ', at));
  }

  @Override
  public SyscallOutcome syscall(SyscallRequest call) {
    Event e = begin(call.name() + "(" + String.join(", ", call.args().stream().map(Object::toString)
        .toList()) + ")");
    SyscallOutcome o = inner.syscall(call);
    end(e);
    if (o instanceof SyscallOutcome.Returned r) {
      e.result = r.result();
      // The script expects nothing of a fuzzed call: the runner sees it succeed.
      return new SyscallOutcome.Returned(SyscallResult.ok(Math.max(0, r.result().ret())));
    }
    if (o instanceof SyscallOutcome.Blocked) {
      e.result = new SyscallResult(-1, "(blocked)", Map.of());
    }
    return o;
  }

  @Override
  public SyscallCompletion takeCompletion() {
    SyscallCompletion c = inner.takeCompletion();
    if (c != null) {
      Event e = begin("blocked call returned");
      e.result = c.result();
      end(e);
    }
    return c;
  }

  @Override
  public boolean setSysctl(String name, String value) {
    return inner.setSysctl(name, value);
  }

  @Override
  public void setQueueDropsAll(boolean dropAll) {
    inner.setQueueDropsAll(dropAll);
  }

  /** A probe: every state at {@code port}, whatever state the script named; always passes. */
  @Override
  public boolean socketMatches(String ssState, int port) {
    if (realTime) {
      long deadline = inner.nowNanos() + GRACE_NANOS;
      for (TimedSegment t = inner.awaitOutbound(deadline); t != null; t = inner.awaitOutbound(deadline)) {
        stamped.add(sent(t));
      }
    }
    Event e = begin("ss port " + port);
    StringBuilder found = new StringBuilder();
    for (String state : PROBED_STATES) {
      if (inner.socketMatches(state, port)) {
        found.append(found.length() == 0 ? "" : " ").append(state);
      }
    }
    e.states = found.toString();
    end(e);
    return true;
  }

  @Override
  public Map<String, Long> tcpInfo(int fd) {
    return inner.tcpInfo(fd);
  }
}
