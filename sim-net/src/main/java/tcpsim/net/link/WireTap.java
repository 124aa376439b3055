package tcpsim.net.link;

import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

/**
 * Sees every segment the network carries: what left a host, what arrived, what was lost and why.
 * Captures (pcap, tcpdump text), ladder diagrams and counters are taps. A tap only observes: it
 * must not schedule events or change the segment.
 *
 * <p>Link names are {@code "a->b"} with the host names at each end; a segment a host's stack
 * drops after delivery is reported with {@code link} null.
 */
public interface WireTap {
  /** {@code segment} left host {@code from}'s interface onto {@code link}, before any fault. */
  default void transmitted(long nowNanos, String link, Segment segment) {}

  /** {@code link} delivered {@code segment} to its far end (duplicates are delivered twice). */
  default void delivered(long nowNanos, String link, Segment segment) {}

  /** {@code segment} was lost on {@code link} (or, link null, dropped by the receiving stack). */
  default void dropped(long nowNanos, String link, Segment segment, DropReason reason) {}
}
