package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.PSH;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens generated reports in headless Chromium and reads the DOM after the report's script ran:
 * arrows, labels, crosses and state markers must match the trace. Skipped (not failed) when
 * Chromium is not installed, unless {@code TCPSIM_REQUIRE_CHROMIUM=1} (set by {@code .ci/run},
 * which installs Chromium) makes a missing browser a failure.
 *
 * <p>The teardown screenshot lands in {@code sim-lab/target/report-teardown.png}; the copy in
 * {@code docs/report-teardown.png} is that file, refreshed by hand when the report changes.
 */
class LadderReportBrowserTest {
  private static final Pattern TRANSLATE = Pattern.compile("translate\\(([-\\d.]+),([-\\d.]+)\\)");
  private static final Optional<Chromium> FOUND = Chromium.find();
  private static Chromium chromium;

  /** Per test, so that each test reports itself skipped when there is no browser. */
  @BeforeEach
  void findChromium() {
    Optional<Chromium> found = FOUND;
    if (found.isEmpty() && "1".equals(System.getenv("TCPSIM_REQUIRE_CHROMIUM"))) {
      throw new AssertionError("TCPSIM_REQUIRE_CHROMIUM=1 but no chromium on the PATH");
    }
    assumeTrue(found.isPresent(), "chromium is not installed (apt-get install chromium); browser tests skipped");
    chromium = found.get();
  }

  private static String render(RunTrace trace, Path dir, String name) throws Exception {
    Path html = dir.resolve(name + ".html");
    LadderReport.write(trace, html);
    Path work = Files.createDirectories(dir.resolve(name + "-chromium"));
    String dom = chromium.dumpDom(html, work);
    assertTrue(dom.contains("data-laid-out=\"true\""), "the report's script ran to the end");
    return dom;
  }

  private static String renderAt(RunTrace trace, Path dir, String name, String fragment) throws Exception {
    Path html = dir.resolve(name + ".html");
    if (!Files.exists(html)) {
      LadderReport.write(trace, html);
    }
    String dom = chromium.dumpDom(html, fragment, Files.createDirectories(dir.resolve(name + "-chromium")));
    assertTrue(dom.contains("data-laid-out=\"true\""), "the report's script ran to the end");
    return dom;
  }

  private static List<Double> stateMarkerYs(String dom) {
    List<Double> ys = new ArrayList<>();
    for (Dom.Element e : Dom.byKind(dom, "state")) {
      ys.add(num(e.child("circle"), "cy"));
    }
    return ys;
  }

  private static double num(Map<String, String> attrs, String name) {
    String v = attrs.get(name);
    assertNotNull(v, "attribute " + name + " set by the script, in " + attrs);
    return Double.parseDouble(v);
  }

  @Test
  void theTeardownInTheBrowserShowsEverySegmentCrossAndStateWhereTheTraceSaysSo(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.teardownWithLostFin();
    assertLadderMatches(trace, render(trace, dir, "teardown"));

    Path png = Path.of("target", "report-teardown.png");
    chromium.screenshot(dir.resolve("teardown.html"), png, 1400, 900, Files.createDirectories(dir.resolve("shot")));
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG");
    assertTrue(bytes.length < 300_000, "screenshot is " + bytes.length + " bytes");
    System.out.println("teardown screenshot: " + png.toAbsolutePath() + " (" + bytes.length + " bytes)");
  }

  @Test
  void aTenThousandSegmentRunOpensWithItsBandsFoldedAndItsAnomaliesDrawn(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.transfer(5050, 500);
    String dom = render(trace, dir, "bulk");

    List<Dom.Element> arrows = Dom.byKind(dom, "segment");
    assertEquals(trace.segments().size(), arrows.size(), "every segment is in the DOM");
    List<Dom.Element> bands = Dom.byKind(dom, "band");
    assertEquals(11, bands.size());
    for (Dom.Element band : bands) {
      assertEquals("true", band.attr("data-collapsed"));
      assertTrue(num(band.child("rect"), "height") >= 60, "a folded band keeps a readable height");
      assertTrue(band.childText("text", "band-label").startsWith("\u25b8 "), "a folded band says it can open");
    }
    int labelled = 0;
    List<String> dupOrReordered = new ArrayList<>();
    for (Dom.Element arrow : arrows) {
      if (arrow.has("text")) {
        labelled++;
        if (arrow.attr("data-duplicate") != null || arrow.attr("data-reordered") != null) {
          dupOrReordered.add(arrow.childText("text", null));
        }
      }
    }
    int inBands = bands.stream().mapToInt(b -> Integer.parseInt(b.attr("data-segments"))).sum();
    assertEquals(trace.segments().size() - inBands, labelled, "only the segments outside folded bands are drawn");
    assertEquals(List.of("Flags [P.], seq 1:11, ack 1, win 502, length 10  [dup]",
        "Flags [P.], seq 11:21, ack 1, win 502, length 10  [reordered]"), dupOrReordered);
    assertEquals(10, Dom.byKind(dom, "drop").size());
    for (Dom.Element cross : Dom.byKind(dom, "drop")) {
      assertTrue(cross.attr("transform").startsWith("translate("), "every cross placed");
    }
  }

