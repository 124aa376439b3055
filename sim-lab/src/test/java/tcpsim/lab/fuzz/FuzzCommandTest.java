package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.lab.cli.Main;

/** {@code tcpsim fuzz} from the command line: replay a saved case, and reject bad options plainly. */
class FuzzCommandTest {
  static final Path SPEC = Path.of("").toAbsolutePath().getParent()
      .resolve("specs/fuzz/stale-segment-found-by-fuzzer.txt");

  private static int run(StringWriter out, StringWriter err, String... args) {
    return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void replayingTheSavedStaleCaseReportsTheBrokenInvariantAndWritesItsFiles(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "fuzz", "--config", "short-time-wait", "--replay", SPEC.toString(),
        "--out", dir.toString());
    assertEquals(1, code, err.toString());
    assertTrue(out.toString().contains("broken: " + Fuzzer.INV_STALE), out.toString());
    assertTrue(Files.readString(dir.resolve("ladder.html")).contains("<svg"));
    assertTrue(Files.readString(dir.resolve("case.pkt")).contains("client: connect("));
    assertEquals(Fuzzer.parse(Files.readAllLines(SPEC)), Fuzzer.parse(Files.readAllLines(dir.resolve("case.txt"))));
  }

  @Test
  void aSmallCampaignPrintsItsSeedFirstAndPasses(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    int code = run(out, new StringWriter(), "fuzz", "--seed", "0x5eed", "--cases", "20", "--jobs", "2",
        "--out", dir.toString());
    assertEquals(0, code, out.toString());
    assertTrue(out.toString().startsWith("seed: 0x5eed"), out.toString());
    assertTrue(out.toString().contains("20 cases in"), out.toString());
  }

  @Test
  void aCaseThatDoesNotSettleEndsTheCampaignWithItsReplayAndTheEventsOfItsAction(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    int code = run(out, new StringWriter(), "fuzz", "--seed", "0x5eed", "--cases", "20", "--max-action-events", "40",
        "--out", dir.toString());
    assertEquals(1, code, out.toString());
    String o = out.toString();
    assertTrue(o.contains("\ncase 0 failed\nreplay: ./tcpsim fuzz --config linux --seed 0x5eed --case 0 --max-actions 40"
        + " --max-action-events 40\n"), o);
    assertTrue(o.contains("\nbroken: " + Fuzzer.INV_SETTLE + "\n        a case did not settle: 41 events in one action ("), o);
    assertTrue(o.contains("the cap is 40\nshrunk action list ("), o);
    assertTrue(Files.readString(dir.resolve("ladder.html")).contains("drawn up to 40 events in one action"));
  }

  @Test
  void anUnknownConfigurationIsAnErrorNamingTheKnownOnes() {
    StringWriter err = new StringWriter();
    int code = run(new StringWriter(), err, "fuzz", "--config", "bsd");
    assertEquals(2, code);
    assertTrue(err.toString().contains("unknown fuzz configuration 'bsd' (known: linux, short-time-wait)"),
        err.toString());
  }
}
