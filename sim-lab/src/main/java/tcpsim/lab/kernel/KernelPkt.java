package tcpsim.lab.kernel;

import java.io.PrintWriter;
import java.util.function.Supplier;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptBackend;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.ScriptRunner;

/**
 * The {@code linux} and {@code both} backends of {@code tcpsim pkt}: runs each script on the host's
 * kernel (and, for {@code both}, on the simulated stack too, comparing the two segment by segment
 * and result by result). A script the kernel backend could not run is UNSUPPORTED with the reason
 * ("kernel backend not run: ..."), never PASS.
 */
public final class KernelPkt {
  /** Which stack {@code tcpsim pkt} runs scripts against. */
  public enum Backend { sim, linux, both }

  private final Backend backend;
  private final boolean slow;
  private final boolean verbose;
  private final PrintWriter out;
  private final Supplier<ScriptBackend> simBackends;

  /**
   * @param simBackends makes a fresh simulated stack per script, or null while there is none
   *     (then {@code both} reports the sim side as not available)
   */
  public KernelPkt(Backend backend, boolean slow, boolean verbose, PrintWriter out,
      Supplier<ScriptBackend> simBackends) {
    if (backend == Backend.sim) {
      throw new IllegalArgumentException("KernelPkt runs the linux and both backends, not " + backend);
    }
    this.backend = backend;
    this.slow = slow;
    this.verbose = verbose;
    this.out = out;
    this.simBackends = simBackends;
  }

  /** The lines that open a report: kernel version, tolerance widening, the sim side's state. */
  public void printHeader() {
    out.println(KernelScripts.header());
    if (backend == Backend.both && simBackends == null) {
      out.println("both: the sim side is not available (no simulated-stack backend yet); "
          + "running the linux side only");
    }
  }

  /** Runs {@code script}; extra lines (notes, transcript, disagreements) go to the output first. */
  public ScriptResult run(Script script) {
    KernelScripts.Outcome o = KernelScripts.run(script, slow);
    if (o instanceof KernelScripts.Outcome.NotRun n) {
      return new ScriptResult.Unsupported(script.file(), 0, n.reason());
    }
    KernelScripts.Outcome.Ran ran = (KernelScripts.Outcome.Ran) o;
    ScriptResult linux = ran.result();
    if (verbose || linux instanceof ScriptResult.Fail) {
      for (String note : ran.notes()) {
        out.println("    note: " + note);
      }
    }
    if (verbose || linux instanceof ScriptResult.Fail) {
      for (String line : ran.transcript()) {
        out.println("    linux " + line);
      }
    }
    if (backend == Backend.linux) {
      return linux;
    }
    if (simBackends == null) {
      return linux instanceof ScriptResult.Pass
          ? new ScriptResult.Unsupported(script.file(), 0, "sim side not available; linux: PASS")
          : linux;
    }
    RecordingBackend sim = new RecordingBackend(simBackends.get());
    ScriptResult simResult = ScriptRunner.run(script, sim);
    String d = Disagreement.between("linux", linux, ran.observations(), "sim", simResult,
        sim.observations());
    if (d != null) {
      return new ScriptResult.Fail(script.file(), 0, "linux and sim disagree: " + d, 0);
    }
    return simResult;
  }
}
