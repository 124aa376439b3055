package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tcpsim.net.tcp.Sysctl;

/** Every experiment file of the gallery loads, and the ones with sweeps expand as their stories say. */
class GalleryTest {
  /** Surefire runs in the module's folder; the project root is its parent. */
  static final Path GALLERY = Path.of("").toAbsolutePath().getParent().resolve("specs/experiments");

  static List<Path> galleryFiles() throws IOException {
    try (Stream<Path> s = Files.list(GALLERY)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static ExperimentFile load(String name) throws ExperimentError {
    return ExperimentLoader.load(GALLERY.resolve(name));
  }

  @Test
  void everyGalleryFileValidates() throws IOException {
    List<Path> files = galleryFiles();
    assertTrue(files.size() >= 8, "the gallery was not found under " + GALLERY);
    StringBuilder failures = new StringBuilder();
    for (Path f : files) {
      try {
        ExperimentFile e = ExperimentLoader.load(f);
        assertEquals(f.getFileName().toString().replace(".yaml", ""), e.base().name(),
            "a gallery file is named after its experiment");
        assertFalse(e.points().isEmpty());
      } catch (ExperimentError err) {
        failures.append(err.getMessage()).append('\n');
      }
    }
    if (failures.length() > 0) {
      fail("gallery files that do not validate:\n" + failures);
    }
  }

  @Test
  void theGalleryHasEveryCaseOfTheIssue() throws IOException {
    List<String> names = galleryFiles().stream().map(p -> p.getFileName().toString()).toList();
    for (String wanted : List.of("close-wait-leak.yaml", "time-wait-exhaustion.yaml",
        "pulled-cable-keepalive.yaml", "short-time-wait-stale-segment.yaml",
        "write-after-peer-close.yaml", "close-with-unread-data.yaml", "listen-backlog-burst.yaml",
        "client-gives-up-499.yaml", "stale-segment-found-by-fuzzer.yaml")) {
      assertTrue(names.contains(wanted), wanted + " is missing from the gallery: " + names);
    }
  }

  @Test
  void timeWaitExhaustionSweepsRateAndTwReuseOverTwoSeeds() throws ExperimentError {
    ExperimentFile f = load("time-wait-exhaustion.yaml");
    assertEquals(4 * 2 * 2, f.points().size());
    GridPoint last = f.points().get(f.points().size() - 1);
    assertEquals("rate=50-per-s,tcp_tw_reuse=1,seed=2", last.id());
    Workload.ConnectionChurn churn = assertInstanceOf(Workload.ConnectionChurn.class,
        last.experiment().app("churn").orElseThrow().workload());
    assertEquals(new Rate(50, 1_000_000_000L), churn.rate());
    assertEquals(1, last.experiment().host("client").orElseThrow().sysctls().twReuse());
    assertEquals(40000, last.experiment().host("client").orElseThrow().sysctls().localPortLow());
  }

  @Test
  void theStaleSegmentSweepSetsTheSimulatorsTimeWaitLength() throws ExperimentError {
    ExperimentFile f = load("short-time-wait-stale-segment.yaml");
    assertEquals(6 * 2, f.points().size());
    GridPoint p = f.point("tcp_timewait_len=8,seed=2").orElseThrow();
    assertEquals(8, p.experiment().host("client").orElseThrow().sysctls()
        .value(Sysctl.TCP_TIMEWAIT_LEN));
    assertEquals(30_000_000_000L, p.experiment().mslNanos(), "Linux's MSL: 2·MSL = 60 s");
    assertEquals(new LinkSpec.LateDuplicates(50_000, 6_000_000_000L),
        p.experiment().links().get(0).lateDuplicates(), "5% of the data segments come again up to 6 s late");
    assertEquals("client <-> server: delay 50us rate 10gbit late-duplicate 5% 6s",
        p.experiment().links().get(0).toString());
  }

  @Test
  void theFuzzersFindingSweepsTheClientsTimeWaitAndTimestampsOverTheFuzzWorldsLink() throws ExperimentError {
    ExperimentFile f = load("stale-segment-found-by-fuzzer.yaml");
    assertEquals(List.of("tcp_timewait_len=0,tcp_timestamps=0,seed=1", "tcp_timewait_len=0,tcp_timestamps=1,seed=1",
        "tcp_timewait_len=60,tcp_timestamps=0,seed=1", "tcp_timewait_len=60,tcp_timestamps=1,seed=1"),
        f.points().stream().map(GridPoint::id).toList());
    Experiment e = f.points().get(0).experiment();
    // FuzzConfig.shortTimeWait's link, and the case's "duplicate client->server any%16 hold 12800us".
    assertEquals(List.of("client -> server: delay 100us late-duplicate every 16 12800us",
        "server -> client: delay 100us"), e.links().stream().map(LinkSpec::toString).toList());
    Workload.SessionClient sessions = assertInstanceOf(Workload.SessionClient.class,
        e.app("sessions").orElseThrow().workload());
    assertEquals(List.of(512L << 10, 512L << 10), sessions.sessionBytes());
    assertEquals(40000, sessions.localPort(), "the fuzz world's client port");
    assertEquals(80, e.app("echo").orElseThrow().workload().listenPort());
  }

  @Test
  void thePulledCableFaultIsAtThirtySeconds() throws ExperimentError {
    ExperimentFile f = load("pulled-cable-keepalive.yaml");
    assertEquals(List.of(new Fault.PullCable(30_000_000_000L, "client")), f.base().faults());
    assertEquals(2 * 3, f.points().size());
    assertEquals("keepalive=false,tcp_keepalive_time=60,seed=1", f.points().get(0).id());
  }
}
