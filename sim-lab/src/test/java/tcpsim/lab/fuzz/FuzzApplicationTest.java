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
    return run(FuzzConfig.linux(), lines);
  }

  private static FuzzWorld run(FuzzConfig config, String... lines) {
    FuzzWorld w = new FuzzWorld(config, Fuzzer.WORLD_SEED);
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

  @Test
  void oldBytesReadIntoANewStreamAreReportedAsStaleAndTheRestOfTheStreamStillChecksOut() {
    // Through a 0 s TIME_WAIT a late copy of incarnation 1's segment 1630892483 is queued out of
    // order in incarnation 2's server (14.5 ms); the new client's segments fill the gap, the first
    // overlapping the old block's head (its own bytes win there, as tcp_ofo_queue skips the
    // queued head below rcv_nxt), and the server reads 1070 old bytes at 16.7 ms. That is the
    // stale-segment hazard, nothing more: every later byte the server reads is incarnation 2's, at
    // its own offset. (The check used to stop counting at the first wrong byte, so the rest of the
    // stream looked shifted and the case was reported as corruption of the new stream.)
    FuzzWorld w = run(FuzzConfig.shortTimeWait(), "server echo-to-eof-close", "client read-to-eof-close",
        "connect", "duplicate client->server data%8 hold 12800us", "advance 400us",
        "client send-all 518826 shut-wr", "advance 12800us", "connect", "advance 400us",
        "client send-all 196952", "advance 25600us", "quiesce");
    assertTrue(w.staleViolation != null && w.staleViolation.contains("incarnation 1 (seq 1630892483"),
        w.staleViolation);
    assertNull(w.contentViolation);
  }
}
