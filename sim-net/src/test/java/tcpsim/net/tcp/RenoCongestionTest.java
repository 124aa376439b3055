package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Window arithmetic driven the way tcp_ack drives it; the tests play the connection's part. */
class RenoCongestionTest {
  /** One ACK of {@code segs} new in-order segments by a window-limited sender in OPEN. */
  private static void ack(RenoCongestion cc, int segs) {
    cc.congControl(CaState.OPEN, segs, 0, true, true, true, 0);
  }

  private static RenoCongestion grownTo(int cwnd) {
    RenoCongestion cc = new RenoCongestion();
    ack(cc, cwnd - RenoCongestion.INIT_CWND);
    return cc;
  }

  @Test
  void startsWithTenSegmentsOrOneAfterARepeatedlyLostSyn() {
    RenoCongestion cc = new RenoCongestion();
    cc.onEstablished(0);
    assertEquals(10, cc.cwnd());
    assertEquals(RenoCongestion.INFINITE_SSTHRESH, cc.ssthresh());
    cc.onEstablished(1); // one SYN retransmission is forgiven
    assertEquals(10, cc.cwnd());
    cc.onEstablished(2);
    assertEquals(1, cc.cwnd());
  }

  @Test
  void connectionsShareTheInitialStateUntilTheirWindowFirstChanges() {
    RenoCongestion initial = RenoCongestion.initial(false);
    assertSame(initial, initial.onEstablished(1)); // IW10: nothing changes, nothing is made
    RenoCongestion reduced = initial.onEstablished(2);
    assertNotSame(initial, reduced);
    assertEquals(1, reduced.cwnd());
    assertEquals(10, initial.cwnd()); // the shared state is untouched

    RenoCongestion own = initial.owned();
    assertNotSame(initial, own);
    assertSame(own, own.owned());
    ack(own, 1);
    assertEquals(11, own.cwnd());
  }

  @Test
  void theSharedInitialStateRefusesAnyChange() {
    RenoCongestion initial = RenoCongestion.initial(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ack(initial, 1));
    assertTrue(e.getMessage().contains("owned()"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> initial.enterRecovery(4));
    assertEquals(10, initial.cwnd());
  }

  @Test
  void slowStartDoublesPerRoundTripAndCountsStretchAcks() {
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 10; i++) {
      ack(cc, 1);
    }
    assertEquals(20, cc.cwnd()); // one round trip of ten ACKs
    for (int i = 0; i < 10; i++) {
      ack(cc, 2); // delayed ACKs, two segments each
    }
    assertEquals(40, cc.cwnd());
  }

  @Test
  void anApplicationLimitedSenderDoesNotGrowItsWindow() {
    RenoCongestion cc = new RenoCongestion();
    cc.congControl(CaState.OPEN, 5, 0, true, true, false, 0);
    assertEquals(10, cc.cwnd());
    assertTrue(cc.isCwndLimited(false, 6)); // slow start: cwnd 10 < 2 x 6
    assertFalse(cc.isCwndLimited(false, 5));
  }

  @Test
  void congestionAvoidanceAddsOneSegmentPerWindowAcked() {
    RenoCongestion cc = grownTo(40);
    cc.enterRecovery(40); // ssthresh 20
    cc.endRecovery(); // snd_una reached high_seq: cwnd = ssthresh
    assertEquals(20, cc.cwnd());
    assertEquals(20, cc.ssthresh());
    for (int i = 0; i < 19; i++) {
      ack(cc, 1);
    }
    assertEquals(20, cc.cwnd());
    assertEquals(19, cc.cwndCnt());
    ack(cc, 1);
    assertEquals(21, cc.cwnd());
    assertEquals(0, cc.cwndCnt());
  }

  @Test
  void slowStartCarriesTheAcksPastSsthreshIntoCongestionAvoidance() {
    RenoCongestion cc = grownTo(36);
    cc.enterLoss(CaState.OPEN, false, 0, 0, 36); // ssthresh 18, cwnd 1
    cc.congControl(CaState.LOSS, 16, 0, true, true, true, 0); // 1 + 16 = 17 < 18
    assertEquals(17, cc.cwnd());
    cc.congControl(CaState.LOSS, 5, 0, true, true, true, 0); // 1 reaches 18, 4 carried over
    assertEquals(18, cc.cwnd());
    assertEquals(4, cc.cwndCnt());
  }

  @Test
  void fastRecoveryHalvesTheWindowWithProportionalRateReduction() {
    RenoCongestion cc = grownTo(20); // all 20 in flight
    // Three duplicate ACKs with SACK: 3 sacked, 1 marked lost -> 16 in flight.
    cc.enterRecovery(20);
    assertEquals(10, cc.ssthresh());
    assertEquals(20, cc.priorCwnd());
    cc.congControl(CaState.RECOVERY, 1, 1, false, false, true, 16);
    assertEquals(17, cc.cwnd()); // room for exactly the fast retransmission
    cc.onSentInRecovery(1);
    cc.congControl(CaState.RECOVERY, 1, 0, false, false, true, 16); // 10*2/20 = 1 allowed, 1 sent
    assertEquals(16, cc.cwnd());
    cc.congControl(CaState.RECOVERY, 1, 0, false, false, true, 15); // ceil(10*3/20) = 2, 1 sent
    assertEquals(16, cc.cwnd());
    cc.onSentInRecovery(1);
    // Once in flight is below ssthresh, PRR catches up no faster than slow start.
    cc.congControl(CaState.RECOVERY, 2, 0, false, false, true, 7);
    assertEquals(10, cc.cwnd()); // 7 + min(10 - 7, max(5 - 2, 2))
    cc.endRecovery();
    assertEquals(10, cc.cwnd()); // tcp_end_cwnd_reduction: cwnd = ssthresh
  }

