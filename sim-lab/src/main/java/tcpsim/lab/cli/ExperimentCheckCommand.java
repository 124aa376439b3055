package tcpsim.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.core.time.Nanos;
import tcpsim.lab.experiment.Experiment;
import tcpsim.lab.experiment.ExperimentError;
import tcpsim.lab.experiment.ExperimentFile;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;
import tcpsim.lab.experiment.Problem;
import tcpsim.lab.experiment.SweepAxis;

/**
 * {@code tcpsim check FILE|DIR...}: checks experiment files without running them. A good file gets
 * a summary (hosts, links, apps, faults, duration, and the sweep grid with its point ids); a bad
 * one gets every problem as {@code file:line:column: key: message} on stderr. Exits 0 when every
 * file is good, 1 otherwise.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check experiment files and show the grid they expand to.")
public final class ExperimentCheckCommand implements Callable<Integer> {
  /** Points listed per file unless --points asks for all. */
  static final int POINTS_SHOWN = 10;

  @Spec CommandSpec spec;

  @Option(names = "--points", description = "List every grid point, not only the first "
      + POINTS_SHOWN + ".")
  boolean allPoints;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR",
      description = "experiment files, or directories of them (*.yaml, *.yml)")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> list = Files.list(p)) {
          list.filter(f -> (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              && Files.isRegularFile(f)).sorted().forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
          err.println("tcpsim check: cannot read directory " + p + ": " + e.getMessage());
          return 2;
        }
      } else {
        files.add(p); // a missing file is reported by the loader, located at 1:1
      }
    }
    int bad = 0;
    for (Path f : files) {
      try {
        summarize(ExperimentLoader.load(f), out);
      } catch (ExperimentError e) {
        for (Problem p : e.problems()) {
          err.println(p);
        }
        if (e.omitted() > 0) {
          err.println(f + ": " + e.omitted() + " more problem(s) not shown");
        }
        out.println(f + ": " + (e.problems().size() + e.omitted()) + " problem(s)");
        bad++;
      }
    }
    out.flush();
    err.flush();
    return bad == 0 ? 0 : 1;
  }

  private void summarize(ExperimentFile file, PrintWriter out) {
    Experiment e = file.base();
    out.println(file.source() + ": OK");
    out.println("  " + e.name() + ": " + count(e.hosts().size(), "host") + ", "
        + count(e.links().size(), "link") + ", " + count(e.apps().size(), "app") + ", "
        + count(e.faults().size(), "fault") + ", duration " + seconds(e.durationNanos()));
    List<String> axes = new ArrayList<>();
    for (SweepAxis a : file.sweep()) {
      axes.add(a.path() + " [" + String.join(", ", a.values()) + "]");
    }
    List<String> seeds = new ArrayList<>();
    for (long s : file.seeds()) {
      seeds.add(Long.toUnsignedString(s));
    }
    axes.add("seeds [" + String.join(", ", seeds) + "]");
    out.println("  grid: " + String.join(" x ", axes) + " = " + count(file.points().size(), "point"));
    int shown = allPoints ? file.points().size() : Math.min(POINTS_SHOWN, file.points().size());
    int width = String.valueOf(file.points().size() - 1).length();
    for (int i = 0; i < shown; i++) {
      GridPoint p = file.points().get(i);
      out.println("    " + String.format("%" + width + "d", p.index()) + "  " + p.id());
    }
    if (shown < file.points().size()) {
      out.println("    ... " + (file.points().size() - shown) + " more (--points lists them all)");
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Whole seconds as the file would write them ("120s"), anything finer as tcpdump does. */
  private static String seconds(long nanos) {
    return nanos % Nanos.PER_SECOND == 0 ? nanos / Nanos.PER_SECOND + "s" : Nanos.format(nanos);
  }
}
