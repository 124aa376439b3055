package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stale-segment cases the fuzzer found and shrank, replayed from specs/fuzz/. After an
 * abortive close (no TIME_WAIT at all) an old copy's bytes enter the next incarnation under any
 * setting; the TIME_WAIT invariant does not hold such incarnations against TIME_WAIT.
 */
class StaleSegmentSpecTest {
  static final Path FUZZ = Path.of("").toAbsolutePath().getParent().resolve("specs/fuzz");

  private static String[] replay(String spec, FuzzConfig config, FuzzWorld.StaleScope scope) throws Exception {
    List<FuzzAction> actions = Fuzzer.parse(Files.readAllLines(FUZZ.resolve(spec)));
    return new Fuzzer(config, KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS, scope).replay(actions, null);
  }

  @Test
  void afterAnAbortiveCloseOldDataEntersTheNextIncarnationEvenUnderLinuxDefaults() throws Exception {
    for (FuzzConfig config : new FuzzConfig[] {FuzzConfig.shortTimeWait(), FuzzConfig.linux()}) {
      String[] broken = replay("stale-segment-after-abort.txt", config, FuzzWorld.StaleScope.ANY);
      assertNotNull(broken, "replay: ./tcpsim fuzz --config " + config.name()
          + " --stale-scope any --replay specs/fuzz/stale-segment-after-abort.txt");
      assertEquals(Fuzzer.INV_STALE, broken[0]);
      assertTrue(broken[1].contains("sent in incarnation 1") && broken[1].contains("incarnation 2's client"),
          broken[1]);
    }
  }

  @Test
  void theTimeWaitInvariantDoesNotHoldAnAbortedIncarnationAgainstTimeWait() throws Exception {
    assertNull(replay("stale-segment-after-abort.txt", FuzzConfig.linux(), FuzzWorld.StaleScope.GRACEFUL));
  }

  @Test
  void theShrunkCaseIsAHandfulOfActions() throws Exception {
    assertTrue(Fuzzer.parse(Files.readAllLines(FUZZ.resolve("stale-segment-after-abort.txt"))).size() <= 10);
  }
}
