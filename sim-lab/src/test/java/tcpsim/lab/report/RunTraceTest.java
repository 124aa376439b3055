package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.wire.TcpFlags.ACK;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace model refuses what it cannot draw, naming the bad value. */
class RunTraceTest {
  private static RunTrace.Builder twoLanes() {
    return RunTrace.builder("t", 1).lane("client", "10.0.0.1", 40000).lane("server", "10.0.0.2", 80);
  }

  @Test
  void aSegmentToAnUnknownLaneIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> twoLanes().delivered(0, 1, "client", "proxy", "x", 0, 0, ACK).build());
    assertTrue(e.getMessage().contains("\"proxy\""), e.getMessage());
  }

  @Test
  void anArrivalBeforeTheSendIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SegmentEvent.delivered(10, 5, "client", "server", "x", 0, 0, ACK));
    assertTrue(e.getMessage().contains("before start time 10"), e.getMessage());
  }

  @Test
  void aLaneListedTwiceAndAPortOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> twoLanes().lane("client", "10.0.0.3", 1).build());
    assertThrows(IllegalArgumentException.class, () -> new Lane("x", "10.0.0.1", 70_000));
  }

  @Test
  void segmentsAreKeptInSendOrderAndTiesKeepTheCallersOrder() {
    RunTrace t = twoLanes()
        .delivered(20, 30, "client", "server", "second", 0, 0, ACK)
        .delivered(10, 30, "server", "client", "first", 0, 0, ACK)
        .delivered(20, 40, "server", "client", "third", 0, 0, ACK)
        .build();
    assertEquals(List.of("first", "second", "third"), t.segments().stream().map(SegmentEvent::label).toList());
  }

  @Test
  void aTimelineSampleMustHaveOneCountPerState() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StateTimeline.builder("ESTABLISHED", "CLOSE_WAIT").sample(0, 1).build());
    assertTrue(e.getMessage().contains("1 counts for 2 states"), e.getMessage());
  }

  @Test
  void theEndOfTheRunIsItsLastEvent() {
    assertEquals(61_510_000_000L, HandBuiltTraces.teardownWithLostFin().endNanos());
  }
}
