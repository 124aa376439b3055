package tcpsim.lab.kernel;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptBackend;
import tcpsim.lab.script.ScriptLine;
import tcpsim.lab.script.ScriptOptions;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.ScriptRunner;
import tcpsim.lab.script.Timing;

/**
 * Runs scripts on the host's kernel: one fresh {@link LinuxKernelBackend} per script, the
 * kernel-side tolerance widened, and long scripts left to the slow mode.
 *
 * <p>Tolerance: a real kernel fires timers on jiffies (this machine: CONFIG_HZ=250, 4 ms) and
 * the runner is scheduled among other processes, so the kernel side gets
 * {@link #EXTRA_TOLERANCE_USECS} more than the script's {@code --tolerance_usecs} (both for
 * packets and for blocking calls; the percentage is unchanged). tcpsim's own side stays exact.
 *
 * <p>Load: on a busy machine the runner itself can be late (a sleep that overshoots, a call
 * whose thread waits for a CPU), which the script would blame on the kernel. A FAIL from a
 * disturbed run, one where an action of the runner was more than {@link #DISTURBED_NANOS} late,
 * is run again in a fresh namespace, up to {@link #ATTEMPTS} attempts in all; the notes say so.
 * So is a FAIL where the kernel's packet came later than the script allows ({@link #kernelLate}):
 * in a VM the kernel's timers can be held up too. A failure that holds on an undisturbed run, or
 * on every attempt, stands.
 *
 * <p>Time: the kernel runs in real time, so a script waiting out a 60 s TIME_WAIT takes 60 s.
 * Scripts whose scripted time passes {@link #QUICK_LIMIT_USECS} are not run unless slow mode is
 * on ({@code --slow} on the command line, {@code -Dtcpsim.kernel.slow=true} or
 * {@code TCPSIM_KERNEL_SLOW=1} for the tests); they are reported as not run, never as passed.
 */
public final class KernelScripts {
  /** Two ticks of a 250 Hz kernel. */
  public static final long EXTRA_TOLERANCE_USECS = 8000;
  /** One tick of a 250 Hz kernel: a runner this late may have caused a failure. */
  public static final long DISTURBED_NANOS = 4_000_000;
  /** Runs of one script at most, when the earlier ones were disturbed. */
  public static final int ATTEMPTS = 3;
  /** The quick suite's limit on a script's scripted time. */
  public static final long QUICK_LIMIT_USECS = 10_000_000;

  /**
   * A handshake run once per JVM before the first script and thrown away: a cold JVM loads and
   * compiles the runner's code during the first script's first events and makes them tens of
   * milliseconds late, which would be charged to the kernel.
   */
  private static final String WARM_UP = String.join("\n",
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
      "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
      "+0 bind(3, ..., ...) = 0",
      "+0 listen(3, 1) = 0",
      "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>",
      "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>",
      "+0 < . 1:1(0) ack 1 win 1050 <nop,nop,TS val 110 ecr 200>",
      "+0 accept(3, ..., ...) = 4",
      "+0 < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>",
      "+0 > . 1:1(0) ack 11 <...>",
      "+0 read(4, ..., 100) = 10",
      "+0 close(4) = 0",
      "+0 > R. 1:1(0) ack 11 <...>", "");
  private static boolean warm;

  private KernelScripts() {}

