package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.ScriptRunner;
import tcpsim.lab.script.SimulatedBackend;

/** What `pkt --backend both` compares: observations numbered as the script numbers them. */
class RecordingBackendTest {
  @Test
  void aReconnectFromTheSamePortIsNumberedFromItsOwnSyn() throws Exception {
    // Each stack picks its own ISNs (the kernel ISN + 3, tcpsim its clock's before the fix), so
    // the second incarnation's segments are compared relative to its own SYN.
    Path spec = KernelSpecsTest.SPECS.resolve("handshake/connect-again-after-refusal-isn-follows-write-seq.pkt");
    RecordingBackend rec = new RecordingBackend(new SimulatedBackend());
    ScriptResult r = ScriptRunner.run(Parser.parse(spec.toString(), Files.readString(spec)), rec);
    assertInstanceOf(ScriptResult.Pass.class, r, r.describe());
    List<String> out = rec.observations().stream().filter(o -> o.startsWith(">")).toList();
    assertTrue(out.get(0).startsWith("> S 0:0(0)"), out.toString());
    assertTrue(out.get(1).startsWith("> S 0:0(0)"), out.toString());
    assertTrue(out.get(3).startsWith("> P. 1:11(10) ack 1"), out.toString());
  }
}
