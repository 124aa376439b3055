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
}
