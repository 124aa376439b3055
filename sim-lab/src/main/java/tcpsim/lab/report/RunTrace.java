package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tcpsim.net.wire.DropReason;

/**
 * Everything the ladder report draws about one run, independent of how the run was produced.
 *
 * <p>Segments are kept in send order (a stable sort by send time, so ties keep the caller's
 * order); state changes and timers likewise by time. Every lane a record names must be one of
 * {@link #lanes()}.
 *
 * <p>Example, the first segment of a handshake:
 * <pre>{@code
 * RunTrace t = RunTrace.builder("handshake", 0x5eedL)
 *     .lane("client", "10.0.0.1", 40000).lane("server", "10.0.0.2", 80)
 *     .delivered(0, 10_000_000, "client", "server", "Flags [S], seq 0, win 64240, length 0", 0, 0, TcpFlags.SYN)
 *     .state(0, "client", "CLOSED", "SYN_SENT", "connect()")
 *     .build();
 * }</pre>
 */
public record RunTrace(
    String title,
    long seed,
    List<Lane> lanes,
    List<SegmentEvent> segments,
    List<StateChange> stateChanges,
    List<TimerSpan> timers,
    StateTimeline timeline,
    List<Counter> counters) {

  public RunTrace {
    checkName("trace title", title);
    lanes = List.copyOf(lanes);
    if (lanes.isEmpty()) {
      throw new IllegalArgumentException("trace \"" + title + "\" has no lanes");
    }
    Set<String> names = new HashSet<>();
    for (Lane l : lanes) {
      if (!names.add(l.name())) {
        throw new IllegalArgumentException("lane " + l.name() + " is listed twice");
      }
    }
    List<SegmentEvent> segs = new ArrayList<>(segments);
    segs.sort(Comparator.comparingLong(SegmentEvent::sentNanos));
    for (int i = 0; i < segs.size(); i++) {
      SegmentEvent s = segs.get(i);
      checkLane(names, s.from(), "segment " + i + " (\"" + s.label() + "\") sender");
      checkLane(names, s.to(), "segment " + i + " (\"" + s.label() + "\") receiver");
    }
    segments = List.copyOf(segs);
    List<StateChange> sc = new ArrayList<>(stateChanges);
    sc.sort(Comparator.comparingLong(StateChange::atNanos));
    for (StateChange c : sc) {
      checkLane(names, c.lane(), "state change " + c.from() + " -> " + c.to());
    }
    stateChanges = List.copyOf(sc);
    List<TimerSpan> ts = new ArrayList<>(timers);
    ts.sort(Comparator.comparingLong(TimerSpan::startNanos));
    for (TimerSpan t : ts) {
      checkLane(names, t.lane(), t.kind() + " timer");
    }
    timers = List.copyOf(ts);
    timeline = timeline == null ? StateTimeline.EMPTY : timeline;
    counters = List.copyOf(counters);
    Set<String> counterNames = new HashSet<>();
    for (Counter c : counters) {
      if (!counterNames.add(c.name())) {
        throw new IllegalArgumentException("counter " + c.name() + " is listed twice");
      }
    }
  }

  private static void checkLane(Set<String> lanes, String lane, String who) {
    if (!lanes.contains(lane)) {
      throw new IllegalArgumentException(who + " names lane \"" + lane + "\", which is not one of the trace's lanes");
    }
  }

  /** The last time anything in the trace happens. */
  public long endNanos() {
    long end = 0;
    for (SegmentEvent s : segments) {
      end = Math.max(end, s.endNanos());
    }
    for (StateChange c : stateChanges) {
      end = Math.max(end, c.atNanos());
    }
    for (TimerSpan t : timers) {
      end = Math.max(end, t.endNanos());
    }
    for (StateTimeline.Sample s : timeline.samples()) {
      end = Math.max(end, s.atNanos());
    }
    return end;
  }

  public static Builder builder(String title, long seed) {
    return new Builder(title, seed);
  }

  /** Collects a trace record by record; {@link #build()} checks it. */
  public static final class Builder {
    private final String title;
    private final long seed;
    private final List<Lane> lanes = new ArrayList<>();
    private final List<SegmentEvent> segments = new ArrayList<>();
    private final List<StateChange> states = new ArrayList<>();
    private final List<TimerSpan> timers = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();
    private StateTimeline timeline = StateTimeline.EMPTY;

    private Builder(String title, long seed) {
      this.title = title;
      this.seed = seed;
    }

    public Builder lane(String name, String address, int port) {
      lanes.add(new Lane(name, address, port));
      return this;
    }

    public Builder segment(SegmentEvent s) {
      segments.add(s);
      return this;
    }

    public Builder delivered(long sentNanos, long arrivedNanos, String from, String to, String label,
        int seq, int length, int flags) {
      return segment(SegmentEvent.delivered(sentNanos, arrivedNanos, from, to, label, seq, length, flags));
    }

    public Builder dropped(long sentNanos, long droppedNanos, String from, String to, String label,
        int seq, int length, int flags, DropReason reason) {
      return segment(SegmentEvent.dropped(sentNanos, droppedNanos, from, to, label, seq, length, flags, reason));
    }

    public Builder state(long atNanos, String lane, String from, String to, String cause) {
      states.add(new StateChange(atNanos, lane, from, to, cause));
      return this;
    }

    public Builder timer(TimerSpan t) {
      timers.add(t);
      return this;
    }

    public Builder timeline(StateTimeline t) {
      timeline = t;
      return this;
    }

    public Builder counter(String name, long value) {
      counters.add(new Counter(name, value));
      return this;
    }

    public RunTrace build() {
      return new RunTrace(title, seed, lanes, segments, states, timers, timeline, counters);
    }
  }
}
