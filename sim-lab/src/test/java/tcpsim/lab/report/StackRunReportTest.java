package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.TcpFlags;

/** A run of the real stacks, seen through the wire tap, drawn by the report. */
class StackRunReportTest {
  @Test
  void theStacksTeardownWithALostFinReachesTheReport() {
    RunTrace trace = StackRuns.teardownWithLostFin();

    List<SegmentEvent> fins = trace.segments().stream()
        .filter(s -> s.from().equals("client") && (s.flags() & TcpFlags.FIN) != 0).toList();
    assertEquals(2, fins.size(), "the client's FIN and its retransmission");
    assertEquals("LINK_RULE", fins.get(0).dropReason());
    assertNull(fins.get(1).dropReason());
    assertEquals(List.of("SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE"),
        trace.stateChanges().stream().filter(c -> c.lane().equals("client")).map(StateChange::to).toList());

    String html = LadderReport.standard().render(trace);
    assertEquals(trace.segments().size(), Dom.byKind(html, "segment").size());
    assertEquals(1, Dom.byKind(html, "drop").size());
    assertEquals(trace.stateChanges().size(), Dom.byKind(html, "state").size());
    assertTrue(html.contains("data-label=\"Flags [F.], seq "), "labels in tcpdump words");
  }

  @Test
  void theSameSeedGivesTheSameReport() {
    assertEquals(LadderReport.standard().render(StackRuns.teardownWithLostFin()),
        LadderReport.standard().render(StackRuns.teardownWithLostFin()));
  }
}
