package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A campaign ends with a result whatever a case does: runs out of memory, throws out of the
 * harness, fires events without end, or is cut off by the time budget. The failures are injected
 * through the fuzzer's world seam: an event, due at the start, that throws when the case's first
 * time step fires it.
 */
class FuzzCampaignGuardTest {
  private static final long SEED = 0x5eed;
  /** The case the failures are injected into (its first action that runs the clock fires them). */
  private static final int CASE = 4;

  private static Fuzzer fuzzer() {
    return new Fuzzer(FuzzConfig.linux(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
  }

  /** Makes case {@code CASE}'s worlds throw {@code error} at the first event they fire. */
  private static void failAtFirstEvent(Fuzzer f, java.util.function.Supplier<? extends Error> error) {
    f.onWorld = (w, i) -> {
      if (i == CASE) {
        w.sim.schedule(0, (now, arg) -> {
          throw error.get();
        }, 0);
      }
    };
  }

  @Test
  void aCaseThatRunsOutOfMemoryEndsTheCampaignAsResourceExhaustionAfterTheCasesBeforeIt() throws Exception {
    Fuzzer f = fuzzer();
    failAtFirstEvent(f, () -> new OutOfMemoryError("Java heap space"));
    for (int jobs : new int[] {1, 3}) {
      Fuzzer.Campaign c = f.campaign(SEED, 20, jobs, 0, n -> {});
      Fuzzer.Finding found = c.first();
      assertNotNull(found, "jobs " + jobs);
      assertEquals(Fuzzer.KIND_EXHAUSTION, found.invariant());
      assertEquals(CASE, found.caseIndex());
      assertEquals(CASE + 1, c.casesChecked(), "cases 0.." + (CASE - 1) + " passed and are in the digest");
      assertFalse(found.actions().isEmpty());
      assertTrue(found.detail().startsWith("in action " + found.actions().size() + " ("
          + found.actions().get(found.actions().size() - 1) + "): java.lang.OutOfMemoryError: Java heap space"),
          found.detail());
    }
  }

  @Test
  void theActionsReportedAreTheCaseOwnUpToTheOneThatRanOut() throws Exception {
    Fuzzer f = fuzzer();
    failAtFirstEvent(f, () -> new OutOfMemoryError("Java heap space"));
    Fuzzer.Finding found = f.runCase(SEED, CASE);
    Fuzzer plain = fuzzer();
    FuzzWorld[] whole = new FuzzWorld[1];
    plain.onWorld = (w, i) -> whole[0] = w;
    assertNull(plain.runCase(SEED, CASE));
    assertTrue(found.actions().size() < whole[0].actions.size());
    assertEquals(whole[0].actions.subList(0, found.actions().size()), found.actions());
  }

  @Test
  void aCaseThatRanOutOfMemoryBesideOtherJobsIsRunAgainAloneAndPassesIfItWasOnlyStarved() throws Exception {
    Fuzzer f = fuzzer();
    AtomicBoolean starved = new AtomicBoolean();
    f.onWorld = (w, i) -> {
      if (i == CASE && !starved.getAndSet(true)) {
        w.sim.schedule(0, (now, arg) -> {
          throw new OutOfMemoryError("Java heap space");
        }, 0);
      }
    };
    Fuzzer.Campaign c = f.campaign(SEED, 20, 2, 0, n -> {});
    assertTrue(starved.get());
    assertNull(c.first(), () -> c.first().detail());
    assertEquals(20, c.casesChecked());
    assertEquals(fuzzer().campaign(SEED, 20, 1, 0, n -> {}).digest(), c.digest());
  }

  @Test
  void anErrorThatEscapesTheHarnessIsAFindingNamingTheCaseAndWhereItWasThrown() throws Exception {
    Fuzzer f = fuzzer();
    failAtFirstEvent(f, () -> new InternalError("a fuzzer bug"));
    Fuzzer.Campaign c = f.campaign(SEED, 20, 2, 0, n -> {});
    assertEquals(Fuzzer.KIND_CRASH, c.first().invariant());
    assertEquals(CASE, c.first().caseIndex());
    assertTrue(c.first().detail().startsWith("java.lang.InternalError: a fuzzer bug at "), c.first().detail());
  }

  @Test
  void anActionPastTheEventCapIsAFindingThatDidNotSettleAndItsShrunkListReplaysToIt() throws Exception {
    Fuzzer f = fuzzer().maxActionEvents(40);
    Fuzzer.Campaign one = f.campaign(SEED, 200, 1, 0, n -> {});
    Fuzzer.Campaign three = f.campaign(SEED, 200, 3, 0, n -> {});
    Fuzzer.Finding found = one.first();
    assertEquals(Fuzzer.INV_SETTLE, found.invariant());
    assertTrue(found.detail().startsWith("a case did not settle: 41 events in one action ("
        + found.actions().get(found.actions().size() - 1) + "), at "), found.detail());
    assertTrue(found.detail().endsWith("; the cap is 40"), found.detail());
    assertEquals(found, three.first());
    assertEquals(one.digest(), three.digest());
    String[] broken = f.replay(Fuzzer.parse(found.actions()), null);
    assertEquals(Fuzzer.INV_SETTLE, broken[0]);
    assertEquals(found.detail(), broken[1]);
  }

  @Test
  void theSavedGracefulFindingsBusiestActionStaysFarUnderTheEventCap() throws Exception {
    Fuzzer f = new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    Fuzzer.Replayed r = f.replayed(Fuzzer.parse(java.nio.file.Files.readAllLines(
        StaleSegmentSpecTest.FUZZ.resolve("stale-segment-found-by-fuzzer.txt"))), null);
    assertEquals(Fuzzer.INV_STALE, r.broken()[0]);
    assertTrue(r.world().busiestActionEvents() < FuzzWorld.ACTION_EVENT_CAP / 20, () -> "busiest action "
        + r.world().busiestActionEvents() + " events");
  }

  @Test
  void theAckLoopThatOnceRanOutOfMemorySettlesNowThatOutOfWindowAcksAreRateLimited() throws Exception {
    Fuzzer.Replayed r = fuzzer().replayed(Fuzzer.parse(java.nio.file.Files.readAllLines(
        StaleSegmentSpecTest.FUZZ.resolve("ack-loop-settles.txt"))), null);
    assertNull(r.broken(), () -> String.join(": ", r.broken()));
    assertTrue(r.world().busiestActionEvents() < 1_000, () -> "busiest action "
        + r.world().busiestActionEvents() + " events");
  }

  @Test
  void aCaseWhoseThreadIsInterruptedHasNoResult() {
    Thread.currentThread().interrupt();
    try {
      assertNull(fuzzer().run(SEED, CASE));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aShrinkInterruptedStopsAndReportsTheSmallestFailureSoFar() throws Exception {
    Fuzzer f = fuzzer().maxActionEvents(40);
    Fuzzer.Finding whole = f.runCase(SEED, firstUnsettled(f));
    int[] worlds = {0};
    f.onWorld = (w, i) -> {
      if (++worlds[0] == 3) {
        Thread.currentThread().interrupt(); // the time budget runs out during the second shrink replay
      }
    };
    Fuzzer.Finding cut;
    try {
      cut = f.runCase(SEED, whole.caseIndex());
    } finally {
      Thread.interrupted();
    }
    assertEquals(3, worlds[0], "no replay after the interrupt");
    assertEquals(Fuzzer.INV_SETTLE, cut.invariant());
    assertTrue(cut.actions().size() >= whole.actions().size());
  }

  private static int firstUnsettled(Fuzzer f) {
    for (int i = 0; ; i++) {
      Fuzzer.CaseRun r = f.run(SEED, i, 0);
      if (r.finding() != null) {
        return i;
      }
    }
  }
}
