package tcpsim.net.observe;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import tcpsim.net.link.WireTap;
import tcpsim.net.wire.Segment;

/**
 * Writes segments as a classic libpcap capture file that tcpdump, tshark and Wireshark read.
 *
 * <p>Format (pcap-savefile(5), draft-ietf-opsawg-pcap): a 24-byte file header, then per packet a
 * 16-byte record header and the packet bytes. tcpsim writes:
 * <ul>
 *   <li>magic {@code 0xa1b23c4d}: nanosecond timestamps, so virtual time is kept exactly (tcpdump
 *       prints microseconds unless asked with {@code --time-stamp-precision=nano});
 *   <li>big-endian byte order (readers accept either; the bytes do not depend on the machine);
 *   <li>version 2.4, thiszone 0, sigfigs 0, snaplen 262144;
 *   <li>link type {@code LINKTYPE_RAW} (101): each packet starts with its IPv4 header.
 * </ul>
 * Timestamps are the tap's virtual {@code nowNanos}: seconds and nanoseconds since the start of
 * the run (the capture says 1970-01-01 to a reader, which is fine for relative analysis).
 *
 * <p>As a {@link WireTap}, it records what its {@link CaptureFilter} takes: per link, the
 * {@code transmitted} (sender) or {@code delivered} (receiver) side; per host, both directions of
 * what the host's interface saw. Drops are not packets and leave no record (the sender-side
 * capture shows the lost segment; the receiver-side one does not). IP IDs come from an
 * {@link IpIdSequence} of this writer.
 *
 * <p>The same segments at the same times give the same bytes. Call {@link #close()} (or
 * {@link #flush()}) before reading the file.
 */
public final class PcapWriter implements WireTap, Closeable {
  public static final int MAGIC_NANOS = 0xa1b23c4d;
  public static final int VERSION_MAJOR = 2;
  public static final int VERSION_MINOR = 4;
  public static final int SNAPLEN = 262_144;
  /** LINKTYPE_RAW: raw IPv4/IPv6, no link-layer header. */
  public static final int LINKTYPE_RAW = 101;
  public static final int FILE_HEADER_LENGTH = 24;
  public static final int RECORD_HEADER_LENGTH = 16;

  private final OutputStream out;
  private final CaptureFilter filter;
  private final IpIdSequence ipIds = new IpIdSequence();
  private final byte[] record = new byte[RECORD_HEADER_LENGTH + PacketEncoder.MAX_PACKET_LENGTH];
  private long packets;
  private long lastNanos = Long.MIN_VALUE;
  private boolean closed;

  /** Writes the file header at once; the stream is owned (closed) by this writer. */
  public PcapWriter(OutputStream out, CaptureFilter filter) {
    this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16);
    this.filter = Objects.requireNonNull(filter, "filter");
    byte[] h = new byte[FILE_HEADER_LENGTH];
    PacketEncoder.putInt(h, 0, MAGIC_NANOS);
    PacketEncoder.putShort(h, 4, VERSION_MAJOR);
    PacketEncoder.putShort(h, 6, VERSION_MINOR);
    PacketEncoder.putInt(h, 8, 0); // thiszone: timestamps are UTC (here: virtual)
    PacketEncoder.putInt(h, 12, 0); // sigfigs
    PacketEncoder.putInt(h, 16, SNAPLEN);
    PacketEncoder.putInt(h, 20, LINKTYPE_RAW);
    writeBytes(h, h.length);
  }

  public CaptureFilter filter() {
    return filter;
  }

  /** Packets written so far. */
  public long packets() {
    return packets;
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    if (filter.takesTransmitted(link)) {
      write(nowNanos, segment);
    }
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    if (filter.takesDelivered(link)) {
      write(nowNanos, segment);
    }
  }

  /**
   * Appends one packet at virtual time {@code nowNanos}, whatever the filter says.
   *
   * @throws IllegalArgumentException if time is negative, goes backwards, or exceeds the 32-bit
   *     seconds field
   */
  public void write(long nowNanos, Segment segment) {
    if (closed) {
      throw new IllegalStateException("pcap writer is closed");
    }
    if (nowNanos < 0 || nowNanos / 1_000_000_000L > 0xffffffffL) {
      throw new IllegalArgumentException("capture time must be in [0, 2^32 s), was " + nowNanos
          + " ns");
    }
    if (nowNanos < lastNanos) {
      throw new IllegalArgumentException("capture time went backwards: " + nowNanos + " ns after "
          + lastNanos + " ns");
    }
    lastNanos = nowNanos;
    int length = PacketEncoder.encode(segment, ipIds.next(segment), record, RECORD_HEADER_LENGTH);
    PacketEncoder.putInt(record, 0, (int) (nowNanos / 1_000_000_000L));
    PacketEncoder.putInt(record, 4, (int) (nowNanos % 1_000_000_000L));
    PacketEncoder.putInt(record, 8, length); // captured length
    PacketEncoder.putInt(record, 12, length); // original length
    writeBytes(record, RECORD_HEADER_LENGTH + length);
    packets++;
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush pcap capture", e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close pcap capture", e);
    }
  }

  private void writeBytes(byte[] b, int length) {
    try {
      out.write(b, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pcap capture", e);
    }
  }
}
