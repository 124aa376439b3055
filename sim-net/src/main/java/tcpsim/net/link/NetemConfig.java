package tcpsim.net.link;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A one-way link's impairments, with netem's option names and meanings (tc-netem(8)). Parsed from
 * netem's own syntax or built with the {@code with...} methods:
 *
 * <pre>{@code
 * NetemConfig.parse("delay 10ms 2ms loss 1% duplicate 0.5% rate 10mbit limit 100")
 * NetemConfig.NONE.withDelay(Nanos.millis(10), Nanos.millis(2)).withLossPpm(10_000)
 * }</pre>
 *
 * <p>Probabilities are integer parts per million ({@code 1%} is 10,000 ppm); a percentage finer
 * than one ppm is refused rather than rounded. Times accept {@code ns, us, ms, s} (and tc's
 * spellings {@code usec, msec, sec, ...}); rates accept tc's units ({@code bit, kbit, mbit, gbit,
 * tbit}, the binary {@code kibit ...}, and bytes per second {@code bps, kbps, mbps ...}).
 *
 * <p>What each option does is modelled in {@link Link}:
 * <ul>
 *   <li>{@code delay TIME [JITTER]}: each segment waits TIME, or a uniform draw in
 *       [TIME - JITTER, TIME + JITTER) clamped at zero (netem's default without a distribution
 *       table).
 *   <li>{@code loss P%}: the segment is dropped ({@code NETEM_LOSS}).
 *   <li>{@code duplicate P%}: a second copy enters the link (itself subject to loss, corruption,
 *       reordering and its own jitter, but never duplicated again).
 *   <li>{@code reorder P% [gap N]}: with gap N (1 when unset, as tc sets it), after N-1 segments
 *       went the normal way, the next one is, with probability P, sent at once: it skips the
 *       delay and the rate queue, overtaking everything in flight. Like tc (iproute2's q_netem.c), the parser
 *       refuses reorder without a delay and gap without reorder.
 *   <li>{@code corrupt P%}: delivered, but the receiver drops it on checksum ({@code TCP_CSUM}).
 *   <li>{@code rate RATE}: each segment takes wireLength * 8 / RATE to serialize, one after another.
 *   <li>{@code limit N}: the most segments the link holds at once (default 1000, netem's); like
 *       netem's, it counts every segment waiting for its delay, not only those waiting to
 *       serialize; an arrival beyond it is tail-dropped ({@code QDISC_DROP}).
 * </ul>
 *
 * <p>Differences from netem: no correlation values, no distribution tables ({@code
 * distribution normal}), no Gilbert-Elliott or 4-state loss models, no ECN marking, no slot or
 * packet overhead options; each is refused by the parser with its name rather than ignored.
 */
public record NetemConfig(
    long delayNanos,
    long jitterNanos,
    int lossPpm,
    int duplicatePpm,
    int reorderPpm,
    int gap,
    int corruptPpm,
    long rateBitsPerSecond,
    int limit) {

  /** netem's default queue limit (tc-netem(8): "limit packets ... default 1000"). */
  public static final int DEFAULT_LIMIT = 1000;

  /** A perfect link: no delay, no loss, unlimited rate, netem's default limit. */
  public static final NetemConfig NONE = new NetemConfig(0, 0, 0, 0, 0, 0, 0, 0, DEFAULT_LIMIT);

  private static final int PPM = 1_000_000;
  private static final String KEYWORDS =
      "delay, loss (or drop), duplicate, reorder, gap, corrupt, rate, limit";
  private static final String TIME_UNITS = "ns, us, usec, usecs, ms, msec, msecs, s, sec, secs";
  private static final String RATE_UNITS = "bit, kbit, mbit, gbit, tbit, kibit, mibit, gibit, tibit"
      + " (bits/s) or bps, kbps, mbps, gbps, tbps, kibps, mibps, gibps, tibps (bytes/s)";

  public NetemConfig {
    checkNonNegative(delayNanos, "delay");
    checkNonNegative(jitterNanos, "jitter");
    checkPpm(lossPpm, "loss");
    checkPpm(duplicatePpm, "duplicate");
    checkPpm(reorderPpm, "reorder");
    checkPpm(corruptPpm, "corrupt");
    checkNonNegative(gap, "gap");
    checkNonNegative(rateBitsPerSecond, "rate");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0 segments, was " + limit);
    }
    if (reorderPpm > 0 && gap == 0) {
      gap = 1; // iproute2's q_netem.c: "if (reorder.probability && !opt.gap) opt.gap = 1"
    }
  }

  /** {@code delay TIME}, no jitter. */
  public NetemConfig withDelay(long delayNanos) {
    return withDelay(delayNanos, 0);
  }

  /** {@code delay TIME JITTER}. */
  public NetemConfig withDelay(long delayNanos, long jitterNanos) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, reorderPpm, gap,
        corruptPpm, rateBitsPerSecond, limit);
  }

  public NetemConfig withLossPpm(int ppm) {
    return new NetemConfig(delayNanos, jitterNanos, ppm, duplicatePpm, reorderPpm, gap, corruptPpm,
        rateBitsPerSecond, limit);
  }

  public NetemConfig withDuplicatePpm(int ppm) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, ppm, reorderPpm, gap, corruptPpm,
        rateBitsPerSecond, limit);
  }

  /** {@code reorder P%}; needs a delay before a link accepts it (tc's rule). */
  public NetemConfig withReorderPpm(int ppm) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, ppm, gap, corruptPpm,
        rateBitsPerSecond, limit);
  }

  public NetemConfig withGap(int gap) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, reorderPpm, gap,
        corruptPpm, rateBitsPerSecond, limit);
  }

  public NetemConfig withCorruptPpm(int ppm) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, reorderPpm, gap, ppm,
        rateBitsPerSecond, limit);
  }

  /** {@code rate RATE} in bits per second; 0 means unlimited. */
  public NetemConfig withRate(long bitsPerSecond) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, reorderPpm, gap,
        corruptPpm, bitsPerSecond, limit);
  }

  public NetemConfig withLimit(int segments) {
    return new NetemConfig(delayNanos, jitterNanos, lossPpm, duplicatePpm, reorderPpm, gap,
        corruptPpm, rateBitsPerSecond, segments);
  }

  /** Refuses a combination tc refuses; called when a link takes this configuration. */
  void checkUsable() {
    if (reorderPpm > 0 && delayNanos == 0) {
      throw new IllegalArgumentException(
          "netem: reorder needs a delay (tc: \"reordering not possible without specifying some delay\"): "
              + this);
    }
  }

  /** Nanoseconds to put {@code wireBytes} on the wire at this rate, rounded up; 0 if unlimited. */
  public long serializationNanos(int wireBytes) {
    if (rateBitsPerSecond == 0) {
      return 0;
    }
    long bits = wireBytes * 8L;
    // bits * 1e9 fits a long for any segment (< 2^20 bits) times 1e9 < 2^50.
    return (bits * 1_000_000_000L + rateBitsPerSecond - 1) / rateBitsPerSecond;
  }

  /**
   * Parses netem's option syntax, as after {@code tc qdisc add dev eth0 root netem}; a leading
   * {@code netem} is allowed. The empty string is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the bad token and the valid choices or units
   */
  public static NetemConfig parse(String text) {
    String[] tokens = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
    NetemConfig c = NONE;
    boolean gapSeen = false;
    boolean reorderSeen = false;
    int i = 0;
    if (tokens.length > 0 && tokens[0].equals("netem")) {
      i++;
    }
    while (i < tokens.length) {
      String key = tokens[i++];
      switch (key) {
        case "delay" -> {
          long delay = parseTime(need(tokens, i++, key), key);
          long jitter = 0;
          if (i < tokens.length && startsNumeric(tokens[i])) {
            jitter = parseTime(tokens[i++], "delay jitter");
            refuseCorrelation(tokens, i, key);
          }
          if (i + 1 < tokens.length && tokens[i].equals("distribution")) {
            throw new IllegalArgumentException("netem: 'distribution " + tokens[i + 1]
                + "' is not modelled: jitter is uniform, as netem's without a table");
          }
          c = c.withDelay(delay, jitter);
        }
        case "loss", "drop" -> {
          if (i < tokens.length && tokens[i].equals("random")) {
            i++;
          } else if (i < tokens.length && (tokens[i].equals("state") || tokens[i].equals("gemodel"))) {
            throw new IllegalArgumentException("netem: 'loss " + tokens[i]
                + "' is not modelled; only 'loss [random] P%' is");
          }
          c = c.withLossPpm(parsePercent(need(tokens, i++, key), key));
          refuseCorrelation(tokens, i, key);
        }
        case "duplicate" -> {
          c = c.withDuplicatePpm(parsePercent(need(tokens, i++, key), key));
          refuseCorrelation(tokens, i, key);
        }
        case "reorder" -> {
          c = c.withReorderPpm(parsePercent(need(tokens, i++, key), key));
          reorderSeen = true;
          refuseCorrelation(tokens, i, key);
        }
        case "gap" -> {
          c = c.withGap(parseCount(need(tokens, i++, key), key));
          gapSeen = true;
        }
        case "corrupt" -> {
          c = c.withCorruptPpm(parsePercent(need(tokens, i++, key), key));
          refuseCorrelation(tokens, i, key);
        }
        case "rate" -> {
          c = c.withRate(parseRate(need(tokens, i++, key)));
          if (i < tokens.length && startsNumeric(tokens[i])) {
            throw new IllegalArgumentException("netem: rate packet overhead '" + tokens[i]
                + "' is not modelled; write 'rate RATE' alone");
          }
        }
        case "limit" -> c = c.withLimit(parseCount(need(tokens, i++, key), key));
        default -> throw new IllegalArgumentException(
            "netem: unknown option '" + key + "'; valid options are " + KEYWORDS);
      }
    }
    if (gapSeen && !reorderSeen) {
      throw new IllegalArgumentException(
          "netem: 'gap' needs 'reorder P%' (tc: gap specified without reorder probability)");
    }
    if (c.reorderPpm > 0 && c.delayNanos == 0) {
      throw new IllegalArgumentException(
          "netem: 'reorder' needs a delay (tc: reordering not possible without specifying some delay)");
    }
    return c;
  }

  /** netem's own syntax, which {@link #parse} reads back to an equal configuration. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (delayNanos > 0 || jitterNanos > 0) {
      b.append(" delay ").append(formatTime(delayNanos));
      if (jitterNanos > 0) {
        b.append(' ').append(formatTime(jitterNanos));
      }
    }
    appendPercent(b, "loss", lossPpm);
    appendPercent(b, "duplicate", duplicatePpm);
    appendPercent(b, "reorder", reorderPpm);
    if (reorderPpm > 0 && gap > 1) {
      b.append(" gap ").append(gap);
    }
    appendPercent(b, "corrupt", corruptPpm);
    if (rateBitsPerSecond > 0) {
      b.append(" rate ").append(formatRate(rateBitsPerSecond));
    }
    if (limit != DEFAULT_LIMIT) {
      b.append(" limit ").append(limit);
    }
    return b.length() == 0 ? "" : b.substring(1);
  }

  private static void appendPercent(StringBuilder b, String name, int ppm) {
    if (ppm > 0) {
      b.append(' ').append(name).append(' ')
          .append(BigDecimal.valueOf(ppm, 4).stripTrailingZeros().toPlainString()).append('%');
    }
  }

  private static String formatTime(long nanos) {
    if (nanos == 0) {
      return "0ms";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }

  private static String formatRate(long bps) {
    String[] units = {"bit", "kbit", "mbit", "gbit", "tbit"};
    int u = 0;
    while (u < units.length - 1 && bps % 1000 == 0) {
      bps /= 1000;
      u++;
    }
    return bps + units[u];
  }

  private static String need(String[] tokens, int i, String key) {
    if (i >= tokens.length) {
      throw new IllegalArgumentException("netem: '" + key + "' needs a value");
    }
    return tokens[i];
  }

  private static boolean startsNumeric(String token) {
    return !token.isEmpty() && (Character.isDigit(token.charAt(0)) || token.charAt(0) == '.');
  }

  private static void refuseCorrelation(String[] tokens, int i, String key) {
    if (i < tokens.length && startsNumeric(tokens[i])) {
      throw new IllegalArgumentException("netem: correlation '" + tokens[i] + "' after '" + key
          + "' is not modelled; every draw is independent");
    }
  }

  /** tc's get_time: a decimal number and a unit; tc reads a bare number as microseconds, we refuse it. */
  static long parseTime(String token, String what) {
    int u = unitStart(token);
    String unit = token.substring(u).toLowerCase(Locale.ROOT);
    long scale = switch (unit) {
      case "ns", "nsec", "nsecs" -> 1L;
      case "us", "usec", "usecs" -> 1_000L;
      case "ms", "msec", "msecs" -> 1_000_000L;
      case "s", "sec", "secs" -> 1_000_000_000L;
      default -> throw new IllegalArgumentException("netem: bad time '" + token + "' for '" + what
          + "': write a number and a unit, one of " + TIME_UNITS);
    };
    return scaled(token, u, scale, "time", what);
  }

  static long parseRate(String token) {
    int u = unitStart(token);
    String unit = token.substring(u).toLowerCase(Locale.ROOT);
    long scale = switch (unit) {
      case "bit" -> 1L;
      case "kbit" -> 1_000L;
      case "mbit" -> 1_000_000L;
      case "gbit" -> 1_000_000_000L;
      case "tbit" -> 1_000_000_000_000L;
      case "kibit" -> 1L << 10;
      case "mibit" -> 1L << 20;
      case "gibit" -> 1L << 30;
      case "tibit" -> 1L << 40;
      case "bps" -> 8L;
      case "kbps" -> 8_000L;
      case "mbps" -> 8_000_000L;
      case "gbps" -> 8_000_000_000L;
      case "tbps" -> 8_000_000_000_000L;
      case "kibps" -> 8L << 10;
      case "mibps" -> 8L << 20;
      case "gibps" -> 8L << 30;
      case "tibps" -> 8L << 40;
      default -> throw new IllegalArgumentException("netem: bad rate '" + token
          + "': write a number and a unit, one of " + RATE_UNITS);
    };
    long rate = scaled(token, u, scale, "rate", "rate");
    if (rate <= 0) {
      throw new IllegalArgumentException("netem: rate '" + token + "' must be at least 1bit");
    }
    return rate;
  }

  /** tc's get_percent: a decimal percentage, '%' optional; to whole parts per million. */
  static int parsePercent(String token, String what) {
    String number = token.endsWith("%") ? token.substring(0, token.length() - 1) : token;
    BigDecimal percent = decimal(number, token, "percentage", what);
    BigDecimal ppm = percent.movePointRight(4);
    if (ppm.signum() < 0 || ppm.compareTo(BigDecimal.valueOf(PPM)) > 0) {
      throw new IllegalArgumentException("netem: percentage '" + token + "' for '" + what
          + "' must be between 0% and 100%");
    }
    if (ppm.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("netem: percentage '" + token + "' for '" + what
          + "' is finer than 1 ppm (0.0001%)");
    }
    return ppm.intValueExact();
  }

  private static int parseCount(String token, String what) {
    try {
      int n = Integer.parseInt(token);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("netem: '" + what + "' needs a positive whole number, got '"
        + token + "'");
  }

  private static int unitStart(String token) {
    int u = 0;
    while (u < token.length() && (Character.isDigit(token.charAt(u)) || token.charAt(u) == '.')) {
      u++;
    }
    return u;
  }

  private static long scaled(String token, int unitStart, long scale, String kind, String what) {
    BigDecimal value = decimal(token.substring(0, unitStart), token, kind, what).multiply(
        BigDecimal.valueOf(scale));
    if (value.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("netem: " + kind + " '" + token + "' for '" + what
          + "' is not a whole number of " + (kind.equals("time") ? "nanoseconds" : "bits/s"));
    }
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("netem: " + kind + " '" + token + "' is too large");
    }
  }

  private static BigDecimal decimal(String number, String token, String kind, String what) {
    try {
      return new BigDecimal(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("netem: bad " + kind + " '" + token + "' for '" + what
          + "'" + (kind.equals("percentage") ? ": write a number and '%', e.g. 1% or 0.5%" : ""));
    }
  }

  private static void checkPpm(int ppm, String what) {
    if (ppm < 0 || ppm > PPM) {
      throw new IllegalArgumentException(what + " must be in [0, 1000000] ppm, was " + ppm);
    }
  }

  private static void checkNonNegative(long v, String what) {
    if (v < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + v);
    }
  }
}
