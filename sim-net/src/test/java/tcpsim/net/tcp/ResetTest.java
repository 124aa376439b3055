package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

class ResetTest {
  /** A RST from b's 4-tuple into a's connection, {@code offset} past a's RCV.NXT. */
  private static Segment rst(TcpConnection to, int offset) {
    return new Segment(to.remoteAddress(), to.remotePort(), to.localAddress(), to.localPort(),
        to.rcv.rcvNxt() + offset, 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0, null);
  }

  @Test
  void anInWindowRstNotAtRcvNxtDrawsAChallengeAckAndChangesNothing() {
    TwoStacks t = new TwoStacks(60);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.a.input(rst(cs[0], 1000));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    assertEquals(List.of("0.100000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter("TcpExtTCPChallengeACK"));
  }

  @Test
  void aRstAtExactlyRcvNxtResetsTheConnection() {
    TwoStacks t = new TwoStacks(61);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.a.input(rst(cs[0], 0));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ECONNRESET, cs[0].takeError());
    assertTrue(t.wire.isEmpty());
  }

  @Test
  void underTheRfc793SettingAnInWindowRstResetsTheConnection() {
    TcpSysctls rfc793 = TcpSysctls.defaults().with(Sysctl.TCP_RFC5961, 0);
    TwoStacks t = new TwoStacks(62, rfc793, rfc793);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.a.input(rst(cs[0], 1000));
    assertEquals(TcpState.CLOSE, cs[0].state());
  }

  @Test
  void aSynInAnEstablishedConnectionDrawsAChallengeAck() {
    TwoStacks t = new TwoStacks(63);
    TcpConnection[] cs = DataTransferTest.established(t);
    TcpConnection a = cs[0];
    t.a.input(new Segment(a.remoteAddress(), a.remotePort(), a.localAddress(), a.localPort(),
        a.rcv.rcvNxt() + 5, 0, TcpFlags.SYN, 65535, 0, TcpOptions.NONE, 0, null));
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertEquals(List.of("0.100000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter("TcpExtTCPSYNChallenge"));
    t.runFor(Nanos.millis(10));
  }

  @Test
  void challengeAcksAreRateLimitedPerSocket() {
    TwoStacks t = new TwoStacks(64);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.a.input(rst(cs[0], 1000));
    t.a.input(rst(cs[0], 2000));
    assertEquals(1, t.wire.size());
    assertEquals(1, t.a.counter("TcpExtTCPACKSkippedChallenge"));
    t.runFor(Nanos.millis(500)); // tcp_invalid_ratelimit: 500 ms
    t.a.input(rst(cs[0], 3000));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    assertTrue(t.wire.get(t.wire.size() - 1).startsWith("0.600000 a > ."), t.wire.toString());
  }

  @Test
  void thePerNamespaceChallengeAckLimitSharesOneBudgetPerSecondAcrossSockets() {
    // tcp_challenge_ack_limit = 1: each second's budget is drawn from [1, 1]. Linux 6.x's
    // default is INT_MAX (no per-namespace limit), as this machine's kernel reports.
    TcpSysctls one = TcpSysctls.defaults().with(Sysctl.TCP_CHALLENGE_ACK_LIMIT, 1);
    TwoStacks t = new TwoStacks(64, one, TcpSysctls.defaults());
    TcpConnection[] first = DataTransferTest.established(t);
    TcpConnection second = t.a.socket();
    assertNull(t.a.connect(second, TwoStacks.B_ADDR, 8080));
    t.runFor(Nanos.millis(900) - t.sim.now());
    t.wire.clear();
    t.a.input(rst(first[0], 1000));
    t.a.input(rst(second, 1000)); // another socket, same second: over the host's budget
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPChallengeACK));
    // The next second, and past the per-socket 500 ms (which the refused one also restarted).
    t.runFor(Nanos.millis(600));
    t.a.input(rst(second, 1000));
    assertEquals(2, t.a.counter(TcpMib.TcpExtTCPChallengeACK));
    assertEquals(2, t.wire.size());
    assertEquals(TcpState.ESTABLISHED, first[0].state());
    assertEquals(TcpState.ESTABLISHED, second.state());
  }

  @Test
  void aRstWithAWrongAckInSynSentIsDroppedAndTheSynGoesOutAgainAtOnce() {
    TwoStacks t = new TwoStacks(70);
    t.dropAll("a", s -> true); // b never hears from a: only the script's RST answers
    TcpConnection c = t.listenAndConnect(8080)[0];
    t.runFor(Nanos.millis(100));
    t.wire.clear();
    // A RST|ACK whose ACK is not ISS + 1: unacceptable in SYN-SENT (RFC 9293 §3.10.7.3).
    t.a.input(new Segment(c.remoteAddress(), c.remotePort(), c.localAddress(), c.localPort(), 0,
        c.iss + 100, TcpFlags.RST | TcpFlags.ACK, 0, 0, TcpOptions.NONE, 0, null));
    assertEquals(TcpState.SYN_SENT, c.state());
    t.runFor(Nanos.millis(20));
    // tcp_rcv_synsent_state_process re-arms the SYN timer at TCP_TIMEOUT_MIN (jiffies + 2): on the
    // timer wheel it fires one tick after that expiry, 12 ms after a RST that came on the tick.
    assertEquals(List.of("0.112000 a > S 0:0(0) win 64240 (dropped)"), t.wireWithoutOptions());
    assertNull(c.takeError());
  }

  @Test
  void aRstInClosingClosesTheSocket() {
    TwoStacks t = new TwoStacks(65);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    cs[1].close();
    t.runFor(Nanos.millis(15));
    assertEquals(TcpState.CLOSING, cs[0].state());
    t.a.input(rst(cs[0], 0)); // tcp_reset: CLOSING -> CLOSE, no TIME-WAIT
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertTrue(t.a.timeWaitSockets().isEmpty());
  }

  @Test
  void aRstInLastAckClosesTheSocket() {
    TwoStacks t = new TwoStacks(66);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.millis(50));
    cs[1].close();
    assertEquals(TcpState.LAST_ACK, cs[1].state());
    t.b.input(rst(cs[1], 0));
    assertEquals(TcpState.CLOSE, cs[1].state());
  }

