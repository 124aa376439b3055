package tcpsim.lab.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart of a sweep: one metric of sweep.csv against the first swept parameter, one series
 * per value of the second (if any), the seeds of each point aggregated as min, median and max
 * (a dot at the median, a bar from min to max). It is drawn from sweep.csv's text alone, so its
 * numbers are the CSV's numbers and its bytes depend on nothing else: a self-contained SVG with
 * no script, font file or network reference.
 *
 * <p>Each dot carries its numbers as attributes ({@code data-x}, {@code data-series}, {@code
 * data-min}, {@code data-median}, {@code data-max}, {@code data-n}) so a reader or a test can
 * check them without reading pixels.
 *
 * <p>Parameter values are placed at equal distances in the file's order (categories, not a
 * numeric axis): values such as {@code 5/s}, {@code true} or {@code 1s} need no parsing, and a
 * grid is usually chosen on a log-like scale anyway.
 */
public final class SweepChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;
  private static final int LEFT = 90;
  private static final int RIGHT = 190;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final String[] COLOURS = {
      "#1f6fb4", "#d9541e", "#2a9d4a", "#8e44ad", "#b8860b", "#c0392b", "#16a085", "#555555"};

  /** The numbers of one dot: a parameter value, a series, and its seeds' min, median, max. */
  public record Point(String x, String series, long min, String median, long max, int n) {}

  private final String title;
  private final String xAxis;
  private final String seriesAxis;
  private final String metric;
  private final List<String> xs;
  private final List<String> series;
  private final List<Point> points;

  private SweepChart(String title, String xAxis, String seriesAxis, String metric, List<String> xs,
      List<String> series, List<Point> points) {
    this.title = title;
    this.xAxis = xAxis;
    this.seriesAxis = seriesAxis;
    this.metric = metric;
    this.xs = xs;
    this.series = series;
    this.points = points;
  }

  /** The metric charted, as a sweep.csv column name. */
  public String metric() {
    return metric;
  }

  /** Every dot, series by series, each in parameter order. */
  public List<Point> points() {
    return points;
  }

  /**
   * Builds the chart of {@code metric} (a sweep.csv column; null: {@link #defaultMetric}) from
   * sweep.csv's text, whose columns after point and seed are the {@code axes} in order.
   *
   * @throws IllegalArgumentException naming the metric and the columns there are, if the CSV has
   *     no such column
   */
  public static SweepChart fromCsv(String title, String csv, List<String> axes, String metric) {
    List<List<String>> rows = parseCsv(csv);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("sweep.csv is empty");
    }
    List<String> header = rows.get(0);
    List<String> columns = header.subList(Math.min(header.size(), 2 + axes.size()), header.size());
    String m = metric != null ? metric : defaultMetric(csv, axes);
    int col = header.indexOf(m);
    if (m == null || col < 2 + axes.size()) {
      throw new IllegalArgumentException("--metric: no column '" + metric + "' in sweep.csv; there are: "
          + (columns.isEmpty() ? "(none)" : String.join(", ", columns)));
    }
    int xCol = axes.isEmpty() ? -1 : 2;
    int sCol = axes.size() < 2 ? -1 : 3;
    Map<String, Map<String, List<Long>>> bySeries = new LinkedHashMap<>();
    List<String> xs = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      String x = xCol < 0 ? "all" : row.get(xCol);
      String s = sCol < 0 ? "" : row.get(sCol);
      if (!xs.contains(x)) {
        xs.add(x);
      }
      List<Long> values = bySeries.computeIfAbsent(s, k -> new LinkedHashMap<>())
          .computeIfAbsent(x, k -> new ArrayList<>());
      String v = col < row.size() ? row.get(col) : "";
      if (!v.isEmpty()) {
        values.add(Long.parseLong(v));
      }
    }
    List<Point> points = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<Long>>> s : bySeries.entrySet()) {
      for (String x : xs) {
        List<Long> values = s.getValue().get(x);
        if (values == null || values.isEmpty()) {
          continue;
        }
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        points.add(new Point(x, s.getKey(), v[0], median(v), v[v.length - 1], v.length));
      }
    }
    return new SweepChart(title, axes.isEmpty() ? "seed" : axes.get(0),
        axes.size() < 2 ? null : axes.get(1), m, List.copyOf(xs),
        List.copyOf(bySeries.keySet()), List.copyOf(points));
  }

  /**
   * The column worth charting when none is named: among the columns whose value changes from
   * point to point, first one ending in {@code stale_bytes_accepted}, then the errno count with
   * the widest range, then the p99 connect latency (else the highest percentile), then any
   * column with the widest range; if nothing changes, the first errno column or the first column.
   */
  public static String defaultMetric(String csv, List<String> axes) {
    List<List<String>> rows = parseCsv(csv);
    if (rows.isEmpty()) {
      return null;
    }
    List<String> header = rows.get(0);
    String errno = null;
    long errnoRange = 0;
    String latency = null;
    String other = null;
    long otherRange = 0;
    String firstErrno = null;
    for (int c = 2 + axes.size(); c < header.size(); c++) {
      String name = header.get(c);
      boolean isErrno = name.matches(".*\\(\\):E[A-Z]+");
      if (isErrno && firstErrno == null) {
        firstErrno = name;
      }
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (List<String> row : rows.subList(1, rows.size())) {
        if (c < row.size() && !row.get(c).isEmpty()) {
          long v = Long.parseLong(row.get(c));
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      long range = hi > lo ? hi - lo : 0;
      if (range == 0) {
        continue;
      }
      if (name.endsWith("stale_bytes_accepted")) {
        return name;
      }
      if (isErrno) {
        if (range > errnoRange) {
          errno = name;
          errnoRange = range;
        }
      } else if (name.endsWith("_ns")) {
        if (latency == null || name.endsWith(":p99_ns") || (!latency.endsWith(":p99_ns")
            && percentile(name) > percentile(latency))) {
          latency = name;
        }
      } else if (range > otherRange) {
        other = name;
        otherRange = range;
      }
    }
    if (errno != null) {
      return errno;
    }
    if (latency != null) {
      return latency;
    }
    if (other != null) {
      return other;
    }
    if (firstErrno != null) {
      return firstErrno;
    }
    return header.size() > 2 + axes.size() ? header.get(2 + axes.size()) : null;
  }

  private static double percentile(String column) {
    int p = column.lastIndexOf(":p");
    try {
      return Double.parseDouble(column.substring(p + 2, column.length() - 3));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return -1;
    }
  }

  /** The middle value, or the mean of the two middle ones ("12.5"), exactly. */
  static String median(long[] sorted) {
    int n = sorted.length;
    if (n % 2 == 1) {
      return Long.toString(sorted[n / 2]);
    }
    long sum = sorted[n / 2 - 1] + sorted[n / 2];
    return Long.toString(sum / 2) + (sum % 2 != 0 ? ".5" : "");
  }

  /** The chart as an SVG document. */
  public String svg() {
    long max = 0;
    for (Point p : points) {
      max = Math.max(max, p.max());
    }
    long top = niceTop(max);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    b.append("<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
        .append(esc(title)).append("</text>\n");
    b.append("<text x=\"").append(LEFT).append("\" y=\"40\" fill=\"#444\">").append(esc(metric))
        .append(" (dot: median over seeds; bar: min to max)</text>\n");
    // Horizontal grid lines with the metric's values: five steps, or one per unit below 5 (a top
    // of 1 or 2 would otherwise label fractions, rounded, as 0, 0, 0).
    int steps = top < 5 ? (int) top : 5;
    for (int i = 0; i <= steps; i++) {
      long v = top * i / steps;
      int y = TOP + plotH - (int) (plotH * i / steps);
      b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"")
          .append(y).append("\" y2=\"").append(y).append("\" stroke=\"")
          .append(i == 0 ? "#000" : "#ddd").append("\"/>\n");
      b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 4)
          .append("\" text-anchor=\"end\">").append(esc(label(v))).append("</text>\n");
    }
    b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
        .append(TOP).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#000\"/>\n");
    for (int i = 0; i < xs.size(); i++) {
      int x = xPos(i, plotW);
      b.append("<text x=\"").append(x).append("\" y=\"").append(TOP + plotH + 18)
          .append("\" text-anchor=\"middle\">").append(esc(xs.get(i))).append("</text>\n");
      boolean any = false;
      for (Point p : points) {
        any |= p.x().equals(xs.get(i));
      }
      if (!any) { // e.g. a time of an errno that never came: say so rather than leave a gap
        b.append("<text x=\"").append(x).append("\" y=\"").append(TOP + plotH - 8)
            .append("\" text-anchor=\"middle\" fill=\"#888\">no value</text>\n");
      }
    }
    b.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(HEIGHT - 20)
        .append("\" text-anchor=\"middle\" fill=\"#444\">").append(esc(xAxis)).append("</text>\n");
    for (int s = 0; s < series.size(); s++) {
      String name = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      int dx = (2 * s - (series.size() - 1)) * 3; // side by side, centred on the value
      StringBuilder line = new StringBuilder();
      for (Point p : points) {
        if (!p.series().equals(name)) {
          continue;
        }
        int x = xPos(xs.indexOf(p.x()), plotW) + dx;
        int yMin = yPos(p.min(), top, plotH);
        int yMax = yPos(p.max(), top, plotH);
        double med = Double.parseDouble(p.median());
        int yMed = TOP + plotH - (int) Math.round(plotH * med / top);
        line.append(line.length() == 0 ? "" : " ").append(x).append(',').append(yMed);
        b.append("<line x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"").append(yMin)
            .append("\" y2=\"").append(yMax).append("\" stroke=\"").append(colour)
            .append("\" stroke-width=\"2\"/>\n");
        b.append("<circle class=\"point\" cx=\"").append(x).append("\" cy=\"").append(yMed)
            .append("\" r=\"4\" fill=\"").append(colour).append("\" data-x=\"").append(esc(p.x()))
            .append("\" data-series=\"").append(esc(p.series())).append("\" data-min=\"").append(p.min())
            .append("\" data-median=\"").append(p.median()).append("\" data-max=\"").append(p.max())
            .append("\" data-n=\"").append(p.n()).append("\"><title>").append(esc(p.x()))
            .append(p.series().isEmpty() ? "" : ", " + esc(p.series())).append(": median ")
            .append(p.median()).append(", min ").append(p.min()).append(", max ").append(p.max())
            .append("</title></circle>\n");
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" points=\"")
          .append(line).append("\"/>\n");
      if (seriesAxis != null) {
        int ly = TOP + 10 + s * 18;
        b.append("<rect x=\"").append(WIDTH - RIGHT + 16).append("\" y=\"").append(ly - 9)
            .append("\" width=\"10\" height=\"10\" fill=\"").append(colour).append("\"/>\n");
        b.append("<text x=\"").append(WIDTH - RIGHT + 32).append("\" y=\"").append(ly)
            .append("\">").append(esc(shortName(seriesAxis) + " = " + name)).append("</text>\n");
      }
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private int xPos(int i, int plotW) {
    return LEFT + (int) ((long) plotW * (2L * i + 1) / (2L * xs.size()));
  }

  private static int yPos(long v, long top, int plotH) {
    return TOP + plotH - (int) (plotH * v / top);
  }

  private String label(long v) {
    if (!metric.endsWith("_ns")) {
      return String.format(Locale.ROOT, "%,d", v);
    }
    // Seconds with the digits that matter: "35s", "2.5s", "0.02s".
    return java.math.BigDecimal.valueOf(v, 9).stripTrailingZeros().toPlainString() + "s";
  }

  /** The last part of a path: "tcp_tw_reuse" for "hosts.client.sysctls.net.ipv4.tcp_tw_reuse". */
  private static String shortName(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code max} (and at least 1). */
  static long niceTop(long max) {
    long step = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (step * m >= max) {
          return Math.max(1, step * m);
        }
      }
      step *= 10;
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** RFC 4180 fields: quoted fields may hold commas and doubled quotes. */
  static List<List<String>> parseCsv(String csv) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : csv.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      fields.add(f.toString());
      rows.add(fields);
    }
    return rows;
  }
}
