package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The fuzzer's quick run in the suite: a few hundred teardown cases under Linux's defaults over a
 * fixed seed list, every invariant checked after every action. A failure prints the shrunk case
 * and the command that replays it.
 */
class FuzzQuickRunTest {
  static final long[] SEEDS = {0x5eed, 0x1, 0x2a, 0xdecaf};
  static final int CASES_PER_SEED = 75;

  @Test
  void threeHundredTeardownCasesUnderLinuxDefaultsBreakNoInvariant() throws Exception {
    Fuzzer fuzzer = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS);
    int run = 0;
    long wall = 0;
    for (long seed : SEEDS) {
      Fuzzer.Campaign c = fuzzer.campaign(seed, CASES_PER_SEED, 1, 0, n -> {});
      Fuzzer.Finding f = c.first();
      assertNull(f, () -> "replay: ./tcpsim fuzz --config linux --seed 0x" + Long.toHexString(seed)
          + " --case " + f.caseIndex() + "\n" + f.message());
      assertEquals(CASES_PER_SEED, c.casesRun());
      run += c.casesRun();
      wall += c.wallNanos();
    }
    System.out.printf("fuzz quick run: %d cases, %.0f cases/s%n", run, run / (wall / 1e9));
  }
}
