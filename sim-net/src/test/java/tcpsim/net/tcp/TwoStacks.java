package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.IpLayer;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * Two TCP stacks joined directly: what one outputs reaches the other's input after a fixed
 * one-way delay, unless a drop rule takes it. Every segment sent is recorded at its send time in
 * packetdrill-like notation: sequence numbers relative to the sender's ISN, acks relative to the
 * receiver's, timestamp values relative to each host's first one.
 */
public final class TwoStacks {
  public static final int A_ADDR = Ipv4.parse("192.168.0.1");
  public static final int B_ADDR = Ipv4.parse("192.0.2.1");

  public final Simulation sim;
  public final TcpStack a;
  public final TcpStack b;
  public final List<String> wire = new ArrayList<>();
  final List<Segment> segments = new ArrayList<>();
  public long oneWayNanos = Nanos.millis(10);
  /** Link rate in bits per second; 0 means segments take no time to serialize. */
  public long rateBitsPerSecond;
  private final long[] linkFreeAt = new long[2];
  private final List<Rule> rules = new ArrayList<>();
  /** Random faults, netem-style, in parts per million, the same both ways. */
  public int lossPpm;
  public int duplicatePpm;
  public int reorderPpm;
  private tcpsim.core.random.SimRandom[] faults;
  private final Integer[] isn = new Integer[2];
  private final Integer[] firstTs = new Integer[2];

  /** Drops segments matching {@code what} sent by {@code from} ("a" or "b"), {@code times} times. */
  private static final class Rule {
    final String from;
    final Predicate<Segment> what;
    int times;

    Rule(String from, Predicate<Segment> what, int times) {
      this.from = from;
      this.what = what;
      this.times = times;
    }
  }

  public TwoStacks(long seed) {
    this(seed, TcpSysctls.defaults(), TcpSysctls.defaults());
  }

  public TwoStacks(long seed, TcpSysctls aSysctls, TcpSysctls bSysctls) {
    this(seed, A_ADDR, B_ADDR, aSysctls, bSysctls);
  }

  /** Two stacks with the given addresses (loopback ones, say, for tcp_tw_reuse = 2). */
  public TwoStacks(long seed, int aAddr, int bAddr, TcpSysctls aSysctls, TcpSysctls bSysctls) {
    sim = new Simulation(seed);
    IpLayer aOut = seg -> send("a", 0, seg);
    IpLayer bOut = seg -> send("b", 1, seg);
    a = new TcpStack(sim, "a", aAddr, aOut, aSysctls);
    b = new TcpStack(sim, "b", bAddr, bOut, bSysctls);
  }

  /** Drops the next {@code times} segments from {@code from} that match. */
  public TwoStacks drop(String from, Predicate<Segment> what, int times) {
    rules.add(new Rule(from, what, times));
    return this;
  }

  /** Drops every segment from {@code from} that matches, from now on. */
  public TwoStacks dropAll(String from, Predicate<Segment> what) {
    return drop(from, what, Integer.MAX_VALUE);
  }

  public static Predicate<Segment> flags(int f) {
    return s -> s.flags() == f;
  }

  static Predicate<Segment> dataAt(int relativeSeq, TwoStacks t, String from) {
    return s -> s.payloadLength() > 0 && t.relSeq(from.equals("a") ? 0 : 1, s.seq()) == relativeSeq;
  }

