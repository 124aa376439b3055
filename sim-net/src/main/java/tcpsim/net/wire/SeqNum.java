package tcpsim.net.wire;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers live in an {@code int}
 * and wrap naturally; comparisons look at the signed difference, as the kernel's before()/after()
 * do, so they hold across the wrap for distances under 2^31.
 */
public final class SeqNum {
  private SeqNum() {}

  /** a < b in sequence space. */
  public static boolean lt(int a, int b) {
    return a - b < 0;
  }

  public static boolean le(int a, int b) {
    return a - b <= 0;
  }

  public static boolean gt(int a, int b) {
    return a - b > 0;
  }

  public static boolean ge(int a, int b) {
    return a - b >= 0;
  }

  /** low <= x < high, in sequence space. */
  public static boolean inWindow(int x, int low, int high) {
    return le(low, x) && lt(x, high);
  }

  /** How far {@code to} is past {@code from}, as a signed distance. */
  public static int distance(int from, int to) {
    return to - from;
  }

  public static int max(int a, int b) {
    return gt(a, b) ? a : b;
  }

  public static int min(int a, int b) {
    return lt(a, b) ? a : b;
  }

  /** The unsigned value, as tcpdump and packetdrill print it. */
  public static long unsigned(int seq) {
    return seq & 0xffffffffL;
  }

  public static String toString(int seq) {
    return Integer.toUnsignedString(seq);
  }
}
