package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpsim sweep --pcap DIR --report DIR --ss-at TIME}: run's observers, per point. */
class SweepObserveOptionsTest {
  @TempDir Path dir;

  private static final String GRID = """
      name: tiny-grid
      seeds: [1]
      duration: 1s
      hosts:
        client: {address: 10.0.0.1}
        server: {address: 10.0.0.2}
      links:
        client <-> server: delay 2ms
      apps:
        web: {kind: request-response-server, host: server, port: 80}
        churn: {kind: connection-churn, host: client, target: web, rate: 5/s}
      metrics: {socket_states: {every: 500ms}}
      sweep:
        - {path: apps.churn.rate, values: [5/s, 10/s]}
      """;

  private Path grid() throws IOException {
    return Files.writeString(dir.resolve("grid.yaml"), GRID);
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void pcapAndReportAreWrittenForEveryPoint() throws IOException {
    MainTest.Run r = MainTest.run("sweep", grid().toString(), "--jobs", "1",
        "--out", dir.resolve("out").toString(), "--pcap", dir.resolve("pcap").toString(),
        "--report", dir.resolve("reports").toString());

    assertEquals(0, r.code(), r.err());
    List<String> points = names(dir.resolve("pcap"));
    assertEquals(2, points.size(), points.toString());
    for (String point : points) {
      assertEquals(List.of("client.pcap", "server.pcap"), names(dir.resolve("pcap").resolve(point)));
      String html = Files.readString(dir.resolve("reports").resolve(point + ".html"));
      assertTrue(html.contains("Flags [S]"), point + ": the ladder draws the first SYN");
    }
  }

  @Test
  void ssAtWritesASnapshotBesideEachPointsResults() throws IOException {
    MainTest.Run r = MainTest.run("sweep", grid().toString(), "--jobs", "1",
        "--out", dir.resolve("out").toString(), "--ss-at", "500ms");

    assertEquals(0, r.code(), r.err());
    for (String point : names(dir.resolve("out"))) {
      if (Files.isDirectory(dir.resolve("out").resolve(point))) {
        assertTrue(names(dir.resolve("out").resolve(point)).contains("ss-server-0.500000s.txt"),
            point + ": " + names(dir.resolve("out").resolve(point)));
      }
    }
  }

  @Test
  void aBadTimeIsAnErrorNamingTheOption() throws IOException {
    MainTest.Run r = MainTest.run("sweep", grid().toString(), "--ss-at", "1 minute");

    assertEquals(2, r.code());
    assertTrue(r.err().contains("--ss-at") && r.err().contains("is not a time"), r.err());
  }
}
