package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpsim check}: a summary and the grid for a good file, located problems for a bad one. */
class ExperimentCheckCommandTest {
  @TempDir Path dir;

  static final String GOOD = """
      name: demo
      seeds: [1, 2]
      duration: 120s
      hosts:
        client: {address: 10.0.0.1}
        server: {address: 10.0.0.2}
      links:
        client <-> server: delay 1ms
      apps:
        web: {kind: request-response-server, host: server, port: 80}
        churn: {kind: connection-churn, host: client, target: web, rate: 10/s}
      sweep:
        - {path: apps.churn.rate, values: [10/s, 20/s]}
      """;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void aGoodFileGetsItsSummaryAndGrid() throws IOException {
    Path p = write("demo.yaml", GOOD);
    MainTest.Run r = MainTest.run("check", p.toString());
    assertEquals(p + ": OK\n"
        + "  demo: 2 hosts, 1 link, 2 apps, 0 faults, duration 120s\n"
        + "  grid: apps.churn.rate [10/s, 20/s] x seeds [1, 2] = 4 points\n"
        + "    0  rate=10-per-s,seed=1\n"
        + "    1  rate=10-per-s,seed=2\n"
        + "    2  rate=20-per-s,seed=1\n"
        + "    3  rate=20-per-s,seed=2\n", r.out());
    assertEquals("", r.err());
    assertEquals(0, r.code());
  }

  @Test
  void aBadFileGetsEveryProblemOnStderrAndExitsOne() throws IOException {
    Path p = write("bad.yaml", GOOD.replace("duration: 120s", "duration: 120 s").replace("port: 80", "port: 0"));
    MainTest.Run r = MainTest.run("check", p.toString());
    assertEquals(p + ":3:11: duration: '120 s' has a space before its unit; write 120s; units: ns,"
        + " us, ms, s, min, h (e.g. 50ms, 2s)\n"
        + p + ":10:60: apps.web.port: 0 is out of range; valid: 1 to 65535\n", r.err());
    assertEquals(p + ": 2 problem(s)\n", r.out());
    assertEquals(1, r.code());
  }

  @Test
  void aDirectoryChecksEachYamlFileInNameOrder() throws IOException {
    write("b.yaml", GOOD.replace("name: demo", "name: bee"));
    write("a.yaml", GOOD.replace("name: demo", "name: ay").replace("port: 80", "port: 0"));
    write("notes.txt", "not an experiment");
    MainTest.Run r = MainTest.run("check", dir.toString());
    assertEquals(dir.resolve("a.yaml") + ":10:60: apps.web.port: 0 is out of range; valid: 1 to 65535\n",
        r.err());
    assertEquals(dir.resolve("a.yaml") + ": 1 problem(s)", r.out().lines().findFirst().orElseThrow());
    assertEquals(dir.resolve("b.yaml") + ": OK", r.out().lines().skip(1).findFirst().orElseThrow());
    assertEquals(1, r.code());
  }

  @Test
  void theGalleryChecks() {
    MainTest.Run r = MainTest.run("check", Path.of("").toAbsolutePath().getParent()
        .resolve("specs/experiments").toString());
    assertEquals("", r.err());
    assertEquals(0, r.code());
  }

  @Test
  void aMissingFileIsAProblemNotAStackTrace() {
    Path p = dir.resolve("nope.yaml");
    MainTest.Run r = MainTest.run("check", p.toString());
    assertEquals(p + ":1:1: (file): cannot read the file: NoSuchFileException " + p + "\n", r.err());
    assertEquals(1, r.code());
  }
}
