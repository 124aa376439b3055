package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;

  static final String GALLERY = Path.of("..", "specs", "experiments").toString();

  @Test
  void runWritesJsonCsvCountersAndTheReportAndPrintsTheSummary() throws Exception {
    Path out = dir.resolve("out");
    MainTest.Run r = MainTest.run("run", GALLERY + "/write-after-peer-close.yaml", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("seed: 0x1\n"), r.out());
    assertTrue(r.out().contains("browser  send() = EPIPE (Broken pipe)"), r.out());
    assertTrue(r.out().contains("browser@client"), r.out());
    assertTrue(r.out().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("trace digest: "));
    for (String f : new String[] {"result.json", "timeline.csv", "counters.txt", "report.html"}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
  }

  @Test
  void theSameRunTwiceWritesTheSameBytes() throws Exception {
    MainTest.run("run", GALLERY + "/client-gives-up-499.yaml", "--out", dir.resolve("a").toString());
    MainTest.run("run", GALLERY + "/client-gives-up-499.yaml", "--out", dir.resolve("b").toString());
    for (String f : new String[] {"result.json", "timeline.csv", "counters.txt", "report.html"}) {
      assertEquals(Files.readString(dir.resolve("a").resolve(f)), Files.readString(dir.resolve("b").resolve(f)), f);
    }
  }

  @Test
  void seedPointReportPcapAndSsSnapshotsAreHonoured() throws Exception {
    Path report = dir.resolve("elsewhere/keepalive.html");
    MainTest.Run r = MainTest.run("run", GALLERY + "/pulled-cable-keepalive.yaml",
        "--point", "keepalive=true,tcp_keepalive_time=60,seed=1", "--seed", "0x99",
        "--out", dir.resolve("o").toString(), "--report", report.toString(),
        "--pcap", dir.resolve("pcap").toString(), "--ss-at", "20s");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("seed: 0x99\n"), r.out());
    assertTrue(r.out().contains("recv() = ETIMEDOUT"), r.out());
    assertTrue(Files.isRegularFile(report));
    assertTrue(Files.isRegularFile(dir.resolve("o/ss-client-20.000000s.txt")));
    assertTrue(Files.readString(dir.resolve("o/ss-server-20.000000s.txt")).contains("ESTAB"));
    try (var pcaps = Files.list(dir.resolve("pcap"))) {
      assertEquals(2, pcaps.count());
    }
  }

  @Test
  void aBadFileGetsTheLoadersLocatedErrorsAndExitTwoWithNothingWritten() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\nduration: 10 parsecs\nhosts: {}\n");
    Path out = dir.resolve("out");
    MainTest.Run r = MainTest.run("run", bad.toString(), "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(bad + ":2:"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aMissingFileAndAnUnknownPointAreNamed() {
    MainTest.Run missing = MainTest.run("run", dir.resolve("nope.yaml").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.yaml:1:1"), missing.err());
    MainTest.Run point = MainTest.run("run", GALLERY + "/listen-backlog-burst.yaml", "--point", "backlog=3");
    assertEquals(2, point.code());
    assertTrue(point.err().contains("--point 'backlog=3'"), point.err());
  }

  @Test
  void aBadSsTimeIsNamed() {
    MainTest.Run r = MainTest.run("run", GALLERY + "/close-wait-leak.yaml", "--ss-at", "soon");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'soon' is not a time"), r.err());
  }
}
