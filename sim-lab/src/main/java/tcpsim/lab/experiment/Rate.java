package tcpsim.lab.experiment;

import java.math.BigInteger;

/**
 * Events per unit of time, kept as a whole count per a whole number of nanoseconds so that
 * {@code 2.5/s} is exactly 25 per 10 s and no float decides when an event happens.
 */
public record Rate(long count, long perNanos) {
  public Rate {
    if (count <= 0) {
      throw new IllegalArgumentException("a rate must be above zero, was " + count + " per "
          + perNanos + "ns");
    }
    if (perNanos <= 0) {
      throw new IllegalArgumentException("a rate's time base must be above zero, was " + perNanos);
    }
  }

  /** The time between events, rounded down to a nanosecond (at least 1). */
  public long intervalNanos() {
    return Math.max(1, perNanos / count);
  }

  /** Events per second, rounded down; for range checks and summaries. */
  public long perSecond() {
    return BigInteger.valueOf(count).multiply(BigInteger.valueOf(1_000_000_000L))
        .divide(BigInteger.valueOf(perNanos)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }

  @Override
  public String toString() {
    if (perNanos == 1_000_000_000L) {
      return count + "/s";
    }
    return count + "/" + Units.formatTime(perNanos);
  }
}
