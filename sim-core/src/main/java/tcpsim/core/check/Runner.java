package tcpsim.core.check;

import java.util.Set;
import tcpsim.core.random.SimRandom;

/**
 * Runs the cases of a property or action chain, and on the first failure shrinks it and throws
 * a {@link PropertyFailure}.
 *
 * <p>Case {@code i} draws from {@code new SimRandom(runSeed).split("case " + i)}: a case depends
 * on the run seed and its index only, so {@code -Dtcpsim.seed=... -Dtcpsim.case=i} replays it
 * alone, and changing the case count changes no case.
 */
final class Runner {
  /** A check gives up when it discards this many cases per case asked for. */
  static final int MAX_DISCARDS_PER_CASE = 10;
  /** Longest original counterexample printed, in characters. */
  static final int MAX_ORIGINAL_CHARS = 2_000;

  private static final Set<String> HARNESS_CLASSES = Set.of(
      Runner.class.getName(), Property.class.getName(), ActionChain.class.getName());

  private Runner() {}

  /** The seed case {@code caseIndex} of a run with {@code runSeed} draws from. */
  static SimRandom caseRandom(long runSeed, int caseIndex) {
    return new SimRandom(runSeed).split("case " + caseIndex);
  }

  static CheckResult run(String property, String inputLabel, Settings settings, CaseBody body) {
    int passed = 0;
    int discarded = 0;
    int maxDiscards = settings.cases() * MAX_DISCARDS_PER_CASE;
    int first = settings.onlyCase() == Settings.NO_CASE ? 0 : settings.onlyCase();
    int wanted = settings.onlyCase() == Settings.NO_CASE ? settings.cases() : 1;
    for (int i = first; passed < wanted; i++) {
      SimRandom random = caseRandom(settings.seed(), i);
      Choices choices = Choices.generating(random, settings.maxChoices());
      Outcome outcome;
      try {
        outcome = CaseBody.execute(body, choices);
      } catch (Choices.Rejected r) {
        discarded++;
        if (settings.onlyCase() != Settings.NO_CASE || discarded > maxDiscards) {
          throw new IllegalStateException("property \"" + property + "\" gave up: " + discarded
              + " cases discarded (" + r.getMessage() + "), " + passed + " passed; make the generator"
              + " produce valid values instead of filtering (seed " + Settings.hex(settings.seed()) + ")");
        }
        continue;
      }
      if (outcome.failed()) {
        throw failure(property, inputLabel, settings, body, i, random.seed(), choices.recorded(), outcome);
      }
      passed++;
    }
    return new CheckResult(settings.seed(), passed, discarded);
  }

  /**
   * Runs one case: case {@code caseIndex} of the run seed, generated, when {@code choices} is
   * null; else replayed from {@code choices}. A rejected case passes with the choices it drew.
   */
  static Trial trial(String property, String inputLabel, Settings settings, CaseBody body, int caseIndex,
      long[] choices) {
    SimRandom random = caseRandom(settings.seed(), caseIndex);
    Choices c = choices == null ? Choices.generating(random, settings.maxChoices())
        : Choices.replaying(choices, settings.maxChoices());
    Outcome outcome;
    try {
      outcome = CaseBody.execute(body, c);
    } catch (Choices.Rejected r) {
      return new Trial(c.recorded(), null);
    }
    if (!outcome.failed()) {
      return new Trial(c.recorded(), null);
    }
    return new Trial(c.recorded(),
        failure(property, inputLabel, settings, body, caseIndex, random.seed(), c.recorded(), outcome));
  }

  private static PropertyFailure failure(String property, String inputLabel, Settings settings,
      CaseBody body, int caseIndex, long caseSeed, long[] original, Outcome originalOutcome) {
    Shrinker shrinker = new Shrinker(body, original, originalOutcome, settings.shrinkBudget(), settings.maxChoices());
    shrinker.shrink();
    Outcome minimal = shrinker.bestOutcome();
    String counterexample = minimal.description().get();
    String replay = PropertyFailure.replayArguments(settings.seed(), caseIndex);
    StringBuilder m = new StringBuilder();
    m.append("replay: ").append(replay).append('\n');
    String test = callingTest();
    if (test != null) {
      m.append("rerun:  mvn -B test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=").append(test)
          .append(' ').append(replay).append('\n');
    }
    m.append("property \"").append(property).append("\" failed on case ").append(caseIndex)
        .append(" (case seed ").append(Settings.hex(caseSeed)).append(") of ").append(settings.cases())
        .append("; shrunk in ").append(shrinker.steps()).append(" steps (").append(shrinker.replays())
        .append(" replays").append(shrinker.replays() >= settings.shrinkBudget() ? ", budget spent" : "")
        .append(")\n");
    m.append("minimal ").append(inputLabel).append(":\n").append(indent(counterexample));
    m.append("original ").append(inputLabel).append(":\n")
        .append(indent(truncate(originalOutcome.description().get())));
    m.append("failure: ").append(minimal.failure());
    return new PropertyFailure(m.toString(), property, settings.seed(), caseIndex, caseSeed,
        counterexample, shrinker.best(), shrinker.steps(), minimal.failure());
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ORIGINAL_CHARS ? s : s.substring(0, MAX_ORIGINAL_CHARS) + " ... (" + s.length() + " chars)";
  }

  private static String indent(String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      b.append("  ").append(line).append('\n');
    }
    return b.toString();
  }

  /** {@code SimpleClass#method} of the first caller outside the harness, for the rerun command. */
  private static String callingTest() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !HARNESS_CLASSES.contains(f.getClassName()))
        .findFirst()
        .map(f -> {
          String cls = f.getClassName();
          String method = f.getMethodName();
          // A check inside a lambda (assertThrows(..., () -> ...check(...))): javac names it lambda$test$n.
          if (method.startsWith("lambda$") && method.indexOf('$', 7) > 7) {
            method = method.substring(7, method.indexOf('$', 7));
          }
          return cls.substring(cls.lastIndexOf('.') + 1) + "#" + method;
        })
        .orElse(null));
  }
}
