package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  @TempDir Path dir;

  static final String GRID = """
      name: churn-grid
      seeds: [1, 2]
      duration: 3s
      hosts:
        client: {address: 10.0.0.1, sysctls: {net.ipv4.ip_local_port_range: 40000 40019}}
        server: {address: 10.0.0.2}
      links:
        client <-> server: delay 2ms 1ms
      apps:
        web: {kind: request-response-server, host: server, port: 80}
        churn: {kind: connection-churn, host: client, target: web, rate: 5/s}
      metrics: {socket_states: {every: 500ms}, errno_counts: true, connect_latency: true}
      sweep:
        - {path: apps.churn.rate, values: [5/s, 10/s]}
      """;

  private Path grid() throws IOException {
    Path f = dir.resolve("grid.yaml");
    Files.writeString(f, GRID);
    return f;
  }

  /** Every file under {@code root} by relative path, with its bytes. */
  private static TreeMap<String, byte[]> tree(Path root) throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void oneThreadAndThreeThreadsWriteTheSameBytes() throws Exception {
    Path f = grid();
    MainTest.Run one = MainTest.run("sweep", f.toString(), "--jobs", "1", "--out", dir.resolve("one").toString());
    MainTest.Run three = MainTest.run("sweep", f.toString(), "--jobs", "3", "--out", dir.resolve("three").toString());
    assertEquals(0, one.code(), one.err());
    assertEquals(0, three.code(), three.err());
    TreeMap<String, byte[]> a = tree(dir.resolve("one"));
    TreeMap<String, byte[]> b = tree(dir.resolve("three"));
    assertEquals(a.keySet(), b.keySet());
    assertEquals(4 * 3 + 3, a.size(),
        "4 points x (json, timeline, counters) + summary + csv + chart: " + a.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
    assertTrue(one.out().contains("rate=10-per-s,seed=2"), one.out());
    assertTrue(one.err().contains("[4/4] "), one.err());
  }

  @Test
  void sweepCsvHasARowPerPointWithTheSweptValueAndItsFigures() throws Exception {
    Path out = dir.resolve("csv");
    MainTest.run("sweep", grid().toString(), "--jobs", "2", "--out", out.toString());
    List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    assertEquals(List.of("point", "seed", "apps.churn.rate"), header.subList(0, 3));
    int full = header.indexOf("churn:connect():EADDRNOTAVAIL");
    assertTrue(full > 0, "20 ports at 10 connections a second run out within 3 s: " + header);
    assertEquals(5, lines.size());
    for (String line : lines.subList(1, 5)) {
      // The point id is quoted (it has a comma); the rest splits plainly.
      List<String> cells = List.of(line.substring(line.indexOf("\",") + 2).split(",", -1));
      long exhausted = Long.parseLong(cells.get(full - 1));
      if (cells.get(1).equals("5/s")) {
        assertEquals(0, exhausted, line);
      } else {
        assertTrue(exhausted > 0, line);
      }
    }
    assertTrue(lines.get(1).startsWith("\"rate=5-per-s,seed=1\",1,5/s,"), lines.get(1));
  }

  @Test
  void theChartsDotsAreTheSummarysErrnoCountsPerRateMinMedianMaxOverSeeds() throws Exception {
    Path out = dir.resolve("chart");
    MainTest.Run r = MainTest.run("sweep", grid().toString(), "--jobs", "2", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("chart: churn:connect():EADDRNOTAVAIL"),
        "the only errno that varies with the rate is charted by default: " + r.out());
    // The summary's own numbers: "churn connect() EADDRNOTAVAIL x12" on each point's row.
    TreeMap<String, List<Long>> perRate = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("summary.txt"))) {
      java.util.regex.Matcher id = java.util.regex.Pattern.compile("rate=(\\d+)-per-s,seed=\\d").matcher(line);
      if (!id.find()) {
        continue;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("churn connect\\(\\) EADDRNOTAVAIL x(\\d+)")
          .matcher(line);
      perRate.computeIfAbsent(id.group(1) + "/s", k -> new java.util.ArrayList<>())
          .add(m.find() ? Long.parseLong(m.group(1)) : 0L);
    }
    assertEquals(2, perRate.size(), perRate.toString());
    String svg = Files.readString(out.resolve("sweep.svg"));
    java.util.regex.Matcher dot = java.util.regex.Pattern.compile(
        "data-x=\"([^\"]*)\" data-series=\"\" data-min=\"(\\d+)\" data-median=\"([0-9.]+)\""
            + " data-max=\"(\\d+)\" data-n=\"(\\d+)\"").matcher(svg);
    int dots = 0;
    while (dot.find()) {
      dots++;
      List<Long> seeds = perRate.get(dot.group(1));
      long lo = Math.min(seeds.get(0), seeds.get(1));
      long hi = Math.max(seeds.get(0), seeds.get(1));
      assertEquals(lo, Long.parseLong(dot.group(2)), dot.group());
      assertEquals((lo + hi) / 2.0, Double.parseDouble(dot.group(3)), dot.group());
      assertEquals(hi, Long.parseLong(dot.group(4)), dot.group());
      assertEquals("2", dot.group(5), dot.group());
    }
    assertEquals(2, dots, svg);
    assertTrue(perRate.get("10/s").get(0) > 0, "the chart is not all zeros: " + perRate);
    assertFalse(svg.contains("http:/" + "/") && svg.replace("http://www.w3.org/2000/svg", "").contains("http"),
        "no network reference but the SVG namespace");
  }

  @Test
  void anUnknownMetricIsNamedWithTheColumnsThereAre() throws Exception {
    MainTest.Run r = MainTest.run("sweep", grid().toString(), "--jobs", "2", "--metric", "churn:nope",
        "--out", dir.resolve("m").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--metric: no column 'churn:nope' in sweep.csv; there are: "), r.err());
    assertTrue(r.err().contains("churn:connect():EADDRNOTAVAIL"), r.err());
  }

  @Test
  void aRerunResumesWithTheMissingPointsOnly() throws Exception {
    Path f = grid();
    Path out = dir.resolve("out");
    MainTest.run("sweep", f.toString(), "--jobs", "2", "--out", out.toString());
    TreeMap<String, byte[]> before = tree(out);
    // As if interrupted before one point finished: its result.json never appeared.
    Files.delete(out.resolve("rate=5-per-s,seed=2").resolve("result.json"));
    MainTest.Run again = MainTest.run("sweep", f.toString(), "--jobs", "2", "--out", out.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("4 points, 3 already done, 1 to run"), again.out());
    assertEquals(List.of("[4/4] rate=5-per-s,seed=2"), again.err().lines().toList());
    TreeMap<String, byte[]> after = tree(out);
    for (String k : before.keySet()) {
      assertArrayEquals(before.get(k), after.get(k), k);
    }
  }

  @Test
  void badJobsAndBadFilesExitTwo() throws Exception {
    MainTest.Run jobs = MainTest.run("sweep", grid().toString(), "--jobs", "0");
    assertEquals(2, jobs.code());
    assertTrue(jobs.err().contains("--jobs"), jobs.err());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, GRID.replace("rate: 5/s}", "rate: fast}"));
    MainTest.Run r = MainTest.run("sweep", bad.toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(bad + ":"), r.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }
}
