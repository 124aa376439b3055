package tcpsim.lab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.lab.experiment.ExperimentError;
import tcpsim.lab.experiment.ExperimentFile;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;
import tcpsim.lab.experiment.Problem;
import tcpsim.lab.run.ExperimentRunner;
import tcpsim.lab.run.ResultFiles;
import tcpsim.lab.run.RunError;
import tcpsim.lab.run.RunResult;
import tcpsim.lab.run.SweepChart;

/**
 * {@code tcpsim sweep FILE --jobs N}: runs every grid point of an experiment file on a fixed pool
 * of N threads, one simulation per point, and writes each point's files into {@code
 * DIR/<point id>/} as soon as it finishes (result.json last, atomically: its presence marks the
 * point done). A rerun skips the points already done, so an interrupted sweep resumes. Each
 * point depends on its own seed alone, so the files are byte-identical whatever N is; progress
 * goes to stderr in finishing order, the summary table to stdout in grid order.
 *
 * <p>{@code --pcap DIR}, {@code --report DIR} and {@code --ss-at TIME} are {@code tcpsim run}'s,
 * per point: pcaps into {@code DIR/<point id>/}, the report as {@code DIR/<point id>.html}, ss
 * snapshots beside the point's results. Points already done are skipped, so they get none.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Run every point of an experiment's grid in parallel; resumable.")
public final class SweepCommand implements Callable<Integer> {
  public static final String SUMMARY = "summary.txt";
  /** One row per point: the swept values, then the figures to plot against them. */
  public static final String CSV = "sweep.csv";
  /** The chart of one sweep.csv column against the first swept parameter. */
  public static final String CHART = "sweep.svg";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "an experiment file (.yaml)")
  Path file;

  @Option(names = "--jobs", paramLabel = "N", description = "Points run at once, 1 to 256."
      + " Default: the number of processors.")
  Integer jobs;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory. Default: tcpsim-out/<experiment name>/.")
  Path out;

  @Option(names = "--pcap", paramLabel = "DIR",
      description = "Write one pcap per host of each point into DIR/<point>/.")
  Path pcap;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write each point's HTML report (ladder of its first connections) as"
          + " DIR/<point>.html.")
  Path report;

  @Option(names = "--ss-at", paramLabel = "TIME", converter = TimeConverter.class,
      description = "Write an `ss -tan` snapshot of every host of each point at this virtual time"
          + " into the point's directory (repeatable).")
  List<Long> ssAt = List.of();

  @Option(names = "--metric", paramLabel = "NAME", description = "The sweep.csv column to chart"
      + " in sweep.svg, e.g. churn:connect():EADDRNOTAVAIL. Default: the one that varies most"
      + " (stale bytes, then errno counts, then connect latency p99).")
  String metric;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    if (n < 1 || n > 256) {
      err.println("tcpsim sweep: --jobs must be in [1, 256], was " + n);
      return 2;
    }
    ExperimentFile f;
    try {
      f = ExperimentLoader.load(file);
    } catch (ExperimentError e) {
      for (Problem p : e.problems()) {
        err.println(p);
      }
      return 2;
    }
    Path dir = out != null ? out : Path.of("tcpsim-out", f.base().name());
    List<GridPoint> todo = new ArrayList<>();
    for (GridPoint p : f.points()) {
      if (!Files.isRegularFile(dir.resolve(p.id()).resolve(ResultFiles.JSON))) {
        todo.add(p);
      }
    }
    int total = f.points().size();
    o.println(f.base().name() + ": " + total + " points, " + (total - todo.size())
        + " already done, " + todo.size() + " to run on " + n + " thread(s)");
    o.flush();
    AtomicInteger finished = new AtomicInteger(total - todo.size());
    List<String> failures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (GridPoint p : todo) {
        futures.add(pool.submit(() -> {
          RunResult r = ExperimentRunner.run(p.experiment(), p.seed(), p.id(), options(p));
          ResultFiles.write(r, dir.resolve(p.id()), report == null ? null
              : report.resolve(p.id() + ".html"));
          synchronized (err) {
            err.println("[" + finished.incrementAndGet() + "/" + total + "] " + p.id());
            err.flush();
          }
          return null;
        }));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          futures.get(i).get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          String why = c instanceof RunError || c instanceof IOException ? c.getMessage() : c.toString();
          failures.add(todo.get(i).id() + ": " + why);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("tcpsim sweep: interrupted; finished points are kept, a rerun resumes");
      return 130;
    } finally {
      pool.shutdownNow();
    }
    for (String failure : failures) {
      err.println("tcpsim sweep: " + file + ": " + failure);
    }
    try {
      String table = summary(f, dir);
      o.print(table);
      ResultFiles.atomicWrite(dir.resolve(SUMMARY), table.getBytes(StandardCharsets.UTF_8));
      String csv = csv(f, dir);
      ResultFiles.atomicWrite(dir.resolve(CSV), csv.getBytes(StandardCharsets.UTF_8));
      List<String> axes = new ArrayList<>();
      f.sweep().forEach(a -> axes.add(a.path()));
      SweepChart chart = SweepChart.fromCsv(f.base().name(), csv, axes, metric);
      ResultFiles.atomicWrite(dir.resolve(CHART), chart.svg().getBytes(StandardCharsets.UTF_8));
      o.println("chart: " + chart.metric() + " -> " + dir.resolve(CHART));
    } catch (IllegalArgumentException e) {
      err.println("tcpsim sweep: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("tcpsim sweep: cannot read or write the results: " + e.getMessage());
      return 1;
    }
    o.println("results: " + dir);
    o.flush();
    return failures.isEmpty() ? 0 : 1;
  }

  /** The runner's options for point {@code p}: what --pcap, --report and --ss-at ask for. */
  private ExperimentRunner.Options options(GridPoint p) {
    if (pcap == null && report == null && ssAt.isEmpty()) {
      return ExperimentRunner.Options.DEFAULT;
    }
    return new ExperimentRunner.Options(report == null ? 0 : RunCommand.LADDER_CONNECTIONS,
        pcap == null ? null : pcap.resolve(p.id()), ssAt);
  }

  /**
   * sweep.csv: per finished point, its seed and swept values, then every errno count, final
   * socket count, connect latency percentile, happening and bytes delivered any point has
   * (columns named {@code app:call:ERRNO}, {@code host:STATE}, {@code app:p99_ns}, {@code
   * app:gave_up_(499)}, {@code app:bytes_delivered}, and {@code app:call():ERRNO_at_ns}, when
   * the app first saw that errno; 0 or empty where a point has none),
   * ready to plot against a swept parameter.
   */
  private static final java.util.regex.Pattern FIRST_ERRNO =
      java.util.regex.Pattern.compile("(\\S+)  (\\S+\\(\\)) = (E[A-Z0-9]+) ");

  static String csv(ExperimentFile f, Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<String> axes = new ArrayList<>();
    for (tcpsim.lab.experiment.SweepAxis a : f.sweep()) {
      axes.add(a.path());
    }
    java.util.LinkedHashSet<String> columns = new java.util.LinkedHashSet<>();
    List<Map<String, String>> rows = new ArrayList<>();
    List<GridPoint> done = new ArrayList<>();
    for (GridPoint p : f.points()) {
      Path json = dir.resolve(p.id()).resolve(ResultFiles.JSON);
      if (!Files.isRegularFile(json)) {
        continue;
      }
      JsonNode root = mapper.readTree(json.toFile());
      Map<String, String> row = new java.util.LinkedHashMap<>();
      for (JsonNode app : root.get("apps")) {
        String name = app.get("name").asText();
        for (Iterator<Map.Entry<String, JsonNode>> it = app.get("errnos").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          row.put(name + ":" + e.getKey().replace(' ', ':'), e.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = app.get("connect_latency_ns").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          row.put(name + ":" + e.getKey() + "_ns", e.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = app.get("happenings").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          row.put(name + ":" + e.getKey().replaceAll("[^A-Za-z0-9_()]+", "_"), e.getValue().asText());
        }
        if (app.has("bytes_delivered")) {
          row.put(name + ":bytes_delivered", app.get("bytes_delivered").asText());
        }
      }
      for (JsonNode event : root.get("events")) {
        // "pool  recv() = ETIMEDOUT (...)": the first time an app saw that errno from that call.
        java.util.regex.Matcher m = FIRST_ERRNO.matcher(event.get("text").asText());
        if (m.lookingAt()) {
          row.putIfAbsent(m.group(1) + ":" + m.group(2) + ":" + m.group(3) + "_at_ns",
              event.get("at_ns").asText());
        }
      }
      for (JsonNode host : root.get("hosts")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = host.get("final_states").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          row.put(host.get("name").asText() + ":" + e.getKey(), e.getValue().asText());
        }
      }
      columns.addAll(row.keySet());
      rows.add(row);
      done.add(p);
    }
    List<String> sorted = new ArrayList<>(columns);
    java.util.Collections.sort(sorted);
    StringBuilder b = new StringBuilder("point,seed");
    for (String a : axes) {
      b.append(',').append(a);
    }
    for (String c : sorted) {
      b.append(',').append(c);
    }
    b.append('\n');
    for (int i = 0; i < done.size(); i++) {
      GridPoint p = done.get(i);
      b.append(p.id().contains(",") ? "\"" + p.id() + "\"" : p.id()).append(',')
          .append(Long.toUnsignedString(p.seed()));
      for (GridPoint.Setting s : p.settings()) {
        b.append(',').append(s.value());
      }
      for (String c : sorted) {
        String v = rows.get(i).get(c);
        b.append(',').append(v != null ? v : c.endsWith("_ns") ? "" : "0");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** One row per finished point, in grid order, read back from each result.json. */
  static String summary(ExperimentFile f, Path dir) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"point", "errors", "sockets at the end", "connect latency", "digest"});
    for (GridPoint p : f.points()) {
      Path json = dir.resolve(p.id()).resolve(ResultFiles.JSON);
      if (!Files.isRegularFile(json)) {
        rows.add(new String[] {p.id(), "(not run)", "", "", ""});
        continue;
      }
      JsonNode root = mapper.readTree(json.toFile());
      StringBuilder errors = new StringBuilder();
      StringBuilder latency = new StringBuilder();
      for (JsonNode app : root.get("apps")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = app.get("errnos").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          errors.append(errors.length() == 0 ? "" : ", ").append(app.get("name").asText()).append(' ')
              .append(e.getKey()).append(" x").append(e.getValue().asLong());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = app.get("connect_latency_ns").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          latency.append(latency.length() == 0 ? "" : " ").append(e.getKey()).append('=')
              .append(tcpsim.core.time.Nanos.format(e.getValue().asLong()));
        }
      }
      StringBuilder sockets = new StringBuilder();
      for (JsonNode host : root.get("hosts")) {
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = host.get("final_states").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().equals("LISTEN")) {
            s.append(s.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue().asInt());
          }
        }
        if (s.length() > 0) {
          sockets.append(sockets.length() == 0 ? "" : "; ").append(host.get("name").asText())
              .append(' ').append(s);
        }
      }
      rows.add(new String[] {p.id(), errors.length() == 0 ? "-" : errors.toString(),
          sockets.length() == 0 ? "-" : sockets.toString(),
          latency.length() == 0 ? "-" : latency.toString(), root.get("trace_digest").asText()});
    }
    java.io.StringWriter w = new java.io.StringWriter();
    PrintWriter pw = new PrintWriter(w);
    RunSummary.table(rows, pw);
    pw.flush();
    return w.toString();
  }
}
