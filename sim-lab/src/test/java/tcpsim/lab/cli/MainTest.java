package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path out;

  /** The demo, writing its report under the test's temporary directory. */
  Run demo(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "demo";
    all[1] = "--out";
    all[2] = out.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  /** Exit code, standard output and standard error of one command line. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static String digestLine(String out) {
    return out.lines().filter(l -> l.startsWith("trace digest: ")).findFirst().orElseThrow();
  }

  @Test
  void versionPrintsTheNameAndExitsZero() {
    Run r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("tcpsim "), r.out());
  }

  @Test
  void helpListsTheDemoCommand() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("demo"), r.out());
  }

  @Test
  void demoPrintsItsSeedFirstTheEmfileEventAndTheDigestLast() {
    Run r = demo("--seed", "0x1234");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals("seed: 0x1234", lines[0]);
    assertTrue(lines[lines.length - 1].matches("trace digest: [0-9a-f]{16}"), lines[lines.length - 1]);
    assertTrue(r.out().contains("12.615000s  server  leaky  accept() = EMFILE (Too many open files)  CLOSE_WAIT=252"),
        r.out());
    assertTrue(lines.length <= 40, lines.length + " lines");
  }

  @Test
  void demoWritesTheReportItNames() {
    Run r = demo();
    assertEquals(0, r.code(), r.err());
    Path report = out.resolve("report.html");
    assertTrue(r.out().contains("report: " + report), r.out());
    assertTrue(Files.isRegularFile(report));
    assertTrue(Files.isRegularFile(out.resolve("result.json")));
  }

  @Test
  void demoWithTheSameSeedGivesTheSameOutput() {
    assertEquals(demo("--seed", "42").out(), demo("--seed", "42").out());
  }

  @Test
  void demoWithAnotherSeedGivesAnotherDigest() {
    assertNotEquals(digestLine(demo("--seed", "1").out()), digestLine(demo("--seed", "2").out()));
  }

  @Test
  void anUnknownOptionIsNamedWithoutAStackTrace() {
    Run r = run("demo", "--frobnicate");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--frobnicate"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void anOutOfRangeOptionIsNamed() {
    Run r = run("demo", "--seconds", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--seconds"), r.err());
  }

  @Test
  void theDemosExperimentIsTheGalleryFileItself() throws Exception {
    try (var in = DemoCommand.class.getResourceAsStream(DemoCommand.RESOURCE)) {
      assertEquals(Files.readString(Path.of("..", "specs", "experiments", "close-wait-leak.yaml")),
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          "copy specs/experiments/close-wait-leak.yaml to src/main/resources" + DemoCommand.RESOURCE);
    }
  }

  @Test
  void aMalformedSeedIsNamed() {
    Run r = run("demo", "--seed", "zz");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'zz' is not a seed"), r.err());
  }
}
