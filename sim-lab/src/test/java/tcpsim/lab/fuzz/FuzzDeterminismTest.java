package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.lab.cli.Main;

/**
 * The seed is the only input: a campaign's cases (fresh and mutants), their end states and its
 * report depend on the run seed only (not on the number of jobs, not on the run), and a replayed
 * case puts the same segments on the wire every time.
 */
class FuzzDeterminismTest {
  /** A campaign's standard output with the wall-clock figures taken out. */
  private static String campaign(Path out, String seed, int jobs) {
    StringWriter o = new StringWriter();
    Main.execute(new String[] {"fuzz", "--config", "short-time-wait", "--seed", seed, "--cases", "150",
        "--jobs", String.valueOf(jobs), "--out", out.toString()}, new PrintWriter(o, true),
        new PrintWriter(new StringWriter(), true));
    return o.toString().replaceAll(" in [0-9.]+ s \\([0-9]+ cases/s\\)", " in (wall clock)")
        .replace("jobs: " + jobs, "jobs: N");
  }

  @Test
  void oneJobAndThreeJobsPrintTheSameCampaignAndTheSameDigestOfItsCasesAndEndStates(@TempDir Path dir) {
    String one = campaign(dir, "0x5eed", 1);
    String three = campaign(dir, "0x5eed", 3);
    assertTrue(one.contains("150 cases in (wall clock)\ndigest "), one);
    // A reconnect followed data in the first round, so rounds two and three ran mutants.
    assertTrue(one.contains("nearest stale miss: ") && !one.contains("no incarnation followed"), one);
    assertEquals(one, three);
  }

  @Test
  void anotherSeedGivesAnotherDigest(@TempDir Path dir) {
    assertNotEquals(campaign(dir, "0x5eed", 1).replace("0x5eed", ""), campaign(dir, "0x5eee", 1).replace("0x5eee", ""));
  }

  @Test
  void aCaseRunTwiceEndsTheSameWayAndItsNeighbourDoesNot() {
    Fuzzer fuzzer = new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    assertEquals(fuzzer.run(0x5eed, 17).digest(), fuzzer.run(0x5eed, 17).digest());
    assertNotEquals(fuzzer.run(0x5eed, 17).digest(), fuzzer.run(0x5eed, 18).digest());
  }

  @Test
  void theSavedGracefulCaseReplayedTwicePutsTheSameSegmentsOnTheWire() throws Exception {
    List<FuzzAction> actions = Fuzzer.parse(Files.readAllLines(
        StaleSegmentSpecTest.FUZZ.resolve("stale-segment-found-by-fuzzer.txt")));
    Fuzzer fuzzer = new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    Fuzzer.Replayed first = fuzzer.replayed(actions, null);
    Fuzzer.Replayed second = fuzzer.replayed(actions, null);
    assertEquals(Fuzzer.INV_STALE, first.broken()[0]);
    assertEquals(first.digest(), second.digest());
    assertTrue(first.world().trace.count() > 1000, "the trace holds the segments: " + first.world().trace.count());
    // Under Linux's defaults the same actions put other segments on the wire.
    Fuzzer linux = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    assertNotEquals(first.digest(), linux.replayed(actions, null).digest());
  }
}
