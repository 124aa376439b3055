package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ScoreboardTest {
  /** Entries wholly inside [s, e) become SACKED, as the connection's SACK walk does; returns how many newly. */
  private static int tagSacked(Scoreboard sb, int s, int e) {
    int newly = 0;
    for (int k = 0; k < sb.count; k++) {
      int i = sb.index(k);
      if (sb.start[i] >= s && sb.end[i] <= e && (sb.flags[i] & Scoreboard.SACKED) == 0) {
        sb.sack(i);
        newly++;
      }
    }
    return newly;
  }

  private static Scoreboard tenSegments() {
    Scoreboard sb = new Scoreboard();
    for (int k = 0; k < 10; k++) {
      sb.append(1000 + 100 * k, 1100 + 100 * k, k, false);
    }
    return sb;
  }

  @Test
  void inFlightCountsSentMinusSackedAndLostPlusRetransmitted() {
    Scoreboard sb = tenSegments();
    assertEquals(10, sb.inFlight());
    assertEquals(3, tagSacked(sb, 1300, 1600)); // segments 3, 4, 5
    assertEquals(7, sb.inFlight());
    sb.markHolesLost(); // 0, 1, 2 lie below the highest SACK
    assertEquals(3, sb.countFlag(Scoreboard.LOST));
    assertEquals(4, sb.inFlight());
    sb.retransmitted(sb.index(0), 20);
    assertEquals(5, sb.inFlight());
  }

  @Test
  void aTimeoutMarksEverythingNotSackedLostAndForgetsRetransmittedCopies() {
    Scoreboard sb = tenSegments();
    tagSacked(sb, 1900, 2000);
    sb.retransmitted(sb.index(0), 5);
    sb.markAllLost();
    assertEquals(9, sb.countFlag(Scoreboard.LOST));
    assertEquals(0, sb.countFlag(Scoreboard.RETRANS));
    assertEquals(1, sb.countFlag(Scoreboard.EVER_RETRANS));
    assertEquals(0, sb.inFlight());
    sb.clearMarks();
    assertEquals(10, sb.inFlight());
  }

  @Test
  void withoutSackEachDuplicateAckMarksOneSegmentButNeverTheHead() {
    Scoreboard sb = new Scoreboard();
    sb.append(0, 100, 0, false);
    sb.append(100, 200, 0, false);
    sb.markRenoSacked(5);
    assertEquals(1, sb.countFlag(Scoreboard.SACKED));
    assertEquals(0, sb.flags[sb.index(0)] & Scoreboard.SACKED);
  }

  @Test
  void aCollapseTakesTheNextEntryWithItsPushAndARefillCutsIt() {
    Scoreboard sb = new Scoreboard();
    sb.append(0, 100, 0, false);
    sb.append(100, 200, 0, false);
    sb.append(200, 250, 0, true);
    sb.markAllLost();
    sb.takeFromNext(0, 60); // [0, 160) and [160, 200): the count stays
    assertEquals(3, sb.count);
    assertEquals(160, sb.end[sb.index(0)]);
    assertEquals(160, sb.start[sb.index(1)]);
    sb.takeFromNext(0, 40); // nothing left of the second: it goes, and its lost mark with it
    assertEquals(2, sb.count);
    assertEquals(2, sb.countFlag(Scoreboard.LOST));
    sb.mergeNext(0); // [0, 250), with the PSH the last one had
    assertEquals(1, sb.count);
    assertEquals(250, sb.end[sb.index(0)]);
    assertEquals(Scoreboard.PUSH, sb.flags[sb.index(0)] & Scoreboard.PUSH);
    assertEquals(1, sb.countFlag(Scoreboard.LOST));
  }

  @Test
  void aSplitKeepsTheMarksOnBothPartsAndThePushOnTheEnd() {
    Scoreboard sb = new Scoreboard();
    for (int k = 0; k < 16; k++) { // a full ring: the split grows it
      sb.append(100 * k, 100 * k + 100, k, k == 15);
    }
    sb.markAllLost();
    sb.splitAt(15, 1540);
    assertEquals(17, sb.count);
    assertEquals(17, sb.countFlag(Scoreboard.LOST));
    assertEquals(1540, sb.end[sb.index(15)]);
    assertEquals(0, sb.flags[sb.index(15)] & Scoreboard.PUSH);
    assertEquals(1540, sb.start[sb.index(16)]);
    assertEquals(1600, sb.end[sb.index(16)]);
    assertEquals(Scoreboard.PUSH, sb.flags[sb.index(16)] & Scoreboard.PUSH);
  }

  @Test
  void theWritesPushMovesWithTheEndOfASplitAndComesAlongInAMerge() {
    Scoreboard sb = new Scoreboard();
    sb.append(0, 100, 0, true); // a TSO chunk's end: PSH on the wire only
    sb.append(100, 200, 0, true, true); // a write's end: the skb's own PSH
    assertEquals(0, sb.flags[sb.index(0)] & Scoreboard.WRITE_PUSH);
    sb.splitAt(1, 150);
    assertEquals(0, sb.flags[sb.index(1)] & (Scoreboard.PUSH | Scoreboard.WRITE_PUSH));
    assertEquals(Scoreboard.WRITE_PUSH, sb.flags[sb.index(2)] & Scoreboard.WRITE_PUSH);
    sb.mergeNext(1);
    assertEquals(Scoreboard.WRITE_PUSH, sb.flags[sb.index(1)] & Scoreboard.WRITE_PUSH);
    sb.markAllLost();
    sb.clearMarks();
    assertEquals(Scoreboard.WRITE_PUSH | Scoreboard.PUSH, sb.flags[sb.index(1)]);
  }

  @Test
  void theRingGrowsAndWrapsKeepingOrder() {
    Scoreboard sb = new Scoreboard();
    int seq = -50; // crosses zero, and the arrays grow past 16
    for (int k = 0; k < 40; k++) {
      sb.append(seq, seq + 10, k, false);
      seq += 10;
    }
    assertEquals(40, sb.count);
    assertEquals(-50, sb.start[sb.index(0)]);
    assertEquals(350, sb.end[sb.index(39)]);
    sb.release();
    assertEquals(0, sb.count);
    assertEquals(0, sb.start.length);
  }
}
