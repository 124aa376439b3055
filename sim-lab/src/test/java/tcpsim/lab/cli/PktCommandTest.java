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
  void withoutScriptsOrDiffFuzzItSaysWhatToGive() {
    MainTest.Run r = MainTest.run("pkt");
    assertTrue(r.err().startsWith("tcpsim pkt: give .pkt files or directories (or --diff-fuzz)"),
        r.err());
    assertEquals(2, r.code());
  }

  @Test
  void diffFuzzTakesNoScripts() throws IOException {
    Path p = write("a.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    MainTest.Run r = MainTest.run("pkt", "--diff-fuzz", p.toString());
    assertTrue(r.err().startsWith("tcpsim pkt: --diff-fuzz makes its own scripts"), r.err());
    assertEquals(2, r.code());
  }

  @Test
  void theDiffFuzzOptionsWithoutDiffFuzzAreAnErrorNotIgnored() throws IOException {
    Path p = write("a.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    MainTest.Run r = MainTest.run("pkt", "--timers", p.toString());
    assertEquals("tcpsim pkt: --timers is an option of --diff-fuzz\n", r.err());
    assertEquals(2, r.code());
    assertEquals(2, MainTest.run("pkt", "--seed", "7", p.toString()).code());
  }

  @Test
  void aScriptRunsOnTheSimulatedStack() throws IOException {
    Path p = write("a.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    MainTest.Run r = MainTest.run("pkt", p.toString());
    assertEquals("PASS         " + p + "\n1 passed, 0 failed, 0 unsupported\n", r.out());
    assertEquals(0, r.code());
  }

  @Test
  void aFailingScriptNamesItsLineAndHowToReplayIt() throws IOException {
    Path p = write("refused.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        + "+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
        + "+0 < S 0:0(0) win 65535 <mss 1460>\n+0 > R. 0:0(0) ack 1\n");
    MainTest.Run r = MainTest.run("pkt", p.toString());
    assertTrue(r.out().startsWith("FAIL         " + p + ":5: flags S., expected R."), r.out());
    assertTrue(r.out().contains("    replay: ./tcpsim pkt -v " + p + "   (seed 0x"), r.out());
    assertEquals(1, r.code());
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
    write("x/b.pkt", "0 close(3) = -1 EBADF (Bad file descriptor)\n");
    write("x/a.pkt", "0 epoll_create(1) = 3\n");
    write("x/notes.txt", "not a script");
    MainTest.Run r = MainTest.run("pkt", dir.resolve("x").toString());
    assertEquals("UNSUPPORTED  " + dir.resolve("x/a.pkt") + ":1: system call epoll_create()\n"
        + "PASS         " + dir.resolve("x/b.pkt") + "\n"
        + "1 passed, 0 failed, 1 unsupported\n", r.out());
  }

  @Test
  void verbosePrintsTheParsedEventsAndTheWire() throws IOException {
    Path p = write("v.pkt", "0 < S 0:0(0) win 65535 <mss 1460>\n+0 > R. 0:0(0) ack 1\n");
    String out = MainTest.run("pkt", "-v", p.toString()).out();
    assertTrue(out.contains("    1: 0.000000 < S 0:0(0) win 65535 <mss 1460>\n"), out);
    assertTrue(out.contains("192.0.2.1.40000 > 192.168.0.1.8080: Flags [S], seq 0, win 65535,"
        + " options [mss 1460], length 0\n"), out);
    assertTrue(out.contains("192.168.0.1.8080 > 192.0.2.1.40000: Flags [R.], seq 0, ack 1"), out);
  }

  @Test
  void aMissingPathIsAnErrorNotAStackTrace() {
    MainTest.Run r = MainTest.run("pkt", dir.resolve("nope.pkt").toString());
    assertEquals(2, r.code());
    assertEquals("tcpsim pkt: no such file or directory: " + dir.resolve("nope.pkt") + "\n", r.err());
  }

  @Test
  void theSpecCorpusGetsOneLinePerScriptAndASummary() throws IOException {
    // Whether each spec passes (or is a known gap) is SpecCorpusTest's business.
    Path specs = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
    long scripts;
    try (var walk = Files.walk(specs)) {
      scripts = walk.filter(f -> f.toString().endsWith(".pkt")).count();
    }
    MainTest.Run r = MainTest.run("pkt", specs.toString());
    assertEquals(scripts, r.out().lines().filter(l -> l.matches("(PASS|FAIL|UNSUPPORTED) .*")).count(), r.out());
    assertTrue(r.out().lines().reduce((a, b) -> b).orElse("").matches("\\d+ passed, \\d+ failed, \\d+ unsupported"),
        r.out());
  }
}
