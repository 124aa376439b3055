package tcpsim.lab.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.TcpFlags;

/**
 * Renders a {@link RunTrace} as one self-contained HTML file: a ladder diagram (inline SVG), the
 * state-count chart, the counters and a legend, with its style and script inlined. The file
 * loads nothing: no network, no fonts, no CDN.
 *
 * <p>The division of work: this class writes every element with its horizontal position and its
 * data ({@code data-kind="segment|drop|band|state|timer|lane|counter|timeline-series"} plus
 * times in nanoseconds as {@code data-t*}); the inlined script maps virtual time to vertical
 * position, draws the time axis and the arrow labels, and handles zoom, scroll and the
 * expanding of bands. Keeping time-to-pixels in the script is what lets a reader zoom and expand
 * a 10,000-segment run without regenerating the file.
 *
 * <p>Reading it: time runs down the page; by default each quiet stretch between two events is
 * squeezed to a height that grows with the log of its length (the axis says how long), and a
 * selector switches to a linear axis. Buttons, ctrl+wheel and the keys + - 0 zoom; a click opens
 * or folds a bulk band. A view can be asked for in the address, e.g.
 * {@code report.html#zoom=2&mode=linear&expand=all}.
 *
 * <p>The output is a pure function of the trace and the options: no timestamps, records in the
 * trace's order, no hash-ordered iteration. The same trace gives byte-identical HTML.
 *
 * <p>Caveats: a dropped segment's cross is drawn on the link (half-way between the lanes) even
 * when the receiving stack dropped it; the reason name says which. Lanes are placed in the
 * trace's order only, so with three or more lanes some arrows cross a middle lane.
 */
public final class LadderReport {
  /** Runs of more than this many data segments fold into a band unless the options say otherwise. */
  public static final int DEFAULT_COLLAPSE_LONGER_THAN = 20;