  @Test
  void aRstInFinWait2AfterShutdownReportsEconnresetOnce() {
    TwoStacks t = new TwoStacks(67);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].shutdownWrite();
    t.runFor(Nanos.millis(50));
    assertEquals(TcpState.FIN_WAIT2, cs[0].state());
    t.a.input(rst(cs[0], 0));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ECONNRESET, cs[0].takeError());
    assertNull(cs[0].takeError()); // sk_err is reported once
  }

  @Test
  void aRstToAPendingRequestDropsItQuietly() {
    TwoStacks t = new TwoStacks(68);
    t.drop("a", TwoStacks.flags(TcpFlags.ACK), 1); // the final ACK of the handshake is lost
    TcpConnection[] cl = t.listenAndConnect(8080);
    t.runFor(Nanos.millis(25));
    assertEquals(1, cl[1].listener().synQueueLength());
    t.wire.clear();
    // In window, not necessarily at RCV.NXT: tcp_check_req's embryonic_reset.
    t.b.input(new Segment(TwoStacks.A_ADDR, cl[0].localPort(), TwoStacks.B_ADDR, 8080,
        cl[0].sndNxt + 5, 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0, null));
    assertEquals(0, cl[1].listener().synQueueLength());
    assertNull(t.b.accept(cl[1]));
    assertEquals(1, t.b.counter(TcpMib.TcpExtEmbryonicRsts));
    t.runFor(Nanos.millis(500));
    assertEquals(List.of(), t.wire); // nothing to the client, no SYN-ACK retransmission
  }
  /** A segment from a's peer into a's connection at {@code seq} (RCV.NXT-relative offset). */
  private static Segment into(TcpConnection a, int offset, int flags, int len) {
    return new Segment(a.remoteAddress(), a.remotePort(), a.localAddress(), a.localPort(),
        a.rcv.rcvNxt() + offset, a.sndNxt, flags, 502, 0, TcpOptions.NONE, len, null);
  }

  @Test
  void aRstAtTheRightEdgeOfTheHighestSackBlockResets() {
    TwoStacks t = new TwoStacks(90);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(into(a, 1, TcpFlags.ACK | TcpFlags.PSH, 10)); // [rcv_nxt+1, +11): SACKed
    t.a.input(into(a, 11, TcpFlags.RST | TcpFlags.ACK, 0));
    assertEquals(TcpState.CLOSE, a.state());
    assertEquals(Errno.ECONNRESET, a.pendingError());
    assertEquals(0, t.a.counter(TcpMib.TcpExtTCPChallengeACK));
  }

  @Test
  void aRstNumberedLikeThePeersFinResetsInCloseWait() {
    TwoStacks t = new TwoStacks(91);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(into(a, 0, TcpFlags.FIN | TcpFlags.ACK, 0));
    assertEquals(TcpState.CLOSE_WAIT, a.state());
    t.a.input(into(a, -1, TcpFlags.RST | TcpFlags.ACK, 0)); // before the window: tcp_reset_check
    assertEquals(TcpState.CLOSE, a.state());
    assertEquals(Errno.EPIPE, a.pendingError());
  }
  @Test
  void dataAfterShutdownRdwrResetsAndTheOpenSocketSeesEconnreset() {
    TwoStacks t = new TwoStacks(92);
    TcpConnection a = DataTransferTest.established(t)[0];
    a.shutdownRead();
    a.shutdownWrite();
    t.a.input(into(a, 0, TcpFlags.ACK | TcpFlags.PSH, 10));
    // tcp_rcv_state_process step 7 (RCV_SHUTDOWN): tcp_reset, then a RST from the segment.
    assertEquals(TcpState.CLOSE, a.state());
    assertEquals(Errno.ECONNRESET, a.pendingError());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnData));
  }
}
