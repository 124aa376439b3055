package tcpsim.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.core.time.Nanos;
import tcpsim.lab.experiment.ExperimentError;
import tcpsim.lab.experiment.ExperimentFile;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;
import tcpsim.lab.experiment.Problem;
import tcpsim.lab.run.ExperimentRunner;
import tcpsim.lab.run.ResultFiles;
import tcpsim.lab.run.RunError;
import tcpsim.lab.run.RunResult;

/**
 * {@code tcpsim run FILE}: runs one point of an experiment file (the first, or {@code --point})
 * and prints its seed, key events and summary tables; writes result.json, timeline.csv,
 * counters.txt and report.html into the output directory. Exits 0 after a run, 2 on a bad file
 * or option (the loader's located errors, no stack trace), 1 when the run cannot be made.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run an experiment file and write its results and report.")
public final class RunCommand implements Callable<Integer> {
  /** Connections drawn in the report's ladder. */
  static final int LADDER_CONNECTIONS = 3;

  /** Lines of the sockets-over-time table. */
  static final int ROWS = 11;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "an experiment file (.yaml)")
  Path file;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory. Default: tcpsim-out/<experiment name>/.")
  Path out;

  @Option(names = "--seed", description = "Run with this seed instead of the point's.",
      converter = SeedConverter.class)
  Long seed;

  @Option(names = "--point", paramLabel = "ID",
      description = "The grid point to run (as `tcpsim check` lists them). Default: the first.")
  String point;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Write the HTML report here instead of DIR/report.html.")
  Path report;

  @Option(names = "--pcap", paramLabel = "DIR", description = "Write one pcap per host into DIR.")
  Path pcap;

  @Option(names = "--ss-at", paramLabel = "TIME", converter = TimeConverter.class,
      description = "Write an `ss -tan` snapshot of every host at this virtual time (repeatable).")
  List<Long> ssAt = List.of();

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExperimentFile f;
    try {
      f = ExperimentLoader.load(file);
    } catch (ExperimentError e) {
      for (Problem p : e.problems()) {
        err.println(p);
      }
      err.flush();
      return 2;
    }
    GridPoint p = f.points().get(0);
    if (point != null) {
      p = f.point(point).orElse(null);
      if (p == null) {
        err.println("tcpsim run: --point '" + point + "' is not a point of " + file
            + "; `tcpsim check --points " + file + "` lists them");
        return 2;
      }
    }
    long s = seed != null ? seed : p.seed();
    Path dir = out != null ? out : Path.of("tcpsim-out", f.base().name());
    o.println("seed: 0x" + Long.toHexString(s));
    o.println("experiment: " + f.base().name() + "  point: " + p.id() + "  duration: "
        + Nanos.format(f.base().durationNanos()));
    try {
      RunResult r = ExperimentRunner.run(p.experiment(), s, p.id(),
          new ExperimentRunner.Options(LADDER_CONNECTIONS, pcap, ssAt));
      printEvents(r, o, Integer.MAX_VALUE);
      RunSummary.timeline(r, ROWS, o);
      RunSummary.print(r, o);
      ResultFiles.write(r, dir, report);
      o.println("results: " + dir);
      o.println("report: " + (report != null ? report : dir.resolve(ResultFiles.REPORT)));
      o.println("trace digest: " + r.digest());
      o.flush();
      return 0;
    } catch (RunError e) {
      err.println("tcpsim run: " + file + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("tcpsim run: cannot write the results: " + e.getMessage());
      return 1;
    }
  }

  /** The key events, one a line: time, host, what happened; at most {@code max}, then a count. */
  static void printEvents(RunResult r, PrintWriter o, int max) {
    int width = 0;
    for (RunResult.HostResult h : r.hosts()) {
      width = Math.max(width, h.name().length());
    }
    int n = 0;
    for (RunResult.Event e : r.events()) {
      if (n++ == max) {
        o.println("... " + (r.events().size() - max) + " more events in result.json");
        break;
      }
      o.println(String.format("%12s  %-" + width + "s  %s", Nanos.format(e.atNanos()), e.host(), e.text()));
    }
  }
}
