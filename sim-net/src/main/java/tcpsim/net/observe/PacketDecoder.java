package tcpsim.net.observe;

import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * Reads an IPv4 TCP packet back into a {@link Segment}, checking what a receiving host checks
 * before TCP sees the segment: the IPv4 version, header length, total length and header checksum
 * ({@code ip_rcv_core} in net/ipv4/ip_input.c), that it is not a fragment, and the TCP data
 * offset and checksum ({@code tcp_v4_rcv} -> {@code tcp_checksum_complete}). Any failure is a
 * {@link PacketFormatException} naming the field and its byte offset.
 *
 * <p>Options are read in wire order into {@link TcpOptions}, NOP and EOL included, as
 * {@code tcp_parse_options} (net/ipv4/tcp_input.c) walks them. Zero bytes that only pad the
 * option list to a 4-byte boundary are padding, not an EOL option; an EOL on a 4-byte boundary,
 * or followed by anything but padding, is kept. So {@code decode(encode(s))} gives {@code s}
 * back for every option list whose length is a multiple of 4 (all Linux sends) and for any list
 * that does not end in an EOL inside its last word.
 *
 * <p>Caveats: options tcpsim does not model (MD5, TCP-AO, MPTCP, Fast Open, experimental kinds)
 * are refused rather than skipped, because a {@link Segment} could not carry them; IPv4 options
 * are skipped; bytes after the IPv4 total length (link padding) are ignored.
 */
public final class PacketDecoder {
  private PacketDecoder() {}

  /** The segment of a packet filling the whole array. */
  public static Segment decode(byte[] packet) {
    return decodePacket(packet, 0, packet.length).segment();
  }

  /** The segment and IPv4 fields of the packet at {@code packet[offset, offset + length)}. */
  public static DecodedPacket decodePacket(byte[] packet, int offset, int length) {
    return decodePacket(packet, offset, length, true);
  }

  /**
   * As {@link #decodePacket(byte[], int, int)}, optionally without the TCP checksum check:
   * packets captured on a Linux sender before the NIC (loopback, or any device with checksum
   * offload, {@code CHECKSUM_PARTIAL}) carry only the pseudo-header sum in that field.
   */
  public static DecodedPacket decodePacket(byte[] packet, int offset, int length,
      boolean verifyTcpChecksum) {
    if (offset < 0 || length < 0 || packet.length - offset < length) {
      throw new IllegalArgumentException("range [" + offset + ", +" + length + ") is outside a "
          + packet.length + "-byte array");
    }
    int ip = offset;
    if (length < PacketEncoder.IP_HEADER_LENGTH) {
      throw new PacketFormatException(0, "packet of " + length
          + " bytes is shorter than an IPv4 header (20)");
    }
    int version = (packet[ip] & 0xff) >>> 4;
    if (version != 4) {
      throw new PacketFormatException(0, "IP version is " + version + ", not 4");
    }
    int ihl = (packet[ip] & 0x0f) * 4;
    if (ihl < PacketEncoder.IP_HEADER_LENGTH) {
      throw new PacketFormatException(0, "IHL says " + ihl + " header bytes; at least 20 needed");
    }
    int total = u16(packet, ip + 2);
    if (total < ihl || total > length) {
      throw new PacketFormatException(2, "total length " + total + " does not fit the "
          + length + " bytes captured with a " + ihl + "-byte header");
    }
    if (ihl > total) {
      throw new PacketFormatException(0, "IHL " + ihl + " exceeds total length " + total);
    }
    if (InternetChecksum.of(packet, ip, ihl) != 0) {
      throw new PacketFormatException(10, String.format("IPv4 header checksum 0x%04x is wrong",
          u16(packet, ip + 10)));
    }
    int fragment = u16(packet, ip + 6);
    if ((fragment & 0x3fff) != 0) {
      throw new PacketFormatException(6, "packet is a fragment (MF or offset set); "
          + "tcpsim does not reassemble");
    }
    int protocol = packet[ip + 9] & 0xff;
    if (protocol != PacketEncoder.PROTOCOL_TCP) {
      throw new PacketFormatException(9, "protocol is " + protocol + ", not TCP (6)");
    }
    int srcAddr = s32(packet, ip + 12);
    int dstAddr = s32(packet, ip + 16);

    int tcp = ip + ihl;
    int tcpLength = total - ihl;
    if (tcpLength < PacketEncoder.TCP_HEADER_LENGTH) {
      throw new PacketFormatException(ihl, "TCP segment of " + tcpLength
          + " bytes is shorter than a TCP header (20)");
    }
    int dataOffset = ((packet[tcp + 12] & 0xff) >>> 4) * 4;
    if (dataOffset < PacketEncoder.TCP_HEADER_LENGTH || dataOffset > tcpLength) {
      throw new PacketFormatException(ihl + 12, "TCP data offset says " + dataOffset
          + " header bytes in a " + tcpLength + "-byte segment");
    }
    if (verifyTcpChecksum
        && PacketEncoder.tcpChecksum(srcAddr, dstAddr, packet, tcp, tcpLength) != 0) {
      throw new PacketFormatException(ihl + 16, String.format("TCP checksum 0x%04x is wrong",
          u16(packet, tcp + 16)));
    }
    if ((packet[tcp + 12] & 0x0f) != 0) {
      // The AE (accurate ECN) and reserved bits: tcpsim's flags are the 8 classic bits.
      throw new PacketFormatException(ihl + 12, "reserved/AE bits are set; tcpsim models only "
          + "the 8 classic flags");
    }
    TcpOptions options = readOptions(packet, tcp + PacketEncoder.TCP_HEADER_LENGTH,
        dataOffset - PacketEncoder.TCP_HEADER_LENGTH, ihl + PacketEncoder.TCP_HEADER_LENGTH);
    int payloadLength = tcpLength - dataOffset;
    byte[] payload = null; // an empty segment carries none, as the stack builds it
    if (payloadLength > 0) {
      payload = new byte[payloadLength];
      System.arraycopy(packet, tcp + dataOffset, payload, 0, payloadLength);
    }
    Segment segment = new Segment(srcAddr, u16(packet, tcp), dstAddr, u16(packet, tcp + 2),
        s32(packet, tcp + 4), s32(packet, tcp + 8), packet[tcp + 13] & 0xff, u16(packet, tcp + 14),
        u16(packet, tcp + 18), options, payloadLength, payload);
    return new DecodedPacket(segment, u16(packet, ip + 4), packet[ip + 8] & 0xff,
        packet[ip + 1] & 0xff, (fragment & PacketEncoder.IP_DF) != 0);
  }

