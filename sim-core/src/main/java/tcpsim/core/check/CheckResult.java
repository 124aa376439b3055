package tcpsim.core.check;

/**
 * A passed check: the run seed, how many cases passed, and how many were discarded (a filter
 * found no valid input).
 */
public record CheckResult(long seed, int passed, int discarded) {
  @Override
  public String toString() {
    return passed + " cases passed, " + discarded + " discarded (seed " + Settings.hex(seed) + ")";
  }
}
