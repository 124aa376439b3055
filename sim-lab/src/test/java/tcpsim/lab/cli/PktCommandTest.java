package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcpsim pkt}: one line per script, the summary, and the exit code. */
class PktCommandTest {
  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void aReadableScriptIsUnsupportedUntilABackendExists() throws IOException {
    Path p = write("a.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    MainTest.Run r = MainTest.run("pkt", p.toString());
    assertEquals("UNSUPPORTED  " + p + ": no TCP backend yet\n0 passed, 0 failed, 1 unsupported\n", r.out());
    assertEquals(0, r.code());
  }

  @Test
  void aSyntaxErrorIsAFailureWithItsLocation() throws IOException {
    Path p = write("bad.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0)\n");
    MainTest.Run r = MainTest.run("pkt", p.toString());
    assertEquals("FAIL         " + p + ":2:1: error: an inbound packet needs 'win N' (the raw window field)\n"
        + "0 passed, 1 failed, 0 unsupported\n", r.out());
    assertEquals(1, r.code());
  }

  @Test
  void aFeatureTcpsimDoesNotModelIsNamed() throws IOException {
    Path p = write("icmp.pkt", "0 < icmp unreachable port_unreachable\n");
    assertTrue(MainTest.run("pkt", p.toString()).out().startsWith("UNSUPPORTED  " + p + ":1: icmp packets\n"));
  }

  @Test
  void aDirectoryIsWalkedInNameOrder() throws IOException {
    write("x/b.pkt", "0 close(3) = 0\n");
    write("x/a.pkt", "0 close(3) = 0\n");
    write("x/notes.txt", "not a script");
    MainTest.Run r = MainTest.run("pkt", dir.resolve("x").toString());
    assertEquals("UNSUPPORTED  " + dir.resolve("x/a.pkt") + ": no TCP backend yet\n"
        + "UNSUPPORTED  " + dir.resolve("x/b.pkt") + ": no TCP backend yet\n"
        + "0 passed, 0 failed, 2 unsupported\n", r.out());
  }

  @Test
  void verbosePrintsTheParsedEvents() throws IOException {
    Path p = write("v.pkt", "0 close(3) = 0\n+.1 > F. 1:1(0) ack 1 <...>\n");
    String out = MainTest.run("pkt", "-v", p.toString()).out();
    assertTrue(out.contains("    1: 0.000000 close(3) = 0\n"), out);
    assertTrue(out.contains("    2: +0.100000 > F. 1:1(0) ack 1 <...>\n"), out);
  }

  @Test
  void aMissingPathIsAnErrorNotAStackTrace() {
    MainTest.Run r = MainTest.run("pkt", dir.resolve("nope.pkt").toString());
    assertEquals(2, r.code());
    assertEquals("tcpsim pkt: no such file or directory: " + dir.resolve("nope.pkt") + "\n", r.err());
  }

  @Test
  void theSpecCorpusReadsCleanly() {
    Path specs = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
    MainTest.Run r = MainTest.run("pkt", specs.toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().lines().noneMatch(l -> l.startsWith("FAIL")), r.out());
  }
}
