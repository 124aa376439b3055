package tcpsim.lab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.lab.experiment.Experiment;

/** The runner's promises: same seed same bytes, metrics as documented, files written whole. */
class RunnerTest {
  private static final String CHURN = Runs.twoHosts(
      ", sysctls: {net.ipv4.ip_local_port_range: 40000 40099}", "", """
      duration: 12s
      apps:
        web: {kind: request-response-server, host: server, port: 80}
        churn: {kind: connection-churn, host: client, target: web, rate: 20/s, request_size: 100,
                response_size: 1000}
      metrics: {socket_states: {every: 500ms}, ports_in_use: {every: 1s}, errno_counts: true,
                connect_latency: true, bytes_delivered: true, retransmissions: true}
      """);

  private static RunResult churn(long seed) throws Exception {
    Experiment e = tcpsim.lab.experiment.ExperimentLoader.parse("churn.yaml", CHURN).base();
    return ExperimentRunner.run(e, seed, "seed=" + seed, new ExperimentRunner.Options(3, null, List.of()));
  }

  @Test
  void theSameSeedGivesByteIdenticalJsonAndReport() throws Exception {
    RunResult a = churn(7);
    RunResult b = churn(7);
    assertArrayEquals(ResultFiles.json(a), ResultFiles.json(b));
    assertEquals(ResultFiles.timelineCsv(a), ResultFiles.timelineCsv(b));
    assertEquals(tcpsim.lab.report.LadderReport.standard().render(a.trace().orElseThrow()),
        tcpsim.lab.report.LadderReport.standard().render(b.trace().orElseThrow()));
  }

  @Test
  void anotherSeedGivesAnotherDigestThroughSequenceNumbersAndPorts() throws Exception {
    RunResult a = churn(7);
    RunResult b = churn(8);
    assertNotEquals(a.digest(), b.digest());
    assertEquals(a.app("churn").orElseThrow().connects(), b.app("churn").orElseThrow().connects(),
        "on a fixed-delay link only the numbers change, not what happens");
  }

  @Test
  void aRunPastItsEventLimitFailsWithAMessageInsteadOfRunningForHours() throws Exception {
    Experiment e = tcpsim.lab.experiment.ExperimentLoader.parse("churn.yaml", CHURN).base();
    RunError err = org.junit.jupiter.api.Assertions.assertThrows(RunError.class,
        () -> ExperimentRunner.run(e, 7, "x", new ExperimentRunner.Options(0, null, List.of(), 1000)));
    assertTrue(err.getMessage().startsWith("the run was stopped: simulation limit exceeded: event limit 1000 at virtual time "), err.getMessage());
    assertTrue(err.getMessage().endsWith("shorten the duration or lower the rates"), err.getMessage());
  }

  @Test
  void latencyPercentilesAreExactNearestRanks() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assertEquals(50, ExperimentRunner.nearestRank(sorted, 500_000));
    assertEquals(90, ExperimentRunner.nearestRank(sorted, 900_000));
    assertEquals(100, ExperimentRunner.nearestRank(sorted, 990_000));
    assertEquals(100, ExperimentRunner.nearestRank(sorted, 1_000_000));
    assertEquals(10, ExperimentRunner.nearestRank(sorted, 1));
    assertEquals("p99.9", ResultFiles.percentileName(999_000));
    assertEquals("p50", ResultFiles.percentileName(500_000));
  }

  @Test
  void theTimelineHasOneRowPerHostPerSampleUpToTheEnd() throws Exception {
    RunResult r = churn(7);
    String csv = ResultFiles.timelineCsv(r);
    List<String> lines = csv.lines().toList();
    assertEquals("time_ns,host,LISTEN,SYN_SENT,SYN_RECV,ESTABLISHED,FIN_WAIT1,FIN_WAIT2,CLOSING,"
        + "TIME_WAIT,CLOSE_WAIT,LAST_ACK", lines.get(0));
    assertEquals(1 + 2 * 25, lines.size(), "samples at 0, 0.5, ... 12 s for two hosts");
    assertTrue(lines.get(lines.size() - 1).startsWith("12000000000,server,1,"), lines.get(lines.size() - 1));
    // 20 connections a second, each in TIME_WAIT for 60 s: 240 by the end, but only 100 ports.
    assertEquals(100, r.lastCount("client", "TIME_WAIT"));
    assertTrue(r.errnoCount("churn", "connect()", "EADDRNOTAVAIL") > 0);
  }

  @Test
  void filesAreWrittenWholeWithNoTemporaryLeftBehind(@TempDir Path dir) throws Exception {
    RunResult r = churn(7);
    ResultFiles.write(r, dir, null);
    try (var files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("counters.txt", "ports.csv", "report.html", "result.json", "timeline.csv"), names);
    }
    assertArrayEquals(ResultFiles.json(r), Files.readAllBytes(dir.resolve("result.json")));
    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("client TIME_WAIT"), "the state timeline is in the report");
    assertFalse(html.contains("NaN"));
  }
}
