package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import tcpsim.lab.script.ScriptResult;

/**
 * The differential fuzzer's generator and its simulated half: a seed gives the same scripts every
 * time, every script it makes parses and runs to its end on tcpsim's stack, and the stack agrees
 * with itself. The kernel half runs only where {@link KernelAvailability} allows.
 */
class DiffFuzzTest {
  private static final long SEED = 0x5eed;
  private static final int CASES = 300;

  @Test
  void theSameSeedGivesTheSameScriptsAndAnotherSeedOthers() {
    int differing = 0;
    for (int i = 0; i < 50; i++) {
      String a = DiffCase.generate(SEED, i).script();
      assertEquals(a, DiffCase.generate(SEED, i).script(), "case " + i);
      if (!a.equals(DiffCase.generate(SEED + 1, i).script())) {
        differing++;
      }
    }
    assertTrue(differing > 45, differing + " of 50 cases differ between two seeds");
  }

  @Test
  void everyGeneratedScriptParsesAndRunsToItsEndOnTheSimulatedStack() {
    for (int i = 0; i < CASES; i++) {
      DiffCase c = DiffCase.generate(SEED, i);
      DiffFuzz.Run run = DiffFuzz.runSim(c);
      assertEquals(new ScriptResult.Pass(c.name()), run.result(), c.script());
      // Every event of the script gave an outcome: the opening's, the body's and the last probe.
      long events = c.all().stream().filter(DiffCase.Step::event).count();
      assertEquals(events, run.tap().events().size(), c.script());
      assertNull(DiffFuzz.compare(run, DiffFuzz.runSim(c)), "the stack disagrees with itself");
    }
  }

  @Test
  void withTimersABodyIsTheSameThenWaitsBetweenTheTimersAndGoesOnBriefly() {
    java.util.Set<Long> waits = new java.util.TreeSet<>();
    int keepalive = 0;
    for (int i = 0; i < 100; i++) {
      DiffCase plain = DiffCase.generate(SEED, i);
      DiffCase timed = DiffCase.generate(SEED, i, true);
      int k = timed.body.get(0).text().contains("SO_KEEPALIVE") ? 4 : 0;
      keepalive += k / 4;
      for (DiffCase.Step s : timed.body.subList(0, k)) {
        assertTrue(s.text().startsWith("setsockopt("), "case " + i + ": " + s);
      }
      assertEquals(plain.body, timed.body.subList(k, k + plain.body.size()), "case " + i);
      DiffCase.Step wait = timed.body.get(k + plain.body.size());
      assertEquals(DiffCase.Kind.PROBE, wait.kind());
      waits.add(wait.gapUs());
      int tail = timed.body.size() - k - plain.body.size() - 1;
      assertTrue(tail >= 0 && tail <= DiffCase.MAX_TAIL_STEPS, "case " + i + ": a tail of " + tail);
      for (DiffCase.Step s : timed.body.subList(k + plain.body.size() + 1, timed.body.size())) {
        assertTrue(s.gapUs() <= DiffCase.AFTER_FIN_GAP_US, "case " + i + ": " + s);
      }
      assertEquals(timed.script(), DiffCase.generate(SEED, i, true).script(), "case " + i);
      assertTrue(timed.name().endsWith(" with timers") && timed.replayCommand().contains(" --timers "));
    }
    java.util.Set<Long> all = new java.util.TreeSet<>();
    for (long w : DiffCase.TIMER_WAITS_US) {
      all.add(w);
    }
    assertEquals(all, waits, "every wait is drawn, and only those");
    assertTrue(keepalive > 15 && keepalive < 45, keepalive + " of 100 cases turn keepalive on");
  }

