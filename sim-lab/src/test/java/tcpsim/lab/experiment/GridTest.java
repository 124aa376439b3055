package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.link.NetemConfig;

/** A sweep expands into a grid in a fixed order, with ids made of the values alone. */
class GridTest {
  static final String FILE = """
      name: grid
      seeds: [7, 8]
      duration: 60s
      hosts:
        client: {address: 10.0.0.1}
        server: {address: 10.0.0.2}
      links:
        client <-> server: delay 1ms
      apps:
        web: {kind: request-response-server, host: server, port: 80}
        churn: {kind: connection-churn, host: client, target: web, rate: 10/s}
        flood: {kind: syn-flood, host: client, target: web, rate: 1/s}
      """;

  static ExperimentFile load(String sweep) throws ExperimentError {
    return ExperimentLoader.parse("grid.yaml", FILE + "sweep:\n" + sweep);
  }

  static List<String> ids(ExperimentFile f) {
    return f.points().stream().map(GridPoint::id).toList();
  }

  @Test
  void theFirstAxisIsOutermostAndSeedsInnermost() throws ExperimentError {
    ExperimentFile f = load("""
          - {path: apps.churn.rate, values: [10/s, 20/s, 30/s]}
          - {path: hosts.client.sysctls.net.ipv4.tcp_tw_reuse, values: [0, 1]}
        """);
    assertEquals(List.of(
        "rate=10-per-s,tcp_tw_reuse=0,seed=7", "rate=10-per-s,tcp_tw_reuse=0,seed=8",
        "rate=10-per-s,tcp_tw_reuse=1,seed=7", "rate=10-per-s,tcp_tw_reuse=1,seed=8",
        "rate=20-per-s,tcp_tw_reuse=0,seed=7", "rate=20-per-s,tcp_tw_reuse=0,seed=8",
        "rate=20-per-s,tcp_tw_reuse=1,seed=7", "rate=20-per-s,tcp_tw_reuse=1,seed=8",
        "rate=30-per-s,tcp_tw_reuse=0,seed=7", "rate=30-per-s,tcp_tw_reuse=0,seed=8",
        "rate=30-per-s,tcp_tw_reuse=1,seed=7", "rate=30-per-s,tcp_tw_reuse=1,seed=8"), ids(f));
    for (int i = 0; i < f.points().size(); i++) {
      assertEquals(i, f.points().get(i).index());
    }
    assertEquals(List.of(new SweepAxis("apps.churn.rate", List.of("10/s", "20/s", "30/s")),
        new SweepAxis("hosts.client.sysctls.net.ipv4.tcp_tw_reuse", List.of("0", "1"))), f.sweep());
  }

  @Test
  void eachPointCarriesItsValuesAndTheRestOfTheFileUnchanged() throws ExperimentError {
    ExperimentFile f = load("""
          - {path: apps.churn.rate, values: [10/s, 20/s, 30/s]}
          - {path: hosts.client.sysctls.net.ipv4.tcp_tw_reuse, values: [0, 1]}
        """);
    GridPoint p = f.point("rate=20-per-s,tcp_tw_reuse=1,seed=8").orElseThrow();
    assertEquals(8, p.seed());
    assertEquals(List.of(new GridPoint.Setting("apps.churn.rate", "20/s"),
        new GridPoint.Setting("hosts.client.sysctls.net.ipv4.tcp_tw_reuse", "1")), p.settings());
    Workload.ConnectionChurn churn = assertInstanceOf(Workload.ConnectionChurn.class,
        p.experiment().app("churn").orElseThrow().workload());
    assertEquals(new Rate(20, 1_000_000_000L), churn.rate());
    assertEquals(1, p.experiment().host("client").orElseThrow().sysctls().twReuse());
    assertEquals(2, p.experiment().host("server").orElseThrow().sysctls().twReuse(), "server untouched");
    assertEquals(f.base().links(), p.experiment().links());
    // The base keeps the file's own values.
    Workload.ConnectionChurn baseChurn = (Workload.ConnectionChurn) f.base().app("churn").orElseThrow().workload();
    assertEquals(new Rate(10, 1_000_000_000L), baseChurn.rate());
  }

