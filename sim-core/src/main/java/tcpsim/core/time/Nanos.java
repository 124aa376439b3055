package tcpsim.core.time;

/**
 * Virtual time is a {@code long} count of nanoseconds since the start of a run. It is passed in,
 * never fetched: nothing in the simulated world reads a wall clock.
 */
public final class Nanos {
  public static final long PER_MICRO = 1_000L;
  public static final long PER_MILLI = 1_000_000L;
  public static final long PER_SECOND = 1_000_000_000L;

  private Nanos() {}

  public static long micros(long us) {
    return Math.multiplyExact(us, PER_MICRO);
  }

  public static long millis(long ms) {
    return Math.multiplyExact(ms, PER_MILLI);
  }

  public static long seconds(long s) {
    return Math.multiplyExact(s, PER_SECOND);
  }

  /** Formats as seconds with microsecond digits, as tcpdump -tt does: {@code 12.004512s}. */
  public static String format(long nanos) {
    return formatSeconds(nanos) + "s";
  }

  /** {@code 12.004512}: seconds and microseconds, no unit (tcpdump's timestamp column). */
  public static String formatSeconds(long nanos) {
    long us = Math.floorDiv(nanos, PER_MICRO);
    String sign = us < 0 ? "-" : "";
    us = Math.abs(us);
    long s = us / 1_000_000L;
    long frac = us % 1_000_000L;
    String f = Long.toString(frac);
    return sign + s + "." + "000000".substring(f.length()) + f;
  }
}