  @Test
  void everyScriptWithTimersRunsToItsEndAndTheStackSendsWhileItWaits() {
    int answeredTheWait = 0;
    for (int i = 0; i < 60; i++) {
      DiffCase c = DiffCase.generate(SEED, i, true);
      DiffFuzz.Run run = DiffFuzz.runSim(c);
      assertEquals(new ScriptResult.Pass(c.name()), run.result(), c.script());
      assertNull(DiffFuzz.compare(run, DiffFuzz.runSim(c)), "the stack disagrees with itself");
      // The plain case's observations but its last probe come first; then the wait's probe, where
      // the plain case probed 5 ms after its body, with what the timers sent while it waited.
      if (c.body.get(0).text().contains("SO_KEEPALIVE")) {
        continue; // four more calls first: the observations are numbered otherwise
      }
      List<String> plain = DiffFuzz.runSim(DiffCase.generate(SEED, i)).observations();
      List<String> timed = run.observations();
      assertEquals(plain.subList(0, plain.size() - 1), timed.subList(0, plain.size() - 1), c.script());
      String waitProbe = timed.get(plain.size() - 1);
      String event = waitProbe.substring(0, waitProbe.indexOf(' ') + 1);
      if (timed.size() > plain.size() && timed.get(plain.size()).startsWith(event + "> ")) {
        answeredTheWait++;
      }
    }
    assertTrue(answeredTheWait > 10, answeredTheWait + " of 60 cases sent something while waiting");
  }

  @Test
  void aCaseWithTimersWrittenWithItsRunsExpectationsPassesOnTheStackThatRanIt() throws Exception {
    int checked = 0;
    for (int i = 0; i < 60; i++) {
      DiffCase c = DiffCase.generate(SEED, i, true);
      DiffFuzz.Run run = DiffFuzz.runSim(c);
      String script = c.render(run.tap().events(), List.of("case " + i));
      // Only cases that wait with something sent during the wait; and none with a RST answering
      // a segment without ACK, whose sequence number 0 the notation reads as relative to the ISN.
      if (!script.matches("(?s).*\n\\+\\.\\d+ > .*") || script.matches("(?s).*> R\\.? 0:0\\(0\\).*")) {
        continue;
      }
      ScriptResult r = tcpsim.lab.script.ScriptRunner.run(
          tcpsim.lab.script.Parser.parse("case-" + i + ".pkt", script), new tcpsim.lab.script.SimulatedBackend());
      assertEquals(new ScriptResult.Pass("case-" + i + ".pkt"), r, script);
      checked++;
    }
    assertTrue(checked > 10, checked + " cases rendered");
  }

  @Test
  void aShrinkingStepLeavesTheOpeningAndTheOtherStepsAsTheyWere() {
    DiffCase c = DiffCase.generate(SEED, 7);
    DiffCase shorter = c.without(0);
    assertEquals(c.body.size() - 1, shorter.body.size());
    assertEquals(c.body.subList(1, c.body.size()), shorter.body);
    assertEquals(c.opening, shorter.opening);
    assertNotEquals(c.script(), shorter.script());
  }

  @Test
  void aDifferenceIsKindedByWhatDiffersNotByItsNumbers() {
    DiffFuzz.Difference a = new DiffFuzz.Difference(9, "#9 > R 2:2(0) win 0", "#10 < . 1001:1001(0)");
    DiffFuzz.Difference b = new DiffFuzz.Difference(4, "#5 > R 12:12(0) win 0", "#6 < . 1:1(0)");
    assertEquals(a.kind(), b.kind());
    DiffFuzz.Difference c = new DiffFuzz.Difference(4, "#5 ioctl(4, SIOCOUTQ, [0]) = 0 {2=1}",
        "#5 ioctl(4, SIOCOUTQ, [0]) = 0 {2=0}");
    assertEquals("ioctl = 0 / ioctl = 0", c.kind());
  }

  @Test
  void onTheHostKernelACampaignRunsEachCaseOnBothStacks() {
    KernelAssumptions.assumeKernelBackend();
    StringWriter out = new StringWriter();
    DiffFuzz.Summary s = new DiffFuzz(new PrintWriter(out, true), null).campaign(SEED, 0, 2);
    assertEquals(2, s.ran(), out.toString());
    assertEquals(0, s.notRun(), out.toString());
  }
}
