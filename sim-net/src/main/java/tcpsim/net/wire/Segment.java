package tcpsim.net.wire;

import java.util.Objects;

/**
 * One TCP segment on the wire, immutable (RFC 9293 §3.1). Addresses are IPv4 in an {@code int};
 * seq and ack are 32-bit sequence numbers in an {@code int} (see {@link SeqNum}); {@code window}
 * is the raw 16-bit header field, unscaled.
 *
 * <p>{@code payload} carries the bytes when the sender keeps content (tests that check a stream
 * end to end); otherwise it is null and only {@code payloadLength} counts. A segment is never
 * mutated after it is built, so links may deliver the same object twice (duplication).
 */
public record Segment(
    int srcAddr,
    int srcPort,
    int dstAddr,
    int dstPort,
    int seq,
    int ack,
    int flags,
    int window,
    int urgentPointer,
    TcpOptions options,
    int payloadLength,
    byte[] payload) {

  public Segment {
    checkPort(srcPort, "source port");
    checkPort(dstPort, "destination port");
    if ((flags & ~0xff) != 0) {
      throw new IllegalArgumentException("flags must fit 8 bits, were 0x" + Integer.toHexString(flags));
    }
    if (window < 0 || window > 0xffff) {
      throw new IllegalArgumentException("window must be a 16-bit field, was " + window);
    }
    if (urgentPointer < 0 || urgentPointer > 0xffff) {
      throw new IllegalArgumentException("urgent pointer must be 16 bits, was " + urgentPointer);
    }
    Objects.requireNonNull(options, "options");
    if (payloadLength < 0) {
      throw new IllegalArgumentException("payload length must be >= 0, was " + payloadLength);
    }
    if (payload != null && payload.length != payloadLength) {
      throw new IllegalArgumentException("payload has " + payload.length + " bytes but length says "
          + payloadLength);
    }
  }

  private static void checkPort(int port, String what) {
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException(what + " must be in [0, 65535], was " + port);
    }
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Sequence space the segment occupies: its payload plus one each for SYN and FIN. */
  public int seqLength() {
    return payloadLength + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
  }

  /** The sequence number just past this segment. */
  public int end() {
    return seq + seqLength();
  }

  /** Bytes of IPv4 + TCP headers and payload, as a capture would count them. */
  public int wireLength() {
    return 20 + 20 + ((options.byteLength() + 3) & ~3) + payloadLength;
  }

  /** The same segment with the payload bytes dropped (length kept). */
  public Segment withoutPayload() {
    return payload == null ? this : new Segment(srcAddr, srcPort, dstAddr, dstPort, seq, ack, flags,
        window, urgentPointer, options, payloadLength, null);
  }

  /** A short packetdrill-like form with absolute numbers, for messages and logs. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(Ipv4.format(srcAddr)).append(':').append(srcPort).append(" > ")
        .append(Ipv4.format(dstAddr)).append(':').append(dstPort).append(' ')
        .append(TcpFlags.packetdrill(flags)).append(' ')
        .append(SeqNum.toString(seq)).append(':').append(SeqNum.toString(seq + payloadLength))
        .append('(').append(payloadLength).append(')');
    if (has(TcpFlags.ACK)) {
      b.append(" ack ").append(SeqNum.toString(ack));
    }
    b.append(" win ").append(window);
    if (!options.isEmpty()) {
      b.append(' ').append(options);
    }
    return b.toString();
  }
}
