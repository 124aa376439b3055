package tcpsim.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner: how many cases, which seeds, what counts as a failure, and how seeds are read. */
class RunnerTest {
  private static final Gen<List<Integer>> LISTS = Gen.ints(-50, 50).list(0, 10);

  private static List<List<Integer>> casesOf(long seed) {
    List<List<Integer>> seen = new ArrayList<>();
    Property.forAll(LISTS).seed(seed).cases(50).check(seen::add);
    return seen;
  }

  @Test
  void aTruePropertyPassesEveryCase() {
    int expected = Integer.getInteger("tcpsim.cases", 300); // -Dtcpsim.cases overrides the test
    List<List<Integer>> seen = new ArrayList<>();
    CheckResult r = Property.forAll(LISTS).cases(300).check(xs -> {
      seen.add(xs);
      List<Integer> twice = new ArrayList<>(xs);
      java.util.Collections.reverse(twice);
      java.util.Collections.reverse(twice);
      return twice.equals(xs);
    });

    assertEquals(expected, r.passed());
    assertEquals(expected, seen.size());
  }

  @Test
  void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() {
    assertEquals(casesOf(0x5eedL), casesOf(0x5eedL));
    assertNotEquals(casesOf(0x5eedL), casesOf(0x5eeeL));
  }

  @Test
  void aCaseDependsOnlyOnTheSeedAndItsIndex() {
    List<List<Integer>> all = casesOf(42);
    List<List<Integer>> only = new ArrayList<>();
    Property.forAll(LISTS).seed(42).onlyCase(17).check(only::add);

    assertEquals(List.of(all.get(17)), only);
  }

  @Test
  void aThrownExceptionIsAFailureAndIsTheCause() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 10_000))
        .verify(x -> {
          if (x >= 500) {
            throw new IllegalStateException("too big: " + x);
          }
        }));

    assertEquals("500", f.counterexample());
    assertEquals("too big: 500", assertInstanceOf(IllegalStateException.class, f.getCause()).getMessage());
    assertTrue(f.getMessage().endsWith("failure: java.lang.IllegalStateException: too big: 500"), f.getMessage());
  }

  @Test
  void shrinkingKeepsTheKindOfFailure() {
    // Large values fail with one exception, small ones with another. Nearly every generated
    // value is large; shrinking towards 0 must stop at the smallest large one rather than slip
    // into the other failure.
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 100_000))
        .verify(x -> {
          if (x >= 100) {
            throw new IllegalStateException("large: " + x);
          }
          if (x >= 1) {
            throw new UnsupportedOperationException("small: " + x);
          }
        }));

    assertEquals("100", f.counterexample());
    assertInstanceOf(IllegalStateException.class, f.getCause());
  }

  @Test
  void withNoShrinkBudgetTheOriginalCaseIsReported() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 10_000).list(0, 50))
        .shrinkBudget(0)
        .check(xs -> xs.size() < 3));

    assertEquals(0, f.shrinkSteps());
    assertTrue(f.getMessage().contains("shrunk in 0 steps (0 replays, budget spent)"), f.getMessage());
  }

  @Test
  void seedsAreReadAsHexOrDecimalAndABadOneIsNamed() {
    assertEquals(0x5eedL, Settings.parseSeed("0x5eed", "-Dtcpsim.seed"));
    assertEquals(0xffffffffffffffffL, Settings.parseSeed("0xffffffffffffffff", "-Dtcpsim.seed"));
    assertEquals(24301L, Settings.parseSeed("24301", "-Dtcpsim.seed"));
    assertEquals("-Dtcpsim.seed: 'seed' is not a seed (hex like 0x5eed or decimal like 24301)",
        assertThrows(IllegalArgumentException.class, () -> Settings.parseSeed("seed", "-Dtcpsim.seed")).getMessage());
    assertEquals("-Dtcpsim.cases: '0' is not a whole number >= 1",
        assertThrows(IllegalArgumentException.class, () -> Settings.parseCount("0", "-Dtcpsim.cases", 1)).getMessage());
  }

  @Test
  void aSimulationFailureStartsWithItsReplayLineAndNamesTheSeed() {
    SimulationFailure f = assertThrows(SimulationFailure.class,
        () -> SimulationFailure.check(false, "snd_una 10 > snd_nxt 5", 0x5eedL));

    assertEquals("replay: -Dtcpsim.seed=0x5eed\nsimulation invariant broken: snd_una 10 > snd_nxt 5 (seed 0x5eed)",
        f.getMessage());
    assertEquals(0x5eedL, f.seed());
  }
}
