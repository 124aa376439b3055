package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.TcpFlags;

/**
 * The screenshot committed as {@code docs/report-teardown-stack.png}: the teardown the stacks
 * play in {@link StackRuns#teardownWithLostFin()} (the client's FIN lost on the link and resent,
 * then TIME_WAIT), drawn whole in headless Chromium. The stacks do not expose their timers, so
 * the one drawn here is read off what they did: TIME_WAIT, from the client's entering it to its
 * leaving it. The FIN's resend gets no bar: it is a tail loss probe (TcpExtTCPLossProbes in the
 * counters), which the report's timer kinds would mislabel as an RTO.
 *
 * <p>Written to {@code sim-lab/target/report-teardown-stack.png}; the copy under docs/ is that
 * file, refreshed by hand when the report changes. Skipped when Chromium is not installed.
 */
class StackTeardownScreenshotTest {
  @Test
  void theStackTeardownIsDrawnWholeWithItsLostFinItsResendAndTimeWait(@TempDir Path dir) throws Exception {
    Optional<Chromium> chromium = Chromium.find();
    assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium); screenshot skipped");
    RunTrace trace = withTimersReadOffTheRun(StackRuns.teardownWithLostFin());
    Path html = dir.resolve("stack-teardown.html");
    LadderReport.write(trace, html);

    String dom = chromium.get().dumpDom(html, Files.createDirectories(dir.resolve("dom")));
    assertTrue(dom.contains("data-laid-out=\"true\""), "the report's script ran to the end");
    assertEquals(1, Dom.byKind(dom, "drop").size(), "one cross: the lost FIN");
    assertEquals(1, Dom.byKind(dom, "timer").size(), "the TIME_WAIT bar");
    assertEquals(1, lostFins(trace).size(), "one lost FIN in the run");
    assertTrue(Dom.byKind(dom, "state").stream().anyMatch(e -> "TIME_WAIT".equals(e.attr("data-state"))),
        "a TIME_WAIT marker on the client's lane");

    Path png = Path.of("target", "report-teardown-stack.png");
    chromium.get().screenshot(html, png, 1400, 1130, Files.createDirectories(dir.resolve("shot")));
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG");
    assertTrue(bytes.length < 300_000, "screenshot is " + bytes.length + " bytes");
  }

  private static List<SegmentEvent> lostFins(RunTrace trace) {
    return trace.segments().stream()
        .filter(s -> s.dropReason() != null && (s.flags() & TcpFlags.FIN) != 0).toList();
  }

  /** {@code t} plus the client's TIME_WAIT, from its state changes. */
  private static RunTrace withTimersReadOffTheRun(RunTrace t) {
    List<TimerSpan> timers = new ArrayList<>(t.timers());
    StateChange enter = t.stateChanges().stream().filter(c -> c.to().equals("TIME_WAIT")).findFirst().orElseThrow();
    StateChange leave = t.stateChanges().stream()
        .filter(c -> c.lane().equals(enter.lane()) && c.from().equals("TIME_WAIT")).findFirst().orElseThrow();
    timers.add(TimerSpan.fired(enter.lane(), TimerKind.TIME_WAIT, enter.atNanos(), leave.atNanos()));
    return new RunTrace(t.title(), t.seed(), t.lanes(), t.segments(), t.stateChanges(), timers, t.timeline(),
        t.counters());
  }
}
