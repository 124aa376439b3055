package tcpsim.net.observe;

/**
 * The Internet checksum of RFC 1071: the ones'-complement of the ones'-complement sum of the data
 * taken as big-endian 16-bit words, an odd last byte padded with a zero byte on the right.
 *
 * <p>Sums are accumulated in a {@code long} and folded once at the end (RFC 1071 §2 (B),
 * "deferred carries"), so callers can add the IPv4 pseudo-header and the TCP segment in pieces.
 * Every piece but the last must have an even length, as the words would otherwise shift.
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /** Adds {@code length} bytes from {@code data[offset]} to the running sum {@code acc}. */
  public static long add(long acc, byte[] data, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; i + 1 < end; i += 2) {
      acc += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < end) {
      acc += (data[i] & 0xff) << 8;
    }
    return acc;
  }

  /** Adds one 16-bit word. */
  public static long addWord(long acc, int word) {
    return acc + (word & 0xffff);
  }

  /** Adds a 32-bit value as its two 16-bit words (an IPv4 address in the pseudo-header). */
  public static long addInt(long acc, int value) {
    return acc + ((value >>> 16) & 0xffff) + (value & 0xffff);
  }

  /** Folds the carries back in (end-around carry) and complements: the field's value. */
  public static int finish(long acc) {
    long s = acc;
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) (~s & 0xffff);
  }

  /** The checksum of one byte range. */
  public static int of(byte[] data, int offset, int length) {
    return finish(add(0, data, offset, length));
  }
}
