package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** A campaign's finding depends on the run seed only: not on the number of jobs, not on the run. */
class FuzzDeterminismTest {
  /** The stale-segment search (short TIME_WAIT, any incarnation) finds its case within 7,000. */
  private static Fuzzer fuzzer() {
    return new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS,
        FuzzWorld.StaleScope.ANY);
  }

  private static Fuzzer.Finding find(int jobs) throws InterruptedException {
    return fuzzer().campaign(0x5eed, 7_000, jobs, 0, n -> {}).first();
  }

  @Disabled("needs a seed on which the fuzzer finds a case within a few thousand; since tcp_ack's"
      + " RFC 5961 5.2 check is modelled the stale segment after an abort is no longer one, and no"
      + " other finding is known yet (docs/fuzzing.md)")
  @Test
  void oneJobAndThreeJobsFindTheSameCaseAndShrinkItTheSameWay() throws Exception {
    Fuzzer.Finding one = find(1);
    Fuzzer.Finding three = find(3);
    assertNotNull(one, "seed 0x5eed, 7000 cases, short-time-wait, --stale-scope any: expected the stale segment");
    assertEquals(one.caseIndex(), three.caseIndex());
    assertEquals(one.actions(), three.actions());
    assertEquals(one.invariant(), three.invariant());
    assertEquals(one.detail(), three.detail());
  }

  @Disabled("needs a seed on which the fuzzer finds a case within a few thousand; since tcp_ack's"
      + " RFC 5961 5.2 check is modelled the stale segment after an abort is no longer one, and no"
      + " other finding is known yet (docs/fuzzing.md)")
  @Test
  void oneCaseRunAloneIsTheCaseTheCampaignRan() throws Exception {
    Fuzzer.Finding inCampaign = find(1);
    Fuzzer.Finding replayed = fuzzer().runCase(0x5eed, inCampaign.caseIndex());
    assertEquals(inCampaign.actions(), replayed.actions());
    assertEquals(inCampaign.caseSeed(), replayed.caseSeed());
  }
}
