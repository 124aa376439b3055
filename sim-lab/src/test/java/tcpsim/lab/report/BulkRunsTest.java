package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.FIN;
import static tcpsim.net.wire.TcpFlags.PSH;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.DropReason;

/** Which segments fold into a band and which stay drawn as arrows. */
class BulkRunsTest {
  private final List<SegmentEvent> segs = new ArrayList<>();
  private long t;
  private int seq = 1;

  private void data(int n) {
    for (int i = 0; i < n; i++) {
      segs.add(SegmentEvent.delivered(t, t + 10, "a", "b", "data", seq, 100, i % 2 == 0 ? ACK : PSH | ACK));
      segs.add(SegmentEvent.delivered(t + 10, t + 20, "b", "a", "ack", 1, 0, ACK));
      seq += 100;
      t += 2;
    }
  }

  @Test
  void twentyOneDataSegmentsWithTheirAcksMakeOneBand() {
    data(21);
    List<BulkRun> runs = BulkRuns.find(segs, 20);
    assertEquals(1, runs.size());
    BulkRun r = runs.get(0);
    assertEquals(0, r.first());
    assertEquals(41, r.last());
    assertEquals(21, r.dataSegments());
    assertEquals(2100, r.bytes());
    assertEquals(1, r.firstSeq());
    assertEquals(2101, r.endSeq());
    assertEquals("a", r.from());
  }

  @Test
  void twentyDataSegmentsStayArrows() {
    data(20);
    assertEquals(List.of(), BulkRuns.find(segs, 20));
  }

  @Test
  void aFinALossOrAnAnomalyCutsTheRunAndStaysOutside() {
    data(25);
    segs.add(SegmentEvent.dropped(t, t + 5, "a", "b", "lost", seq, 100, ACK, DropReason.NETEM_LOSS));
    t += 2;
    data(25);
    segs.add(SegmentEvent.delivered(t, t + 10, "a", "b", "dup", seq, 100, ACK).asDuplicate());
    t += 2;
    data(25);
    segs.add(SegmentEvent.delivered(t, t + 10, "a", "b", "fin", seq, 0, FIN | ACK));

    List<BulkRun> runs = BulkRuns.find(segs, 20);

    assertEquals(3, runs.size());
    assertEquals(List.of(0, 51, 102), runs.stream().map(BulkRun::first).toList());
    assertEquals(List.of(49, 100, 151), runs.stream().map(BulkRun::last).toList());
  }

  @Test
  void dataTurningAroundEndsTheRun() {
    data(25);
    for (int i = 0; i < 25; i++) {
      segs.add(SegmentEvent.delivered(t, t + 10, "b", "a", "reply", 1 + i * 100, 100, ACK));
      t += 2;
    }
    List<BulkRun> runs = BulkRuns.find(segs, 20);
    assertEquals(2, runs.size());
    assertEquals("b", runs.get(1).from());
    assertEquals(25, runs.get(1).dataSegments());
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BulkRuns.find(segs, -1));
  }
}
