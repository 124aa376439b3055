package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptResult;

/**
 * The differential oracle's kernel half: every spec in specs/pkt, one dynamic test each, run on
 * the host's kernel. Where the machine cannot (not root, no /dev/net/tun, no ip) each test is
 * skipped with "kernel backend not run: REASON", never passed; scripts longer than the quick
 * suite's limit are skipped unless TCPSIM_KERNEL_SLOW=1. Isolated: real time must not be shared
 * with other test classes on a two-core machine.
 */
@Isolated
class KernelSpecsTest {
  static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");

  static List<Path> specs() throws IOException {
    try (Stream<Path> walk = Files.walk(SPECS)) {
      return walk.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everySpecHoldsOnTheHostKernel() throws IOException {
    List<Path> files = specs();
    assertFalse(files.isEmpty(), "no specs under " + SPECS);
    System.out.println(KernelScripts.header());
    return files.stream().map(f -> DynamicTest.dynamicTest(SPECS.relativize(f).toString(), () -> {
      KernelAssumptions.assumeKernelBackend();
      String name = SPECS.getParent().getParent().relativize(f).toString();
      KernelScripts.Outcome o;
      try {
        o = KernelScripts.run(Parser.parse(name, Files.readString(f)), KernelScripts.slowFromEnvironment());
      } catch (ScriptError e) {
        fail(e.getMessage());
        return;
      }
      if (o instanceof KernelScripts.Outcome.NotRun n) {
        abort(n.reason());
      }
      ScriptResult r = ((KernelScripts.Outcome.Ran) o).result();
      if (r instanceof ScriptResult.Unsupported u) {
        abort("not run on the kernel: " + u.describe());
      }
      if (r instanceof ScriptResult.Fail) {
        KernelScripts.Outcome.Ran ran = (KernelScripts.Outcome.Ran) o;
        fail(r.describe() + "\n  (" + KernelScripts.header() + ")"
            + ran.notes().stream().map(n -> "\n  note: " + n).reduce("", String::concat)
            + "\n  transcript:" + ran.transcript().stream().map(n -> "\n    " + n).reduce("", String::concat));
      }
    }));
  }
}
