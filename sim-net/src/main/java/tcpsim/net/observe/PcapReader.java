package tcpsim.net.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a classic libpcap file's IPv4 packets: the files {@link PcapWriter} writes, and captures a
 * real kernel produced (tcpdump on a loopback or Ethernet interface), so both can be decoded with
 * {@link PacketDecoder} and compared.
 *
 * <p>Accepts the microsecond ({@code 0xa1b2c3d4}) and nanosecond ({@code 0xa1b23c4d}) magics in
 * either byte order, and the link types RAW (101), IPV4 (228), ETHERNET (1; loopback captures
 * use it with zero addresses) and LINUX_SLL (113, {@code tcpdump -i any}). Packets that are not
 * IPv4 (ARP, IPv6) are skipped. pcapng is not read.
 */
public final class PcapReader {
  public static final int LINKTYPE_ETHERNET = 1;
  public static final int LINKTYPE_LINUX_SLL = 113;
  public static final int LINKTYPE_IPV4 = 228;

  /** One captured IPv4 packet at its capture time. */
  public record Record(long timeNanos, byte[] packet) {}

  private PcapReader() {}

  /**
   * The IPv4 packets of a capture file's bytes, in file order.
   *
   * @throws PacketFormatException naming the byte offset in the file when the file is malformed
   */
  public static List<Record> read(byte[] file) {
    if (file.length < PcapWriter.FILE_HEADER_LENGTH) {
      throw new PacketFormatException(0, "pcap file of " + file.length
          + " bytes is shorter than its 24-byte header");
    }
    int magicBe = be32(file, 0);
    boolean bigEndian;
    boolean nanos;
    if (magicBe == 0xa1b2c3d4 || magicBe == PcapWriter.MAGIC_NANOS) {
      bigEndian = true;
      nanos = magicBe == PcapWriter.MAGIC_NANOS;
    } else if (Integer.reverseBytes(magicBe) == 0xa1b2c3d4
        || Integer.reverseBytes(magicBe) == PcapWriter.MAGIC_NANOS) {
      bigEndian = false;
      nanos = Integer.reverseBytes(magicBe) == PcapWriter.MAGIC_NANOS;
    } else {
      throw new PacketFormatException(0, String.format(
          "magic 0x%08x is not a classic pcap file (pcapng is not read)", magicBe));
    }
    int linkType = u32(file, 20, bigEndian) & 0x0fffffff; // high bits: FCS info
    int linkHeader = switch (linkType) {
      case PcapWriter.LINKTYPE_RAW, LINKTYPE_IPV4 -> 0;
      case LINKTYPE_ETHERNET -> 14;
      case LINKTYPE_LINUX_SLL -> 16;
      default -> throw new PacketFormatException(20, "link type " + linkType
          + " is not read (RAW 101, IPV4 228, ETHERNET 1, LINUX_SLL 113 are)");
    };
    List<Record> records = new ArrayList<>();
    int p = PcapWriter.FILE_HEADER_LENGTH;
    while (p < file.length) {
      if (file.length - p < PcapWriter.RECORD_HEADER_LENGTH) {
        throw new PacketFormatException(p, "truncated record header");
      }
      long sec = u32(file, p, bigEndian) & 0xffffffffL;
      long frac = u32(file, p + 4, bigEndian) & 0xffffffffL;
      int captured = u32(file, p + 8, bigEndian);
      if (captured < 0 || file.length - p - PcapWriter.RECORD_HEADER_LENGTH < captured) {
        throw new PacketFormatException(p + 8, "record claims " + captured
            + " bytes but the file ends sooner");
      }
      int data = p + PcapWriter.RECORD_HEADER_LENGTH;
      long time = sec * 1_000_000_000L + (nanos ? frac : frac * 1_000L);
      if (isIpv4(file, data, captured, linkType, linkHeader)) {
        records.add(new Record(time,
            Arrays.copyOfRange(file, data + linkHeader, data + captured)));
      }
      p = data + captured;
    }
    return records;
  }

  private static boolean isIpv4(byte[] f, int data, int captured, int linkType, int linkHeader) {
    if (captured <= linkHeader) {
      return false;
    }
    return switch (linkType) {
      case LINKTYPE_ETHERNET -> be16(f, data + 12) == 0x0800;
      case LINKTYPE_LINUX_SLL -> be16(f, data + 14) == 0x0800;
      default -> (f[data] & 0xf0) == 0x40;
    };
  }

  private static int be16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int be32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static int u32(byte[] b, int at, boolean bigEndian) {
    int v = be32(b, at);
    return bigEndian ? v : Integer.reverseBytes(v);
  }
}
