package tcpsim.core.check;

/**
 * How a check runs: the run seed, how many cases, whether to run one case only, the shrink
 * budget.
 *
 * <p>The seed is the one the test pins with {@code seed(...)}, else {@code -Dtcpsim.seed}, else
 * {@link Property#DEFAULT_SEED}: a pinned test stays pinned when a whole suite is run with
 * another seed, and the replay line a failure prints names the seed that was used either way.
 * The system properties {@code tcpsim.cases}, {@code tcpsim.case} and {@code tcpsim.shrinks}
 * win over what the test sets, so the printed replay line works on any test unchanged.
 */
record Settings(long seed, int cases, int onlyCase, int shrinkBudget, int maxChoices) {
  static final String SEED_PROPERTY = "tcpsim.seed";
  static final String CASES_PROPERTY = "tcpsim.cases";
  static final String CASE_PROPERTY = "tcpsim.case";
  static final String SHRINKS_PROPERTY = "tcpsim.shrinks";
  static final int NO_CASE = -1;

  /** Resolves the system properties over the values a test set (null: not set). */
  static Settings resolve(Long seed, Integer cases, Integer onlyCase, Integer shrinkBudget) {
    String seedText = System.getProperty(SEED_PROPERTY);
    long runSeed = seed != null ? seed
        : seedText != null ? parseSeed(seedText, "-D" + SEED_PROPERTY) : Property.DEFAULT_SEED;
    String casesText = System.getProperty(CASES_PROPERTY);
    int runCases = casesText != null ? parseCount(casesText, "-D" + CASES_PROPERTY, 1)
        : cases != null ? cases : Property.DEFAULT_CASES;
    String caseText = System.getProperty(CASE_PROPERTY);
    int runOnly = caseText != null ? parseCount(caseText, "-D" + CASE_PROPERTY, 0)
        : onlyCase != null ? onlyCase : NO_CASE;
    String shrinksText = System.getProperty(SHRINKS_PROPERTY);
    int budget = shrinksText != null ? parseCount(shrinksText, "-D" + SHRINKS_PROPERTY, 0)
        : shrinkBudget != null ? shrinkBudget : Property.DEFAULT_SHRINK_BUDGET;
    return new Settings(runSeed, runCases, runOnly, budget, Choices.DEFAULT_MAX_CHOICES);
  }

  /** Parses {@code 0x5eed} (hex, up to 64 bits) or {@code 24301} (decimal, may be negative). */
  static long parseSeed(String text, String source) {
    String t = text.trim().replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ": '" + text + "' is not a seed (hex like 0x5eed or decimal like 24301)");
    }
  }

  static int parseCount(String text, String source, int min) {
    try {
      int value = Integer.parseInt(text.trim().replace("_", ""));
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the error naming the option
    }
    throw new IllegalArgumentException(source + ": '" + text + "' is not a whole number >= " + min);
  }

  static String hex(long seed) {
    return "0x" + Long.toHexString(seed);
  }
}
