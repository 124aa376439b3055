package tcpsim.lab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tcpsim.core.time.Nanos;
import tcpsim.lab.run.ResultFiles;
import tcpsim.lab.run.RunResult;

/** The summary tables {@code run}, {@code sweep} and {@code demo} print: hosts, then apps. */
final class RunSummary {
  private RunSummary() {}

  /** The host table (final sockets per state, retransmissions) and the app table. */
  static void print(RunResult r, PrintWriter out) {
    List<String[]> hosts = new ArrayList<>();
    hosts.add(new String[] {"host", "sockets at the end", "retransmitted"});
    for (RunResult.HostResult h : r.hosts()) {
      hosts.add(new String[] {h.name(), states(h.finalStates()), count(h.retransmissions())});
    }
    table(hosts, out);
    List<String[]> apps = new ArrayList<>();
    apps.add(new String[] {"app", "kind", "connects", "bytes read", "errors", "connect latency"});
    for (RunResult.AppResult a : r.apps()) {
      apps.add(new String[] {a.name() + "@" + a.host(), a.kind(), Long.toString(a.connects()),
          count(a.bytesDelivered()), errnos(a.errnos()), latency(a.connectLatency())});
    }
    table(apps, out);
  }

  /**
   * Sockets per state over time, about {@code rows} lines: one column per host and state that
   * was ever occupied (listeners left out), one line per sample where a count changed (and the
   * last), or evenly spaced samples when more than {@code rows} changed.
   */
  static void timeline(RunResult r, int rows, PrintWriter out) {
    if (r.stateSamples().isEmpty()) {
      return;
    }
    List<String> hosts = new ArrayList<>();
    for (RunResult.HostResult h : r.hosts()) {
      hosts.add(h.name());
    }
    List<int[]> cols = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("time"));
    for (int h = 0; h < hosts.size(); h++) {
      for (int si = 0; si < r.states().size(); si++) {
        if (r.states().get(si).equals("LISTEN")) {
          continue;
        }
        for (RunResult.StateSample s : r.stateSamples()) {
          if (s.host().equals(hosts.get(h)) && s.counts().get(si) > 0) {
            cols.add(new int[] {h, si});
            header.add(hosts.get(h) + " " + r.states().get(si));
            break;
          }
        }
      }
    }
    List<Long> times = new ArrayList<>();
    for (RunResult.StateSample s : r.stateSamples()) {
      if (times.isEmpty() || times.get(times.size() - 1) != s.atNanos()) {
        times.add(s.atNanos());
      }
    }
    List<String[]> all = new ArrayList<>();
    for (long t : times) {
      String[] row = new String[header.size()];
      row[0] = Nanos.format(t);
      for (int c = 0; c < cols.size(); c++) {
        row[c + 1] = "0";
        for (RunResult.StateSample s : r.stateSamples()) {
          if (s.atNanos() == t && s.host().equals(hosts.get(cols.get(c)[0]))) {
            row[c + 1] = Integer.toString(s.counts().get(cols.get(c)[1]));
          }
        }
      }
      all.add(row);
    }
    // The samples where something changed, and the last; if that is too many, evenly spaced ones.
    List<String[]> picked = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      boolean changed = i == 0 || i == all.size() - 1 || !java.util.Arrays.equals(all.get(i), 1,
          header.size(), all.get(i - 1), 1, header.size());
      if (changed) {
        picked.add(all.get(i));
      }
    }
    if (picked.size() > rows) {
      picked.clear();
      int step = Math.max(1, (all.size() - 1 + rows - 2) / Math.max(1, rows - 1));
      for (int i = 0; i < all.size(); i++) {
        if (i % step == 0 || i == all.size() - 1) {
          picked.add(all.get(i));
        }
      }
    }
    List<String[]> table = new ArrayList<>();
    table.add(header.toArray(new String[0]));
    table.addAll(picked);
    table(table, out);
  }

  private static String count(long n) {
    return n == RunResult.NOT_RECORDED ? "-" : Long.toString(n);
  }

  static String states(Map<String, Integer> m) {
    if (m.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Integer> e : m.entrySet()) {
      b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  private static String errnos(Map<String, Long> m) {
    if (m.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
    }
    return b.toString();
  }

  private static String latency(List<RunResult.Percentile> ps) {
    if (ps.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    for (RunResult.Percentile p : ps) {
      b.append(b.length() == 0 ? "" : " ").append(ResultFiles.percentileName(p.ppm())).append('=')
          .append(Nanos.format(p.nanos()));
    }
    return b.toString();
  }

  /** Left-aligned columns two spaces apart; no trailing spaces. */
  static void table(List<String[]> rows, PrintWriter out) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        b.append(r[i]);
        if (i < cols - 1) {
          b.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
