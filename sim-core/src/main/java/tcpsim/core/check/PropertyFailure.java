package tcpsim.core.check;

/**
 * A property or action chain failed. The message starts with the replay line, then a command
 * that re-runs just that test and case, then the shrunk counterexample, the original one and
 * the failure; the cause is the failure of the shrunk counterexample.
 */
public final class PropertyFailure extends AssertionError {
  private final String property;
  private final long seed;
  private final int caseIndex;
  private final long caseSeed;
  private final String counterexample;
  private final long[] choices;
  private final int shrinkSteps;

  PropertyFailure(String message, String property, long seed, int caseIndex, long caseSeed,
      String counterexample, long[] choices, int shrinkSteps, Throwable cause) {
    super(message, cause);
    this.property = property;
    this.seed = seed;
    this.caseIndex = caseIndex;
    this.caseSeed = caseSeed;
    this.counterexample = counterexample;
    this.choices = choices.clone();
    this.shrinkSteps = shrinkSteps;
  }

  /** The property's name. */
  public String property() {
    return property;
  }

  /** The run seed. */
  public long seed() {
    return seed;
  }

  /** The index of the failing case within the run (0-based). */
  public int caseIndex() {
    return caseIndex;
  }

  /** The failing case's own seed, derived from the run seed and the case index. */
  public long caseSeed() {
    return caseSeed;
  }

  /** The shrunk counterexample as printed (for an action chain, the numbered action list). */
  public String counterexample() {
    return counterexample;
  }

  /** The shrunk choice sequence; {@link Choices#replaying(long[])} of it reproduces the counterexample. */
  public long[] choices() {
    return choices.clone();
  }

  /** How many shrink steps were kept. */
  public int shrinkSteps() {
    return shrinkSteps;
  }

  /** The JVM options that replay this case: {@code -Dtcpsim.seed=0x... -Dtcpsim.case=17}. */
  public String replayArguments() {
    return replayArguments(seed, caseIndex);
  }

  static String replayArguments(long seed, int caseIndex) {
    return "-D" + Settings.SEED_PROPERTY + "=" + Settings.hex(seed) + " -D" + Settings.CASE_PROPERTY + "=" + caseIndex;
  }
}
