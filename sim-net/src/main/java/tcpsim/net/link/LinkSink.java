package tcpsim.net.link;

import tcpsim.net.wire.Segment;

/** The far end of a {@link Link}: the receiving host's interface. */
public interface LinkSink {
  /** Whether the far end takes segments now; a crashed host does not ({@code HOST_DOWN}). */
  boolean isUp();

  /**
   * {@code segment} arrives from {@code link}. A {@code corrupted} one fails the receiver's checksum:
   * the receiver counts it and drops it ({@code TCP_CSUM}) instead of passing it up.
   */
  void receive(long nowNanos, Link link, Segment segment, boolean corrupted);
}
