package tcpsim.lab.kernel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.core.event.SimulationLimitException;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.ScriptRunner;
import tcpsim.lab.script.SimulatedBackend;

/**
 * {@code tcpsim pkt --diff-fuzz}: differential fuzzing of teardown against the host's kernel.
 * Each case ({@link DiffCase}, from the run seed and its index) is a short script; it runs on
 * tcpsim's stack and on the kernel (a fresh namespace, as {@code --backend linux} runs scripts),
 * each behind a {@link DiffTap}, and the two are compared event by event: each call's result and
 * errno (with what it left in pointers and poll's revents), each probe's socket states, and the
 * segments sent in answer to each event (flags, sequence numbers relative to the local ISN, ACK,
 * window, option kinds; never times or TS values).
 *
 * <p>A disagreement is run on the kernel once more: it counts only if the kernel does the same
 * again (otherwise it is reported as flaky, the machine's timing rather than a stack's). The
 * first case of each kind of disagreement (which observation differs, by what) is shrunk, body
 * step by body step while the same kind of disagreement stays, and written to the out directory
 * as a script whose expectations are the kernel's: {@code tcpsim pkt --backend both FILE} passes
 * on linux and shows where tcpsim departs. Later cases of a kind are listed, not shrunk.
 */
public final class DiffFuzz {
  /** One backend's run of a case. */
  record Run(ScriptResult result, DiffTap tap, List<String> observations) {}

  /** Where two runs part: the index of the first observation that differs, and both sides. */
  record Difference(int index, String linux, String sim) {
    /** What differs, without numbers of events or sequence: e.g. "> R. / > .". */
    String kind() {
      return kindOf(linux) + " / " + kindOf(sim);
    }

    String describe() {
      return "linux: " + linux + " | sim: " + sim;
    }

    private static String kindOf(String item) {
      String s = item.startsWith("#") && item.indexOf(' ') > 0 ? item.substring(item.indexOf(' ') + 1) : item;
      if (s.startsWith("> ")) {
        return s.substring(0, s.indexOf(' ', 2) < 0 ? s.length() : s.indexOf(' ', 2));
      }
      if (s.startsWith("< ")) {
        return "<";
      }
      int paren = s.indexOf('(');
      int colon = s.indexOf(':');
      if (paren > 0 && (colon < 0 || paren < colon)) {
        int eq = s.indexOf(" = ");
        String result = eq < 0 ? "" : " = " + s.substring(eq + 3).replaceAll("\\{.*", "").trim();
        return s.substring(0, paren) + result;
      }
      return colon > 0 ? s.substring(0, colon) : s;
    }
  }

  /** What a campaign found. */
  public record Summary(int ran, int disagreements, int kinds, int flaky, int notRun, long nanos) {}

  private final PrintWriter out;
  private final Path outDir;

  /** @param outDir where shrunk cases are written (created when the first one is), or null */
  public DiffFuzz(PrintWriter out, Path outDir) {
    this.out = out;
    this.outDir = outDir;
  }

  /**
   * Runs cases {@code first} to {@code first + count - 1} of {@code seed}, printing a line per
   * disagreement and a summary. Needs the kernel backend ({@link KernelAvailability}).
   */
  public Summary campaign(long seed, int first, int count) {
    return campaign(seed, first, count, false);
  }

  /** As {@link #campaign(long, int, int)}; with {@code timers}, each body ends with a wait for the timers. */
  public Summary campaign(long seed, int first, int count, boolean timers) {
    out.println("diff-fuzz: seed 0x" + Long.toHexString(seed) + ", cases " + first + " to "
        + (first + count - 1) + (timers ? ", with timers" : "") + "; kernel " + KernelAvailability.kernelRelease());
    out.flush();
    long t0 = System.nanoTime();
    Map<String, Integer> kinds = new LinkedHashMap<>();
    int ran = 0;
    int disagreements = 0;
    int flaky = 0;
    int notRun = 0;
    for (int i = first; i < first + count; i++) {
      DiffCase c = DiffCase.generate(seed, i, timers);
      Run sim = runSim(c);
      Run linux = runKernel(c);
      if (linux == null) {
        notRun++;
        continue;
      }
      ran++;
      Difference d = compare(linux, sim);
      if (d == null) {
        continue;
      }
      Run again = runKernel(c);
      if (again == null || !again.observations().equals(linux.observations())) {
        flaky++;
        out.println("FLAKY     case " + i + ": the kernel did not repeat itself (" + d.describe() + ")");
        continue;
      }
      disagreements++;
      Integer earlier = kinds.putIfAbsent(d.kind(), i);
      if (earlier != null) {
        out.println("DISAGREE  case " + i + ": " + d.describe() + " (as case " + earlier + ")");
      } else {
        out.println("DISAGREE  case " + i + ": " + d.describe() + shrinkAndWrite(c, linux, d));
      }
      out.flush();
    }
    long nanos = System.nanoTime() - t0;
    Summary s = new Summary(ran, disagreements, kinds.size(), flaky, notRun, nanos);
    out.println(ran + " cases run on both (" + notRun + " not run on the kernel), " + disagreements
        + " disagreements of " + kinds.size() + " kinds, " + flaky + " flaky, in "
        + String.format("%.1f s (%.1f cases/s)", nanos / 1e9, ran * 1e9 / Math.max(1, nanos)));
    return s;
  }