  private static synchronized void warmUp() {
    if (warm) {
      return;
    }
    warm = true;
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      ScriptRunner.run(tcpsim.lab.script.Parser.parse("warm-up", WARM_UP), new RecordingBackend(k));
    } catch (tcpsim.lab.script.ScriptError e) {
      throw new IllegalStateException("the built-in warm-up script does not parse: " + e.getMessage(), e);
    }
  }

  /** What became of a script on the kernel. */
  public sealed interface Outcome {
    String file();

    /**
     * The runner's verdict, what the backend noticed on the way, and the timed transcript of
     * what crossed between script and kernel.
     */
    record Ran(ScriptResult result, List<String> notes, List<String> transcript,
        List<String> observations, long worstLatenessNanos) implements Outcome {
      @Override
      public String file() {
        return result.file();
      }
    }

    /** Not run: the machine cannot, or the script is too long for the quick suite. */
    record NotRun(String file, String reason) implements Outcome {}
  }

  /** Whether slow mode is on in this process's settings. */
  public static boolean slowFromEnvironment() {
    return Boolean.getBoolean("tcpsim.kernel.slow") || "1".equals(System.getenv("TCPSIM_KERNEL_SLOW"));
  }

  /** One line for the head of a report: kernel version and the tolerance widening. */
  public static String header() {
    return "linux backend: kernel " + KernelAvailability.kernelRelease() + "; kernel-side tolerance "
        + "widened by " + EXTRA_TOLERANCE_USECS + " us (two ticks of a 250 Hz kernel); a FAIL while "
        + "the runner was over " + DISTURBED_NANOS / 1000 + " us late, or with the kernel's packet late, "
        + "is retried (" + ATTEMPTS + " attempts at most)";
  }

  /** Runs {@code script} on a fresh namespace of the host's kernel. */
  public static Outcome run(Script script, boolean slow) {
    return run(script, slow, UnaryOperator.identity());
  }

  /**
   * As {@link #run(Script, boolean)}, the runner talking to {@code outer} applied to each
   * attempt's recorded backend (a tap of its own between runner and kernel).
   */
  static Outcome run(Script script, boolean slow, UnaryOperator<ScriptBackend> outer) {
    ScriptResult unsupported = ScriptRunner.unsupportedFeature(script);
    if (unsupported != null) {
      return new Outcome.Ran(unsupported, List.of(), List.of(), List.of(), 0);
    }
    long duration = scriptedDurationUsecs(script);
    if (!slow && duration > QUICK_LIMIT_USECS) {
      return new Outcome.NotRun(script.file(), "kernel backend not run: the script spans "
          + Nanos.format(Nanos.micros(duration)) + " of real time, more than the quick suite's "
          + Nanos.format(Nanos.micros(QUICK_LIMIT_USECS)) + " (use --slow)");
    }
    KernelAvailability a = KernelAvailability.check();
    if (!a.available()) {
      return new Outcome.NotRun(script.file(), "kernel backend not run: " + a.reason());
    }
    try {
      warmUp();
    } catch (KernelBackendException e) {
      return new Outcome.NotRun(script.file(), "kernel backend not run: " + e.getMessage());
    }
    List<String> notes = new java.util.ArrayList<>();
    Outcome.Ran last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
        RecordingBackend rec = new RecordingBackend(k);
        ScriptResult r = ScriptRunner.run(widened(script, EXTRA_TOLERANCE_USECS), outer.apply(rec));
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(k.notes());
        all.add("attempt " + attempt + ", the runner's worst delay: " + k.worstLateness());
        last = new Outcome.Ran(r, List.copyOf(all), rec.transcript(), rec.observations(),
            k.worstLatenessNanos());
        boolean disturbed = k.worstLatenessNanos() > DISTURBED_NANOS;
        if (!(r instanceof ScriptResult.Fail f) || !disturbed && !kernelLate(f)) {
          return last;
        }
        notes.add("attempt " + attempt + (disturbed ? " was disturbed (" + k.worstLateness() + ")"
            : " had the kernel's packet late") + ": " + r.describe());
      } catch (KernelBackendException e) {
        return new Outcome.NotRun(script.file(), "kernel backend not run: " + e.getMessage());
      }
    }
    return new Outcome.Ran(last.result(), List.copyOf(notes), last.transcript(), last.observations(),
        last.worstLatenessNanos());
  }

  private static final Pattern LATE_PACKET = Pattern.compile(
      "^packet at ([0-9.]+)s, expected at (?:[0-9.]+s~)?([0-9.]+)s");

  /**
   * Whether {@code f} is a packet the kernel sent later than the script allows: in a VM the
   * kernel's own timers and softirqs can be held up as the runner can, so such a failure is run
   * again like a disturbed one, and stands only if every attempt shows it. A packet that came
   * early, or a different packet, is never retried.
   */
  static boolean kernelLate(ScriptResult.Fail f) {
    Matcher m = LATE_PACKET.matcher(f.message());
    return m.find() && Double.parseDouble(m.group(1)) > Double.parseDouble(m.group(2));
  }

  /** {@code script} with {@code extraUsecs} more tolerance. */
  public static Script widened(Script script, long extraUsecs) {
    ScriptOptions o = script.options();
    return new Script(script.file(), new ScriptOptions(o.toleranceUsecs() + extraUsecs,
        o.tolerancePpm(), o.tsTickUsecs(), o.mss(), o.strictSegments(), o.unsupported()), script.lines());
  }

  /**
   * The scripted time of the last event, in microseconds, as the runner counts it ({@code +t}
   * from the previous event, a blocking call's end, a window's end); {@code *} lines add nothing.
   */
  public static long scriptedDurationUsecs(Script script) {
    long base = 0;
    long last = 0;
    for (ScriptLine line : script.lines()) {
      Timing t = line.timing();
      if (t instanceof Timing.At at) {
        base = point(at.at(), base);
        last = Math.max(last, base);
      } else if (t instanceof Timing.Window w) {
        base = point(w.to(), base);
        last = Math.max(last, base);
      } else if (t instanceof Timing.Blocking b) {
        long start = point(b.start(), base);
        long end = b.end().relative() ? start + b.end().usecs() : b.end().usecs();
        base = start;
        last = Math.max(last, Math.max(start, end));
      }
    }
    return last;
  }

  private static long point(Timing.Point p, long base) {
    return p.relative() ? base + p.usecs() : p.usecs();
  }
}
