package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** A campaign's finding depends on the run seed only: not on the number of jobs, not on the run. */
class FuzzDeterminismTest {
  /** With no workaround for the known stack bugs the fuzzer quickly finds one of them. */
  private static Fuzzer.Finding find(int jobs) throws InterruptedException {
    Fuzzer f = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.NONE, Fuzzer.DEFAULT_MAX_ACTIONS);
    return f.campaign(0x5eed, 400, jobs, 0, n -> {}).first();
  }

  @Test
  void oneJobAndThreeJobsFindTheSameCaseAndShrinkItTheSameWay() throws Exception {
    Fuzzer.Finding one = find(1);
    Fuzzer.Finding three = find(3);
    assertNotNull(one, "seed 0x5eed, 400 cases, --known-bugs none: expected a known stack bug");
    assertEquals(one.caseIndex(), three.caseIndex());
    assertEquals(one.actions(), three.actions());
    assertEquals(one.invariant(), three.invariant());
    assertEquals(one.detail(), three.detail());
  }

  @Test
  void oneCaseRunAloneIsTheCaseTheCampaignRan() throws Exception {
    Fuzzer.Finding inCampaign = find(1);
    Fuzzer alone = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.NONE, Fuzzer.DEFAULT_MAX_ACTIONS);
    Fuzzer.Finding replayed = alone.runCase(0x5eed, inCampaign.caseIndex());
    assertEquals(inCampaign.actions(), replayed.actions());
    assertEquals(inCampaign.caseSeed(), replayed.caseSeed());
  }
}
