package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
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
  void demoPrintsItsSeedFirstAndTheDigestLast() {
    Run r = run("demo", "--seed", "0x1234");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals("seed: 0x1234", lines[0]);
    assertTrue(lines[lines.length - 1].matches("trace digest: [0-9a-f]{16}"), lines[lines.length - 1]);
  }

  @Test
  void demoWithTheSameSeedGivesTheSameOutput() {
    assertEquals(run("demo", "--seed", "42").out(), run("demo", "--seed", "42").out());
  }

  @Test
  void demoWithAnotherSeedGivesAnotherDigest() {
    assertNotEquals(digestLine(run("demo", "--seed", "1").out()), digestLine(run("demo", "--seed", "2").out()));
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
    Run r = run("demo", "--rounds", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--rounds"), r.err());
  }

  @Test
  void aMalformedSeedIsNamed() {
    Run r = run("demo", "--seed", "zz");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'zz' is not a seed"), r.err());
  }
}