  @Test
  void anIdDependsOnlyOnItsValuesSoAddingValuesKeepsTheOldIds() throws ExperimentError {
    List<String> before = ids(load("  - {path: apps.churn.rate, values: [10/s, 30/s]}\n"));
    List<String> after = ids(load("  - {path: apps.churn.rate, values: [10/s, 20/s, 30/s]}\n"));
    assertTrue(after.containsAll(before), before + " not all in " + after);
    assertEquals(6, after.size());
  }

  @Test
  void loadingTheSameFileTwiceGivesTheSameGrid() throws ExperimentError {
    String sweep = """
          - {path: links.client <-> server, values: ["delay 1ms", "delay 5ms loss 1%"]}
          - {path: duration, values: [30s, 60s]}
        """;
    assertEquals(load(sweep), load(sweep));
  }

  @Test
  void axesThatEndAlikeAreToldApartByALongerSuffix() throws ExperimentError {
    ExperimentFile f = load("""
          - {path: apps.churn.rate, values: [10/s]}
          - {path: apps.flood.rate, values: [1/s, 2/s]}
        """);
    assertEquals(List.of("churn.rate=10-per-s,flood.rate=1-per-s,seed=7",
        "churn.rate=10-per-s,flood.rate=1-per-s,seed=8", "churn.rate=10-per-s,flood.rate=2-per-s,seed=7",
        "churn.rate=10-per-s,flood.rate=2-per-s,seed=8"), ids(f));
  }

  @Test
  void aLinkCanBeSweptByItsKeyAndIdsStaySafeAsFileNames() throws ExperimentError {
    ExperimentFile f = load("  - {path: links.server <-> client, values: [\"delay 1ms\", \"delay 5ms loss 1%\"]}\n");
    GridPoint p = f.points().get(2);
    assertEquals("client-server=delay_5ms_loss_1_,seed=7", p.id());
    assertEquals(NetemConfig.parse("delay 5ms loss 1%"), p.experiment().links().get(0).netem());
    for (GridPoint q : f.points()) {
      assertTrue(q.id().matches("[A-Za-z0-9._+=,~-]+"), q.id());
    }
  }

  @Test
  void withoutASweepThereIsOnePointPerSeed() throws ExperimentError {
    ExperimentFile f = ExperimentLoader.parse("grid.yaml", FILE);
    assertEquals(List.of("seed=7", "seed=8"), ids(f));
    assertEquals(f.base(), f.points().get(1).experiment());
  }

  @Test
  void aGridLargerThanTheCapIsRefused() {
    StringBuilder values = new StringBuilder();
    for (int i = 1; i <= 101; i++) {
      values.append(i == 1 ? "" : ", ").append(i).append("/s");
    }
    ExperimentError e = assertThrows(ExperimentError.class, () -> load(
        "  - {path: apps.churn.rate, values: [" + values + "]}\n"
            + "  - {path: apps.flood.rate, values: [" + values + "]}\n"));
    assertEquals("grid.yaml:13:1: sweep: the grid has 20402 points (values multiplied across axes"
        + " and seeds); at most 10000 are allowed", e.problems().get(0).toString());
  }

  @Test
  void anAxisListsEachValueOnceAndAPathOnce() {
    ExperimentError e = assertThrows(ExperimentError.class, () -> load("""
          - {path: apps.churn.rate, values: [10/s, 10/s]}
          - {path: apps.churn.rate, values: [20/s]}
        """));
    assertEquals(List.of("grid.yaml:14:44: sweep[0].values: '10/s' is listed twice",
        "grid.yaml:15:12: sweep[1].path: 'apps.churn.rate' is already swept by an earlier axis"),
        e.problems().stream().map(Problem::toString).toList());
  }
}
