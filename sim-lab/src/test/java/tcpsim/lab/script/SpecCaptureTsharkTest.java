package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.observe.CaptureFilter;
import tcpsim.net.observe.CapturePoint;
import tcpsim.net.observe.PcapWriter;

/**
 * Wireshark's dissector reads the wire of the whole spec suite: every script of specs/pkt runs on
 * the simulated backend with a pcap capture of both directions, and tshark finds no malformed
 * packet, no expert error and every IPv4 and TCP checksum good. The captures are joined into one
 * file so that tshark starts once. Skipped when tshark is not installed ({@code .ci/run}
 * installs it).
 */
class SpecCaptureTsharkTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");

  /** One script's capture: its name, file and packet count. */
  private record Capture(String script, Path file, long packets) {}

  @Test
  void theWholeSpecSuiteDissectsWithoutMalformedPacketsOrBadChecksums(@TempDir Path dir)
      throws Exception {
    Path tshark = find("tshark");
    assumeTrue(tshark != null, "skipped: tshark not installed (Debian package tshark)");
    List<Capture> captures = captureEverySpec(dir);
    long total = captures.stream().mapToLong(Capture::packets).sum();
    assertTrue(captures.size() >= 5 && total > 3 * captures.size(),
        "expected the spec corpus's wire, got " + total + " packets in " + captures.size() + " scripts");
    Path joined = join(captures, dir.resolve("all.pcap"));

    List<String> statuses = tshark(tshark, joined, "-T", "fields", "-e", "frame.number",
        "-e", "ip.checksum.status", "-e", "tcp.checksum.status");
    assertEquals(total, statuses.size(), "one line per packet");
    for (String line : statuses) {
      String[] f = line.split("\t", -1);
      assertEquals("1\t1", f[1] + "\t" + f[2], () -> "checksums of " + where(captures, f[0])
          + " not both Good (1): " + line);
    }
    List<String> bad = tshark(tshark, joined, "-Y", "_ws.malformed || _ws.expert.severity == error",
        "-T", "fields", "-e", "frame.number");
    List<String> named = new ArrayList<>();
    for (String frame : bad) {
      named.add(where(captures, frame));
    }
    assertEquals(List.of(), named, "malformed packets or expert errors");
  }

  @Test
  void aScriptsCaptureHoldsEverySegmentOfItsWireOnceInOrder(@TempDir Path dir) throws Exception {
    Path spec = SPECS.resolve("handshake").resolve(firstSpecIn("handshake"));
    List<String> wire = new ArrayList<>();
    Path file = dir.resolve("one.pcap");
    long packets;
    try (PcapWriter w = new PcapWriter(Files.newOutputStream(file),
        CaptureFilter.everywhere(CapturePoint.SENDER))) {
      SimulatedBackend b = new SimulatedBackend();
      b.setWireLog(wire::add);
      b.addWireTap(w);
      ScriptResult r = b.execute(Parser.parse(spec.toString(), Files.readString(spec)));
      assertTrue(r instanceof ScriptResult.Pass, r.describe());
      packets = w.packets();
    }
    assertEquals(wire.stream().filter(l -> !l.endsWith("(dropped by the local queue)")).count(),
        packets, "a record per segment in either direction: " + wire);
  }

  private static String firstSpecIn(String area) throws IOException {
    try (Stream<Path> s = Files.list(SPECS.resolve(area))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pkt")).sorted()
          .findFirst().orElseThrow();
    }
  }

  private static List<Capture> captureEverySpec(Path dir) throws IOException, ScriptError {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SPECS)) {
      files = walk.filter(f -> f.toString().endsWith(".pkt")).sorted().toList();
    }
    List<Capture> captures = new ArrayList<>();
    for (Path f : files) {
      String name = SPECS.relativize(f).toString();
      Path pcap = dir.resolve(name.replace('/', '_') + ".pcap");
      try (PcapWriter w = new PcapWriter(Files.newOutputStream(pcap),
          CaptureFilter.everywhere(CapturePoint.SENDER))) {
        SimulatedBackend b = new SimulatedBackend();
        b.addWireTap(w);
        b.execute(Parser.parse(name, Files.readString(f, StandardCharsets.UTF_8)));
        w.flush();
        captures.add(new Capture(name, pcap, w.packets()));
      }
    }
    return captures;
  }

  /** One pcap of all captures: the first file header, then every file's records in turn. */
  private static Path join(List<Capture> captures, Path out) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    boolean first = true;
    for (Capture c : captures) {
      byte[] bytes = Files.readAllBytes(c.file());
      int from = first ? 0 : PcapWriter.FILE_HEADER_LENGTH;
      all.write(bytes, from, bytes.length - from);
      first = false;
    }
    return Files.write(out, all.toByteArray());
  }

  /** "script, packet N" for a 1-based frame number of the joined capture. */
  private static String where(List<Capture> captures, String frame) {
    long n = Long.parseLong(frame.trim());
    for (Capture c : captures) {
      if (n <= c.packets()) {
        return c.script() + ", packet " + n;
      }
      n -= c.packets();
    }
    return "frame " + frame;
  }

  private static List<String> tshark(Path tshark, Path file, String... args) throws Exception {
    // No stream reassembly: the joined captures reuse one 4-tuple and one ISN script after script,
    // so tshark would see a later script's bytes overlap an earlier one's and call it an error.
    List<String> command = new ArrayList<>(List.of(tshark.toString(), "-n", "-r", file.toString(),
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-o", "tcp.desegment_tcp_streams:FALSE"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("tshark", ".out");
    Path err = Files.createTempFile("tshark", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      assertEquals(0, p.exitValue(), Files.readString(err));
      String text = Files.readString(out);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      Path p = d.isEmpty() ? null : Path.of(d, name);
      if (p != null && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
