package tcpsim.net.wire;

/** IPv4 addresses as an {@code int} in network order (the first octet in the high byte). */
public final class Ipv4 {
  private Ipv4() {}

  public static int parse(String dotted) {
    String[] p = dotted.split("\\.", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
    }
    int a = 0;
    for (String part : p) {
      int v;
      try {
        v = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
      }
      if (v < 0 || v > 255 || part.isEmpty() || (part.length() > 1 && part.charAt(0) == '0')) {
        throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
      }
      a = (a << 8) | v;
    }
    return a;
  }

  public static String format(int addr) {
    return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff)
        + "." + (addr & 0xff);
  }

  /** 127.0.0.0/8. */
  public static boolean isLoopback(int addr) {
    return (addr >>> 24) == 127;
  }
}
