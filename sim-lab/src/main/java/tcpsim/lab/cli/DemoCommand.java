package tcpsim.lab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;

/**
 * {@code tcpsim demo}: a small deterministic run that shows the engine at work: its seed first,
 * every event, and the trace digest last. Run it twice with one seed and the digest is the same.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a small simulation and print its seed, events and trace digest.")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "The run's seed (decimal or 0x hex). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0x5eed", converter = SeedConverter.class)
  long seed;

  @Option(names = "--rounds", description = "Ping-pong rounds, 1 to 1000. Default: ${DEFAULT-VALUE}.",
      defaultValue = "5")
  int rounds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (rounds < 1 || rounds > 1000) {
      spec.commandLine().getErr().println("tcpsim demo: --rounds must be in [1, 1000], was " + rounds);
      return 2;
    }
    out.println("seed: 0x" + Long.toHexString(seed));
    Simulation sim = new Simulation(seed);
    SimRandom jitter = sim.random().split("demo:jitter");
    // Two endpoints bounce a message over a 10 ms link with up to 2 ms of seeded jitter.
    EventHandler[] bounce = new EventHandler[1];
    bounce[0] = (now, arg) -> {
      String from = (arg & 1) == 0 ? "a" : "b";
      String to = (arg & 1) == 0 ? "b" : "a";
      out.println(Nanos.format(now) + "  message " + arg + " " + from + " -> " + to);
      if (arg + 1 < 2L * rounds) {
        sim.scheduleAfter(Nanos.millis(10) + jitter.nextLong(Nanos.millis(2)), bounce[0], arg + 1);
      }
    };
    sim.schedule(0, bounce[0], 0);
    sim.run();
    out.println("events: " + sim.firedCount());
    out.println("trace digest: " + sim.digest().hex());
    return 0;
  }
}
