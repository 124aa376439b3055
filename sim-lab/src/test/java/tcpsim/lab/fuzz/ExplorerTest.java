package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The teardown scenario explored exhaustively under Linux's defaults, on budgets small enough for
 * the suite (the default, every segment droppable, is in docs/fuzzing.md).
 */
class ExplorerTest {
  /** Each budget's exploration (the default: worlds put back from snapshots), run once for the tests that read it. */
  private static final Map<String, Explorer.Result> EXPLORED = new HashMap<>(); // looked up only

  private static synchronized Explorer.Result explored(int drops, int late) {
    return EXPLORED.computeIfAbsent(drops + "/" + late,
        k -> new Explorer(FuzzConfig.linux(), Explorer.ANY, drops, late).run());
  }

  @Test
  void everyTeardownOrderingWithOneLossEndsCleanlyAndReachesEachCloseOutcome() {
    Explorer.Result r = explored(1, 0);
    assertNull(r.violation(), () -> r.violation() + " via " + r.violationPath());
    assertTrue(r.fixpoint(), "every reachable state expanded");
    String pairs = r.endPairs().toString();
    // Who closes first holds TIME_WAIT; both at once (simultaneous close) both hold it; a RST
    // (SO_LINGER {1, 0}, or close with unread data) leaves none.
    assertEquals(Set.of("TIME_WAIT | CLOSED", "CLOSED | TIME_WAIT", "TIME_WAIT | TIME_WAIT", "CLOSED | CLOSED"),
        r.endPairs().keySet());
    assertTrue(r.endPairs().get("TIME_WAIT | CLOSED").withoutErrno(), pairs);
    // The reset side's peer reads its data, then recv returns ECONNRESET.
    Explorer.EndPair reset = r.endPairs().get("CLOSED | CLOSED");
    assertTrue(reset.errnos().contains("client recv=ECONNRESET"), pairs);
    assertTrue(reset.errnos().contains("server recv=ECONNRESET"), pairs);
    // A graceful close never shows a reset to either side.
    assertTrue(r.endPairs().get("TIME_WAIT | CLOSED").errnos().stream().noneMatch(e -> e.endsWith("=ECONNRESET")),
        pairs);
  }

  @Test
  void aSegmentHeldOrDuplicatedAnywhereInTheTeardownBreaksNoInvariant() {
    Explorer.Result r = explored(0, 1);
    assertNull(r.violation(), () -> r.violation() + " via " + r.violationPath());
    assertTrue(r.fixpoint(), "every reachable state expanded");
    assertEquals(4, r.endPairs().size(), r.endPairs().toString());
  }

  /**
   * Putting one world back to a snapshot of each state before each transition out of it explores
   * the same graph as replaying the state's path on a fresh world each time: the same states,
   * transitions, deepest path and end pairs with the same errno values. Equal results are what show
   * the snapshot and its restore are exact.
   */
  @Test
  void restoredWorldsExploreTheSameGraphAsReplayedOnes() {
    for (int[] budget : new int[][] {{1, 0}, {0, 1}}) {
      Explorer.Result restored = explored(budget[0], budget[1]);
      Explorer.Result replayed = new Explorer(FuzzConfig.linux(), Explorer.ANY, budget[0], budget[1],
          Explorer.Worlds.REPLAY).run();
      String which = "drops " + budget[0] + ", late " + budget[1];
      assertEquals(replayed.states(), restored.states(), which);
      assertEquals(replayed.transitions(), restored.transitions(), which);
      assertEquals(replayed.depth(), restored.depth(), which);
      assertEquals(replayed.endPairs(), restored.endPairs(), which);
      assertTrue(restored.replays() <= restored.states() + 1, which + ": each state's path is played at most once");
    }
  }
}
