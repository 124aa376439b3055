package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A campaign's mutants climb towards the stale-segment hazard, and from a fresh seed they reach
 * it: the search knows nothing of sizes or timing, only how near each case came.
 */
class TargetedSearchTest {
  private static Fuzzer fuzzer() {
    return new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS).shrinkBudget(500);
  }

  @Test
  void theMutantsComeNearerThanEveryFreshCaseOfTheFirstRounds() throws Exception {
    Fuzzer.Campaign fresh = fuzzer().campaign(0x5eed, Fuzzer.ROUND, 2, 0, n -> {});
    Fuzzer.Campaign climbed = fuzzer().campaign(0x5eed, 2_048, 2, 0, n -> {});
    assertNull(climbed.first());
    NearMisses.Miss start = fresh.misses().nearest();
    NearMisses.Miss end = climbed.misses().nearest();
    assertNotNull(start);
    String said = FuzzWorld.describeStaleDistance(start.gap()) + " -> "
        + FuzzWorld.describeStaleDistance(end.gap()) + " (case " + end.caseIndex() + ")";
    assertTrue(end.gap() < start.gap(), said);
    assertTrue(Fuzzer.mutant(end.caseIndex()), said);
  }

  @Test
  void fromAFreshSeedAMutantFindsTheStaleSegmentHazard() throws Exception {
    // One of the 20 seeds the README's figure was measured over (./tcpsim fuzz --config
    // short-time-wait --seed 0x5eed --repeat 20 ...): found at case 7637, in 11.7 s there (the
    // saved specs/fuzz/stale-segment-found-by-fuzzer.txt is its shrink).
    Fuzzer.Campaign c = fuzzer().campaign(0x5372a6c20499d65aL, 7_680, 2, 0, n -> {});
    assertNotNull(c.first(), "./tcpsim fuzz --config short-time-wait --seed 0x5372a6c20499d65a --cases 7680");
    assertEquals(Fuzzer.INV_STALE, c.first().invariant(), c.first().message());
    assertEquals(7_637, c.first().caseIndex());
    assertTrue(Fuzzer.mutant(c.first().caseIndex()));
    // 8 actions with the default 5,000 shrink replays; 500 here keep the suite quick.
    assertTrue(c.first().actions().size() <= 24, c.first().message());
    // --case 7637 alone runs the rounds before it again for its parent and finds the same case.
    assertEquals(c.first().actions(), fuzzer().runCase(0x5372a6c20499d65aL, 7_637, 2).actions());
    // The same actions under Linux's defaults: nothing breaks.
    Fuzzer linux = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    assertNull(linux.replay(Fuzzer.parse(c.first().actions()), null));
  }
}
