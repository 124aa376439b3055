package tcpsim.lab.experiment;

import tcpsim.net.link.NetemConfig;

/**
 * A link between two hosts with netem's impairments. Written {@code a <-> b: NETEM} (the same
 * impairments each way, each way drawing its own randomness) or {@code a -> b: NETEM} (one way
 * only; the other way then needs its own line).
 */
public record LinkSpec(String from, String to, boolean bothWays, NetemConfig netem,
    LateDuplicates lateDuplicates) {
  public LinkSpec(String from, String to, boolean bothWays, NetemConfig netem) {
    this(from, to, bothWays, netem, LateDuplicates.NONE);
  }

  /**
   * A tcpsim clause after the netem options, {@code late-duplicate 2% 20s}: that share of the
   * segments carrying data also arrives a second time, {@code hold} after the link's delay: the
   * "old duplicate" that TIME_WAIT's 2·MSL exists for (RFC 9293 section 3.4.2, RFC 1337). netem
   * has no such option (its duplicates share the original's delay distribution); the hold must
   * stay within the experiment's msl.
   *
   * <p>{@code late-duplicate every 2 6400us} ({@code everyNth} > 0, {@code ppm} 0) is the
   * fuzzer's {@code duplicate client->server any%2 hold 6400us}: every 2nd segment of any kind
   * (SYNs and pure ACKs count), counted from the start of the run, arrives again exactly {@code
   * hold} after the link's delay: no draw and no spread, so a case the fuzzer found can be
   * written as an experiment.
   */
  public record LateDuplicates(int ppm, int everyNth, long holdNanos) {
    public static final LateDuplicates NONE = new LateDuplicates(0, 0, 0);

    /** A share of the data segments, {@code late-duplicate P% TIME}. */
    public LateDuplicates(int ppm, long holdNanos) {
      this(ppm, 0, holdNanos);
    }

    public LateDuplicates {
      if (ppm < 0 || everyNth < 0 || (ppm > 0 && everyNth > 0)) {
        throw new IllegalArgumentException("late duplicates are a share (ppm) or every nth segment,"
            + " not both: ppm " + ppm + ", everyNth " + everyNth);
      }
    }

    /** Whether the link copies any segment at all. */
    public boolean active() {
      return ppm > 0 || everyNth > 0;
    }

    @Override
    public String toString() {
      if (everyNth > 0) {
        return " late-duplicate every " + everyNth + " " + Units.formatTime(holdNanos);
      }
      return ppm == 0 ? "" : " late-duplicate "
          + java.math.BigDecimal.valueOf(ppm, 4).stripTrailingZeros().toPlainString() + "% "
          + Units.formatTime(holdNanos);
    }
  }

  /** The key as the file writes it, {@code client <-> server}; faults name links by it. */
  public String key() {
    return from + (bothWays ? " <-> " : " -> ") + to;
  }

  /** True when this link carries segments from {@code a} to {@code b}. */
  public boolean carries(String a, String b) {
    return (from.equals(a) && to.equals(b)) || (bothWays && from.equals(b) && to.equals(a));
  }

  @Override
  public String toString() {
    return key() + ": " + netem + lateDuplicates;
  }
}
