package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.tcp.TcpState;

/** The fuzzer's event-loop applications: send-all, read-to-eof-close and the echo server. */
class FuzzApplicationTest {
  private static FuzzWorld run(String... lines) {
    FuzzWorld w = new FuzzWorld(FuzzConfig.linux(), Fuzzer.WORLD_SEED);
    for (FuzzAction a : Fuzzer.parse(List.of(lines))) {
      if (a.applicable(w)) {
        w.beginAction();
        a.apply(w);
        w.acceptAll();
      }
    }
    return w;
  }

  private static void assertNoViolation(FuzzWorld w) {
    assertNull(w.transitionViolation);
    assertNull(w.contentViolation);
    assertNull(w.staleViolation);
    assertNull(w.errnoViolation);
  }

  @Test
  void anEchoServerAnswersEveryByteAndBothEndsCloseAtTheEndOfTheStream() {
    FuzzWorld w = run("server echo-to-eof-close", "client read-to-eof-close", "connect", "advance 400us",
        "client send-all 300000 shut-wr", "advance 12800us");
    assertEquals(300_000, w.sentBy(1, 0));
    assertEquals(300_000, w.sentBy(1, 1));
    // The client half-closed after its last byte, the server closed at that end of stream, the
    // client read the echo to the server's FIN and closed: the client holds the TIME_WAIT.
    assertNull(w.client);
    assertTrue(w.servers.isEmpty());
    assertEquals(1, w.clientStack.timeWaitSockets().size());
    assertTrue(w.serverStack.timeWaitSockets().isEmpty());
    assertNoViolation(w);
  }

  @Test
  void aServerLoopServesEveryLaterConnectionToo() {
    FuzzWorld w = run("server echo-to-eof-close", "connect", "advance 400us", "client send-all 1000 shut-wr",
        "advance 800us", "client drain-close", "advance 100000000us", "connect", "advance 400us",
        "client send-all 5000", "advance 800us");
    assertEquals(2, w.incarnation);
    assertEquals(5000, w.sentBy(2, 1)); // incarnation 2's bytes echoed without another action
    assertEquals(TcpState.ESTABLISHED, w.endpoint(1).conn.state());
    assertNoViolation(w);
  }

  @Test
  void twoEchoingEndsAreNotAllowed() {
    FuzzWorld w = run("server echo-to-eof-close");
    assertTrue(!new FuzzAction.ReadToEofClose(0, true).applicable(w));
    assertTrue(new FuzzAction.ReadToEofClose(0, false).applicable(w));
  }
}
