package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.PSH;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated HTML, read as text: what is drawn matches the trace, and nothing else gets in. */
class LadderReportTest {
  private static final RunTrace TEARDOWN = HandBuiltTraces.teardownWithLostFin();

  @Test
  void theTeardownDrawsAnArrowPerSegmentACrossPerLossAndAMarkerPerStateChange() {
    String html = LadderReport.standard().render(TEARDOWN);

    assertEquals(7, Dom.byKind(html, "segment").size());
    List<Dom.Element> drops = Dom.byKind(html, "drop");
    assertEquals(1, drops.size());
    assertEquals("NETEM_LOSS", drops.get(0).attr("data-reason"));
    List<Dom.Element> lost = Dom.byKind(html, "segment").stream()
        .filter(e -> "true".equals(e.attr("data-dropped"))).toList();
    assertEquals(1, lost.size());
    assertEquals("Flags [F.], seq 101, ack 1, win 502, length 0", lost.get(0).attr("data-label"));
    assertEquals("F.", lost.get(0).attr("data-flags"));

    List<Dom.Element> states = Dom.byKind(html, "state");
    assertEquals(TEARDOWN.stateChanges().size(), states.size());
    assertEquals(List.of("FIN_WAIT1", "CLOSE_WAIT", "FIN_WAIT2", "LAST_ACK", "TIME_WAIT", "CLOSED", "CLOSED"),
        states.stream().map(e -> e.attr("data-state")).toList());
    assertEquals("client", states.get(0).attr("data-lane"));
    assertEquals("close()", states.get(0).attr("data-cause"));

    List<Dom.Element> timers = Dom.byKind(html, "timer");
    assertEquals(List.of("RETRANSMIT", "RETRANSMIT", "FIN_WAIT2", "RETRANSMIT", "TIME_WAIT"),
        timers.stream().map(e -> e.attr("data-timer")).toList());
    assertEquals(List.of("fired", "cancelled", "cancelled", "cancelled", "fired"),
        timers.stream().map(e -> e.attr("data-end")).toList());
    assertEquals("1", timers.get(1).attr("data-backoff"), "the second RTO is the first backoff");

    assertEquals(List.of("client", "server"), Dom.byKind(html, "lane").stream().map(e -> e.attr("data-lane")).toList());
    assertEquals(List.of("TcpOutSegs", "TcpInSegs", "TcpRetransSegs", "TcpExtTW", "TcpExtTCPLostRetransmit"),
        Dom.byKind(html, "counter").stream().map(e -> e.attr("data-name")).toList(), "counters keep the trace's order");
    assertEquals(6, Dom.byKind(html, "timeline-series").size());
    assertTrue(html.contains("hand-built trace"), "a hand-built trace says so in the report");
  }

  @Test
  void aLostSegmentStopsAtTheLinkHalfWayBetweenTheLanes() {
    String html = LadderReport.standard().render(TEARDOWN);
    List<Dom.Element> lanes = Dom.byKind(html, "lane");
    int client = Integer.parseInt(lanes.get(0).child("line").get("x1"));
    int server = Integer.parseInt(lanes.get(1).child("line").get("x1"));
    Dom.Element lost = Dom.byKind(html, "segment").stream()
        .filter(e -> "true".equals(e.attr("data-dropped"))).findFirst().orElseThrow();

    assertEquals(String.valueOf(client), lost.child("line").get("x1"));
    assertEquals(String.valueOf((client + server) / 2), lost.child("line").get("x2"));
    Dom.Element delivered = Dom.byKind(html, "segment").get(0);
    assertEquals(String.valueOf(server), delivered.child("line").get("x2"));
  }

  @Test
  void labelsAndNamesAreEscapedSoATraceCannotInjectMarkup() {
    String evil = "<script>alert(\"x\")</script> & 'q'\u0007";
    RunTrace trace = RunTrace.builder("title <b>" + evil, 1)
        .lane("a<b", "10.0.0.1", 1)
        .lane("c&d", "10.0.0.2", 2)
        .delivered(0, 5, "a<b", "c&d", evil, 1, 1, PSH | ACK)
        .state(0, "a<b", "CLOSED", "SYN_SENT", evil)
        .counter("Tcp\"Evil", 1)
        .build();

    String html = LadderReport.standard().render(trace);

    assertFalse(html.contains("<script>alert"), "label text must not become a script element");
    assertFalse(html.contains("<b>"), "title must not become markup");
    assertEquals(1, Dom.count(html, "<script>"), "only the report's own script");
    assertTrue(html.contains("data-label=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;\uFFFD\""));
    assertTrue(html.contains("data-lane=\"a&lt;b\""));
    assertTrue(html.contains("data-to=\"c&amp;d\""));
    assertTrue(html.contains("data-name=\"Tcp&quot;Evil\""));
    assertEquals(evil.replace('\u0007', '\uFFFD'), Dom.byKind(html, "segment").get(0).attr("data-label"));
  }

