package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Property;

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

  /**
   * What the partial-order reduction rests on: while a segment is on time in flight to host h, a
   * step that touches h (its call, or the fate of a segment to it) and one that touches only the
   * other host (not time) commute: either order reaches the same state, and each call returns the
   * same errno values. Checked on random states of the full space, one pair of steps each.
   */
  @Test
  void stepsOnDifferentHostsCommuteWhileASegmentIsInFlight() {
    Explorer explorer = new Explorer(FuzzConfig.linux(), Explorer.ANY, Explorer.ANY, Explorer.ANY);
    List<Explorer.Step> alphabet = Explorer.alphabet();
    int[] compared = new int[1];
    Property.forAll(Gen.pairs(Gen.ints(0, 1_000_000).list(0, 14), Gen.ints(0, 1_000_000).list(2, 2)))
        .named("steps on different hosts commute").cases(600)
        .verify(p -> {
          // A random walk through the full space, each choice taken modulo the steps that apply.
          List<Integer> walk = new ArrayList<>();
          for (int choice : p.first()) {
            List<Integer> open = applying(explorer.replaySteps(walk), alphabet, -2);
            if (open.isEmpty()) {
              break;
            }
            walk.add(open.get(choice % open.size()));
          }
          Explorer.Net at = explorer.replaySteps(walk);
          for (int h = 0; h < 2; h++) {
            if (at.onTime.get(1 - h).isEmpty()) {
              continue;
            }
            List<Integer> mine = applying(at, alphabet, h);
            List<Integer> theirs = applying(at, alphabet, 1 - h);
            if (mine.isEmpty() || theirs.isEmpty()) {
              continue;
            }
            int a = mine.get(p.second().get(0) % mine.size());
            int b = theirs.get(p.second().get(1) % theirs.size());
            Explorer.Net ab = played(explorer, walk, a, b);
            Explorer.Net ba = played(explorer, walk, b, a);
            String pair = alphabet.get(a).text() + " / " + alphabet.get(b).text() + " after " + walk;
            assertEquals(Explorer.digest(ab, 0), Explorer.digest(ba, 0), pair);
            assertEquals(sorted(ab.world.errnos), sorted(ba.world.errnos), pair);
            compared[0]++;
          }
        });
    assertTrue(compared[0] >= 200, "pairs compared: " + compared[0]);
  }

  /** The steps that apply to {@code net} and touch host {@code h} (-2: any step). */
  private static List<Integer> applying(Explorer.Net net, List<Explorer.Step> alphabet, int h) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < alphabet.size(); i++) {
      Explorer.Step step = alphabet.get(i);
      if ((h == -2 || Explorer.touches(step) == h) && Explorer.applicable(net, step, true, true)) {
        out.add(i);
      }
    }
    return out;
  }

  private static Explorer.Net played(Explorer explorer, List<Integer> walk, int first, int second) {
    List<Integer> steps = new ArrayList<>(walk);
    steps.add(first);
    steps.add(second);
    return explorer.replaySteps(steps);
  }

  private static List<String> sorted(List<String> errnos) {
    List<String> out = new ArrayList<>(errnos);
    out.sort(null);
    return out;
  }

  /**
   * The reduction explores fewer states and transitions but reaches the same end pairs, with the
   * same errno values, as the full search: every path has an equivalent one it takes.
   */
  @Test
  void thePartialOrderReductionKeepsEveryEndPairAndErrno() {
    for (int[] budget : new int[][] {{1, 0}, {0, 1}}) {
      Explorer.Result full = explored(budget[0], budget[1]);
      Explorer.Result reduced = new Explorer(FuzzConfig.linux(), Explorer.ANY, budget[0], budget[1],
          Explorer.Worlds.SNAPSHOT, true).run();
      String which = "drops " + budget[0] + ", late " + budget[1];
      assertNull(reduced.violation(), which);
      assertTrue(reduced.fixpoint(), which);
      assertTrue(reduced.states() < full.states(), which + ": " + reduced.states() + " of " + full.states());
      assertTrue(reduced.transitions() < full.transitions(), which);
      Map<String, Set<String>> fullOutcomes = new HashMap<>();
      Map<String, Set<String>> reducedOutcomes = new HashMap<>();
      full.endPairs().forEach((k, v) -> fullOutcomes.put(k + (v.withoutErrno() ? " clean" : ""), v.errnos()));
      reduced.endPairs().forEach((k, v) -> reducedOutcomes.put(k + (v.withoutErrno() ? " clean" : ""), v.errnos()));
      assertEquals(fullOutcomes, reducedOutcomes, which);
    }
  }
}