  private static TcpOptions readOptions(byte[] b, int start, int length, int reportBase) {
    if (length == 0) {
      return TcpOptions.NONE;
    }
    TcpOptions.Builder builder = TcpOptions.builder();
    int end = start + length;
    int p = start;
    while (p < end) {
      int kind = b[p] & 0xff;
      int at = reportBase + (p - start);
      if (kind == TcpOptions.EOL) {
        if (!isPadding(b, p, end, start)) {
          builder.eol();
        }
        break; // RFC 9293 §3.1: the end of the option list; the rest is padding
      }
      if (kind == TcpOptions.NOP) {
        builder.nop();
        p++;
        continue;
      }
      if (p + 1 >= end) {
        throw new PacketFormatException(at, "option kind " + kind + " has no length byte");
      }
      int len = b[p + 1] & 0xff;
      if (len < 2 || p + len > end) {
        throw new PacketFormatException(at + 1, "option kind " + kind + " has length " + len
            + " but " + (end - p) + " option bytes remain");
      }
      switch (kind) {
        case TcpOptions.MSS -> {
          expectLength(kind, len, 4, at);
          builder.mss(u16(b, p + 2));
        }
        case TcpOptions.WSCALE -> {
          expectLength(kind, len, 3, at);
          builder.windowScale(b[p + 2] & 0xff);
        }
        case TcpOptions.SACK_PERMITTED -> {
          expectLength(kind, len, 2, at);
          builder.sackPermitted();
        }
        case TcpOptions.SACK -> {
          int blocks = (len - 2) / 8;
          if ((len - 2) % 8 != 0 || blocks < 1 || blocks > 4) {
            throw new PacketFormatException(at + 1, "SACK option length " + len
                + " is not 2 + 8 per block for 1 to 4 blocks");
          }
          int[] pairs = new int[2 * blocks];
          for (int i = 0; i < pairs.length; i++) {
            pairs[i] = s32(b, p + 2 + 4 * i);
          }
          builder.sack(pairs);
        }
        case TcpOptions.TIMESTAMP -> {
          expectLength(kind, len, 10, at);
          builder.timestamp(s32(b, p + 2), s32(b, p + 6));
        }
        default -> throw new PacketFormatException(at, "option kind " + kind
            + " is not modelled by tcpsim (known: EOL, NOP, MSS, WSCALE, SACK_PERMITTED, SACK, "
            + "TIMESTAMP)");
      }
      p += len;
    }
    return builder.build();
  }

  /** Zero bytes from {@code p} to the end of a word that is the option list's last. */
  private static boolean isPadding(byte[] b, int p, int end, int start) {
    if ((p - start) % 4 == 0 || end - p >= 4) {
      return false;
    }
    for (int i = p; i < end; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void expectLength(int kind, int len, int expected, int at) {
    if (len != expected) {
      throw new PacketFormatException(at + 1, "option kind " + kind + " must have length "
          + expected + ", has " + len);
    }
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int s32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
