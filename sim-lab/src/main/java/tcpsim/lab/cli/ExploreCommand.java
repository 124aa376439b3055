package tcpsim.lab.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tcpsim.lab.fuzz.Explorer;
import tcpsim.lab.fuzz.FuzzConfig;

/** {@code tcpsim explore teardown}: every ordering of a small teardown scenario (see {@link Explorer}). */
@Command(name = "explore", mixinStandardHelpOptions = true,
    description = "Explore every interleaving of a small two-endpoint teardown scenario to the fixpoint, merging equal"
        + " states.")
public final class ExploreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The scenario: teardown (close, shutdown, SO_LINGER {1, 0} close, recv on either side).")
  String scenario;

  @Option(names = "--config", description = "linux or short-time-wait. Default: ${DEFAULT-VALUE}.", defaultValue = "linux")
  String config;

  @Option(names = "--depth", description = "Expand no path longer than this (default: none, run to the fixpoint).")
  Integer depth;

  @Option(names = "--drops", description = "Most segments dropped on one path (default: any, each at most once).")
  Integer drops;

  @Option(names = "--late", description = "Most segments held or duplicated on one path (0: drops only; 1: 25 s"
      + " on an idle core; 2: about two minutes). Default: ${DEFAULT-VALUE}.",
      defaultValue = "1")
  int late;

  @Option(names = "--no-reduce", description = "Expand every state in full. By default, while a segment is in flight"
      + " to a host, only that host's steps are expanded: the other host's commute with them (partial-order"
      + " reduction; the same end pairs and errno values, fewer states).")
  boolean noReduce;

  @Option(names = "--replay", description = "Replay each state's path on a fresh world for every transition out of"
      + " it instead of putting one world back from a snapshot of the state (the slower reference the snapshots"
      + " are tested against).")
  boolean replay;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FuzzConfig cfg;
    try {
      if (!scenario.equals("teardown")) {
        throw new IllegalArgumentException("unknown scenario '" + scenario + "' (known: teardown)");
      }
      if (depth != null && depth < 1 || drops != null && drops < 0 || late < 0) {
        throw new IllegalArgumentException("--depth must be >= 1, --drops and --late >= 0");
      }
      cfg = FuzzConfig.named(config);
    } catch (IllegalArgumentException e) {
      err.println("tcpsim explore: " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    Explorer.Result r = new Explorer(cfg, depth == null ? Explorer.ANY : depth, drops == null ? Explorer.ANY : drops,
        late, replay, !noReduce).run();
    double secs = (System.nanoTime() - start) / 1e9;
    o.printf(java.util.Locale.ROOT, "explore %s (config %s, depth %s, drops %s, late %d; one fault per segment; %s):"
        + " %d distinct states, %d transitions, %d path replays, %d copies, %d restores, deepest path %d, %s, %.1f s%n", scenario,
        cfg.name(), depth == null ? "any" : depth, drops == null ? "any" : drops, late,
        noReduce ? "every state expanded in full" : "partial-order reduced", r.states(), r.transitions(),
        r.replays(), r.copies(), r.restores(),
        r.depth(), r.fixpoint() ? "fixpoint reached"
        : r.violation() != null ? "stopped at a violation" : "fixpoint NOT reached (depth limit)", secs);
    o.println("end-state pairs (client | server once both closed and only TIME_WAIT is left), with the errno values"
        + " some path to them saw:");
    for (Map.Entry<String, Explorer.EndPair> e : r.endPairs().entrySet()) {
      Explorer.EndPair p = e.getValue();
      o.println("  " + e.getKey() + "  (" + p.states() + (p.states() == 1 ? " state)" : " states)"));
      o.println("      " + (p.withoutErrno() ? "no errno on some paths" : "an errno on every path"));
      for (String side : new String[] {"client", "server"}) {
        StringBuilder calls = new StringBuilder();
        for (String errno : p.errnos()) {
          if (errno.startsWith(side + " ")) {
            calls.append(calls.length() == 0 ? "" : ", ").append(errno.substring(side.length() + 1));
          }
        }
        if (calls.length() > 0) {
          o.println("      " + side + ": " + calls);
        }
      }
    }
    if (r.violation() == null) {
      o.println("no invariant broke");
      return 0;
    }
    o.println("violation: " + r.violation());
    o.println("shortest path (after connect and 1000 bytes each way):");
    for (int i = 0; i < r.violationPath().size(); i++) {
      o.println("  " + (i + 1) + ". " + r.violationPath().get(i));
    }
    return 1;
  }
}
