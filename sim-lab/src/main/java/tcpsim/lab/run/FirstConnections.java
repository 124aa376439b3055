package tcpsim.lab.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tcpsim.lab.report.LadderTap;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.WireTap;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * Passes to a {@link LadderTap} only the segments and state changes of the first {@code limit}
 * connections (counted by their first SYN), so a run of thousands of connections still draws a
 * ladder a reader can follow; the timeline and counters tell the rest. Each endpoint's lane is
 * named {@code host:port}.
 */
final class FirstConnections implements WireTap, TcpStack.StateObserver {
  private final LadderTap ladder;
  private final int limit;
  private final Map<Integer, String> hostByAddress = new HashMap<>(); // lookups only
  private final Set<String> tracked = new HashSet<>(); // membership only

  FirstConnections(LadderTap ladder, int limit, Network net) {
    this.ladder = ladder;
    this.limit = limit;
    for (Host h : net.hosts()) {
      hostByAddress.put(h.address(), h.name());
    }
  }

  private static String key(int addrA, int portA, int addrB, int portB) {
    long a = ((long) addrA << 16) | portA;
    long b = ((long) addrB << 16) | portB;
    return a < b ? a + "-" + b : b + "-" + a;
  }

  private boolean follows(Segment s) {
    String k = key(s.srcAddr(), s.srcPort(), s.dstAddr(), s.dstPort());
    if (tracked.contains(k)) {
      return true;
    }
    if (tracked.size() < limit && s.has(TcpFlags.SYN) && !s.has(TcpFlags.ACK)) {
      tracked.add(k);
      name(s.srcAddr(), s.srcPort());
      name(s.dstAddr(), s.dstPort());
      return true;
    }
    return false;
  }

  private void name(int addr, int port) {
    String host = hostByAddress.getOrDefault(addr, Ipv4.format(addr));
    ladder.name(Ipv4.format(addr), port, host + ":" + port);
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    if (follows(segment)) {
      ladder.transmitted(nowNanos, link, segment);
    }
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    if (tracked.contains(key(segment.srcAddr(), segment.srcPort(), segment.dstAddr(), segment.dstPort()))) {
      ladder.delivered(nowNanos, link, segment);
    }
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    if (tracked.contains(key(segment.srcAddr(), segment.srcPort(), segment.dstAddr(), segment.dstPort()))) {
      ladder.dropped(nowNanos, link, segment, reason);
    }
  }

  @Override
  public void stateChanged(long nowNanos, TcpConnection c, TcpState from, TcpState to, String cause) {
    if (tracked.contains(key(c.localAddress(), c.localPort(), c.remoteAddress(), c.remotePort()))) {
      ladder.stateChanged(nowNanos, c, from, to, cause);
    }
  }
}
