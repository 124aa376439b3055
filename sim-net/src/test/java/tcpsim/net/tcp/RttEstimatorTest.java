package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Numbers worked out by hand from tcp_rtt_estimator / tcp_set_rto at HZ=250. */
class RttEstimatorTest {
  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;

  @Test
  void beforeAnySampleTheRtoIsOneSecond() {
    RttEstimator rtt = new RttEstimator();
    assertFalse(rtt.hasSample());
    assertEquals(1_000 * MS, rtt.rtoNanos());
    assertEquals(0, rtt.srttNanos());
  }

  @Test
  void firstSampleGivesSrttRAndRttvarTwoRFlooredAtRtoMin() {
    RttEstimator rtt = new RttEstimator();
    assertTrue(rtt.sample(100 * MS, 1001, 1001));
    assertEquals(100 * MS, rtt.srttNanos());
    assertEquals(200 * MS, rtt.rttvarNanos()); // max(2R, 200 ms)
    assertEquals(300 * MS, rtt.rtoNanos());
  }

  @Test
  void loopbackRtoIsSrttPlus200msRoundedUpToAJiffy() {
    // A 50 us loopback RTT: 200.050 ms rounds up to 51 jiffies of 4 ms. ss -i on a 6.18 kernel
    // with HZ=250 shows rto:204 for a loopback connection.
    RttEstimator rtt = new RttEstimator();
    rtt.sample(50 * US, 1, 1);
    assertEquals(204 * MS, rtt.rtoNanos());
    RttEstimator hz1000 = new RttEstimator(1000, RttEstimator.RTO_MIN_NANOS, RttEstimator.RTO_MAX_NANOS);
    hz1000.sample(50 * US, 1, 1);
    assertEquals(201 * MS, hz1000.rtoNanos());
  }

  @Test
  void aSpikeRaisesRttvarAtOnceAndItDecaysAQuarterPerRoundTrip() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 1001, 1001); // round trip ends when snd_una passes 1001
    rtt.sample(500 * MS, 2001, 3001); // srtt 150 ms, mdev 550 ms -> rttvar 550 ms
    assertEquals(150 * MS, rtt.srttNanos());
    assertEquals(550 * MS, rtt.rttvarNanos());
    assertEquals(700 * MS, rtt.rtoNanos());
    rtt.sample(150 * MS, 4001, 5001); // snd_una passed 3001: a new round trip; mdev 412.5 ms; rttvar decays by (550-412.5)/4
    assertEquals(150 * MS, rtt.srttNanos());
    assertEquals(515_625 * US, rtt.rttvarNanos());
    assertEquals(668 * MS, rtt.rtoNanos()); // 665.625 ms -> 167 jiffies
  }

  @Test
  void withinOneRoundTripRttvarDoesNotDecay() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 1001, 1001);
    rtt.sample(120 * MS, 1001, 2001); // snd_una not past rtt_seq: no decay, mdev 170 ms < 200
    assertEquals(102_500 * US, rtt.srttNanos());
    assertEquals(200 * MS, rtt.rttvarNanos());
    assertEquals(304 * MS, rtt.rtoNanos()); // 302.5 ms -> 76 jiffies
  }

  @Test
  void karnNoSampleFromRetransmittedDataKeepsTheBackedOffRto() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 1001, 1001);
    rtt.backoff();
    rtt.backoff();
    assertEquals(1_200 * MS, rtt.rtoNanos());
    assertEquals(2, rtt.backoffCount());
    assertFalse(rtt.sample(-1, 2001, 2001)); // the ACK covered a retransmission, no timestamps
    assertEquals(1_200 * MS, rtt.rtoNanos());
    assertEquals(2, rtt.backoffCount());
    assertTrue(rtt.sample(100 * MS, 3001, 3001)); // a clean sample recomputes and clears backoff
    assertEquals(0, rtt.backoffCount());
    assertEquals(300 * MS, rtt.rtoNanos());
  }

  @Test
  void backoffDoublesUpTo120Seconds() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 1, 1);
    for (int i = 0; i < 8; i++) {
      rtt.backoff();
    }
    assertEquals(76_800 * MS, rtt.rtoNanos()); // 300 ms << 8
    rtt.backoff();
    assertEquals(120_000 * MS, rtt.rtoNanos());
    rtt.backoff();
    assertEquals(120_000 * MS, rtt.rtoNanos());
    assertEquals(10, rtt.backoffCount());
  }

  @Test
  void backedOffRtoShiftsTheUndoubledRtoAsInetCskRtoBackoff() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 1, 1);
    rtt.countProbeBackoff(15);
    rtt.countProbeBackoff(15);
    assertEquals(300 * MS, rtt.rtoNanos());
    assertEquals(1_200 * MS, rtt.backedOffRtoNanos());
    for (int i = 0; i < 20; i++) {
      rtt.countProbeBackoff(15);
    }
    assertEquals(15, rtt.backoffCount());
    assertEquals(120_000 * MS, rtt.backedOffRtoNanos());
    rtt.resetBackoff();
    assertEquals(300 * MS, rtt.backedOffRtoNanos());
  }

  @Test
  void handshakeWithoutSampleFallsBackToThreeSeconds() {
    RttEstimator rtt = new RttEstimator();
    rtt.handshakeWithoutSample();
    assertEquals(3_000 * MS, rtt.rtoNanos());
    rtt.sample(100 * MS, 1, 1);
    assertEquals(300 * MS, rtt.rtoNanos());
    rtt.handshakeWithoutSample(); // a sample exists: no effect
    assertEquals(300 * MS, rtt.rtoNanos());
  }

  @Test
  void sequenceRoundTripsWorkAcrossTheWrap() {
    RttEstimator rtt = new RttEstimator();
    rtt.sample(100 * MS, 0xfffffff0, 0xfffffff0);
    rtt.sample(500 * MS, 0x10, 0x20); // 0x10 is after 0xfffffff0 modulo 2^32: a new round trip
    rtt.sample(150 * MS, 0x30, 0x40); // 0x30 is past rtt_seq 0x20
    assertEquals(515_625 * US, rtt.rttvarNanos());
  }

  @Test
  void aTickRateThatIsNotAWholeNumberOfMicrosecondsIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RttEstimator(300, RttEstimator.RTO_MIN_NANOS, RttEstimator.RTO_MAX_NANOS));
    assertTrue(e.getMessage().contains("300"), e.getMessage());
  }
}