  private static final int AXIS_WIDTH = 84;
  /** Causes longer than this are cut in the drawing (the tooltip and data-cause keep them whole). */
  private static final int CAUSE_CHARS = 24;
  /** Labels longer than this wrap onto a second line (in the script) instead of widening the lanes. */
  private static final int ONE_LINE_CHARS = 95;
  private static final int TIMER_FIRST = 9;
  private static final int TIMER_STEP = 15;
  private static final int TIMER_WIDTH = 12;
  private static final int HEAD_HEIGHT = 46;
  private static final String[] PALETTE = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#393b79", "#637939"
  };

  private final int collapseLongerThan;

  private LadderReport(int collapseLongerThan) {
    if (collapseLongerThan < 0) {
      throw new IllegalArgumentException("collapseLongerThan " + collapseLongerThan + " is negative");
    }
    this.collapseLongerThan = collapseLongerThan;
  }

  /** Bands fold runs of more than {@value #DEFAULT_COLLAPSE_LONGER_THAN} data segments. */
  public static LadderReport standard() {
    return new LadderReport(DEFAULT_COLLAPSE_LONGER_THAN);
  }

  /** Bands fold runs of more than {@code dataSegments} data segments; use a huge value to fold nothing. */
  public static LadderReport collapsingRunsLongerThan(int dataSegments) {
    return new LadderReport(dataSegments);
  }

  /** Writes the report for {@code trace} to {@code file} with the standard options. */
  public static void write(RunTrace trace, Path file) throws IOException {
    standard().writeTo(trace, file);
  }

  public void writeTo(RunTrace trace, Path file) throws IOException {
    Files.writeString(file, render(trace), StandardCharsets.UTF_8);
  }

  /** The whole HTML document for {@code trace}. */
  public String render(RunTrace trace) {
    Layout layout = new Layout(trace);
    List<BulkRun> runs = BulkRuns.find(trace.segments(), collapseLongerThan);
    StringBuilder b = new StringBuilder(4096 + trace.segments().size() * 300);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.escape(trace.title())).append(" \u2014 tcpsim ladder</title>\n")
        .append("<style>\n").append(resource("report.css")).append("</style>\n</head>\n<body>\n");
    header(b, trace, runs);
    b.append("<main>\n<div id=\"scroller\">\n");
    laneHeads(b, trace, layout);
    ladder(b, trace, layout, runs);
    b.append("</div>\n<aside id=\"side\">\n");
    legend(b);
    timeline(b, trace);
    counters(b, trace);
    b.append("</aside>\n</main>\n<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void header(StringBuilder b, RunTrace trace, List<BulkRun> runs) {
    int lost = 0;
    int dup = 0;
    int reord = 0;
    for (SegmentEvent s : trace.segments()) {
      lost += s.isDropped() ? 1 : 0;
      dup += s.duplicate() ? 1 : 0;
      reord += s.reordered() ? 1 : 0;
    }
    b.append("<header>\n<h1>").append(Html.escape(trace.title())).append("</h1>\n")
        .append("<p class=\"facts\"><span data-kind=\"seed\">seed 0x").append(Long.toHexString(trace.seed()))
        .append("</span> \u00b7 ").append(trace.segments().size()).append(" segments \u00b7 ")
        .append(lost).append(" lost \u00b7 ").append(dup).append(" duplicated \u00b7 ")
        .append(reord).append(" reordered \u00b7 ").append(runs.size()).append(" bulk bands \u00b7 ends at ")
        .append(Nanos.format(trace.endNanos())).append("</p>\n")
        .append("<nav id=\"controls\">")
        .append("<button id=\"zoom-out\" title=\"zoom out (-)\">\u2212</button>")
        .append("<button id=\"zoom-in\" title=\"zoom in (+)\">+</button>")
        .append("<button id=\"zoom-reset\" title=\"zoom 100% (0)\">reset</button>")
        .append("<span id=\"zoom-level\">100%</span>")
        .append("<label>time axis <select id=\"axis-mode\"><option value=\"log\">gaps log-compressed</option>")
        .append("<option value=\"linear\">linear</option></select></label>")
        .append("<button id=\"expand-all\">expand all bands</button>")
        .append("<button id=\"collapse-all\">collapse all bands</button>")
        .append("<span class=\"hint\">ctrl+wheel zooms \u00b7 click a band to open it</span>")
        .append("</nav>\n</header>\n");
  }

  private static void laneHeads(StringBuilder b, RunTrace trace, Layout layout) {
    b.append("<svg id=\"lanehead\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(layout.width)
        .append("\" height=\"").append(HEAD_HEIGHT).append("\">");
    for (int i = 0; i < trace.lanes().size(); i++) {
      Lane l = trace.lanes().get(i);
      int x = layout.laneX[i];
      b.append("<text class=\"lane-name\" x=\"").append(x).append("\" y=\"18\">").append(Html.escape(l.name()))
          .append("</text><text class=\"lane-addr\" x=\"").append(x).append("\" y=\"34\">")
          .append(Html.escape(l.endpoint())).append("</text>");
    }
    b.append("</svg>\n");
  }

  private void ladder(StringBuilder b, RunTrace trace, Layout layout, List<BulkRun> runs) {
    b.append("<svg id=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(layout.width)
        .append("\" height=\"200\" data-axis-width=\"").append(AXIS_WIDTH).append("\">\n");
    b.append("<defs>")
        .append(arrowHead("ah", "#333"))
        .append(arrowHead("ah-dup", "#8e44ad"))
        .append(arrowHead("ah-reord", "#e67e22"))
        .append("</defs>\n");
    b.append("<g id=\"axis\"></g>\n<g id=\"lanes\">");
    for (int i = 0; i < trace.lanes().size(); i++) {
      Lane l = trace.lanes().get(i);
      b.append("<g data-kind=\"lane\" data-lane=\"").append(Html.escape(l.name())).append("\" data-endpoint=\"")
          .append(Html.escape(l.endpoint())).append("\"><line x1=\"").append(layout.laneX[i]).append("\" x2=\"")
          .append(layout.laneX[i]).append("\"/></g>");
    }
    b.append("</g>\n<g id=\"timers\">\n");
    for (TimerSpan t : trace.timers()) {
      timer(b, t, layout);
    }
    // Bands go under the loose segments, so a loss whose drop time falls in the next band's rows stays visible.
    b.append("</g>\n<g id=\"bands\">\n");
    for (int r = 0; r < runs.size(); r++) {
      band(b, r, runs.get(r), trace, layout);
    }
    b.append("</g>\n<g id=\"segments\">\n");
    int next = 0;
    for (BulkRun run : runs) {
      for (; next < run.first(); next++) {
        segment(b, next, trace.segments().get(next), layout);
      }
      next = run.last() + 1;
    }
    for (; next < trace.segments().size(); next++) {
      segment(b, next, trace.segments().get(next), layout);
    }
    b.append("</g>\n<g id=\"states\">\n");
    for (StateChange c : trace.stateChanges()) {
      state(b, c, layout);
    }
    b.append("</g>\n</svg>\n");
  }

  private static String arrowHead(String id, String color) {
    return "<marker id=\"" + id + "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
        + " orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"" + color + "\"/></marker>";
  }

  private static void segment(StringBuilder b, int index, SegmentEvent s, Layout layout) {
    int x1 = layout.x(s.from());
    int xTo = layout.x(s.to());
    int x2 = s.isDropped() ? (x1 + xTo) / 2 : xTo;
    b.append("<g data-kind=\"segment\" data-i=\"").append(index)
        .append("\" data-from=\"").append(Html.escape(s.from()))
        .append("\" data-to=\"").append(Html.escape(s.to()))
        .append("\" data-t0=\"").append(s.sentNanos())
        .append("\" data-t1=\"").append(s.endNanos())
        .append("\" data-seq=\"").append(Integer.toUnsignedString(s.seq()))
        .append("\" data-len=\"").append(s.length())
        .append("\" data-flags=\"").append(TcpFlags.tcpdump(s.flags()))
        .append("\" data-label=\"");
    Html.escapeTo(b, s.label());
    b.append('"');
    if (s.isDropped()) {
      b.append(" data-dropped=\"true\" data-reason=\"");
      Html.escapeTo(b, s.dropReason());
      b.append('"');
    }
    if (s.duplicate()) {
      b.append(" data-duplicate=\"true\"");
    }
    if (s.reordered()) {
      b.append(" data-reordered=\"true\"");
    }
    b.append("><line x1=\"").append(x1).append("\" x2=\"").append(x2).append("\"/>");
    if (s.isDropped()) {
      b.append("<path data-kind=\"drop\" data-reason=\"");
      Html.escapeTo(b, s.dropReason());
      b.append("\" data-x=\"").append(x2).append("\" d=\"M-6,-6L6,6M-6,6L6,-6\"/>");
    }
    b.append("</g>\n");
  }

  private static void band(StringBuilder b, int index, BulkRun run, RunTrace trace, Layout layout) {
    int xa = layout.x(run.from());
    int xb = layout.x(run.to());
    int left = Math.min(xa, xb) - 6;
    int right = Math.max(xa, xb) + 6;
    int acks = run.segmentCount() - run.dataSegments();
    String summary = String.format(java.util.Locale.ROOT,
        "%,d data segments %s \u2192 %s, seq %s:%s (%,d bytes), %,d ACKs, sent %s \u2013 %s",
        run.dataSegments(), run.from(), run.to(), Integer.toUnsignedString(run.firstSeq()),
        Integer.toUnsignedString(run.endSeq()), run.bytes(), acks,
        Nanos.format(run.startNanos()), Nanos.format(run.endNanos()));
    b.append("<g data-kind=\"band\" data-i=\"").append(index)
        .append("\" data-from=\"").append(Html.escape(run.from()))
        .append("\" data-to=\"").append(Html.escape(run.to()))
        .append("\" data-t0=\"").append(run.startNanos())
        .append("\" data-t1=\"").append(run.endNanos())
        .append("\" data-segments=\"").append(run.segmentCount())
        .append("\" data-data-segments=\"").append(run.dataSegments())
        .append("\" data-bytes=\"").append(run.bytes())
        .append("\" data-collapsed=\"true\">")
        .append("<rect class=\"band-box\" x=\"").append(left).append("\" width=\"").append(right - left)
        .append("\"/><text class=\"band-label\" x=\"").append((left + right) / 2).append("\">");
    Html.escapeTo(b, summary);
    b.append("</text><title>");
    Html.escapeTo(b, summary);
    b.append("</title>\n<g class=\"inner\">\n");
    for (int i = run.first(); i <= run.last(); i++) {
      segment(b, i, trace.segments().get(i), layout);
    }
    b.append("</g></g>\n");
  }

  private static void state(StringBuilder b, StateChange c, Layout layout) {
    int lane = layout.index(c.lane());
    int x = layout.laneX[lane];
    boolean left = layout.leftSide(lane);
    int tx = x + (left ? -1 : 1) * (TIMER_FIRST + layout.timerColumns(lane) * TIMER_STEP + 4);
    b.append("<g data-kind=\"state\" data-lane=\"").append(Html.escape(c.lane()))
        .append("\" data-from=\"").append(Html.escape(c.from()))
        .append("\" data-state=\"").append(Html.escape(c.to()))
        .append("\" data-t=\"").append(c.atNanos())
        .append("\" data-cause=\"").append(Html.escape(c.cause()))
        .append("\"><circle cx=\"").append(x).append("\" r=\"5\"/><text class=\"state-name\" x=\"").append(tx)
        .append("\" text-anchor=\"").append(left ? "end" : "start").append("\">").append(Html.escape(c.to()))
        .append("</text><text class=\"state-cause\" x=\"").append(tx).append("\" text-anchor=\"")
        .append(left ? "end" : "start").append("\">").append(Html.escape(shorten(c.cause(), CAUSE_CHARS)))
        .append("</text><title>").append(Nanos.format(c.atNanos())).append(' ').append(Html.escape(c.lane()))
        .append(": ").append(Html.escape(c.from())).append(" \u2192 ").append(Html.escape(c.to()));
    if (!c.cause().isEmpty()) {
      b.append(" (").append(Html.escape(c.cause())).append(')');
    }
    b.append("</title></g>\n");
  }

  private static void timer(StringBuilder b, TimerSpan t, Layout layout) {
    int lane = layout.index(t.lane());
    int col = layout.timerColumn(lane, t.kind());
    int offset = TIMER_FIRST + col * TIMER_STEP;
    int x = layout.leftSide(lane) ? layout.laneX[lane] - offset - TIMER_WIDTH : layout.laneX[lane] + offset;
    String outcome = t.outcome().name().toLowerCase(java.util.Locale.ROOT);
    String name = t.kind().shortName() + (t.backoff() > 0 ? " #" + t.backoff() : "");
    b.append("<g data-kind=\"timer\" data-lane=\"").append(Html.escape(t.lane()))
        .append("\" data-timer=\"").append(t.kind().name())
        .append("\" data-t0=\"").append(t.startNanos())
        .append("\" data-t1=\"").append(t.endNanos())
        .append("\" data-end=\"").append(outcome)
        .append("\" data-backoff=\"").append(t.backoff())
        .append("\"><rect x=\"").append(x).append("\" width=\"").append(TIMER_WIDTH)
        .append("\"/><text x=\"").append(x + TIMER_WIDTH / 2).append("\">").append(Html.escape(name))
        .append(' ').append(duration(t.endNanos() - t.startNanos())).append("</text><title>")
        .append(Html.escape(t.lane())).append(' ').append(Html.escape(name)).append(" (ss: ")
        .append(t.kind().ssName()).append(") ").append(Nanos.format(t.startNanos())).append(" \u2192 ")
        .append(Nanos.format(t.endNanos())).append(", ").append(outcome).append(" after ")
        .append(duration(t.endNanos() - t.startNanos())).append("</title></g>\n");
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }

  /** A short human duration as ss prints timers: 200ms, 59sec, 1.5ms, 40us. */
  static String duration(long nanos) {
    if (nanos >= 10_000_000_000L) {
      return (nanos / 1_000_000_000L) + "sec";
    }
    if (nanos >= 1_000_000L) {
      long tenthsMs = nanos / 100_000L;
      return tenthsMs % 10 == 0 || nanos >= 100_000_000L ? (nanos / 1_000_000L) + "ms"
          : (tenthsMs / 10) + "." + (tenthsMs % 10) + "ms";
    }
    if (nanos >= 1_000L) {
      return (nanos / 1_000L) + "us";
    }
    return nanos + "ns";
  }

  private static void legend(StringBuilder b) {
    b.append("<section id=\"legend\"><h2>Legend</h2>\n<svg width=\"276\" height=\"196\" xmlns=\"http://www.w3.org/2000/svg\">")
        .append("<g class=\"legend-seg\"><line x1=\"8\" y1=\"14\" x2=\"70\" y2=\"22\" marker-end=\"url(#ah)\"/>")
        .append("<text x=\"82\" y=\"22\">segment, sent \u2192 arrived</text></g>")
        .append("<g class=\"legend-seg\"><line x1=\"8\" y1=\"38\" x2=\"40\" y2=\"44\"/>")
        .append("<path class=\"legend-cross\" d=\"M34,38L46,50M34,50L46,38\"/>")
        .append("<text x=\"82\" y=\"48\">lost on the link (reason in tooltip)</text></g>")
        .append("<g class=\"legend-seg dup\"><line x1=\"8\" y1=\"62\" x2=\"70\" y2=\"70\" marker-end=\"url(#ah-dup)\"/>")
        .append("<text x=\"82\" y=\"70\">duplicate delivered by the network</text></g>")
        .append("<g class=\"legend-seg reord\"><line x1=\"8\" y1=\"86\" x2=\"70\" y2=\"94\" marker-end=\"url(#ah-reord)\"/>")
        .append("<text x=\"82\" y=\"94\">reordered (overtaken)</text></g>")
        .append("<circle class=\"legend-state\" cx=\"39\" cy=\"114\" r=\"5\"/>")
        .append("<text x=\"82\" y=\"118\">state change on a lane</text>")
        .append("<rect class=\"legend-timer fired\" x=\"20\" y=\"128\" width=\"12\" height=\"20\"/>")
        .append("<rect class=\"legend-timer cancelled\" x=\"46\" y=\"128\" width=\"12\" height=\"20\"/>")
        .append("<text x=\"82\" y=\"142\">timer: fired / cancelled</text>")
        .append("<rect class=\"band-box\" x=\"8\" y=\"160\" width=\"62\" height=\"24\"/>")
        .append("<text x=\"82\" y=\"176\">bulk data band (click to open)</text>")
        .append("</svg></section>\n");
  }

  private static void timeline(StringBuilder b, RunTrace trace) {
    StateTimeline tl = trace.timeline();
    b.append("<section id=\"timeline\"><h2>Sockets per state</h2>\n");
    if (tl.samples().isEmpty()) {
      b.append("<p class=\"none\">no state timeline in this trace</p></section>\n");
      return;
    }
    final int w = 276;
    final int h = 150;
    final int left = 30;
    final int right = 8;
    final int top = 8;
    final int bottom = 22;
    long t0 = tl.samples().get(0).atNanos();
    long t1 = Math.max(trace.endNanos(), tl.samples().get(tl.samples().size() - 1).atNanos());
    if (t1 == t0) {
      t1 = t0 + 1;
    }
    int max = 1;
    for (StateTimeline.Sample s : tl.samples()) {
      for (int c : s.counts()) {
        max = Math.max(max, c);
      }
    }
    b.append("<svg width=\"").append(w).append("\" height=\"").append(h)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" data-kind=\"timeline\" data-max=\"").append(max)
        .append("\" data-t0=\"").append(t0).append("\" data-t1=\"").append(t1).append("\">")
        .append("<line class=\"chart-axis\" x1=\"").append(left).append("\" y1=\"").append(h - bottom)
        .append("\" x2=\"").append(w - right).append("\" y2=\"").append(h - bottom).append("\"/>")
        .append("<line class=\"chart-axis\" x1=\"").append(left).append("\" y1=\"").append(top)
        .append("\" x2=\"").append(left).append("\" y2=\"").append(h - bottom).append("\"/>")
        .append("<text class=\"chart-tick\" x=\"").append(left - 4).append("\" y=\"").append(top + 8)
        .append("\" text-anchor=\"end\">").append(max).append("</text>")
        .append("<text class=\"chart-tick\" x=\"").append(left - 4).append("\" y=\"").append(h - bottom)
        .append("\" text-anchor=\"end\">0</text>")
        .append("<text class=\"chart-tick\" x=\"").append(left).append("\" y=\"").append(h - 6).append("\">")
        .append(Nanos.format(t0)).append("</text>")
        .append("<text class=\"chart-tick\" x=\"").append(w - right).append("\" y=\"").append(h - 6)
        .append("\" text-anchor=\"end\">").append(Nanos.format(t1)).append(" (gaps log-compressed)</text>");
    // The same squeeze as the ladder's default axis: each gap between samples gets a width that
    // grows with the log of its length, so a 60 s TIME_WAIT does not flatten the milliseconds before it.
    int n = tl.samples().size();
    double[] xs = new double[n + 1];
    for (int i = 1; i <= n; i++) {
      long from = tl.samples().get(i - 1).atNanos();
      long until = i < n ? tl.samples().get(i).atNanos() : t1;
      xs[i] = xs[i - 1] + (until == from && i < n ? 0 : 1 + StrictMath.log10(1 + (until - from) / 1000.0));
    }
    double sx = xs[n] == 0 ? 0 : (w - left - right) / xs[n];
    double sy = (double) (h - top - bottom) / max;
    for (int k = 0; k < tl.states().size(); k++) {
      String color = PALETTE[k % PALETTE.length];
      StringBuilder pts = new StringBuilder();
      int peak = 0;
      for (int i = 0; i < tl.samples().size(); i++) {
        StateTimeline.Sample s = tl.samples().get(i);
        int c = s.counts().get(k);
        peak = Math.max(peak, c);
        // Each series sits a pixel and a half above the one before, so equal counts stay distinguishable.
        String y = coord(h - bottom - c * sy - k * 1.5);
        pts.append(coord(left + xs[i] * sx)).append(',').append(y).append(' ')
            .append(coord(left + xs[i + 1] * sx)).append(',').append(y).append(' ');
      }
      b.append("<polyline data-kind=\"timeline-series\" data-state=\"").append(Html.escape(tl.states().get(k)))
          .append("\" data-peak=\"").append(peak).append("\" stroke=\"").append(color).append("\" points=\"")
          .append(pts.toString().strip()).append("\"/>");
    }
    b.append("</svg>\n<ul class=\"chart-keys\">");
    for (int k = 0; k < tl.states().size(); k++) {
      b.append("<li><span class=\"swatch\" style=\"background:").append(PALETTE[k % PALETTE.length])
          .append("\"></span>").append(Html.escape(tl.states().get(k))).append("</li>");
    }
    b.append("</ul></section>\n");
  }

  /** A coordinate with one decimal, formatted without locale or floating-point printing quirks. */
  static String coord(double v) {
    long tenths = Math.round(v * 10);
    String sign = tenths < 0 ? "-" : "";
    tenths = Math.abs(tenths);
    return tenths % 10 == 0 ? sign + (tenths / 10) : sign + (tenths / 10) + "." + (tenths % 10);
  }

  private static void counters(StringBuilder b, RunTrace trace) {
    b.append("<section id=\"counters\"><h2>Counters</h2>\n");
    if (trace.counters().isEmpty()) {
      b.append("<p class=\"none\">no counters in this trace</p></section>\n");
      return;
    }
    b.append("<table><thead><tr><th>nstat name</th><th>value</th></tr></thead><tbody>\n");
    for (Counter c : trace.counters()) {
      b.append("<tr data-kind=\"counter\" data-name=\"").append(Html.escape(c.name())).append("\" data-value=\"")
          .append(c.value()).append("\"><td>").append(Html.escape(c.name())).append("</td><td>")
          .append(c.value()).append("</td></tr>\n");
    }
    b.append("</tbody></table></section>\n");
  }

  private static String resource(String name) {
    try (InputStream in = LadderReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("report resource " + name + " is missing from the class path");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.contains("</script") || text.contains("</style")) {
        throw new IllegalStateException("report resource " + name + " would close its inline element early");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Horizontal placement: lanes left to right, each with its timer columns and state labels on its outer side. */
  private static final class Layout {
    final int[] laneX;
    final int width;
    private final Map<String, Integer> laneIndex = new TreeMap<>();
    private final List<Map<TimerKind, Integer>> timerColumns = new ArrayList<>();

    Layout(RunTrace trace) {
      int lanes = trace.lanes().size();
      for (int i = 0; i < lanes; i++) {
        laneIndex.put(trace.lanes().get(i).name(), i);
        timerColumns.add(new EnumMap<>(TimerKind.class));
      }
      // A lane's timer kinds get columns in enum order, so a lane's columns do not depend on which fired first.
      boolean[][] present = new boolean[lanes][TimerKind.values().length];
      for (TimerSpan t : trace.timers()) {
        present[laneIndex.get(t.lane())][t.kind().ordinal()] = true;
      }
      for (int i = 0; i < lanes; i++) {
        int col = 0;
        for (TimerKind k : TimerKind.values()) {
          if (present[i][k.ordinal()]) {
            timerColumns.get(i).put(k, col++);
          }
        }
      }
      int longest = 0;
      for (SegmentEvent s : trace.segments()) {
        longest = Math.max(longest, s.label().length());
      }
      // Room for the label along the arrow, about 6.4 px a character; long ones wrap onto two lines.
      int chars = longest <= ONE_LINE_CHARS ? longest : Math.max(ONE_LINE_CHARS, (longest + 1) / 2 + 6);
      int gap = Math.max(380, Math.min(700, (int) (chars * 6.4) + 60));
      // Beside each lane: its timer columns, then its state labels (name or cut cause, whichever is wider).
      double side = 90;
      for (StateChange c : trace.stateChanges()) {
        int lane = laneIndex.get(c.lane());
        double text = Math.max(c.to().length() * 7.0, Math.min(c.cause().length(), CAUSE_CHARS) * 5.8);
        side = Math.max(side, TIMER_FIRST + timerColumns.get(lane).size() * TIMER_STEP + 4 + text + 10);
      }
      for (int i = 0; i < lanes; i++) {
        side = Math.max(side, TIMER_FIRST + timerColumns.get(i).size() * TIMER_STEP + 10);
      }
      int sideWidth = (int) Math.min(230, Math.ceil(side));
      laneX = new int[lanes];
      for (int i = 0; i < lanes; i++) {
        laneX[i] = AXIS_WIDTH + sideWidth + i * gap;
      }
      width = laneX[lanes - 1] + sideWidth + 20;
    }

    int index(String lane) {
      return laneIndex.get(lane);
    }

    int x(String lane) {
      return laneX[index(lane)];
    }

    /** The first lane of several keeps its timers and labels on its left, away from the arrows. */
    boolean leftSide(int lane) {
      return lane == 0 && laneX.length > 1;
    }

    int timerColumns(int lane) {
      return timerColumns.get(lane).size();
    }

    int timerColumn(int lane, TimerKind kind) {
      return timerColumns.get(lane).get(kind);
    }
  }
}
