package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.observe.PcapReader;

/**
 * {@code tcpsim pkt --pcap DIR --report FILE|DIR --ss-at TIME}: what the simulated stack did on a
 * script's wire, as a capture, a ladder report and ss tables.
 */
class PktObserveOptionsTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
  /** Handshake, close, FIN_WAIT_2 from 0.12 s, the peer's FIN at 0.42 s, TIME_WAIT: 7 segments. */
  private static final Path TEARDOWN = SPECS.resolve("close/fin-wait-2-to-time-wait.pkt");

  @TempDir Path dir;

  @Test
  void pcapWritesOneCaptureOfBothDirectionsPerScript() throws IOException {
    MainTest.Run r = MainTest.run("pkt", "--pcap", dir.resolve("caps").toString(),
        TEARDOWN.toString());

    assertEquals(0, r.code(), r.out() + r.err());
    Path cap = dir.resolve("caps/fin-wait-2-to-time-wait.pcap");
    assertTrue(Files.isRegularFile(cap), r.out());
    List<PcapReader.Record> records = PcapReader.read(Files.readAllBytes(cap));
    assertEquals(7, records.size(), "SYN, SYN-ACK, ACK, FIN, ACK, FIN, ACK");
    assertEquals(420_000_000L, records.get(6).timeNanos(), "the last ACK at virtual 0.42 s");
  }

  @Test
  void aDirectoryOfScriptsGivesACaptureNamedAfterEachScriptsPath() throws IOException {
    MainTest.Run r = MainTest.run("pkt", "--pcap", dir.toString(), SPECS.resolve("handshake").toString());

    assertEquals(0, r.code(), r.out() + r.err());
    long scripts;
    try (Stream<Path> s = Files.list(SPECS.resolve("handshake"))) {
      scripts = s.filter(p -> p.toString().endsWith(".pkt")).count();
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(scripts, s.filter(p -> p.toString().endsWith(".pcap")).count());
    }
  }

  @Test
  void theSameScriptGivesTheSameCaptureBytes() throws IOException {
    MainTest.run("pkt", "--pcap", dir.resolve("a").toString(), TEARDOWN.toString());
    MainTest.run("pkt", "--pcap", dir.resolve("b").toString(), TEARDOWN.toString());
    assertArrayEquals(Files.readAllBytes(dir.resolve("a/fin-wait-2-to-time-wait.pcap")),
        Files.readAllBytes(dir.resolve("b/fin-wait-2-to-time-wait.pcap")));
  }

  @Test
  void reportToAnHtmlFileDrawsTheScriptsWireAndStates() throws IOException {
    Path html = dir.resolve("teardown.html");
    MainTest.Run r = MainTest.run("pkt", "--report", html.toString(), TEARDOWN.toString());

    assertEquals(0, r.code(), r.out() + r.err());
    String text = Files.readString(html);
    assertTrue(text.startsWith("<!DOCTYPE html>"), text.substring(0, Math.min(80, text.length())));
    assertTrue(text.contains("Flags [F.], seq 1"), "the stack's FIN, labelled in tcpdump words");
    assertTrue(text.contains("TIME_WAIT"), "the state the script ends in");
    String withoutSvgNamespace = text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("'http://www.w3.org/2000/svg'", "");
    assertFalse(withoutSvgNamespace.contains("http:") || withoutSvgNamespace.contains("https:"),
        "self-contained: no URL but the SVG namespace");
  }

  @Test
  void reportToADirectoryWritesOneReportPerScript() throws IOException {
    MainTest.Run r = MainTest.run("pkt", "--report", dir.resolve("reports").toString(),
        TEARDOWN.toString(), SPECS.resolve("close/passive-close.pkt").toString());

    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(Files.isRegularFile(dir.resolve("reports/fin-wait-2-to-time-wait.html")));
    assertTrue(Files.isRegularFile(dir.resolve("reports/passive-close.html")));
  }

  @Test
  void ssAtPrintsTheStacksSocketsAtThatVirtualTime() {
    MainTest.Run r = MainTest.run("pkt", "--ss-at", "200ms", TEARDOWN.toString());

    assertEquals(0, r.code(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    int at = lines.indexOf("    ss -tano at 0.200000s:");
    assertTrue(at > 0 && lines.get(at - 1).startsWith("PASS"), r.out());
    String table = String.join("\n", lines.subList(at + 1, lines.size()));
    assertTrue(table.contains("LISTEN") && table.contains("192.168.0.1:8080"), table);
    assertTrue(table.contains("FIN-WAIT-2"), "closed at 0.11 s, its FIN acked at 0.12 s:\n" + table);
  }

  @Test
  void ssAtATimeTheScriptNeverReachesSaysSo() {
    MainTest.Run r = MainTest.run("pkt", "--ss-at", "10s", TEARDOWN.toString());

    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("    ss -tano at 10.000000s: not reached, the script ended at 0.420000s"),
        r.out());
  }

  @Test
  void aBadTimeIsAnErrorNamingTheOption() {
    MainTest.Run r = MainTest.run("pkt", "--ss-at", "soon", TEARDOWN.toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--ss-at") && r.err().contains("'soon' is not a time"), r.err());
  }

  @Test
  void observingTheLinuxBackendIsRefusedNamingTheOptions() {
    MainTest.Run r = MainTest.run("pkt", "--backend", "linux", "--pcap", dir.toString(),
        TEARDOWN.toString());

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--pcap, --report and --ss-at") && r.err().contains("--backend sim"),
        r.err());
  }
}
