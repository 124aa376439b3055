package tcpsim.lab.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.net.link.WireTap;
import tcpsim.net.observe.TcpdumpFormatter;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;

/**
 * A {@link WireTap} that records each segment's journey for the ladder report: when it left, when
 * and whether it arrived, copies the network duplicated, and segments overtaken on their link.
 * Lanes are the endpoints (address and port) in the order they first appear.
 *
 * <p>Journeys are matched by segment identity: the network hands the same immutable
 * {@link Segment} to every tap call for one transmission. A copy delivered after the original is
 * a duplicate; a segment delivered while a later one from the same link had already arrived is
 * reordered. A segment the receiving stack drops after the link delivered it (link null) keeps
 * its arrival time and takes the drop reason. A segment dropped before reaching any link (no
 * route, host down) is drawn as lost at the moment it was sent.
 *
 * <p>Registered with each {@link TcpStack} as a state observer, it also records each
 * connection's state changes on the lane of the connection's local endpoint; listening sockets
 * are left out, since their lane is the accepted connections' lane too.
 *
 * <p>Caveats: segments still in flight when {@link #toBuilder} is called are left out (see
 * {@link #inFlight()}). Timers and counters are not seen here; add them to the builder this tap
 * returns.
 */
public final class LadderTap implements WireTap, TcpStack.StateObserver {
  /** A state change waiting for its lane's name. */
  private record Change(long atNanos, long endpoint, String from, String to, String cause) {}

  /** One transmission's journey; mutable while the segment is on its way. */
  private static final class Journey {
    final long sentNanos;
    final Segment segment;
    final String link;
    final long index;
    final boolean duplicate;
    long endNanos = -1;
    String dropReason;
    boolean reordered;

    Journey(long sentNanos, Segment segment, String link, long index, boolean duplicate) {
      this.sentNanos = sentNanos;
      this.segment = segment;
      this.link = link;
      this.index = index;
      this.duplicate = duplicate;
    }
  }

  private final List<Journey> journeys = new ArrayList<>();
  private final IdentityHashMap<Segment, ArrayDeque<Journey>> open = new IdentityHashMap<>();
  private final IdentityHashMap<Segment, Journey> lastEnded = new IdentityHashMap<>();
  /** Per link: the highest transmit index delivered so far. Looked up only, never iterated. */
  private final Map<String, long[]> highestDelivered = new HashMap<>();
  private final Map<Long, String> laneNames = new LinkedHashMap<>();
  private final Map<Long, String> givenNames = new HashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private long transmitted;

  /** Gives the endpoint {@code address:port} the lane name {@code name} (e.g. "client"). */
  public LadderTap name(String address, int port, String name) {
    Checks.checkName("lane name", name);
    givenNames.put(key(Ipv4.parse(address), port), name);
    return this;
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    Journey j = new Journey(nowNanos, segment, link, transmitted++, false);
    journeys.add(j);
    open.computeIfAbsent(segment, s -> new ArrayDeque<>()).addLast(j);
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    Journey j = takeOpen(nowNanos, link, segment);
    j.endNanos = nowNanos;
    if (!j.duplicate) {
      long[] highest = highestDelivered.computeIfAbsent(String.valueOf(link), l -> new long[] {-1});
      if (j.index < highest[0]) {
        j.reordered = true; // a segment sent after it on this link arrived first
      } else {
        highest[0] = j.index;
      }
    }
    lastEnded.put(segment, j);
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    if (link == null) {
      Journey arrived = lastEnded.get(segment);
      if (arrived != null && arrived.dropReason == null) {
        arrived.dropReason = reason.name(); // the receiving stack dropped it after the link delivered it
        return;
      }
    }
    ArrayDeque<Journey> waiting = open.get(segment);
    Journey j;
    if (waiting == null && lastEnded.get(segment) == null) {
      // Dropped before any link took it (no route, host down): it never left.
      j = new Journey(nowNanos, segment, link, transmitted++, false);
      journeys.add(j);
    } else {
      j = takeOpen(nowNanos, link, segment);
    }
    j.endNanos = nowNanos;
    j.dropReason = reason.name();
    lastEnded.put(segment, j);
  }

  /** The open journey of {@code segment}, or a new duplicate journey when the original already ended. */
  private Journey takeOpen(long nowNanos, String link, Segment segment) {
    ArrayDeque<Journey> waiting = open.get(segment);
    if (waiting != null) {
      Journey j = waiting.pollFirst();
      if (waiting.isEmpty()) {
        open.remove(segment);
      }
      return j;
    }
    Journey original = lastEnded.get(segment);
    if (original == null) {
      throw new IllegalStateException("segment " + segment + " ended on " + link + " at " + nowNanos
          + " ns without being transmitted");
    }
    Journey copy = new Journey(original.sentNanos, segment, link, original.index, true);
    journeys.add(copy);
    return copy;
  }

  @Override
  public void stateChanged(long nowNanos, TcpConnection c, TcpState from, TcpState to, String cause) {
    if (from == TcpState.LISTEN || to == TcpState.LISTEN || c.remotePort() == 0) {
      return;
    }
    changes.add(new Change(nowNanos, key(c.localAddress(), c.localPort()), from.name(), to.name(),
        cause == null ? "" : cause));
  }

  /** Segments transmitted and not yet delivered or dropped. */
  public int inFlight() {
    int n = 0;
    for (Journey j : journeys) {
      n += j.endNanos < 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * A trace builder holding a lane per endpoint and every finished journey, in transmit order;
   * add state changes, timers, the timeline and counters, then build.
   */
  public RunTrace.Builder toBuilder(String title, long seed) {
    List<SegmentEvent> events = new ArrayList<>(journeys.size());
    for (Journey j : journeys) {
      if (j.endNanos < 0) {
        continue;
      }
      Segment s = j.segment;
      String from = lane(s.srcAddr(), s.srcPort());
      String to = lane(s.dstAddr(), s.dstPort());
      String line = TcpdumpFormatter.describe(s);
      String label = line.substring(line.indexOf(": ") + 2);
      events.add(new SegmentEvent(j.sentNanos, j.endNanos, from, to, label, s.seq(), s.payloadLength(), s.flags(),
          j.dropReason, j.duplicate, j.reordered));
    }
    List<StateChange> states = new ArrayList<>(changes.size());
    for (Change c : changes) {
      states.add(new StateChange(c.atNanos(), lane(c.endpoint()), c.from(), c.to(), c.cause()));
    }
    RunTrace.Builder b = RunTrace.builder(title, seed);
    for (Map.Entry<Long, String> lane : laneNames.entrySet()) {
      long k = lane.getKey();
      b.lane(lane.getValue(), Ipv4.format((int) (k >>> 16)), (int) (k & 0xffff));
    }
    for (SegmentEvent e : events) {
      b.segment(e);
    }
    for (StateChange c : states) {
      b.state(c.atNanos(), c.lane(), c.from(), c.to(), c.cause());
    }
    return b;
  }

  private String lane(int addr, int port) {
    return lane(key(addr, port));
  }

  private String lane(long k) {
    String name = laneNames.get(k);
    if (name == null) {
      name = givenNames.getOrDefault(k, Ipv4.format((int) (k >>> 16)) + ":" + (k & 0xffff));
      laneNames.put(k, name);
    }
    return name;
  }

  private static long key(int addr, int port) {
    return (Integer.toUnsignedLong(addr) << 16) | port;
  }
}
