package tcpsim.lab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.core.time.Nanos;
import tcpsim.lab.experiment.Experiment;
import tcpsim.lab.experiment.ExperimentError;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.run.ExperimentRunner;
import tcpsim.lab.run.ResultFiles;
import tcpsim.lab.run.RunError;
import tcpsim.lab.run.RunResult;

/**
 * {@code tcpsim demo}: the gallery's headline case, a server that never closes accepted sockets
 * (specs/experiments/close-wait-leak.yaml, carried in the jar so the demo runs from any
 * directory), cut to its first {@code --seconds}. Prints the seed first, then the key events
 * (CLOSE_WAIT climbing until accept fails with EMFILE), the socket states at the end, where the
 * report went, and the trace digest last. The seed moves initial sequence numbers and ephemeral
 * ports, so another seed gives another digest; the same seed gives the same output.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the gallery's headline case (a server that leaks CLOSE_WAIT sockets) and"
        + " print its seed, key events, report location and trace digest.")
public final class DemoCommand implements Callable<Integer> {
  /** The gallery file, as copied into the jar (a test keeps the copy identical). */
  static final String RESOURCE = "/tcpsim/lab/run/close-wait-leak.yaml";

  /** Lines of the sockets-over-time table. */
  static final int ROWS = 6;

  @Spec CommandSpec spec;

  @Option(names = "--seed", description = "The run's seed (decimal or 0x hex). Default: ${DEFAULT-VALUE}.",
      defaultValue = "0x5eed", converter = SeedConverter.class)
  long seed;

  @Option(names = "--seconds", description = "Virtual seconds to run, 1 to 60. Default: ${DEFAULT-VALUE}"
      + " (accept fails with EMFILE at about 12.6 s).", defaultValue = "20")
  int seconds;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where to write the results and report. Default: tcpsim-out/close-wait-leak/.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (seconds < 1 || seconds > 60) {
      err.println("tcpsim demo: --seconds must be in [1, 60], was " + seconds);
      return 2;
    }
    o.println("seed: 0x" + Long.toHexString(seed));
    Experiment e;
    try {
      e = headline();
    } catch (IOException | ExperimentError ex) {
      err.println("tcpsim demo: the demo's experiment " + RESOURCE + " is unusable: " + ex.getMessage());
      return 1;
    }
    Experiment cut = new Experiment(e.name(), e.description(), Nanos.seconds(seconds), e.mslNanos(),
        e.hosts(), e.links(), e.apps(), e.faults(), e.metrics());
    o.println(e.name() + ": " + e.description().strip());
    o.println("(specs/experiments/" + e.name() + ".yaml, first " + seconds + " s of "
        + e.durationNanos() / Nanos.PER_SECOND + " s)");
    Path dir = out != null ? out : Path.of("tcpsim-out", e.name());
    try {
      RunResult r = ExperimentRunner.run(cut, seed, "demo", new ExperimentRunner.Options(
          RunCommand.LADDER_CONNECTIONS, null, java.util.List.of()));
      RunCommand.printEvents(r, o, 20);
      RunSummary.timeline(r, ROWS, o);
      RunSummary.print(r, o);
      ResultFiles.write(r, dir, null);
      o.println("report: " + dir.resolve(ResultFiles.REPORT));
      o.println("trace digest: " + r.digest());
      o.flush();
      return 0;
    } catch (RunError | IOException ex) {
      err.println("tcpsim demo: " + ex.getMessage());
      return 1;
    }
  }

  static Experiment headline() throws IOException, ExperimentError {
    try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("not found in the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ExperimentLoader.parse("close-wait-leak.yaml", text).base();
    }
  }
}
