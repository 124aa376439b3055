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
import tcpsim.net.wire.Segment;

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
    // The same through pools, cut at a depth.
    Explorer.Result restored = Explorer.anyLate(FuzzConfig.linux(), 8, false).run();
    Explorer.Result replayed = Explorer.anyLate(FuzzConfig.linux(), 8, true).run();
    assertEquals(replayed.states(), restored.states(), "pools");
    assertEquals(replayed.transitions(), restored.transitions(), "pools");
    assertEquals(replayed.covered(), restored.covered(), "pools");
    assertEquals(replayed.endPairs(), restored.endPairs(), "pools");
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

  /**
   * The search with any number of late segments (the command's default) reaches its fixpoint
   * through pools, breaks no invariant, and holds every end pair and errno value the exact
   * searches of the small budgets reach: the pools contain the fault model, whatever the budget.
   */
  @Test
  void anyNumberOfLateSegmentsReachesItsFixpointAndHoldsEveryBudgetsOutcomes() {
    Explorer.Result any = Explorer.anyLate(FuzzConfig.linux(), Explorer.ANY, false).run();
    assertNull(any.violation(), () -> any.violation() + " via " + any.violationPath());
    assertTrue(any.fixpoint(), "every state expanded or covered");
    assertTrue(any.covered() > 0, "some states covered by a larger pool");
    for (int[] budget : new int[][] {{1, 0}, {0, 1}}) {
      Explorer.Result exact = explored(budget[0], budget[1]);
      exact.endPairs().forEach((pair, seen) -> {
        Explorer.EndPair pooled = any.endPairs().get(pair);
        String which = "drops " + budget[0] + ", late " + budget[1] + ": " + pair;
        assertTrue(pooled != null, which);
        assertTrue(pooled.errnos().containsAll(seen.errnos()), which + " " + seen.errnos() + " in " + pooled.errnos());
        assertTrue(pooled.withoutErrno() || !seen.withoutErrno(), which);
      });
    }
    // Only a side that gives up sees ETIMEDOUT: fifteen retransmissions none of which arrives,
    // beyond the small budgets.
    assertTrue(any.endPairs().get("CLOSED | CLOSED").errnos().contains("client recv=ETIMEDOUT"),
        any.endPairs().toString());
  }

  /**
   * What the pools rest on: a path of the fault model (each segment delivered, dropped,
   * duplicated or held) is a path through the pools (the same calls, each arrival taken from the
   * pool, time to the same timers) that leaves both hosts exactly as it left them, with the same
   * errno values. Random walks of the fault model, any drops and any late segments, each step
   * mirrored; time moves only where it fires a timer, as it does through the pools.
   */
  @Test
  void everyPathOfTheFaultModelIsAPathThroughThePools() {
    Explorer faults = new Explorer(FuzzConfig.linux(), Explorer.ANY, Explorer.ANY, Explorer.ANY);
    Explorer pools = Explorer.anyLate(FuzzConfig.linux(), Explorer.ANY, false);
    List<Explorer.Step> alphabet = Explorer.alphabet();
    int[] arrivals = new int[1];
    Property.forAll(Gen.ints(0, 1_000_000).list(1, 40))
        .named("a fault path is a pool path").cases(400)
        .verify(choices -> {
          Explorer.Net f = faults.replaySteps(List.of());
          Explorer.Net p = pools.replaySteps(List.of());
          List<String> walk = new ArrayList<>();
          for (int choice : choices) {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < alphabet.size(); i++) {
              Explorer.Step step = alphabet.get(i);
              if (Explorer.applicable(f, step, true, true) && (!(step instanceof Explorer.NextTimer) || firesATimer(f))) {
                open.add(i);
              }
            }
            if (open.isEmpty()) {
              break;
            }
            Explorer.Step step = alphabet.get(open.get(choice % open.size()));
            walk.add(step.text());
            Explorer.Step mirror = mirror(step, f, p);
            Explorer.apply(f, step);
            if (mirror != null) {
              assertTrue(Explorer.applicable(p, mirror, true, true, true), walk + ": " + mirror.text());
              Explorer.apply(p, mirror);
              arrivals[0] += mirror instanceof Explorer.LateArrival ? 1 : 0;
            }
            assertEquals(Explorer.digest(f, 0, false), Explorer.digest(p, 0, false), walk.toString());
            assertEquals(f.world.errnos, p.world.errnos, walk.toString());
            assertEquals(f.world.sim.now(), p.world.sim.now(), walk.toString());
          }
        });
    assertTrue(arrivals[0] > 500, "arrivals mirrored: " + arrivals[0]);
  }

  /** Time moves to a timer, not only to a late segment's end of life. */
  private static boolean firesATimer(Explorer.Net f) {
    if (f.world.sim.pendingCount() == 0) {
      return false;
    }
    long timer = f.world.sim.pendingSet().peekTime();
    for (List<Explorer.Flight> late : f.late) {
      for (Explorer.Flight x : late) {
        if (x.sentNanos() + f.world.net.mslNanos() < timer) {
          return false;
        }
      }
    }
    return true;
  }

  /** The pool step that does what {@code step} does to the fault model's hosts (null: nothing). */
  private static Explorer.Step mirror(Explorer.Step step, Explorer.Net f, Explorer.Net p) {
    if (!(step instanceof Explorer.Wire w)) {
      return step;
    }
    Segment arriving = switch (w.fate()) {
      case DELIVER, DUPLICATE -> f.onTime.get(w.from()).get(0).segment();
      case DELIVER_LATE -> f.late.get(w.from()).get(0).segment();
      case DROP, HOLD -> null;
    };
    if (arriving == null) {
      return null;
    }
    List<Explorer.Flight> pool = p.late.get(w.from());
    for (int k = 0; k < pool.size(); k++) {
      if (Explorer.sameSegment(pool.get(k).segment(), arriving)) {
        return new Explorer.LateArrival(w.from(), k);
      }
    }
    throw new AssertionError("not in the pool: " + arriving);
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