  private void send(String from, int side, Segment seg) {
    if (seg.has(TcpFlags.SYN)) {
      isn[side] = seg.seq();
    }
    if (seg.options().hasTimestamp() && firstTs[side] == null) {
      firstTs[side] = seg.options().tsVal();
    }
    wire.add(Nanos.formatSeconds(sim.now()) + " " + from + " > " + describe(side, seg));
    segments.add(seg);
    for (Rule r : rules) {
      if (r.times > 0 && r.from.equals(from) && r.what.test(seg)) {
        r.times--;
        wire.set(wire.size() - 1, wire.get(wire.size() - 1) + " (dropped)");
        return;
      }
    }
    TcpStack to = side == 0 ? b : a;
    if (faults == null) {
      faults = new tcpsim.core.random.SimRandom[] {sim.random().split("link:a->b"),
          sim.random().split("link:b->a")};
    }
    tcpsim.core.random.SimRandom r = faults[side];
    if (r.chancePpm(lossPpm)) {
      wire.set(wire.size() - 1, wire.get(wire.size() - 1) + " (lost)");
      return;
    }
    if (r.chancePpm(reorderPpm)) {
      // A reordered segment skips the queue and the delay's last half.
      sim.scheduleAfter(oneWayNanos / 2, (now, arg) -> to.input(seg), 0);
      return;
    }
    if (r.chancePpm(duplicatePpm)) {
      sim.scheduleAfter(oneWayNanos + oneWayNanos / 4, (now, arg) -> to.input(seg), 0);
    }
    long departs = sim.now();
    if (rateBitsPerSecond > 0) {
      long start = Math.max(sim.now(), linkFreeAt[side]);
      departs = start + seg.wireLength() * 8L * 1_000_000_000L / rateBitsPerSecond;
      linkFreeAt[side] = departs;
    }
    sim.schedule(departs + oneWayNanos, (now, arg) -> to.input(seg), 0);
  }

  int relSeq(int side, int seq) {
    return isn[side] == null ? seq : seq - isn[side];
  }

  String describe(int side, Segment s) {
    int other = 1 - side;
    StringBuilder b = new StringBuilder();
    b.append(TcpFlags.packetdrill(s.flags())).append(' ');
    long seq = Integer.toUnsignedLong(relSeq(side, s.seq()));
    b.append(seq).append(':').append(seq + s.payloadLength()).append('(').append(s.payloadLength())
        .append(')');
    if (s.has(TcpFlags.ACK)) {
      b.append(" ack ").append(Integer.toUnsignedLong(relSeq(other, s.ack())));
    }
    b.append(" win ").append(s.window());
    TcpOptions o = s.options();
    if (!o.isEmpty()) {
      String d = o.describe();
      if (o.hasTimestamp()) {
        int val = o.tsVal() - (firstTs[side] == null ? 0 : firstTs[side]);
        int ecr = o.tsEcr() == 0 || firstTs[other] == null ? o.tsEcr() : o.tsEcr() - firstTs[other];
        d = d.replace("TS val " + Integer.toUnsignedString(o.tsVal()) + " ecr "
            + Integer.toUnsignedString(o.tsEcr()), "TS val " + val + " ecr " + ecr);
      }
      if (o.sackBlockCount() > 0) {
        StringBuilder sb = new StringBuilder("sack");
        StringBuilder abs = new StringBuilder("sack");
        for (int i = 0; i < o.sackBlockCount(); i++) {
          abs.append(' ').append(Integer.toUnsignedString(o.sackStart(i))).append(':')
              .append(Integer.toUnsignedString(o.sackEnd(i)));
          sb.append(' ').append(Integer.toUnsignedLong(relSeq(other, o.sackStart(i)))).append(':')
              .append(Integer.toUnsignedLong(relSeq(other, o.sackEnd(i))));
        }
        d = d.replace(abs.toString(), sb.toString());
      }
      b.append(" <").append(d).append('>');
    }
    return b.toString();
  }

  public void runFor(long nanos) {
    sim.runFor(nanos);
  }

  public void assertWire(String... expected) {
    assertEquals(String.join("\n", expected), String.join("\n", wire));
  }

  /** The wire lines with TS options cut away, for tests about numbers rather than options. */
  public List<String> wireWithoutOptions() {
    List<String> out = new ArrayList<>();
    for (String w : wire) {
      out.add(w.replaceAll(" <[^>]*>", ""));
    }
    return out;
  }

  /** Client a connects to server b listening on {@code port}; returns [client, server listener]. */
  TcpConnection[] listenAndConnect(int port) {
    TcpConnection l = b.socket();
    assertEquals(null, b.bind(l, port));
    assertEquals(null, b.listen(l, 128));
    TcpConnection c = a.socket();
    assertEquals(null, a.connect(c, b.address(), port));
    return new TcpConnection[] {c, l};
  }
}
