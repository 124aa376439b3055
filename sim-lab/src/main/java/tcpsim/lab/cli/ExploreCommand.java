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
        + " states (by default with any number of segments late, through pools that contain that space).")
public final class ExploreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The scenario: teardown (close, shutdown, SO_LINGER {1, 0} close, recv on either side).")
  String scenario;

  @Option(names = "--config", description = "linux or short-time-wait. Default: ${DEFAULT-VALUE}.", defaultValue = "linux")
  String config;

  @Option(names = "--depth", description = "Expand no path longer than this (default: none, run to the fixpoint).")
  Integer depth;

  @Option(names = "--drops", description = "With --late N: most segments dropped on one path (default: any, each at"
      + " most once).")
  Integer drops;

  @Option(names = "--late", description = "any: any number of segments held or duplicated, each segment at most once"
      + " faulted, searched through pools that contain that space (30 s on an idle core). N: at most N per path,"
      + " searched exactly (0: drops only; 1: 25 s; 2: about two minutes). Default: ${DEFAULT-VALUE}.",
      defaultValue = "any")
  String late;

  @Option(names = "--no-reduce", description = "With --late N: expand every state in full. By default, while a"
      + " segment is in flight to a host, only that host's steps are expanded: the other host's commute with them"
      + " (partial-order reduction; the same end pairs and errno values, fewer states).")
  boolean noReduce;

  @Option(names = "--no-cover", description = "With --late any: merge only states with equal pools, instead of"
      + " covering a state by one whose pools contain its own (the reference the covering is measured against:"
      + " about three times the states and five times the time).")
  boolean noCover;

  @Option(names = "--replay", description = "Replay each state's path on a fresh world for every transition out of"
      + " it instead of putting one world back from a snapshot of the state (the slower reference the snapshots"
      + " are tested against).")
  boolean replay;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FuzzConfig cfg;
    int maxLate;
    try {
      if (!scenario.equals("teardown")) {
        throw new IllegalArgumentException("unknown scenario '" + scenario + "' (known: teardown)");
      }
      maxLate = lateBudget(late);
      if (depth != null && depth < 1 || drops != null && drops < 0) {
        throw new IllegalArgumentException("--depth must be >= 1, --drops >= 0");
      }
      if (maxLate == Explorer.ANY && drops != null) {
        throw new IllegalArgumentException("--drops needs --late N: with --late any every segment may be lost");
      }
      if (maxLate != Explorer.ANY && noCover) {
        throw new IllegalArgumentException("--no-cover needs --late any: only pools cover one another");
      }
      if (maxLate == Explorer.ANY && noReduce) {
        throw new IllegalArgumentException("--no-reduce needs --late N: with --late any nothing is on time, so no"
            + " step is put off");
      }
      cfg = FuzzConfig.named(config);
    } catch (IllegalArgumentException e) {
      err.println("tcpsim explore: " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    int maxDepth = depth == null ? Explorer.ANY : depth;
    boolean pools = maxLate == Explorer.ANY;
    Explorer.Result r;
    try {
      r = (pools ? Explorer.anyLate(cfg, maxDepth, replay, !noCover)
          : new Explorer(cfg, maxDepth, drops == null ? Explorer.ANY : drops, maxLate, replay, !noReduce)).run();
    } catch (IllegalStateException e) { // a limit of the search, not of the input
      err.println("tcpsim explore: the search stopped: " + e.getMessage());
      return 1;
    }
    double secs = (System.nanoTime() - start) / 1e9;
    String budget = pools
        ? "any number of segments late, each at most once faulted; searched as pools, largest " + r.largestPool()
        : "drops " + (drops == null ? "any" : drops) + ", late " + maxLate + "; one fault per segment; "
            + (noReduce ? "every state expanded in full" : "partial-order reduced");
    String states = !pools ? r.states() + " distinct states"
        : noCover ? r.states() + " distinct states (only equal pools merged)"
        : r.states() + " distinct states (" + r.covered() + " covered by a larger pool before expansion)";
    o.printf(java.util.Locale.ROOT, "explore %s (config %s, depth %s, %s): %s, %d transitions, %d path replays,"
        + " %d copies, %d restores, deepest path %d, %s, %.1f s%n", scenario, cfg.name(),
        depth == null ? "any" : depth, budget, states, r.transitions(), r.replays(), r.copies(), r.restores(),
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

  /** {@code --late}: "any", or a count >= 0. */
  private static int lateBudget(String text) {
    if (text.equals("any")) {
      return Explorer.ANY;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--late must be 'any' or a count >= 0, was '" + text + "'");
  }
}
