package tcpsim.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The benchmark jar's entry point: runs JMH with the given command line (any JMH option works),
 * then prints one compact table, a row per workload and a column per implementation, each cell
 * "ns/op (B/op)", with the target for the hierarchical wheel beside it.
 */
public final class BenchMain {
  private static final List<String> COLUMNS = List.of(
      TimerQueue.WHEEL, TimerQueue.HEAP, TimerQueue.LINUX, TimerQueue.PRIORITY_QUEUE,
      TimerQueue.AGRONA, BenchMain.OTHER);
  /** The column of benchmarks that compare no implementations (no {@code impl} parameter). */
  private static final String OTHER = "result";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions options = new CommandLineOptions(args);
    if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
        || options.shouldListProfilers() || options.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    Collection<RunResult> results = new Runner(options).run();
    printTable(results, System.out);
  }

  static void printTable(Collection<RunResult> results, PrintStream out) {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (RunResult r : results) {
      BenchmarkParams params = r.getParams();
      String impl = params.getParamsKeys().contains("impl") ? params.getParam("impl") : OTHER;
      String row = rowName(params);
      Result primary = r.getPrimaryResult();
      String cell = String.format(Locale.ROOT, "%.1f", primary.getScore());
      Double bytes = allocatedBytesPerOp(r);
      cell += bytes == null ? "" : String.format(Locale.ROOT, " (%d B)", Math.round(bytes));
      rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(impl, cell);
    }
    List<String> header = new ArrayList<>();
    header.add("workload (ns/op, B/op)");
    header.addAll(COLUMNS);
    header.add("target");
    List<List<String>> table = new ArrayList<>();
    table.add(header);
    for (Map.Entry<String, Map<String, String>> e : rows.entrySet()) {
      List<String> line = new ArrayList<>();
      line.add(e.getKey());
      for (String c : COLUMNS) {
        line.add(e.getValue().getOrDefault(c, "-"));
      }
      line.add(target(e.getKey()));
      table.add(line);
    }
    int[] width = new int[header.size()];
    for (List<String> line : table) {
      for (int i = 0; i < line.size(); i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    out.println();
    for (int t = 0; t < table.size(); t++) {
      StringBuilder sb = new StringBuilder("| ");
      for (int i = 0; i < width.length; i++) {
        String s = table.get(t).get(i);
        sb.append(s).append(" ".repeat(width[i] - s.length())).append(" | ");
      }
      out.println(sb.toString().stripTrailing());
      if (t == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) {
          rule.append("-".repeat(w + 2)).append("|");
        }
        out.println(rule);
      }
    }
  }

  private static Double allocatedBytesPerOp(RunResult r) {
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    return null;
  }

  /** "W1ReArmChurn.ack" with pending=10000, order=random -> "W1 re-arm, random, 10K". */
  private static String rowName(BenchmarkParams params) {
    String bench = params.getBenchmark();
    String cls = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1,
        bench.lastIndexOf('.'));
    StringBuilder name = new StringBuilder(switch (cls) {
      case "W1ReArmChurn" -> "W1 re-arm churn";
      case "W3TimeWaitBurst" -> "W3 TIME_WAIT burst 100K, per timer";
      case "W4PopPush" -> "W4 pop+push";
      case "W6SparseJumps" -> "W6 sparse jumps 10K, per advance";
      case "W7ExpiryStorm" -> "W7 expiry storm 1M, per timer";
      case "EngineThroughput" -> "engine, no-op event";
      case "TcpThroughputBench" -> "TCP bulk transfer, per segment";
      default -> cls;
    });
    for (String key : params.getParamsKeys()) {
      if (key.equals("impl")) {
        continue;
      }
      String value = params.getParam(key);
      name.append(", ").append(switch (value) {
        case "10000" -> "10K";
        case "1000000" -> "1M";
        default -> value;
      });
    }
    return name.toString();
  }

  /** The issues' targets: for the hierarchical wheel (issue 2), for TCP throughput (issue 3). */
  private static String target(String row) {
    if (row.startsWith("W1") && row.contains("in-order") && row.endsWith("1M")) {
      return "<= 12";
    }
    if (row.startsWith("W1") && row.contains("random") && row.endsWith("1M")) {
      return "<= 50";
    }
    if (row.startsWith("W3")) {
      return "<= 15";
    }
    if (row.startsWith("W4") && row.endsWith("10K")) {
      return "<= 40";
    }
    if (row.startsWith("W4") && row.endsWith("1M")) {
      return "<= 150";
    }
    if (row.startsWith("W6")) {
      return "<= 100";
    }
    if (row.startsWith("W7")) {
      return "<= 10";
    }
    if (row.startsWith("engine")) {
      return "<= 50 (20 M/s)";
    }
    if (row.startsWith("TCP bulk")) {
      return "<= 500 (issue 3)";
    }
    return "";
  }
}
