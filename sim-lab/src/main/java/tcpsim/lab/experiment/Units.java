package tcpsim.lab.experiment;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the quantities an experiment file writes with units: times ({@code 50ms}), sizes
 * ({@code 64KiB}), rates ({@code 500/s}) and percentages ({@code 99.9}). Every result is a whole
 * number of the base unit; a value finer than the base unit is refused rather than rounded.
 * A failure is a {@link BadValue} whose message ends with the valid units.
 */
final class Units {
  static final String TIME_UNITS = "ns, us, ms, s, min, h (e.g. 50ms, 2s)";
  static final String SIZE_UNITS = "a number of bytes, or B, KB, MB, GB (powers of 1000),"
      + " KiB, MiB, GiB (powers of 1024) (e.g. 1500, 64KiB)";
  static final String RATE_UNITS = "a count per second, millisecond or minute: N/s, N/ms, N/min"
      + " (e.g. 500/s)";

  private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([A-Za-z]*)");
  private static final Pattern SPACED = Pattern.compile("[0-9.]+\\s+[A-Za-z/]+.*");
  private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)/([A-Za-z]+)");

  private Units() {}

  /** A value that does not read; the message says why and what would. */
  static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  /** A time such as {@code 50ms} or {@code 1.5s}, in nanoseconds. */
  static long parseTime(String text) {
    String t = text.strip();
    checkNoSpace(t, TIME_UNITS);
    Matcher m = NUMBER_UNIT.matcher(t);
    if (!m.matches()) {
      throw new BadValue("'" + text + "' is not a time; units: " + TIME_UNITS);
    }
    if (m.group(2).isEmpty()) {
      throw new BadValue("'" + text + "' has no unit; units: " + TIME_UNITS);
    }
    long scale = switch (m.group(2)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "min" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new BadValue("unknown time unit '" + m.group(2) + "' in '" + text
          + "'; units: " + TIME_UNITS);
    };
    return whole(m.group(1), scale, text, "nanosecond");
  }

  /** A size such as {@code 1500} or {@code 64KiB}, in bytes. */
  static long parseSize(String text) {
    String t = text.strip();
    checkNoSpace(t, SIZE_UNITS);
    Matcher m = NUMBER_UNIT.matcher(t);
    if (!m.matches()) {
      throw new BadValue("'" + text + "' is not a size; units: " + SIZE_UNITS);
    }
    long scale = switch (m.group(2)) {
      case "", "B" -> 1L;
      case "KB", "kB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      default -> throw new BadValue("unknown size unit '" + m.group(2) + "' in '" + text
          + "'; units: " + SIZE_UNITS);
    };
    return whole(m.group(1), scale, text, "byte");
  }

  /** A rate such as {@code 500/s}. */
  static Rate parseRate(String text) {
    String t = text.strip();
    checkNoSpace(t, RATE_UNITS);
    Matcher m = RATE.matcher(t);
    if (!m.matches()) {
      if (NUMBER_UNIT.matcher(t).matches()) {
        throw new BadValue("'" + text + "' has no time base; units: " + RATE_UNITS);
      }
      throw new BadValue("'" + text + "' is not a rate; units: " + RATE_UNITS);
    }
    long perNanos = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "min" -> 60_000_000_000L;
      default -> throw new BadValue("unknown rate unit '/" + m.group(2) + "' in '" + text
          + "'; units: " + RATE_UNITS);
    };
    BigDecimal count = new BigDecimal(m.group(1));
    // 2.5/s is 5 per 2 s: scale both sides until the count is whole.
    int scale = Math.max(0, count.stripTrailingZeros().scale());
    if (scale > 6) {
      throw new BadValue("'" + text + "' has more than 6 decimals; units: " + RATE_UNITS);
    }
    long factor = BigDecimal.TEN.pow(scale).longValueExact();
    try {
      return new Rate(count.movePointRight(scale).longValueExact(),
          Math.multiplyExact(perNanos, factor));
    } catch (ArithmeticException e) {
      throw new BadValue("'" + text + "' is too large; units: " + RATE_UNITS);
    } catch (IllegalArgumentException e) {
      throw new BadValue(e.getMessage() + "; units: " + RATE_UNITS);
    }
  }

  /** A percentage such as {@code 99.9} or {@code 99.9%}, in parts per million. */
  static int parsePercentPpm(String text) {
    String t = text.strip();
    String number = t.endsWith("%") ? t.substring(0, t.length() - 1) : t;
    BigDecimal p;
    try {
      p = new BigDecimal(number);
    } catch (NumberFormatException e) {
      throw new BadValue("'" + text + "' is not a percentage; write a number such as 99.9");
    }
    BigDecimal ppm = p.movePointRight(4);
    if (ppm.stripTrailingZeros().scale() > 0) {
      throw new BadValue("'" + text + "' is finer than 0.0001%");
    }
    if (ppm.signum() <= 0 || ppm.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
      throw new BadValue("'" + text + "' must be above 0 and at most 100");
    }
    return ppm.intValueExact();
  }

  /** Writes nanoseconds back in the largest unit up to seconds that keeps them whole. */
  static String formatTime(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    long[] scales = {1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"s", "ms", "us"};
    for (int i = 0; i < scales.length; i++) {
      if (nanos % scales[i] == 0) {
        return nanos / scales[i] + names[i];
      }
    }
    return nanos + "ns";
  }

  private static void checkNoSpace(String t, String units) {
    if (SPACED.matcher(t).matches()) {
      throw new BadValue("'" + t + "' has a space before its unit; write "
          + t.replaceAll("\\s+", "") + "; units: " + units);
    }
  }

  private static long whole(String number, long scale, String text, String base) {
    BigDecimal v = new BigDecimal(number).multiply(BigDecimal.valueOf(scale));
    if (v.stripTrailingZeros().scale() > 0) {
      throw new BadValue("'" + text + "' is not a whole number of " + base + "s");
    }
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new BadValue("'" + text + "' is too large");
    }
  }
}
