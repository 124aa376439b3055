package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;

/** RACK's loss detection on a scoreboard, as tcp_recovery.c does it (RFC 8985 §6). */
class RackTest {
  private static final long MS = Nanos.PER_MILLI;
  private static final int MIN_RTT_US = 30_000;

  /** Three segments of 1000 bytes from 1000, all sent at 10 ms. */
  private static Scoreboard threeSegments() {
    Scoreboard sb = new Scoreboard();
    for (int k = 0; k < 3; k++) {
      sb.append(1000 + 1000 * k, 2000 + 1000 * k, 10 * MS, false);
    }
    return sb;
  }

  /** SACKs entry {@code k} at {@code now} and lets RACK see it, as tcp_sacktag_one does. */
  private static void sack(Scoreboard sb, Rack rack, int k, long now) {
    int i = sb.index(k);
    byte before = sb.flags[i];
    sb.sack(i);
    rack.advance(before, sb.end[i], sb.time[i], now, MIN_RTT_US);
  }

  @Test
  void aSegmentSentBeforeASackedOneIsLostOnceTheRttAndTheReorderingWindowHavePassed() {
    Scoreboard sb = threeSegments();
    Rack rack = new Rack(3);
    sack(sb, rack, 2, 40 * MS); // delivered 30 ms after it was sent
    long reo = rack.reoWndNanos(false, 1, true, MIN_RTT_US, 30 * MS);
    assertEquals(7_500 * 1000L, reo, "a quarter of the minimum RTT");
    assertTrue(rack.takeAdvanced());
    assertEquals(7_500 * 1000L, rack.detectLoss(sb, 40 * MS, reo), "both wait 7.5 ms more");
    assertEquals(0, sb.countFlag(Scoreboard.LOST));
    assertEquals(0, rack.detectLoss(sb, 47_500 * 1000L, reo));
    assertEquals(2, sb.countFlag(Scoreboard.LOST), "the two sent before the SACKed one");
    assertEquals(0, sb.flags[sb.index(2)] & Scoreboard.LOST);
  }

  @Test
  void noReorderingWindowInRecoveryOrOnceTheSackedSegmentsReachTheReorderingDegree() {
    Rack rack = new Rack(3);
    assertEquals(0, rack.reoWndNanos(true, 1, true, MIN_RTT_US, 30 * MS));
    assertEquals(0, rack.reoWndNanos(false, 3, true, MIN_RTT_US, 30 * MS));
    assertEquals(7_500 * 1000L, rack.reoWndNanos(false, 3, false, MIN_RTT_US, 30 * MS),
        "tcp_recovery bit 4 turns the duplicate-ACK threshold off");
    assertEquals(5 * MS, rack.reoWndNanos(false, 1, true, MIN_RTT_US, 5 * MS), "at most the smoothed RTT");
    rack.reorderingSeen(1000, 3000, 1000, 300);
    assertEquals(7_500 * 1000L, rack.reoWndNanos(true, 1, true, MIN_RTT_US, 30 * MS),
        "once reordering was seen, recovery waits too");
  }

  @Test
  void aRetransmissionAnsweredFasterThanTheMinimumRttTellsNothing() {
    Scoreboard sb = threeSegments();
    Rack rack = new Rack(3);
    sb.retransmitted(sb.index(2), 50 * MS);
    sack(sb, rack, 2, 60 * MS); // 10 ms after the resend: the original must have arrived
    assertFalse(rack.takeAdvanced());
    assertEquals(0, rack.detectLoss(sb, 60 * MS, 0));
    assertEquals(0, sb.countFlag(Scoreboard.LOST));
  }

  @Test
  void aRetransmissionSentBeforeTheLatestDeliveryIsFoundLostAgain() {
    Scoreboard sb = threeSegments();
    Rack rack = new Rack(3);
    int head = sb.index(0);
    sb.markLost(head);
    sb.retransmitted(head, 20 * MS);
    assertEquals(3, sb.inFlight(), "the resent copy counts in flight");
    sb.retransmitted(sb.index(1), 25 * MS);
    sack(sb, rack, 1, 60 * MS); // resent at 25 ms, delivered 35 ms later: not ambiguous
    rack.detectLoss(sb, 60 * MS, 0);
    assertEquals(1, rack.lostRetransmits());
    assertEquals(0, sb.flags[head] & Scoreboard.RETRANS);
    assertEquals(2, sb.countFlag(Scoreboard.LOST), "the head again, and the third, sent at 10 ms");
    assertEquals(0, sb.inFlight());
  }

  @Test
  void dataDeliveredBelowTheHighestSackGrowsTheReorderingDegree() {
    Rack rack = new Rack(3);
    rack.reorderingSeen(5000, 6000, 1000, 300);
    assertEquals(3, rack.reordering(), "one segment below: within the degree");
    rack.reorderingSeen(1000, 6000, 1000, 300);
    assertEquals(5, rack.reordering());
    rack.reorderingSeen(0, 1_000_000, 1000, 300);
    assertEquals(300, rack.reordering(), "net.ipv4.tcp_max_reordering");
    rack.reorderingSeen(7000, 6000, 1000, 300);
    assertEquals(300, rack.reordering());
  }
}
