package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.lab.script.ScriptResult;

/** How `pkt --backend=both` says where the kernel and the simulator part ways. */
class DisagreementTest {
  static final ScriptResult PASS = new ScriptResult.Pass("a.pkt");
  static final List<String> HANDSHAKE = List.of("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
      "> S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS,nop,wscale 8>", "accept(3, ..., ...) = 4");

  @Test
  void theSameSegmentsAndResultsAgree() {
    assertNull(Disagreement.between("linux", PASS, HANDSHAKE, "sim", PASS, HANDSHAKE));
  }

  @Test
  void theFirstDifferentSegmentIsNamedWithBothSides() {
    List<String> sim = List.of(HANDSHAKE.get(0), "> S. 0:0(0) ack 1 win 29200 <mss 1460,sackOK,TS,nop,wscale 7>",
        HANDSHAKE.get(2));
    String d = Disagreement.between("linux", PASS, HANDSHAKE, "sim", PASS, sim);
    assertEquals("observation 2 differs:\n"
        + "    linux: > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS,nop,wscale 8>\n"
        + "    sim: > S. 0:0(0) ack 1 win 29200 <mss 1460,sackOK,TS,nop,wscale 7>\n"
        + "    linux verdict: PASS         a.pkt\n"
        + "    sim verdict: PASS         a.pkt", d);
  }

  @Test
  void differentVerdictsOnTheSameObservationsDisagree() {
    ScriptResult fail = new ScriptResult.Fail("a.pkt", 7, "timed out waiting for packet", 2_000_000_000L);
    String d = Disagreement.between("linux", PASS, HANDSHAKE, "sim", fail, HANDSHAKE);
    assertEquals("verdicts differ:\n    linux: PASS         a.pkt\n"
        + "    sim: FAIL         a.pkt:7: timed out waiting for packet (at 2.000000s)", d);
  }

  @Test
  void failuresAtTheSameLineAfterTheSameObservationsAgree() {
    ScriptResult a = new ScriptResult.Fail("a.pkt", 7, "packet at 0.1s", 1);
    ScriptResult b = new ScriptResult.Fail("a.pkt", 7, "packet at 0.2s", 2);
    assertNull(Disagreement.between("linux", a, HANDSHAKE, "sim", b, HANDSHAKE));
  }

  @Test
  void oneSideGoingFurtherIsADisagreement() {
    String d = Disagreement.between("linux", PASS, HANDSHAKE, "sim", PASS, HANDSHAKE.subList(0, 2));
    assertEquals("only linux went on to observation 3: accept(3, ..., ...) = 4", d);
  }
}