  @Test
  void aTeardownPlayedByTheStacksIsDrawnAsItHappened(@TempDir Path dir) throws Exception {
    RunTrace trace = StackRuns.teardownWithLostFin();
    String dom = render(trace, dir, "stack-teardown");
    assertLadderMatches(trace, dom);
    Path png = Path.of("target", "report-teardown-stack.png");
    chromium.screenshot(dir.resolve("stack-teardown.html"), png, 1400, 900, Files.createDirectories(dir.resolve("shot")));
  }

  /**
   * Every arrow starts on its sender's lane at a height that grows with send time and ends on its
   * receiver's lane (or, lost, with a cross half-way), labelled with the trace's words; every state
   * marker is on its lane, named after its state, level with a segment of the same instant.
   */
  private static void assertLadderMatches(RunTrace trace, String dom) {
    Map<String, Double> laneX = new HashMap<>();
    for (Dom.Element lane : Dom.byKind(dom, "lane")) {
      laneX.put(lane.attr("data-lane"), num(lane.child("line"), "x1"));
    }
    List<Dom.Element> arrows = Dom.byKind(dom, "segment");
    assertEquals(trace.segments().size(), arrows.size());
    Map<Long, Double> yAtTime = new HashMap<>();
    double lastSendY = -1;
    for (int i = 0; i < arrows.size(); i++) {
      SegmentEvent s = trace.segments().get(i);
      Dom.Element arrow = arrows.get(i);
      assertEquals(String.valueOf(i), arrow.attr("data-i"), "no bands here, so the DOM keeps the trace's order");
      Map<String, String> line = arrow.child("line");
      String shown = arrow.childText("text", null);
      assertNotNull(shown, "segment " + i + " has a visible label");
      assertTrue(shown.startsWith(s.label()), "label of segment " + i + ": " + shown);
      assertEquals(laneX.get(s.from()), num(line, "x1"), "segment " + i + " starts on its sender's lane");
      double y1 = num(line, "y1");
      double y2 = num(line, "y2");
      assertTrue(y2 > y1, "segment " + i + " runs down the page, later in time");
      assertTrue(y1 >= lastSendY, "segments appear in send order");
      lastSendY = y1;
      yAtTime.put(s.sentNanos(), y1);
      if (s.isDropped()) {
        assertEquals((laneX.get(s.from()) + laneX.get(s.to())) / 2, num(line, "x2"), 1.0,
            "a lost segment ends on the link, half-way");
        assertTrue(shown.contains(s.dropReason()), "a lost segment's label names the reason: " + shown);
        Matcher m = TRANSLATE.matcher(arrow.inner());
        assertTrue(m.find(), "the cross was placed");
        assertEquals(num(line, "x2"), Double.parseDouble(m.group(1)), 0.01);
        assertEquals(y2, Double.parseDouble(m.group(2)), 0.01, "the cross sits at the end of the lost line");
      } else {
        assertEquals(laneX.get(s.to()), num(line, "x2"), "segment " + i + " ends on its receiver's lane");
        yAtTime.put(s.endNanos(), y2);
      }
    }
    assertEquals(1, Dom.byKind(dom, "drop").size());

    List<Dom.Element> states = Dom.byKind(dom, "state");
    assertEquals(trace.stateChanges().size(), states.size());
    for (int i = 0; i < states.size(); i++) {
      StateChange c = trace.stateChanges().get(i);
      Dom.Element marker = states.get(i);
      assertEquals(c.to(), marker.childText("text", "state-name"));
      Map<String, String> circle = marker.child("circle");
      assertEquals(laneX.get(c.lane()), num(circle, "cx"), "state marker on its lane");
      Double y = yAtTime.get(c.atNanos());
      if (y != null) {
        assertEquals(y, num(circle, "cy"), 0.11, c.to() + " is drawn level with the segment at the same time");
      }
    }
  }

  @Test
  void zoomingInStretchesTheTimeAxisAndKeepsTheOrder(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.teardownWithLostFin();
    List<Double> normal = stateMarkerYs(renderAt(trace, dir, "teardown", ""));
    List<Double> zoomed = stateMarkerYs(renderAt(trace, dir, "teardown", "zoom=2"));

    double top = normal.get(0) - (zoomed.get(0) - normal.get(0));
    for (int i = 0; i < normal.size(); i++) {
      assertEquals(2 * (normal.get(i) - top), zoomed.get(i) - top, 0.3,
          "state marker " + i + " is twice as far from the top at zoom 2");
    }
  }

