package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;

class TcpTimeoutsTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static long[] millis(long... ms) {
    long[] out = new long[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = ms[i] * MS;
    }
    return out;
  }

  private static long[] seconds(long... s) {
    long[] out = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i] * S;
    }
    return out;
  }

  @Test
  void retriesBudgetsAreTheKnownFigures() {
    assertEquals(924_600 * MS, TcpTimeouts.modelTimeoutNanos(15, TcpTimeouts.RTO_MIN_NANOS));
    assertEquals(3_000 * MS, TcpTimeouts.modelTimeoutNanos(3, TcpTimeouts.RTO_MIN_NANOS));
    assertEquals(102_200 * MS, TcpTimeouts.modelTimeoutNanos(8, TcpTimeouts.RTO_MIN_NANOS));
    assertEquals(127 * S, TcpTimeouts.modelTimeoutNanos(6, TcpTimeouts.TIMEOUT_INIT_NANOS));
    // ilog2(120 s / 200 ms) = 9 doublings, then 120 s per retry.
    assertEquals(204_600 * MS, TcpTimeouts.modelTimeoutNanos(9, TcpTimeouts.RTO_MIN_NANOS));
    assertEquals(324_600 * MS, TcpTimeouts.modelTimeoutNanos(10, TcpTimeouts.RTO_MIN_NANOS));
  }

  @Test
  void aSilentPeerAt200msRtoCostsSixteenRetransmissionsAndEtimedoutAt1044s() {
    // The budget starts at the first retransmission (0.2 s), so at 924.6 s only 924.4 s have
    // passed: one more retransmission goes out and the connection fails at the next timeout.
    long[] story = TcpTimeouts.silentPeerScheduleNanos(200 * MS, 15, 0);
    assertArrayEquals(
        millis(0, 200, 600, 1_400, 3_000, 6_200, 12_600, 25_400, 51_000, 102_200, 204_600,
            324_600, 444_600, 564_600, 684_600, 804_600, 924_600, 1_044_600),
        story);
  }

  @Test
  void aSilentPeerAtLoopbacksRtoOf204msGivesUpAfterFifteenRetransmissions() {
    // On a 6.18 kernel (loopback, RTO 204 ms, peer silenced by a route to nowhere) the sender sent
    // a tail loss probe, then 15 RTO retransmissions, and failed at 939.6 s: the same count, the
    // time later by the probe and by the timer wheel's slack on the 120 s timers.
    long[] story = TcpTimeouts.silentPeerScheduleNanos(204 * MS, 15, 0);
    assertEquals(17, story.length); // send, 15 retransmissions, ETIMEDOUT
    assertEquals(208_692 * MS, story[10]);
    assertEquals(928_692 * MS, story[16]);
  }

  @Test
  void userTimeoutReplacesTheRetriesBudgetAndClampsTheTimer() {
    // TCP_USER_TIMEOUT = 5 s, RTO 1 s: retransmissions at 1, 3, 7 would overshoot; the timer is
    // clamped so the connection fails exactly 5 s after the first retransmission.
    long[] story = TcpTimeouts.silentPeerScheduleNanos(1 * S, 15, 5 * S);
    assertArrayEquals(seconds(0, 1, 3, 6), story);
    assertTrue(TcpTimeouts.retransmitsTimedOut(6 * S, 1 * S, 2, 15, 5 * S, TcpTimeouts.RTO_MIN_NANOS));
    assertEquals(1 * S, TcpTimeouts.clampRtoToUserTimeoutNanos(4 * S, 5 * S, 1 * S, 5 * S, 4 * MS));
    assertEquals(4 * MS, TcpTimeouts.clampRtoToUserTimeoutNanos(4 * S, 7 * S, 1 * S, 5 * S, 4 * MS));
  }

  @Test
  void noRetransmissionYetMeansNotTimedOutWhateverTheClockSays() {
    assertFalse(TcpTimeouts.retransmitsTimedOut(10_000 * S, 0, 0, 15, 0, TcpTimeouts.RTO_MIN_NANOS));
  }

  @Test
  void orphansRetryEightTimesWhileAliveUnlessConfigured() {
    assertEquals(8, TcpTimeouts.orphanRetries(0, true, false));
    assertEquals(0, TcpTimeouts.orphanRetries(0, false, false));
    assertEquals(0, TcpTimeouts.orphanRetries(3, false, true));
    assertEquals(3, TcpTimeouts.orphanRetries(3, true, true));
  }

  @Test
  void synSentWithDefaultsSendsElevenSynsAndFailsAt131s() {
    // tcp_syn_retries 6, tcp_syn_linear_timeouts 4. Checked against a 6.18 kernel: SYNs at
    // 0, 1.02, 2.04, 3.06, 4.09, 5.11, 7.13, 11.16, 19.35, 35.48, 68.76 and ETIMEDOUT at 134.3 s.
    assertArrayEquals(
        seconds(0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67, 131), TcpTimeouts.synScheduleNanos(6, 4, 0));
  }

  @Test
  void withoutLinearTimeoutsTheClassic127sScheduleReturns() {
    assertArrayEquals(seconds(0, 1, 3, 7, 15, 31, 63, 127), TcpTimeouts.synScheduleNanos(6, 0, 0));
  }

  @Test
  void fewSynRetriesEndOnTheTimeBudgetBeforeTheCount() {
    // syn_retries 2: the count allows 6 retransmissions, but 2 doublings of 1 s budget 7 s.
    assertArrayEquals(seconds(0, 1, 2, 3, 4, 5, 7), TcpTimeouts.synScheduleNanos(2, 4, 0));
    assertEquals(6, TcpTimeouts.synMaxRetransmits(2, 4, true));
    assertEquals(2, TcpTimeouts.synMaxRetransmits(2, 4, false));
  }

  @Test
  void synAckRetransmissionsDoubleFromOneSecondAndTheRequestDiesAt63s() {
    // A 6.18 kernel: SYN-ACKs at 0, 1.02, 3.04, 7.07, 15.26, 31.39 s, none after, request gone.
    assertArrayEquals(seconds(0, 1, 3, 7, 15, 31, 63), TcpTimeouts.synAckScheduleNanos(5));
    assertEquals(120 * S, TcpTimeouts.synAckTimeoutNanos(7));
    assertEquals(120 * S, TcpTimeouts.synAckTimeoutNanos(200));
  }

  @Test
  void keepaliveWithDefaultsResetsAfter7875sOfSilence() {
    assertEquals(7_875 * S, TcpTimeouts.keepaliveGiveUpNanos(7_200 * S, 75 * S, 9));
    assertFalse(TcpTimeouts.keepaliveExpired(7_800 * S, 7_200 * S, 8, 9, 0)); // 9th probe goes out
    assertTrue(TcpTimeouts.keepaliveExpired(7_875 * S, 7_200 * S, 9, 9, 0));
    assertFalse(TcpTimeouts.keepaliveExpired(100 * S, 7_200 * S, 9, 9, 0)); // not idle long enough
    // TCP_USER_TIMEOUT 7300 s: the count no longer matters, the idle time does (after a probe).
    assertTrue(TcpTimeouts.keepaliveExpired(7_300 * S, 7_200 * S, 2, 9, 7_300 * S));
    assertFalse(TcpTimeouts.keepaliveExpired(7_300 * S, 7_200 * S, 0, 9, 7_300 * S));
  }

  @Test
  void keepaliveAsCheckedOnA618Kernel() {
    // TCP_KEEPIDLE 2, TCP_KEEPINTVL 1, TCP_KEEPCNT 3 against a vanished peer: probes at 2.02,
    // 3.04 and 4.07 s, ETIMEDOUT at 5.09 s.
    assertEquals(5 * S, TcpTimeouts.keepaliveGiveUpNanos(2 * S, 1 * S, 3));
    assertFalse(TcpTimeouts.keepaliveExpired(4 * S, 2 * S, 2, 3, 0));
    assertTrue(TcpTimeouts.keepaliveExpired(5 * S, 2 * S, 3, 3, 0));
  }

  @Test
  void aShrunkWindowWithDataInFlightGivesUpAfter240sOfSilence() {
    // From tcp_rtx_probe0_timed_out as of 6.10 (read, not measured): firings at 222 s and 342 s
    // after the last segment received.
    assertFalse(TcpTimeouts.rtxProbe0TimedOut(222 * S, 0, 222 * S, 0));
    assertTrue(TcpTimeouts.rtxProbe0TimedOut(342 * S, 0, 342 * S, 0));
    // A peer that keeps answering (with a zero window) is never given up on.
    assertFalse(TcpTimeouts.rtxProbe0TimedOut(342 * S, 300 * S, 342 * S, 0));
    // TCP_USER_TIMEOUT 30 s: retransmissions without progress for longer than that end it.
    assertTrue(TcpTimeouts.rtxProbe0TimedOut(40 * S, 39 * S, 31 * S, 30 * S));
  }

  @Test
  void zeroWindowProbesBackOffTo120sAndASilentPeerIsDroppedAfterRetries2Probes() {
    // A 6.18 kernel: probes 120 s apart once backed off, ETIMEDOUT at the firing after the 15th.
    long[] story = TcpTimeouts.silentPeerPersistScheduleNanos(200 * MS, 15);
    assertArrayEquals(
        millis(200, 600, 1_400, 3_000, 6_200, 12_600, 25_400, 51_000, 102_200, 204_600, 324_600,
            444_600, 564_600, 684_600, 804_600, 924_600),
        story);
    assertEquals(300 * MS, TcpTimeouts.probe0WhenNanos(300 * MS, 0, TcpTimeouts.RTO_MAX_NANOS));
    assertEquals(200 * MS, TcpTimeouts.probe0BaseNanos(50 * MS));
    assertTrue(TcpTimeouts.probeTimerExpired(1, 15, 10 * S, 10 * S));
    assertFalse(TcpTimeouts.probeTimerExpired(14, 15, 10 * S, 0));
  }

  @Test
  void shortTimersLandOnTheTimerWheelsStepAsTheKernelRoundsThem() {
    // A 1 s RTO (a SYN's, or one backed off to 1 s): 250 jiffies at HZ=250, level 1 (8-jiffy
    // steps), fires at jiffy 256; 1,000 jiffies at HZ=1000, level 2 (64-jiffy steps), fires at
    // jiffy 1,024. Both 1.024 s.
    assertEquals(Nanos.millis(1_024), TcpTimeouts.timerWheelDelayNanos(0, Nanos.seconds(1), 250));
    assertEquals(Nanos.millis(1_024), TcpTimeouts.timerWheelDelayNanos(0, Nanos.seconds(1), 1000));
    // Armed at 1.024 s for the next second: jiffy 506 -> 512 at HZ=250; 2,024 -> 2,048 at 1000.
    assertEquals(Nanos.millis(1_024),
        TcpTimeouts.timerWheelDelayNanos(Nanos.millis(1_024), Nanos.seconds(1), 250));
    assertEquals(Nanos.millis(1_024),
        TcpTimeouts.timerWheelDelayNanos(Nanos.millis(1_024), Nanos.seconds(1), 1000));
    // Below 63 jiffies a timer is on level 0 and fires one tick past its expiry: the 40 ms
    // delayed-ACK timer (TCP_DELACK_MIN, 10 jiffies) at 44 ms at HZ=250. At HZ=1000 40 jiffies
    // are level 0 as well: 41 ms.
    assertEquals(Nanos.millis(44), TcpTimeouts.timerWheelDelayNanos(0, Nanos.millis(40), 250));
    assertEquals(Nanos.millis(41), TcpTimeouts.timerWheelDelayNanos(0, Nanos.millis(40), 1000));
    // jiffies + when: armed mid-jiffy (1.5 ms into jiffy 1 at HZ=250), 40 ms expires at jiffy 11
    // (44 ms), and fires at jiffy 12, 48 ms: 42.5 ms after the arming, not 44.
    assertEquals(Nanos.millis(44),
        TcpTimeouts.timerExpiresNanos(Nanos.micros(5_500), Nanos.millis(40), 250));
    assertEquals(Nanos.micros(42_500),
        TcpTimeouts.timerWheelDelayNanos(Nanos.micros(5_500), Nanos.millis(40), 250));
    // A delay that is not whole jiffies is rounded up first (usecs_to_jiffies): 201 ms is 51.
    assertEquals(Nanos.millis(204), TcpTimeouts.timerExpiresNanos(0, Nanos.millis(201), 250));
    // jiffies + 0 (a delayed ACK with ato 0) fires at the next tick.
    assertEquals(Nanos.millis(3), TcpTimeouts.timerWheelDelayNanos(Nanos.millis(1), 0, 250));
  }

  @Test
  void longTimersLandOnTheTimerWheelsStepAsTheKernelRoundsThem() {
    // TIME-WAIT's 60 s armed at 0: level 3 at HZ=250 (512 jiffies = 2.048 s), level 4 at
    // HZ=1000 (4,096 jiffies = 4.096 s); both fire at 61.44 s.
    assertEquals(Nanos.millis(61_440), TcpTimeouts.timerWheelDelayNanos(0, Nanos.seconds(60), 250));
    assertEquals(Nanos.millis(61_440), TcpTimeouts.timerWheelDelayNanos(0, Nanos.seconds(60), 1000));
    // Armed at 1 s at HZ=1000: due at jiffy 61,000, rounded up to 61,440: 60.44 s later.
    assertEquals(Nanos.millis(60_440),
        TcpTimeouts.timerWheelDelayNanos(Nanos.seconds(1), Nanos.seconds(60), 1000));
    // Level 0 still moves a timer to the next jiffy: 200 ms at HZ=250 fires at 204 ms.
    assertEquals(Nanos.millis(204), TcpTimeouts.timerWheelDelayNanos(0, Nanos.millis(200), 250));
    // The slack is never a whole step: at most 2.048 s late for 60 s at HZ=250, wherever armed.
    for (long at = 0; at < Nanos.seconds(5); at += Nanos.millis(37)) {
      long d = TcpTimeouts.timerWheelDelayNanos(at, Nanos.seconds(60), 250);
      assertTrue(d >= Nanos.seconds(60) && d <= Nanos.seconds(60) + Nanos.millis(2048),
          Nanos.format(at) + " -> " + Nanos.format(d));
    }
    // tcpsim.config_hz = 0: exact.
    assertEquals(Nanos.seconds(60), TcpTimeouts.timerWheelDelayNanos(7, Nanos.seconds(60), 0));
    assertEquals(7 + Nanos.seconds(60), TcpTimeouts.timerExpiresNanos(7, Nanos.seconds(60), 0));
    assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.defaults().with(Sysctl.CONFIG_HZ, 300));
  }
}
