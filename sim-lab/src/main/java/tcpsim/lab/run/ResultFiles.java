package tcpsim.lab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tcpsim.core.time.Nanos;
import tcpsim.lab.report.LadderReport;

/**
 * Writes a {@link RunResult} into a directory: {@code result.json}, {@code timeline.csv}
 * (sockets per state per host per sample), {@code ports.csv} (when sampled), {@code
 * counters.txt} (nstat-style, one counter a line), {@code ss-<time>.txt} snapshots, and the
 * HTML report when the result carries a trace. Each file is written to a temporary file in the
 * same directory and moved into place, so a reader never sees half a file and an interrupted
 * run leaves none behind; result.json comes last, so its presence means the point is complete.
 * Contents depend on the result alone: no timestamps, fixed key order.
 */
public final class ResultFiles {
  public static final String JSON = "result.json";
  public static final String TIMELINE = "timeline.csv";
  public static final String PORTS = "ports.csv";
  public static final String COUNTERS = "counters.txt";
  public static final String REPORT = "report.html";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  /** Writes every file into {@code dir} (created if needed); the report goes to {@code report} if not null. */
  public static List<Path> write(RunResult r, Path dir, Path report) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    written.add(atomicWrite(dir.resolve(TIMELINE), timelineCsv(r).getBytes(StandardCharsets.UTF_8)));
    if (!r.portSamples().isEmpty()) {
      written.add(atomicWrite(dir.resolve(PORTS), portsCsv(r).getBytes(StandardCharsets.UTF_8)));
    }
    written.add(atomicWrite(dir.resolve(COUNTERS), counters(r).getBytes(StandardCharsets.UTF_8)));
    for (RunResult.SsSnapshot s : r.ss()) {
      String name = "ss-" + s.host() + "-" + Nanos.format(s.atNanos()) + ".txt";
      written.add(atomicWrite(dir.resolve(name), s.text().getBytes(StandardCharsets.UTF_8)));
    }
    if (r.trace().isPresent()) {
      Path to = report != null ? report : dir.resolve(REPORT);
      if (to.toAbsolutePath().getParent() != null) {
        Files.createDirectories(to.toAbsolutePath().getParent());
      }
      String html = LadderReport.standard().render(r.trace().get());
      written.add(atomicWrite(to, html.getBytes(StandardCharsets.UTF_8)));
    }
    // Last: a sweep takes a point whose result.json exists as finished.
    written.add(atomicWrite(dir.resolve(JSON), json(r)));
    return written;
  }

  /** Writes {@code bytes} to a temporary sibling of {@code file}, then moves it into place. */
  public static Path atomicWrite(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    // A fixed name: one writer per file (a sweep gives each point its own directory), and a
    // temporary left by an interrupted run is simply overwritten by the next.
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  /** result.json's bytes: the same result gives the same bytes. */
  public static byte[] json(RunResult r) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("experiment", r.experiment());
    root.put("point", r.point());
    root.put("seed", r.seed());
    root.put("duration_ns", r.durationNanos());
    root.put("events_fired", r.eventsFired());
    root.put("trace_digest", r.digest());
    ArrayNode hosts = root.putArray("hosts");
    for (RunResult.HostResult h : r.hosts()) {
      ObjectNode o = hosts.addObject();
      o.put("name", h.name());
      if (h.retransmissions() != RunResult.NOT_RECORDED) {
        o.put("retransmissions", h.retransmissions());
      }
      ObjectNode fin = o.putObject("final_states");
      for (Map.Entry<String, Integer> e : h.finalStates().entrySet()) {
        fin.put(e.getKey(), e.getValue());
      }
      ObjectNode c = o.putObject("counters");
      for (Map.Entry<String, Long> e : h.counters().entrySet()) {
        c.put(e.getKey(), e.getValue());
      }
    }
    ArrayNode apps = root.putArray("apps");
    for (RunResult.AppResult a : r.apps()) {
      ObjectNode o = apps.addObject();
      o.put("name", a.name());
      o.put("host", a.host());
      o.put("kind", a.kind());
      o.put("connects", a.connects());
      if (a.bytesDelivered() != RunResult.NOT_RECORDED) {
        o.put("bytes_delivered", a.bytesDelivered());
      }
      ObjectNode er = o.putObject("errnos");
      for (Map.Entry<String, Long> e : a.errnos().entrySet()) {
        er.put(e.getKey(), e.getValue());
      }
      ObjectNode hp = o.putObject("happenings");
      for (Map.Entry<String, Long> e : a.happenings().entrySet()) {
        hp.put(e.getKey(), e.getValue());
      }
      ObjectNode lat = o.putObject("connect_latency_ns");
      for (RunResult.Percentile p : a.connectLatency()) {
        lat.put(percentileName(p.ppm()), p.nanos());
      }
    }
    ArrayNode events = root.putArray("events");
    for (RunResult.Event e : r.events()) {
      ObjectNode o = events.addObject();
      o.put("at_ns", e.atNanos());
      o.put("host", e.host());
      o.put("text", e.text());
    }
    ObjectNode timeline = root.putObject("timeline");
    ArrayNode states = timeline.putArray("states");
    r.states().forEach(states::add);
    ArrayNode samples = timeline.putArray("samples");
    for (RunResult.StateSample s : r.stateSamples()) {
      ObjectNode o = samples.addObject();
      o.put("at_ns", s.atNanos());
      o.put("host", s.host());
      ArrayNode counts = o.putArray("counts");
      s.counts().forEach(counts::add);
    }
    ArrayNode ports = root.putArray("ports_in_use");
    for (RunResult.PortSample p : r.portSamples()) {
      ObjectNode o = ports.addObject();
      o.put("at_ns", p.atNanos());
      o.put("host", p.host());
      o.put("ports", p.portsInUse());
    }
    return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** "p50", "p99.9", "p100" for 500000, 999000, 1000000 ppm. */
  public static String percentileName(int ppm) {
    StringBuilder b = new StringBuilder("p").append(ppm / 10_000);
    int frac = ppm % 10_000;
    if (frac != 0) {
      String digits = String.format(java.util.Locale.ROOT, "%04d", frac).replaceAll("0+$", "");
      b.append('.').append(digits);
    }
    return b.toString();
  }

  static String timelineCsv(RunResult r) {
    StringBuilder b = new StringBuilder("time_ns,host");
    for (String s : r.states()) {
      b.append(',').append(s);
    }
    b.append('\n');
    for (RunResult.StateSample s : r.stateSamples()) {
      b.append(s.atNanos()).append(',').append(s.host());
      for (int c : s.counts()) {
        b.append(',').append(c);
      }
      b.append('\n');
    }
    return b.toString();
  }

  static String portsCsv(RunResult r) {
    StringBuilder b = new StringBuilder("time_ns,host,ports_in_use\n");
    for (RunResult.PortSample p : r.portSamples()) {
      b.append(p.atNanos()).append(',').append(p.host()).append(',').append(p.portsInUse()).append('\n');
    }
    return b.toString();
  }

  static String counters(RunResult r) {
    StringBuilder b = new StringBuilder();
    for (RunResult.HostResult h : r.hosts()) {
      for (Map.Entry<String, Long> e : h.counters().entrySet()) {
        b.append(h.name()).append(' ').append(e.getKey()).append(' ').append(e.getValue()).append('\n');
      }
    }
    for (RunResult.AppResult a : r.apps()) {
      for (Map.Entry<String, Long> e : a.errnos().entrySet()) {
        b.append(a.name()).append(' ').append(e.getKey().replace(' ', ':')).append(' ')
            .append(e.getValue()).append('\n');
      }
    }
    return b.toString();
  }
}