  @Test
  void onALinearAxisEveryArrowFallsAtTheSameSpeed(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.teardownWithLostFin();
    String dom = renderAt(trace, dir, "teardown", "mode=linear");

    List<Dom.Element> arrows = Dom.byKind(dom, "segment");
    double pxPerNs = Double.NaN;
    for (int i = 0; i < arrows.size(); i++) {
      SegmentEvent s = trace.segments().get(i);
      if (s.isDropped()) {
        continue;
      }
      Map<String, String> line = arrows.get(i).child("line");
      double rate = (num(line, "y2") - num(line, "y1")) / (s.endNanos() - s.sentNanos());
      if (Double.isNaN(pxPerNs)) {
        pxPerNs = rate;
      }
      assertEquals(pxPerNs, rate, pxPerNs * 0.02, "segment " + i + " falls at the common rate");
    }
  }

  @Test
  void expandingAllBandsDrawsEverySegment(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.transfer(300, 100);
    String dom = renderAt(trace, dir, "expanded", "expand=all");

    List<Dom.Element> bands = Dom.byKind(dom, "band");
    assertEquals(3, bands.size());
    for (Dom.Element band : bands) {
      assertEquals("false", band.attr("data-collapsed"));
      assertTrue(band.childText("text", "band-label").startsWith("\u25be "), "an open band says it can fold");
    }
    List<Dom.Element> arrows = Dom.byKind(dom, "segment");
    assertEquals(trace.segments().size(), arrows.size());
    for (Dom.Element arrow : arrows) {
      int i = Integer.parseInt(arrow.attr("data-i"));
      assertTrue(arrow.childText("text", null).startsWith(trace.segments().get(i).label()),
          "segment " + i + " labelled");
    }
  }

  /**
   * Drives the controls the way a reader does (buttons, the axis selector, ctrl+wheel, a click on
   * a band) from a script appended to a copy of the report, and reads back what each step did.
   */
  @Test
  void theControlsZoomSwitchTheAxisAndOpenABand(@TempDir Path dir) throws Exception {
    RunTrace trace = HandBuiltTraces.transfer(300, 100);
    int firstBand = BulkRuns.find(trace.segments(), LadderReport.DEFAULT_COLLAPSE_LONGER_THAN).get(0).segmentCount();
    String report = LadderReport.standard().render(trace);
    String driver = """
        <script>
        (function () {
          var out = [];
          function last() {
            var c = document.querySelectorAll('[data-kind="state"] circle');
            return +c[c.length - 1].getAttribute('cy');
          }
          function click(id) { document.getElementById(id).click(); }
          var y0 = last();
          click('zoom-in');
          out.push('zoom-in:' + (last() > y0));
          click('zoom-out'); click('zoom-out');
          out.push('zoom-out:' + (last() < y0));
          click('zoom-reset');
          out.push('reset:' + (Math.abs(last() - y0) < 0.2));
          var scroller = document.getElementById('scroller');
          scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, ctrlKey: true, bubbles: true, cancelable: true }));
          out.push('wheel:' + document.getElementById('zoom-level').textContent);
          click('zoom-reset');
          var mode = document.getElementById('axis-mode');
          mode.value = 'linear';
          mode.dispatchEvent(new Event('change'));
          out.push('linear:' + (Math.abs(last() - y0) > 1));
          mode.value = 'log';
          mode.dispatchEvent(new Event('change'));
          var band = document.querySelector('[data-kind="band"]');
          band.querySelector('.band-box').dispatchEvent(new MouseEvent('click', { bubbles: true, clientY: 200 }));
          out.push('band:' + band.getAttribute('data-collapsed'));
          out.push('labels:' + band.querySelectorAll('[data-kind="segment"] text').length
              + '/' + band.querySelectorAll('[data-kind="segment"]').length);
          click('collapse-all');
          out.push('folded:' + band.getAttribute('data-collapsed'));
          document.body.setAttribute('data-driven', out.join(' '));
        })();
        </script>
        """;
    Path html = dir.resolve("driven.html");
    Files.writeString(html, report.replace("</body>", driver + "</body>"));

    String dom = chromium.dumpDom(html, Files.createDirectories(dir.resolve("driven-chromium")));

    Matcher m = Pattern.compile("data-driven=\"([^\"]*)\"").matcher(dom);
    assertTrue(m.find(), "the driver ran");
    assertEquals("zoom-in:true zoom-out:true reset:true wheel:115% linear:true band:false labels:"
        + firstBand + "/" + firstBand + " folded:true", m.group(1));
  }

  @Test
  void aLabelThatLooksLikeMarkupIsShownAsText(@TempDir Path dir) throws Exception {
    String label = "<img src=x onerror=alert(1)> & \"quoted\"";
    RunTrace trace = RunTrace.builder("escaping", 7)
        .lane("a", "10.0.0.1", 1)
        .lane("b", "10.0.0.2", 2)
        .delivered(0, 10, "a", "b", label, 1, 1, PSH | ACK)
        .build();

    String dom = render(trace, dir, "escaping");

    Dom.Element arrow = Dom.byKind(dom, "segment").get(0);
    assertEquals(label, arrow.attr("data-label"));
    assertEquals(label, arrow.childText("text", null));
    assertNull(Dom.byKind(dom, "segment").get(0).attrs().get("onerror"));
    assertTrue(!dom.contains("<img"), "no element was made from the label");
  }
}
