package tcpsim.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tcpsim.core.random.SimRandom;
import tcpsim.lab.fuzz.FuzzAction;
import tcpsim.lab.fuzz.FuzzConfig;
import tcpsim.lab.fuzz.FuzzReport;
import tcpsim.lab.fuzz.FuzzWorld;
import tcpsim.lab.fuzz.Fuzzer;
import tcpsim.lab.fuzz.KnownStackBugs;
import tcpsim.lab.fuzz.NearMisses;

/**
 * {@code tcpsim fuzz}: a teardown fuzzing campaign (see {@link Fuzzer}). Prints the seed first, a
 * progress line, and on a failure the replay command, the shrunk action list and the files of the
 * case (action list, .pkt sketch, ladder diagram). Exit code 1 when an invariant broke.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = "Fuzz teardown orderings of two endpoints; shrink and report any broken invariant.")
public final class FuzzCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "The run seed (decimal or 0x hex). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0x5eed", converter = SeedConverter.class)
  long seed;

  @Option(names = "--cases", description = "Cases to run. Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
  int cases;

  @Option(names = "--time-budget", description = "Stop after this many wall-clock seconds (0: none). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0")
  String timeBudget;

  @Option(names = "--jobs", description = "Worker threads; results do not depend on it. Default: ${DEFAULT-VALUE}.",
      defaultValue = "1")
  int jobs;

  @Option(names = "--config", description = "linux (Linux defaults) or short-time-wait (TIME_WAIT 0 s, no timestamps). Default: ${DEFAULT-VALUE}.",
      defaultValue = "linux")
  String config;

  @Option(names = "--max-actions", description = "Longest action chain. Default: ${DEFAULT-VALUE}.", defaultValue = "40")
  int maxActions;

  @Option(names = "--max-action-events", description = "The most simulator events one action may fire;"
      + " a case past it did not settle (a finding). Default: ${DEFAULT-VALUE}.", defaultValue = "" + FuzzWorld.ACTION_EVENT_CAP)
  long maxActionEvents;

  @Option(names = "--case", description = "Run only this case of the run (replays it exactly, with shrinking;"
      + " a mutant case runs the rounds before it again, for its parents).")
  Integer onlyCase;

  @Option(names = "--replay", description = "Replay an action list file (as written to case.txt).")
  Path replay;

  @Option(names = "--repeat", description = "Run this many campaigns from seeds derived from --seed and report the median time to the first finding.",
      defaultValue = "1")
  int repeat;

  @Option(names = "--known-bugs", description = "step-around (default) or none: whether to avoid the stack bugs already recorded.",
      defaultValue = "step-around")
  String knownBugs;

  @Option(names = "--stale-scope", description = "full (default): the stale-segment invariant covers incarnations"
      + " that ended through a TIME_WAIT that ran its course; graceful: also those whose TIME_WAIT a reconnect took"
      + " over, a SYN reopened or a RST killed; any: also those ended by a RST or a reboot.", defaultValue = "full")
  String staleScope;

  @Option(names = "--out", description = "Directory for the case files. Default: ${DEFAULT-VALUE}.", defaultValue = "fuzz-report")
  Path out;

  /** The options a replay command must repeat (--known-bugs, --stale-scope), set by call(). */
  private String flags = "";

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FuzzConfig cfg;
    KnownStackBugs known;
    long budgetNanos;
    try {
      cfg = FuzzConfig.named(config);
      known = switch (knownBugs) {
        case "step-around" -> KnownStackBugs.ALL;
        case "none" -> KnownStackBugs.NONE;
        default -> throw new IllegalArgumentException("--known-bugs must be step-around or none, was '" + knownBugs + "'");
      };
      budgetNanos = seconds(timeBudget) * 1_000_000_000L;
      check(cases >= 1, "--cases must be >= 1, was " + cases);
      check(jobs >= 1 && jobs <= 64, "--jobs must be in [1, 64], was " + jobs);
      check(maxActions >= 1, "--max-actions must be >= 1, was " + maxActions);
      check(repeat >= 1, "--repeat must be >= 1, was " + repeat);
      check(maxActionEvents >= 1, "--max-action-events must be >= 1, was " + maxActionEvents);
    } catch (IllegalArgumentException e) {
      err.println("tcpsim fuzz: " + e.getMessage());
      return 2;
    }
    FuzzWorld.StaleScope scope;
    try {
      scope = switch (staleScope) {
        case "full" -> FuzzWorld.StaleScope.FULL;
        case "graceful" -> FuzzWorld.StaleScope.GRACEFUL;
        case "any" -> FuzzWorld.StaleScope.ANY;
        default -> throw new IllegalArgumentException("--stale-scope must be full, graceful or any, was '" + staleScope + "'");
      };
    } catch (IllegalArgumentException e) {
      err.println("tcpsim fuzz: " + e.getMessage());
      return 2;
    }
    Fuzzer fuzzer = new Fuzzer(cfg, known, maxActions, scope).maxActionEvents(maxActionEvents);
    flags = replayFlags(knownBugs, scope)
        + (maxActionEvents != FuzzWorld.ACTION_EVENT_CAP ? " --max-action-events " + maxActionEvents : "");
    if (replay != null) {
      return replay(o, err, fuzzer);
    }
    o.println("seed: 0x" + Long.toHexString(seed) + "  config: " + cfg.name() + "  cases: " + cases
        + "  jobs: " + jobs + (budgetNanos > 0 ? "  time budget: " + timeBudget : ""));
    if (onlyCase != null) {
      if (Fuzzer.mutant(onlyCase)) {
        o.println("case " + onlyCase + " is a mutant: running cases 0.." + (onlyCase / Fuzzer.ROUND * Fuzzer.ROUND - 1)
            + " again for its parents");
      }
      Fuzzer.Finding f = fuzzer.runCase(seed, onlyCase, jobs);
      if (f == null) {
        o.println("case " + onlyCase + " passed");
        return 0;
      }
      report(o, fuzzer, seed, f);
      return 1;
    }
    if (repeat > 1) {
      return repeat(o, fuzzer, budgetNanos);
    }
    Fuzzer.Campaign c = fuzzer.campaign(seed, cases, jobs, budgetNanos, progress(err));
    err.println();
    double secs = c.wallNanos() / 1e9;
    o.printf(java.util.Locale.ROOT, "%d cases in %.1f s (%.0f cases/s)%n", c.casesRun(), secs, c.casesRun() / secs);
    // Cases 0 .. n-1 and their end states: the same for any --jobs (cases after a finding may or
    // may not have run, and a time budget cuts where it cuts, so those are left out or differ).
    o.println("digest " + c.digestHex() + " over cases 0.." + (c.casesChecked() - 1));
    if (c.first() == null) {
      o.println(nearest(c.misses()));
      o.println("no invariant broke");
      return 0;
    }
    int at = c.first().caseIndex();
    o.println(at == 0 ? "case 0 failed" : "cases 0.." + (at - 1) + " passed; case " + at + " failed");
    report(o, fuzzer, seed, c.first());
    return 1;
  }

  private int repeat(PrintWriter o, Fuzzer fuzzer, long budgetNanos) throws InterruptedException {
    SimRandom seeds = new SimRandom(seed).split("campaigns");
    List<Double> found = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    for (int k = 0; k < repeat; k++) {
      long s = seeds.nextLong();
      Fuzzer.Campaign c = fuzzer.campaign(s, cases, jobs, budgetNanos, n -> {});
      double secs = c.wallNanos() / 1e9;
      if (c.first() == null) {
        o.printf(java.util.Locale.ROOT, "seed 0x%x: nothing in %d cases, %.1f s; %s%n", s, c.casesRun(), secs,
            nearest(c.misses()).replace("\n ", ";"));
      } else {
        found.add(secs);
        lengths.add(c.first().actions().size());
        o.printf(java.util.Locale.ROOT, "seed 0x%x: case %d after %.2f s (%d cases, %.0f cases/s): %s, %d actions%n",
            s, c.first().caseIndex(), secs, c.casesRun(), c.casesRun() / secs, c.first().invariant(),
            c.first().actions().size());
      }
    }
    found.sort(null);
    lengths.sort(null);
    // The median over every campaign: one that found nothing counts as longer than the budget.
    int mid = (repeat - 1) / 2;
    String median = mid < found.size() ? String.format(java.util.Locale.ROOT, "%.2f s", found.get(mid))
        : "more than the budget";
    o.printf(java.util.Locale.ROOT, "found in %d of %d campaigns; median time to find (misses count as longer"
        + " than the budget) %s; median shrunk length %s%n", found.size(), repeat, median,
        lengths.isEmpty() ? "-" : String.valueOf(lengths.get(lengths.size() / 2)));
    return found.isEmpty() ? 0 : 1;
  }

  /** The campaign's nearest miss of the stale-segment invariant, the measure its mutants climb. */
  static String nearest(NearMisses m) {
    if (m.isEmpty()) {
      return "nearest stale miss: " + FuzzWorld.describeStaleDistance(Long.MAX_VALUE);
    }
    NearMisses.Miss best = m.nearest();
    return "nearest stale miss: " + FuzzWorld.describeStaleDistance(best.gap()) + " (case " + best.caseIndex() + ")"
        + (best.where() == null ? "" : "\n  " + best.where());
  }

  /**
   * The options a replay command repeats. It repeats what was asked, not what it amounts to: with
   * no open stack bug both --known-bugs choices are the same empty set, and the line would
   * otherwise always say --known-bugs none.
   */
  static String replayFlags(String knownBugs, FuzzWorld.StaleScope scope) {
    return (knownBugs.equals("none") ? " --known-bugs none" : "")
        + (scope == FuzzWorld.StaleScope.FULL ? "" : " --stale-scope " + scope.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Prints a finding and writes its files (package-private for a test of each kind of finding). */
  void report(PrintWriter o, Fuzzer fuzzer, long runSeed, Fuzzer.Finding f) throws IOException {
    FuzzConfig cfg = fuzzer.config();
    String replayCase = "./tcpsim fuzz --config " + cfg.name() + " --seed 0x" + Long.toHexString(runSeed)
        + " --case " + f.caseIndex() + " --max-actions " + maxActions + flags;
    Path dir = out;
    List<FuzzAction> actions = Fuzzer.parse(f.actions());
    List<String> header = List.of(
        "tcpsim fuzz finding, configuration " + cfg.name(),
        "found by: " + replayCase,
        "replay:   ./tcpsim fuzz --config " + cfg.name() + flags + " --replay " + dir.resolve("case.txt"));
    // A case that ran out of memory, or met a fuzzer bug, is not replayed for its ladder: it
    // would run out again, or throw again.
    boolean replayable = !f.invariant().equals(Fuzzer.KIND_EXHAUSTION) && !f.invariant().equals(Fuzzer.KIND_CRASH);
    FuzzReport.Written w = replayable ? FuzzReport.write(dir, fuzzer, actions, header) : null;
    Path txt = replayable ? w.actions()
        : FuzzReport.writeActions(dir, actions, header, new String[] {f.invariant(), f.detail()});
    o.println("replay: " + replayCase);
    o.println("        ./tcpsim fuzz --config " + cfg.name() + flags + " --replay " + txt);
    o.println("broken: " + f.invariant());
    o.println("        " + f.detail());
    o.println((replayable ? "shrunk action list (" : "action list, unshrunk (") + f.actions().size() + " actions):");
    for (int i = 0; i < f.actions().size(); i++) {
      o.println("  " + (i + 1) + ". " + f.actions().get(i));
    }
    o.println("wrote " + (replayable ? w.actions() + ", " + w.pkt() + ", " + w.ladder() : txt + " (no ladder: its replay would fail the same way)"));
  }

  private int replay(PrintWriter o, PrintWriter err, Fuzzer fuzzer) throws IOException {
    FuzzConfig cfg = fuzzer.config();
    List<FuzzAction> actions;
    try {
      actions = Fuzzer.parse(Files.readAllLines(replay, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      err.println("tcpsim fuzz: --replay: no such file " + replay);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("tcpsim fuzz: " + replay + ": " + e.getMessage());
      return 2;
    }
    FuzzReport.Written w;
    try {
      w = FuzzReport.write(out, fuzzer, actions, List.of("replay of " + replay + ", configuration " + cfg.name()));
    } catch (OutOfMemoryError e) {
      o.println("replayed " + actions.size() + " actions from " + replay + " (config " + cfg.name() + ")");
      o.println("broken: " + Fuzzer.KIND_EXHAUSTION);
      o.println("        " + e + " (give the JVM more heap with TCPSIM_JAVA_OPTS=-Xmx..., or look at the list)");
      return 1;
    }
    o.println("replayed " + actions.size() + " actions from " + replay + " (config " + cfg.name() + ")");
    if (w.broken() == null) {
      o.println("no invariant broke");
    } else {
      o.println("broken: " + w.broken()[0]);
      o.println("        " + w.broken()[1]);
    }
    o.println("wrote " + w.actions() + ", " + w.pkt() + ", " + w.ladder());
    return w.broken() == null ? 0 : 1;
  }

  private static java.util.function.IntConsumer progress(PrintWriter err) {
    long start = System.nanoTime();
    long[] last = {0};
    return n -> {
      long now = System.nanoTime();
      synchronized (last) {
        if (now - last[0] < 500_000_000L) {
          return;
        }
        last[0] = now;
      }
      double secs = (now - start) / 1e9;
      err.printf(java.util.Locale.ROOT, "\r%d cases, %.0f cases/s, %.0f s", n, n / secs, secs);
      err.flush();
    };
  }

  private static long seconds(String text) {
    String t = text.strip();
    if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("--time-budget must be whole seconds like 60 or 60s, was '" + text + "'");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
