package tcpsim.net.observe;

import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * Lays a {@link Segment} out as the IPv4 packet Linux would put on the wire: a 20-byte IPv4
 * header (RFC 791 §3.1), the TCP header with its options (RFC 9293 §3.1) and the payload.
 *
 * <p>The IPv4 header is what {@code __ip_queue_xmit} (net/ipv4/ip_output.c) builds for a TCP
 * socket with default settings: version 4, IHL 5, TOS 0, DF set (the socket's
 * {@code IP_PMTUDISC_WANT}, as {@code net.ipv4.ip_no_pmtu_disc = 0}), TTL 64
 * ({@code net.ipv4.ip_default_ttl}), protocol 6, and the header checksum of RFC 1071. The IP ID
 * is the caller's (see {@link IpIdSequence}). The TCP options are written kind by kind in the
 * {@link TcpOptions} wire order, then zero-padded to a multiple of 4 (RFC 9293 §3.1, "the
 * header must be padded with zeros").
 *
 * <p>Payload bytes are the segment's own when it carries them; otherwise filler: the byte at
 * sequence number {@code n} is {@code 'a' + (n mod 26)}, so a retransmission carries the same
 * bytes as the original and a hex dump stays readable.
 *
 * <p>Differences from Linux: no IP options, no ECN codepoint in the TOS byte (tcpsim does not
 * model ECN marking), no GSO/TSO super-packets: every segment is one packet.
 */
public final class PacketEncoder {
  public static final int IP_HEADER_LENGTH = 20;
  public static final int TCP_HEADER_LENGTH = 20;
  /** {@code net.ipv4.ip_default_ttl} = 64 (IPDEFTTL in include/uapi/linux/ip.h). */
  public static final int TTL = 64;
  public static final int PROTOCOL_TCP = 6;
  /** The Don't Fragment bit in the flags/fragment-offset word (RFC 791 §3.1). */
  public static final int IP_DF = 0x4000;
  /** The largest IPv4 packet: total length is a 16-bit field. */
  public static final int MAX_PACKET_LENGTH = 0xffff;

  private PacketEncoder() {}

  /** The packet's length in bytes: headers, padded options and payload. */
  public static int packetLength(Segment s) {
    return IP_HEADER_LENGTH + tcpHeaderLength(s.options()) + s.payloadLength();
  }

  /** The TCP header's length with options padded to 4 bytes: data offset times 4. */
  public static int tcpHeaderLength(TcpOptions options) {
    return TCP_HEADER_LENGTH + ((options.byteLength() + 3) & ~3);
  }

  /** A new array holding the packet. */
  public static byte[] encode(Segment s, int ipId) {
    byte[] out = new byte[checkedLength(s)];
    encode(s, ipId, out, 0);
    return out;
  }

  /**
   * Writes the packet into {@code dst} from {@code offset} and returns its length.
   *
   * @throws IllegalArgumentException if the packet would exceed 65535 bytes, the IP ID is not a
   *     16-bit value, or {@code dst} is too small
   */
  public static int encode(Segment s, int ipId, byte[] dst, int offset) {
    if (ipId < 0 || ipId > 0xffff) {
      throw new IllegalArgumentException("IP ID must be a 16-bit value, was " + ipId);
    }
    int total = checkedLength(s);
    if (offset < 0 || dst.length - offset < total) {
      throw new IllegalArgumentException("buffer of " + dst.length + " bytes from offset " + offset
          + " cannot hold a " + total + "-byte packet");
    }
    int ip = offset;
    int tcp = ip + IP_HEADER_LENGTH;
    int tcpLength = total - IP_HEADER_LENGTH;
    int tcpHeader = tcpHeaderLength(s.options());

    // IPv4 header, RFC 791 §3.1.
    dst[ip] = 0x45; // version 4, IHL 5 words
    dst[ip + 1] = 0; // TOS
    putShort(dst, ip + 2, total);
    putShort(dst, ip + 4, ipId);
    putShort(dst, ip + 6, IP_DF); // DF, fragment offset 0
    dst[ip + 8] = (byte) TTL;
    dst[ip + 9] = (byte) PROTOCOL_TCP;
    putShort(dst, ip + 10, 0);
    putInt(dst, ip + 12, s.srcAddr());
    putInt(dst, ip + 16, s.dstAddr());
    putShort(dst, ip + 10, InternetChecksum.of(dst, ip, IP_HEADER_LENGTH));

    // TCP header, RFC 9293 §3.1.
    putShort(dst, tcp, s.srcPort());
    putShort(dst, tcp + 2, s.dstPort());
    putInt(dst, tcp + 4, s.seq());
    putInt(dst, tcp + 8, s.ack());
    dst[tcp + 12] = (byte) ((tcpHeader / 4) << 4);
    dst[tcp + 13] = (byte) s.flags();
    putShort(dst, tcp + 14, s.window());
    putShort(dst, tcp + 16, 0);
    putShort(dst, tcp + 18, s.urgentPointer());
    int end = writeOptions(s.options(), dst, tcp + TCP_HEADER_LENGTH);
    for (int i = end; i < tcp + tcpHeader; i++) {
      dst[i] = 0; // padding: zeros, which read as EOL
    }
    int data = tcp + tcpHeader;
    byte[] payload = s.payload();
    if (payload != null) {
      System.arraycopy(payload, 0, dst, data, payload.length);
    } else {
      for (int i = 0; i < s.payloadLength(); i++) {
        dst[data + i] = fillerByte(s.seq() + i);
      }
    }
    putShort(dst, tcp + 16, tcpChecksum(s.srcAddr(), s.dstAddr(), dst, tcp, tcpLength));
    return total;
  }

  /** The filler byte standing at sequence number {@code seq} when a segment keeps no payload. */
  public static byte fillerByte(int seq) {
    return (byte) ('a' + Integer.remainderUnsigned(seq, 26));
  }

  /**
   * The TCP checksum over the IPv4 pseudo-header (source, destination, zero, protocol, TCP
   * length; RFC 9293 §3.1) and the TCP header and data. With the checksum field holding the
   * right value, the result is 0.
   */
  static int tcpChecksum(int srcAddr, int dstAddr, byte[] buf, int tcpOffset, int tcpLength) {
    long acc = InternetChecksum.addInt(0, srcAddr);
    acc = InternetChecksum.addInt(acc, dstAddr);
    acc = InternetChecksum.addWord(acc, PROTOCOL_TCP);
    acc = InternetChecksum.addWord(acc, tcpLength);
    acc = InternetChecksum.add(acc, buf, tcpOffset, tcpLength);
    return InternetChecksum.finish(acc);
  }

  private static int checkedLength(Segment s) {
    int total = packetLength(s);
    if (total > MAX_PACKET_LENGTH) {
      throw new IllegalArgumentException("segment needs a " + total
          + "-byte IPv4 packet; total length is 16 bits (max 65535): " + s);
    }
    return total;
  }

  private static int writeOptions(TcpOptions o, byte[] dst, int at) {
    int p = at;
    for (int i = 0; i < o.count(); i++) {
      int kind = o.kind(i);
      switch (kind) {
        case TcpOptions.EOL, TcpOptions.NOP -> dst[p++] = (byte) kind;
        case TcpOptions.MSS -> {
          dst[p] = (byte) kind;
          dst[p + 1] = 4;
          putShort(dst, p + 2, o.mss());
          p += 4;
        }
        case TcpOptions.WSCALE -> {
          dst[p] = (byte) kind;
          dst[p + 1] = 3;
          dst[p + 2] = (byte) o.windowScale();
          p += 3;
        }
        case TcpOptions.SACK_PERMITTED -> {
          dst[p] = (byte) kind;
          dst[p + 1] = 2;
          p += 2;
        }
        case TcpOptions.SACK -> {
          int blocks = o.sackBlockCount();
          dst[p] = (byte) kind;
          dst[p + 1] = (byte) (2 + 8 * blocks);
          p += 2;
          for (int b = 0; b < blocks; b++) {
            putInt(dst, p, o.sackStart(b));
            putInt(dst, p + 4, o.sackEnd(b));
            p += 8;
          }
        }
        case TcpOptions.TIMESTAMP -> {
          dst[p] = (byte) kind;
          dst[p + 1] = 10;
          putInt(dst, p + 2, o.tsVal());
          putInt(dst, p + 6, o.tsEcr());
          p += 10;
        }
        default -> throw new IllegalArgumentException("option kind " + kind + " has no encoding");
      }
    }
    return p;
  }

  static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
