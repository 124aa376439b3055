package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tcpsim.net.tcp.RenoCongestion.CaState;

class RenoCongestionTest {
  /** One ACK of {@code segs} new in-order segments by a window-limited sender. */
  private static void ack(RenoCongestion cc, int segs) {
    cc.congControl(segs, 0, true, true, true, 0);
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
    cc.congControl(5, 0, true, true, false, 0);
    assertEquals(10, cc.cwnd());
    assertTrue(cc.isCwndLimited(false, 6)); // slow start: cwnd 10 < 2 x 6
    assertFalse(cc.isCwndLimited(false, 5));
  }

  @Test
  void congestionAvoidanceAddsOneSegmentPerWindowAcked() {
    RenoCongestion cc = new RenoCongestion();
    cc.onEstablished(0);
    for (int i = 0; i < 30; i++) {
      ack(cc, 1); // cwnd 40
    }
    cc.enterRecovery(1000, 40); // ssthresh 20
    cc.onHighSeqAcked(1000); // recovery over: cwnd = ssthresh = 20
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
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 26; i++) {
      ack(cc, 1); // cwnd 36
    }
    cc.enterLoss(0, 100, 0, 0, 36); // ssthresh 18, cwnd 1
    ack(cc, 16); // 1 + 16 = 17 < 18
    assertEquals(17, cc.cwnd());
    ack(cc, 5); // 1 more reaches 18, 4 left over count toward the next increase
    assertEquals(18, cc.cwnd());
    assertEquals(4, cc.cwndCnt());
  }

  @Test
  void fastRecoveryHalvesTheWindowWithProportionalRateReduction() {
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 10; i++) {
      ack(cc, 1); // cwnd 20, all in flight
    }
    // Three duplicate ACKs with SACK: 3 sacked, 1 marked lost -> 16 in flight.
    cc.enterRecovery(5000, 20);
    assertEquals(10, cc.ssthresh());
    assertEquals(20, cc.priorCwnd());
    cc.congControl(1, 1, false, false, true, 16);
    assertEquals(17, cc.cwnd()); // room for exactly the fast retransmission
    cc.onSegmentsSent(1);
    cc.congControl(1, 0, false, false, true, 16); // 10*2/20 = 1 allowed, 1 already sent
    assertEquals(16, cc.cwnd());
    cc.congControl(1, 0, false, false, true, 15); // ceil(10*3/20) = 2 allowed, 1 sent
    assertEquals(16, cc.cwnd());
    cc.onSegmentsSent(1);
    // Once in flight is below ssthresh, PRR catches up no faster than slow start.
    cc.congControl(2, 0, false, false, true, 7);
    assertEquals(10, cc.cwnd()); // 7 + min(10 - 7, max(5 - 2, 2))
    assertFalse(cc.onHighSeqAcked(4999));
    assertTrue(cc.onHighSeqAcked(5000));
    assertEquals(CaState.OPEN, cc.state());
    assertEquals(10, cc.cwnd()); // tcp_end_cwnd_reduction: cwnd = ssthresh
    assertThrows(IllegalStateException.class, () -> {
      cc.enterRecovery(6000, 10);
      cc.enterRecovery(6000, 10);
    });
  }

  @Test
  void theRfcRuleHalvesTheFlightSizeInsteadOfTheWindow() {
    RenoCongestion linux = new RenoCongestion();
    RenoCongestion rfc = new RenoCongestion(true);
    for (int i = 0; i < 10; i++) {
      ack(linux, 1);
      ack(rfc, 1);
    }
    linux.enterRecovery(100, 12); // cwnd 20, only 12 outstanding
    rfc.enterRecovery(100, 12);
    assertEquals(10, linux.ssthresh());
    assertEquals(6, rfc.ssthresh());
  }

  @Test
  void aTimeoutCollapsesTheWindowToOneAndRepeatedTimeoutsKeepSsthresh() {
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 10; i++) {
      ack(cc, 1); // cwnd 20
    }
    cc.enterLoss(1000, 30_000, 0, 0, 20);
    assertEquals(CaState.LOSS, cc.state());
    assertEquals(1, cc.cwnd());
    assertEquals(10, cc.ssthresh());
    cc.enterLoss(1000, 30_000, 0, 1, 1); // the retransmission timed out too: same episode
    assertEquals(10, cc.ssthresh());
    assertEquals(1, cc.cwnd());
    ack(cc, 1); // slow start again from one segment
    ack(cc, 1);
    assertEquals(3, cc.cwnd());
    assertFalse(cc.onHighSeqAcked(2000));
    assertTrue(cc.onHighSeqAcked(30_000));
    assertEquals(3, cc.cwnd()); // leaving loss keeps the rebuilt window
  }

  @Test
  void aTimeoutDuringRecoveryDoesNotReduceSsthreshTwice() {
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 10; i++) {
      ack(cc, 1); // cwnd 20
    }
    cc.enterRecovery(30_000, 20); // ssthresh 10
    cc.congControl(1, 1, false, false, true, 16);
    cc.enterLoss(1000, 30_000, 2, 0, 20);
    assertEquals(10, cc.ssthresh());
    assertEquals(3, cc.cwnd()); // in flight + 1
  }

  @Test
  void idleForFiveRtosRestartsFromTheInitialWindow() {
    RenoCongestion cc = new RenoCongestion();
    for (int i = 0; i < 30; i++) {
      ack(cc, 1); // cwnd 40
    }
    cc.restartAfterIdle(100_000_000L, 200_000_000L); // shorter than the RTO: nothing
    assertEquals(40, cc.cwnd());
    cc.restartAfterIdle(1_000_000_000L, 200_000_000L); // 40 -> 20 -> 10
    assertEquals(10, cc.cwnd());
    assertEquals(RenoCongestion.INFINITE_SSTHRESH, cc.ssthresh());

    RenoCongestion ca = new RenoCongestion();
    for (int i = 0; i < 30; i++) {
      ack(ca, 1);
    }
    ca.enterLoss(0, 1, 0, 0, 40); // ssthresh 20
    for (int i = 0; i < 19; i++) {
      ack(ca, 1); // back to 20
    }
    ca.restartAfterIdle(300_000_000L, 200_000_000L); // 1.5 RTOs idle: one halving, 20 -> 10
    assertEquals(10, ca.cwnd());
    assertEquals(20, ca.ssthresh()); // max(20, 3/4 of 20)
  }
}
