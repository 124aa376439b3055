package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;
import static tcpsim.lab.report.Checks.checkTimes;

import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.TcpFlags;

/**
 * One segment's journey: sent by one lane at {@code sentNanos}, then either delivered to the
 * other lane at {@code endNanos} or dropped at {@code endNanos} for {@code dropReason}.
 *
 * <p>The label is the caller's tcpdump words for the segment (e.g. {@code Flags [F.], seq 101,
 * ack 1, win 502, length 0}); the report prints it as given. {@code seq}, {@code length} and
 * {@code flags} (a {@link TcpFlags} bitset) let the report recognise runs of bulk data and
 * collapse them.
 *
 * @param dropReason null when delivered; otherwise the reason's name, spelled like
 *     {@link DropReason} (e.g. {@code NETEM_LOSS})
 * @param duplicate the network delivered a copy of a segment it had already delivered
 * @param reordered the segment arrived after one sent later on the same path
 */
public record SegmentEvent(
    long sentNanos,
    long endNanos,
    String from,
    String to,
    String label,
    int seq,
    int length,
    int flags,
    String dropReason,
    boolean duplicate,
    boolean reordered) {

  public SegmentEvent {
    checkTimes("segment \"" + label + "\"", sentNanos, endNanos);
    checkName("segment sender lane", from);
    checkName("segment receiver lane", to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("segment \"" + label + "\" goes from lane " + from + " to itself");
    }
    if (label == null) {
      throw new IllegalArgumentException("segment label must not be null");
    }
    if (length < 0) {
      throw new IllegalArgumentException("segment \"" + label + "\": length " + length + " is negative");
    }
    if ((flags & ~0xff) != 0) {
      throw new IllegalArgumentException("segment \"" + label + "\": flags 0x" + Integer.toHexString(flags)
          + " have bits outside the TCP header's eight");
    }
    if (dropReason != null && dropReason.isBlank()) {
      throw new IllegalArgumentException("segment \"" + label + "\": a drop reason must not be blank");
    }
  }

  /** A segment that reached {@code to} at {@code arrivedNanos}. */
  public static SegmentEvent delivered(long sentNanos, long arrivedNanos, String from, String to,
      String label, int seq, int length, int flags) {
    return new SegmentEvent(sentNanos, arrivedNanos, from, to, label, seq, length, flags, null, false, false);
  }

  /** A segment lost at {@code droppedNanos} for {@code reason}. */
  public static SegmentEvent dropped(long sentNanos, long droppedNanos, String from, String to,
      String label, int seq, int length, int flags, DropReason reason) {
    return new SegmentEvent(sentNanos, droppedNanos, from, to, label, seq, length, flags,
        reason.name(), false, false);
  }

  /** The same segment, marked as a copy the network delivered twice. */
  public SegmentEvent asDuplicate() {
    return new SegmentEvent(sentNanos, endNanos, from, to, label, seq, length, flags, dropReason, true, reordered);
  }

  /** The same segment, marked as overtaken by a later one. */
  public SegmentEvent asReordered() {
    return new SegmentEvent(sentNanos, endNanos, from, to, label, seq, length, flags, dropReason, duplicate, true);
  }

  public boolean isDropped() {
    return dropReason != null;
  }

  /**
   * Plain bulk data or a pure acknowledgement: no SYN, FIN, RST, URG, ECE or CWR, delivered once
   * and in order. Only such segments fold into a collapsed band; anything else stays in view.
   */
  boolean isPlain() {
    return (flags & ~(TcpFlags.ACK | TcpFlags.PSH)) == 0 && !isDropped() && !duplicate && !reordered;
  }
}
