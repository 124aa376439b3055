package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptOptions;
import tcpsim.lab.script.ScriptResult;

/** What the kernel side changes about a script before running it, and what it refuses to run. */
class KernelScriptsTest {
  static Script parse(String text) throws ScriptError {
    return Parser.parse("t.pkt", text);
  }

  @Test
  void theScriptedDurationFollowsRelativeTimesWindowsAndBlockingCalls() throws ScriptError {
    Script s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        + "+.5 close(3) = 0\n"
        + "+0~+.04 > F. 1:1(0) ack 1 <...>\n"
        + "+1...+2.5 accept(3, ..., ...) = 4\n"
        + "+.1 close(4) = 0\n");
    // close at 0.5, the window ends at 0.54, the blocking call runs 1.54..4.04, the last close at 1.64.
    assertEquals(4_040_000, KernelScripts.scriptedDurationUsecs(s));
  }

  /** A late kernel packet is run again (the VM may have held the kernel up); an early or wrong one never. */
  @Test
  void onlyAPacketTheKernelSentLateIsRetried() {
    assertTrue(KernelScripts.kernelLate(new ScriptResult.Fail("t.pkt", 16, "packet at 0.014925s, expected at "
        + "0.000000s (tolerance 12000 us): > S. 0:0(0) ack 1 win 65535", 0)));
    assertTrue(KernelScripts.kernelLate(new ScriptResult.Fail("t.pkt", 9, "packet at 0.090000s, expected at "
        + "0.010000s~0.050000s (tolerance 12000 us): > . 1:1(0) ack 2", 0)));
    assertFalse(KernelScripts.kernelLate(new ScriptResult.Fail("t.pkt", 9, "packet at 0.001000s, expected at "
        + "0.040000s (tolerance 12000 us): > . 1:1(0) ack 2", 0)));
    assertFalse(KernelScripts.kernelLate(new ScriptResult.Fail("t.pkt", 9, "flags ., expected R.", 0)));
  }

  @Test
  void aScriptThatWaitsOutTimeWaitIsNotRunInTheQuickSuite() throws ScriptError {
    Script s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+60 close(3) = 0\n");
    KernelScripts.Outcome o = KernelScripts.run(s, false);
    KernelScripts.Outcome.NotRun n = assertInstanceOf(KernelScripts.Outcome.NotRun.class, o);
    assertEquals("kernel backend not run: the script spans 60.000000s of real time, more than the "
        + "quick suite's 10.000000s (use --slow)", n.reason());
  }

  @Test
  void theKernelSideGetsTwoTicksMoreToleranceAndNothingElseChanges() throws ScriptError {
    Script s = parse("--tolerance_usecs=1000\n--tcp_ts_tick_usecs=1000\n0 close(3) = 0\n");
    Script w = KernelScripts.widened(s, KernelScripts.EXTRA_TOLERANCE_USECS);
    assertEquals(new ScriptOptions(9000, s.options().tolerancePpm(), 1000, s.options().mss(),
        s.options().strictSegments(), s.options().unsupported()), w.options());
    assertEquals(s.lines(), w.lines());
    assertEquals(s.file(), w.file());
  }

  @Test
  void aFeatureNoBackendRunsIsUnsupportedWithoutTouchingTheKernel() throws ScriptError {
    KernelScripts.Outcome o = KernelScripts.run(parse("0 < icmp unreachable port_unreachable\n"), false);
    ScriptResult r = assertInstanceOf(KernelScripts.Outcome.Ran.class, o).result();
    assertEquals("UNSUPPORTED  t.pkt:1: icmp packets", r.describe());
  }
}