  @Test
  void theSameTraceGivesByteIdenticalHtml() {
    String once = LadderReport.standard().render(HandBuiltTraces.teardownWithLostFin());
    String again = LadderReport.standard().render(HandBuiltTraces.teardownWithLostFin());
    assertEquals(once, again);

    String bulk = LadderReport.standard().render(HandBuiltTraces.transfer(2000, 300));
    assertEquals(bulk, LadderReport.standard().render(HandBuiltTraces.transfer(2000, 300)));
    assertNotEquals(bulk, LadderReport.standard().render(HandBuiltTraces.transfer(2000, 301)),
        "a different trace must give a different report");
  }

  @Test
  void theFileLoadsNothingFromOutside() {
    String html = LadderReport.standard().render(HandBuiltTraces.transfer(100, 30));
    String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("'http://www.w3.org/2000/svg'", "");
    assertFalse(withoutSvgNamespace.contains("http:"), "no http URL");
    assertFalse(withoutSvgNamespace.contains("https:"), "no https URL");
    assertFalse(html.contains("<link"), "no linked stylesheet");
    assertFalse(html.contains("@import"), "no imported stylesheet");
    assertFalse(html.contains("src="), "no external script or image");
    assertFalse(html.contains("@font-face"), "no web font");
    Matcher urls = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
    while (urls.find()) {
      assertTrue(urls.group(1).startsWith("#"), "only in-document url() references, found url(" + urls.group(1) + ")");
    }
  }

  @Test
  void tenThousandSegmentsFoldIntoBandsAroundTheLossesAndTheFileStaysSmall(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.transfer(5050, 500);
    assertTrue(trace.segments().size() >= 10_000, "trace has " + trace.segments().size() + " segments");
    Path file = dir.resolve("bulk.html");

    LadderReport.write(trace, file);

    String html = Files.readString(file, StandardCharsets.UTF_8);
    long bytes = Files.size(file);
    System.out.printf("10k report: %d segments, %d bytes (%.2f MB)%n", trace.segments().size(), bytes, bytes / 1e6);
    assertEquals(trace.segments().size(), Dom.byKind(html, "segment").size(), "every segment is in the DOM");
    List<Dom.Element> bands = Dom.byKind(html, "band");
    assertEquals(11, bands.size(), "ten losses cut the transfer into eleven bands");
    int inBands = 0;
    for (Dom.Element band : bands) {
      assertEquals("true", band.attr("data-collapsed"));
      assertEquals("client", band.attr("data-from"));
      inBands += Integer.parseInt(band.attr("data-segments"));
    }
    int loose = trace.segments().size() - inBands;
    assertTrue(loose <= 20, loose + " segments stay outside bands: the handshake, the anomalies and the losses");
    assertEquals(10, Dom.byKind(html, "drop").size());
    assertTrue(bytes < 3_500_000, "report is " + bytes + " bytes");
  }

  @Test
  void aReaderWhoWantsEveryArrowCanTurnFoldingOff() {
    RunTrace trace = HandBuiltTraces.transfer(300, 100);
    assertEquals(3, Dom.byKind(LadderReport.standard().render(trace), "band").size());

    String html = LadderReport.collapsingRunsLongerThan(Integer.MAX_VALUE).render(trace);

    assertEquals(0, Dom.byKind(html, "band").size());
    assertEquals(trace.segments().size(), Dom.byKind(html, "segment").size());
  }

  @Test
  void durationsReadLikeSsTimers() {
    assertEquals("60sec", LadderReport.duration(60_000_000_000L));
    assertEquals("204ms", LadderReport.duration(204_000_000L));
    assertEquals("1.5ms", LadderReport.duration(1_500_000L));
    assertEquals("40us", LadderReport.duration(40_000L));
  }
}