  @Test
  void theRfcRuleHalvesTheFlightSizeInsteadOfTheWindow() {
    RenoCongestion linux = grownTo(20);
    RenoCongestion rfc = new RenoCongestion(true);
    ack(rfc, 10);
    linux.enterRecovery(12); // cwnd 20, only 12 outstanding
    rfc.enterRecovery(12);
    assertEquals(10, linux.ssthresh());
    assertEquals(6, rfc.ssthresh());
  }

  @Test
  void underCubicALossKeepsSevenTenthsOfTheWindow() {
    RenoCongestion cubic = RenoCongestion.withCubicBeta();
    ack(cubic, 10); // cwnd 20
    cubic.enterRecovery(12);
    assertEquals(14, cubic.ssthresh()); // bictcp_recalc_ssthresh: 20 * 717 / 1024
    RenoCongestion small = RenoCongestion.withCubicBeta().owned();
    small.enterLoss(CaState.OPEN, false, 0, 0, 2);
    assertEquals(7, small.ssthresh()); // 10 * 717 / 1024
    assertEquals(1, small.cwnd());
    assertEquals(Linux.CA_RECOVERY, CaState.RECOVERY.linuxValue());
    assertEquals(Linux.CA_LOSS, CaState.LOSS.linuxValue());
  }

  /** enum tcp_ca_state (include/uapi/linux/tcp.h): what tcpi_ca_state reports. */
  private static final class Linux {
    static final int CA_RECOVERY = 3;
    static final int CA_LOSS = 4;
  }

  @Test
  void aTimeoutCollapsesTheWindowToOneAndRepeatedTimeoutsKeepSsthresh() {
    RenoCongestion cc = grownTo(20);
    cc.enterLoss(CaState.OPEN, false, 0, 0, 20);
    assertEquals(1, cc.cwnd());
    assertEquals(10, cc.ssthresh());
    cc.enterLoss(CaState.LOSS, true, 1, 0, 1); // the retransmission timed out too: same episode
    assertEquals(10, cc.ssthresh());
    assertEquals(1, cc.cwnd());
    cc.congControl(CaState.LOSS, 1, 0, true, true, true, 0); // slow start again from one
    cc.congControl(CaState.LOSS, 1, 0, true, true, true, 0);
    assertEquals(3, cc.cwnd());
    // A timeout after the episode ended (high_seq acked) reduces again: 3 -> ssthresh 2.
    cc.enterLoss(CaState.LOSS, false, 0, 0, 3);
    assertEquals(2, cc.ssthresh());
  }

  @Test
  void aTimeoutFoundSpuriousGetsItsWindowAndSsthreshBack() {
    RenoCongestion cc = grownTo(20);
    cc.enterLoss(CaState.OPEN, false, 0, 0, 20); // ssthresh 10, cwnd 1
    cc.congControl(CaState.LOSS, 1, 0, true, true, true, 0); // 2
    cc.undoReduction();
    assertEquals(20, cc.cwnd(), "the window as before the timeout");
    assertTrue(cc.ssthresh() >= 15, "ssthresh back to at least 3/4 of that window: " + cc.ssthresh());
  }

  @Test
  void aTimeoutDuringRecoveryDoesNotReduceSsthreshTwice() {
    RenoCongestion cc = grownTo(20);
    cc.enterRecovery(20); // ssthresh 10
    cc.congControl(CaState.RECOVERY, 1, 1, false, false, true, 16);
    cc.enterLoss(CaState.RECOVERY, true, 0, 2, 20);
    assertEquals(10, cc.ssthresh());
    assertEquals(3, cc.cwnd()); // in flight + 1
  }

  @Test
  void idleForFiveRtosRestartsFromTheInitialWindow() {
    RenoCongestion cc = grownTo(40);
    cc.restartAfterIdle(CaState.OPEN, 100_000_000L, 200_000_000L); // shorter than the RTO
    assertEquals(40, cc.cwnd());
    cc.restartAfterIdle(CaState.OPEN, 1_000_000_000L, 200_000_000L); // 40 -> 20 -> 10
    assertEquals(10, cc.cwnd());
    assertEquals(RenoCongestion.INFINITE_SSTHRESH, cc.ssthresh());

    RenoCongestion ca = grownTo(40);
    ca.enterLoss(CaState.OPEN, false, 0, 0, 40); // ssthresh 20
    ca.congControl(CaState.LOSS, 19, 0, true, true, true, 0); // back to 20
    ca.restartAfterIdle(CaState.OPEN, 300_000_000L, 200_000_000L); // 1.5 RTOs: 20 -> 10
    assertEquals(10, ca.cwnd());
    assertEquals(20, ca.ssthresh()); // max(20, 3/4 of 20)
  }
}
