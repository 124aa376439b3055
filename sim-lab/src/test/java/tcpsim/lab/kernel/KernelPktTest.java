package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.lab.kernel.KernelAssumptions.assumeKernelBackend;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tcpsim.lab.cli.Main;

/** {@code tcpsim pkt --backend=linux|both} from the command line. */
@Isolated
class KernelPktTest {
  @TempDir Path dir;

  record Run(int code, List<String> out, String err) {}

  static Run pkt(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "pkt";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Main.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString().lines().toList(), err.toString());
  }

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static final String LISTEN = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      + "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n+0 bind(3, ..., ...) = 0\n"
      + "+0 listen(3, 1) = 0\n"
      + "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n";

  @Test
  void linuxRunsTheScriptOnTheKernelAndNamesTheKernelVersionFirst() throws IOException {
    assumeKernelBackend();
    Path p = write("syn.pkt", "`../common/defaults.sh`\n" + LISTEN + "+0 > S. 0:0(0) ack 1 <...>\n");
    Run r = pkt("--backend=linux", p.toString());
    assertEquals(List.of(KernelScripts.header(), "PASS         " + p, "1 passed, 0 failed, 0 unsupported"),
        r.out(), r.err());
    assertTrue(r.out().get(0).contains(KernelAvailability.kernelRelease()));
    assertEquals(0, r.code());
  }

  @Test
  void aKernelFailureShowsWhatCrossedTheWire() throws IOException {
    assumeKernelBackend();
    // Linux answers at once; a script expecting no SYN-ACK for 1 s is wrong about it.
    Path p = write("late.pkt", LISTEN + "+1 > S. 0:0(0) ack 1 <...>\n");
    Run r = pkt("--backend=linux", p.toString());
    assertEquals(1, r.code());
    String all = String.join("\n", r.out());
    assertTrue(all.contains("FAIL         " + p + ":6: packet at 0.0"), all);
    assertTrue(all.contains("expected at 1.000000s"), all);
    assertTrue(all.contains("linux ") && all.contains("< S 0:0(0) win 65535"), all);
  }

  @Test
  void bothRunsTheSimulatedStackTooAndPassesWhenTheyAgree() throws IOException {
    assumeKernelBackend();
    Path p = write("rst.pkt", "`../common/defaults.sh`\n0 < S 0:0(0) win 65535 <mss 1460>\n"
        + "+0 > R. 0:0(0) ack 1 win 0\n");
    Run r = pkt("--backend=both", p.toString());
    assertEquals(List.of(KernelScripts.header(), "PASS         " + p,
        "1 passed, 0 failed, 0 unsupported"), r.out());
  }

  @Test
  void anUnknownBackendIsAnOptionError() throws IOException {
    Path p = write("a.pkt", "0 close(3) = 0\n");
    Run r = pkt("--backend=bsd", p.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--backend"), r.err());
  }
}
