package tcpsim.net.observe;

import java.util.HashMap;
import java.util.Map;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * Numbers the IPv4 identification field of captured segments the way Linux does for TCP, but
 * deterministically.
 *
 * <p>Linux: a connected TCP socket stamps {@code inet_sk(sk)->inet_id} and increments it per
 * packet ({@code ip_select_ident_segs}, include/net/ip.h); the value starts random
 * ({@code get_random_u16()} in {@code tcp_v4_connect} and {@code tcp_v4_syn_recv_sock}). A
 * SYN-ACK is sent from the request socket by {@code ip_build_and_send_pkt}, which sets DF and
 * ID 0. Here each direction of a connection (its 4-tuple) has a counter starting at a hash of the
 * 4-tuple, stepping by one per new segment, and a SYN-ACK gets 0.
 *
 * <p>A link may deliver the very same {@link Segment} object twice (duplication); when a flow's
 * last numbered segment is seen again, it keeps its number, as a duplicated packet keeps its ID.
 *
 * <p>Differences from Linux: RSTs for no socket and ACKs from TIME_WAIT go out through the
 * per-netns control socket with ID 0 ({@code ip_send_unicast_reply}); a capture cannot tell those
 * from the connection's own segments, so they get the next counter value. The start value is a
 * hash, not a random draw. Numbers belong to one sequence: two captures of one run with their
 * own sequences agree only if they saw the same segments of a flow.
 */
public final class IpIdSequence {
  private record Flow(int srcAddr, int srcPort, int dstAddr, int dstPort) {}

  private static final class Counter {
    int next;
    Segment last;
    int lastId;
  }

  // Looked up, never iterated: its order cannot leak into a capture.
  private final Map<Flow, Counter> flows = new HashMap<>();

  /** The IP ID for {@code s}. */
  public int next(Segment s) {
    if (s.has(TcpFlags.SYN) && s.has(TcpFlags.ACK)) {
      return 0; // ip_build_and_send_pkt: DF set, id 0
    }
    Flow key = new Flow(s.srcAddr(), s.srcPort(), s.dstAddr(), s.dstPort());
    Counter c = flows.get(key);
    if (c == null) {
      c = new Counter();
      c.next = startFor(key);
      flows.put(key, c);
    }
    if (c.last == s) {
      return c.lastId;
    }
    int id = c.next;
    c.next = (c.next + 1) & 0xffff;
    c.last = s;
    c.lastId = id;
    return id;
  }

  /** A fixed 16-bit mix of the 4-tuple, standing in for Linux's random start. */
  static int startFor(int srcAddr, int srcPort, int dstAddr, int dstPort) {
    long h = (((long) srcAddr) << 32) ^ (dstAddr & 0xffffffffL);
    h ^= ((long) srcPort << 16 | dstPort) * 0x9E3779B97F4A7C15L;
    // murmur3's fmix64: every input bit moves every output bit.
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) (h & 0xffff);
  }

  private static int startFor(Flow f) {
    return startFor(f.srcAddr(), f.srcPort(), f.dstAddr(), f.dstPort());
  }
}
