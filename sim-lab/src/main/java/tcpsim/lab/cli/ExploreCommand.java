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
    description = "Explore every ordering of a small two-endpoint teardown scenario, merging equal states.")
public final class ExploreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The scenario: teardown (close / shutdown / SO_LINGER 0 on either side).")
  String scenario;

  @Option(names = "--config", description = "linux or short-time-wait. Default: ${DEFAULT-VALUE}.", defaultValue = "linux")
  String config;

  @Option(names = "--depth", description = "Longest path explored. Default: ${DEFAULT-VALUE}.", defaultValue = "12")
  int depth;

  @Option(names = "--faults", description = "Most faults on one path (one per segment at most). Default: ${DEFAULT-VALUE}.",
      defaultValue = "1")
  int faults;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FuzzConfig cfg;
    try {
      if (!scenario.equals("teardown")) {
        throw new IllegalArgumentException("unknown scenario '" + scenario + "' (known: teardown)");
      }
      if (depth < 1 || depth > 40 || faults < 0 || faults > 4) {
        throw new IllegalArgumentException("--depth must be in [1, 40] and --faults in [0, 4]");
      }
      cfg = FuzzConfig.named(config);
    } catch (IllegalArgumentException e) {
      err.println("tcpsim explore: " + e.getMessage());
      return 2;
    }
    long start = System.nanoTime();
    Explorer.Result r = new Explorer(cfg, depth, faults).run();
    double secs = (System.nanoTime() - start) / 1e9;
    o.printf(java.util.Locale.ROOT, "explore %s (config %s, depth %d, faults %d): %d distinct states, %d transitions,"
        + " %d replays, deepest path %d, %.1f s%n", scenario, cfg.name(), depth, faults, r.states(), r.transitions(),
        r.replays(), r.depth(), secs);
    o.println("end-state pairs (client | server, 1 s after both closed), with the errno values calls returned:");
    for (Map.Entry<String, Integer> e : r.endPairs().entrySet()) {
      o.println("  " + e.getKey() + "  x" + e.getValue());
    }
    if (r.violation() == null) {
      o.println("no invariant broke");
      return 0;
    }
    o.println("violation: " + r.violation());
    o.println("shortest path (after connect, 1000 bytes each way):");
    for (int i = 0; i < r.violationPath().size(); i++) {
      o.println("  " + (i + 1) + ". " + r.violationPath().get(i));
    }
    return 1;
  }
}
