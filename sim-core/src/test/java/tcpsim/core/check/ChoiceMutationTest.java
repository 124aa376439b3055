package tcpsim.core.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.random.SimRandom;

/**
 * Mutating a near miss's choices and keeping what comes nearer finds a needle that fresh draws
 * would take a million cases to hit; trials run one case and hand back its choices.
 */
class ChoiceMutationTest {
  private static final long NEEDLE = 777_777;

  /** A chain whose one action picks a number; it breaks only on the needle. Records how near each case came. */
  private static ActionChain<long[]> needleChain(List<Long> gaps) {
    return ActionChain.<long[]>from(() -> {
          long[] nearest = {Long.MAX_VALUE};
          gaps.add(null);
          return nearest;
        })
        .action(Gen.longs(0, 1_000_000).map(x -> Action.<long[]>of("pick(" + x + ")", s -> {
          s[0] = Math.min(s[0], Math.abs(x - NEEDLE));
          gaps.set(gaps.size() - 1, s[0]);
        })))
        .invariant("never the needle", s -> s[0] != 0)
        .maxActions(3);
  }

  @Test
  void climbingFromTheNearestMissFindsTheNeedleFreshDrawsMiss() {
    List<Long> gaps = new ArrayList<>();
    ActionChain<long[]> chain = needleChain(gaps);
    SimRandom random = new SimRandom(42).split("mutants");
    long[] best = null;
    long bestGap = Long.MAX_VALUE;
    PropertyFailure found = null;
    int fresh = 0;
    boolean byMutant = false;
    for (int i = 0; i < 20_000 && found == null; i++) {
      boolean mutant = best != null && i % 2 == 1;
      Trial t = chain.trial(42, i, mutant ? ChoiceMutation.mutate(best, random) : null);
      fresh += mutant ? 0 : 1;
      found = t.failure();
      byMutant = mutant;
      Long gap = gaps.get(gaps.size() - 1);
      if (gap != null && gap < bestGap) {
        bestGap = gap;
        best = t.choices();
      }
    }

    assertNotNull(found, "nearest miss " + bestGap);
    assertEquals("1. pick(777777)\ninvariant \"never the needle\" broken after action 1. pick(777777)",
        found.counterexample());
    // Fresh draws hit the needle one pick in 1,000,001: in these few thousand cases they had
    // about a 1% chance, and it was a mutant that found it.
    assertTrue(byMutant);
    assertTrue(fresh < 4_000, "fresh cases " + fresh);
  }

  @Test
  void aTrialIsTheCaseCheckWouldRunAndItsChoicesMakeItAgain() {
    List<Long> gaps = new ArrayList<>();
    ActionChain<long[]> chain = needleChain(gaps);
    Trial first = chain.trial(7, 3, null);
    long firstGap = gaps.get(gaps.size() - 1);
    Trial again = chain.trial(7, 3, first.choices());

    assertNull(first.failure());
    assertArrayEquals(first.choices(), again.choices());
    assertEquals(firstGap, gaps.get(gaps.size() - 1));
  }

  @Test
  void mutantsAreDeterministicNonNegativeAndDifferent() {
    long[] parent = {1, 5, 0, 900, 3, 3, 1, 0};
    int differ = 0;
    for (int k = 0; k < 200; k++) {
      long[] a = ChoiceMutation.mutate(parent, new SimRandom(k));
      long[] b = ChoiceMutation.mutate(parent, new SimRandom(k));
      assertArrayEquals(a, b);
      for (long c : a) {
        assertTrue(c >= 0, "negative choice in mutant " + k);
      }
      differ += java.util.Arrays.equals(a, parent) ? 0 : 1;
    }
    assertArrayEquals(new long[] {1, 5, 0, 900, 3, 3, 1, 0}, parent);
    assertTrue(differ > 150, "mutants equal to their parent: " + (200 - differ));
  }
}