  /** Shrinks {@code c} while it disagrees in the same way and writes it; the summary's tail. */
  private String shrinkAndWrite(DiffCase c, Run linux, Difference d) {
    DiffCase cur = c;
    Run curLinux = linux;
    Difference curD = d;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = cur.body.size() - 1; i >= 0; i--) {
        DiffCase cand = cur.without(i);
        Run k = runKernel(cand);
        if (k == null) {
          continue;
        }
        Difference cd = compare(k, runSim(cand));
        if (cd != null && cd.kind().equals(d.kind())) {
          cur = cand;
          curLinux = k;
          curD = cd;
          changed = true;
        }
      }
    }
    if (outDir == null) {
      return "; shrunk to " + cur.body.size() + " steps:\n" + cur.bodyListing();
    }
    Path file = outDir.resolve("case-" + c.index + ".pkt");
    List<String> header = List.of(
        c.name() + ", shrunk from " + c.body.size() + " to " + cur.body.size() + " body steps.",
        "Replay the search: " + c.replayCommand(),
        "linux and sim disagree at " + curD.describe(),
        "The expectations below are what the kernel (" + KernelAvailability.kernelRelease()
            + ") did: ./tcpsim pkt --backend both " + file.getFileName() + " shows where sim departs.");
    try {
      Files.createDirectories(outDir);
      Files.writeString(file, cur.render(curLinux.tap().events(), header), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "; shrunk to " + cur.body.size() + " steps, but " + file + " cannot be written: "
          + e.getMessage();
    }
    return "; shrunk to " + cur.body.size() + " steps: " + file;
  }

  /** {@code c} parsed; a generated script that does not parse is a bug of the generator. */
  static Script parse(DiffCase c) {
    try {
      return Parser.parse(c.name(), c.script());
    } catch (ScriptError e) {
      throw new IllegalStateException("diff-fuzz generated a script that does not parse: "
          + e.getMessage() + "\n" + c.script(), e);
    }
  }

  /** {@code c} on tcpsim's stack; a limit or an invariant of the stack is a FAIL, as pkt has it. */
  static Run runSim(DiffCase c) {
    Script s = parse(c);
    DiffTap tap = new DiffTap(new SimulatedBackend(), false);
    ScriptResult r;
    try {
      r = ScriptRunner.run(s, tap);
    } catch (SimulationLimitException e) {
      r = new ScriptResult.Fail(s.file(), 0, e.getMessage(), tap.nowNanos());
    } catch (IllegalStateException | IllegalArgumentException e) {
      r = new ScriptResult.Fail(s.file(), 0, "tcpsim internal error: " + e, tap.nowNanos());
    }
    return new Run(r, tap, tap.observations());
  }

  /**
   * {@code c} on the host's kernel, or null when the kernel backend could not run it. A run in
   * which the runner was late by more than {@link KernelScripts#DISTURBED_NANOS} (a busy machine
   * shortens the gap after a late event, which can move a next-tick ACK past the next event) is
   * run again, {@link KernelScripts#ATTEMPTS} times at most; the last run stands.
   */
  static Run runKernel(DiffCase c) {
    Run last = null;
    for (int attempt = 0; attempt < KernelScripts.ATTEMPTS; attempt++) {
      DiffTap[] tap = new DiffTap[1];
      KernelScripts.Outcome o = KernelScripts.run(parse(c), false, b -> tap[0] = new DiffTap(b, true));
      if (!(o instanceof KernelScripts.Outcome.Ran ran) || tap[0] == null) {
        return last;
      }
      last = new Run(ran.result(), tap[0], tap[0].observations());
      if (ran.worstLatenessNanos() <= KernelScripts.DISTURBED_NANOS) {
        break;
      }
    }
    return last;
  }

  /** The first difference between the two runs, or null when they agree. */
  static Difference compare(Run linux, Run sim) {
    List<String> a = linux.observations();
    List<String> b = sim.observations();
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      if (!a.get(i).equals(b.get(i))) {
        return new Difference(i, a.get(i), b.get(i));
      }
    }
    if (a.size() != b.size()) {
      return new Difference(n, n < a.size() ? a.get(n) : "(nothing more)",
          n < b.size() ? b.get(n) : "(nothing more)");
    }
    String va = verdict(linux.result());
    String vb = verdict(sim.result());
    return va.equals(vb) ? null : new Difference(n, linux.result().describe(), sim.result().describe());
  }

  private static String verdict(ScriptResult r) {
    if (r instanceof ScriptResult.Fail f) {
      return "FAIL:" + f.line();
    }
    return r instanceof ScriptResult.Unsupported u ? "UNSUPPORTED:" + u.line() : "PASS";
  }
}
