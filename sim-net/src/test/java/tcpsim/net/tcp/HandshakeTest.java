package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

class HandshakeTest {
  @Test
  void activeOpenLaysOutOptionsAsLinuxAndEstablishesInOneRoundTrip() {
    TwoStacks t = new TwoStacks(1);
    TcpConnection[] cl = t.listenAndConnect(8080);
    assertEquals(TcpState.SYN_SENT, cl[0].state());
    t.runFor(Nanos.millis(100));
    t.assertWire(
        "0.000000 a > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>",
        "0.010000 b > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>",
        "0.020000 a > . 1:1(0) ack 1 win 502 <nop,nop,TS val 20 ecr 0>");
    assertEquals(TcpState.ESTABLISHED, cl[0].state());
    TcpConnection child = t.b.accept(cl[1]);
    assertNotNull(child);
    assertEquals(TcpState.ESTABLISHED, child.state());
    assertEquals(1448, cl[0].info().sndMss());
    assertEquals(20_000, cl[0].info().rttMicros());
  }

  @Test
  void synToAPortWithNoListenerGetsRstAndConnectionRefused() {
    TwoStacks t = new TwoStacks(2);
    TcpConnection c = t.a.socket();
    assertNull(t.a.connect(c, B_ADDR, 9));
    t.runFor(Nanos.millis(100));
    t.assertWire(
        "0.000000 a > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>",
        "0.010000 b > R. 0:0(0) ack 1 win 0");
    assertEquals(TcpState.CLOSE, c.state());
    assertEquals(Errno.ECONNREFUSED, c.takeError());
  }

  @Test
  void tcpUserTimeoutEndsAConnectWhenItRunsOutNotAtTheNextSynTimer() {
    // tcp_retransmit_timer re-arms with tcp_clamp_rto_to_user_timeout in SYN_SENT too; measured on
    // 6.18 with a 2.5 s user timeout: SYNs at 0, 1.03 and 2.05 s, ETIMEDOUT at 2.53 s (the
    // clamped timer's expiry, 2.5 s, rounded up to the timer wheel's 8-jiffy step).
    TwoStacks t = new TwoStacks(5);
    TcpConnection c = connectWithEverySynLost(t, 2500);
    assertTimesOutBetween(t, c, Nanos.millis(2500), Nanos.millis(2540));
    assertEquals(3, t.wire.size());
  }

  /** a connects to b with every segment a sends lost; TCP_USER_TIMEOUT set first unless 0. */
  private static TcpConnection connectWithEverySynLost(TwoStacks t, int userTimeoutMs) {
    t.dropAll("a", s -> true);
    TcpConnection c = t.a.socket();
    if (userTimeoutMs > 0) {
      c.setUserTimeoutMs(userTimeoutMs);
    }
    assertNull(t.a.connect(c, B_ADDR, 80));
    return c;
  }

  /** The connect is still under way at {@code stillTrying} and failed with ETIMEDOUT by {@code over}. */
  private static void assertTimesOutBetween(TwoStacks t, TcpConnection c, long stillTrying, long over) {
    t.runFor(stillTrying);
    assertEquals(TcpState.SYN_SENT, c.state());
    t.runFor(over - stillTrying);
    assertEquals(TcpState.CLOSE, c.state());
    assertEquals(Errno.ETIMEDOUT, c.takeError());
  }

  @Test
  void synRetriesAreLinearForFourThenDoubleAndConnectTimesOutAt135s() {
    TwoStacks t = new TwoStacks(3);
    TcpConnection c = connectWithEverySynLost(t, 0);
    assertTimesOutBetween(t, c, Nanos.seconds(135), Nanos.seconds(136));
    StringBuilder times = new StringBuilder();
    for (String w : t.wire) {
      times.append(w, 0, w.indexOf('.')).append(' ');
    }
    // 11 SYNs: 1 s apart for the first five timeouts (total_rto <= tcp_syn_linear_timeouts), then
    // doubling; the 11th timeout (64 s after the last SYN) gives up. The ideal schedule is 0, 1,
    // 2, 3, 4, 5, 7, 11, 19, 35, 67 s and ETIMEDOUT at 131 s; the timer wheel at HZ=250 puts
    // each timeout on its level's step (1.024 s for the first, 8 jiffies; 64 s on 512 jiffies),
    // so the 11th SYN goes at 69.632 s and connect fails at 135.168 s (a 6.18 kernel: 134.3 s).
    assertEquals("0 1 2 3 4 5 7 11 19 35 69 ", times.toString());
  }

  @Test
  void synAckIsRetransmittedPerTcpSynackRetriesThenTheRequestIsDropped() {
    TwoStacks t = new TwoStacks(4);
    TcpConnection[] cl = t.listenAndConnect(8080);
    t.dropAll("b", TwoStacks.flags(TcpFlags.SYN | TcpFlags.ACK));
    t.drop("a", s -> true, 0);
    t.runFor(Nanos.millis(5));
    t.dropAll("a", s -> true); // the client goes silent after its first SYN
    t.runFor(Nanos.seconds(70));
    StringBuilder times = new StringBuilder();
    for (String w : t.wire) {
      if (w.contains(" b > S.")) {
        times.append(w, 0, w.indexOf(' ')).append(' ');
      }
    }
    // 1, 2, 4, 8, 16 s apart, each on the timer wheel's step at HZ=250 (8 jiffies below 2 s,
    // 64 jiffies up to 16 s): a 6.18 kernel sent them at 1.02, 3.04, 7.07, 15.26, 31.39 s.
    assertEquals("0.010000 1.024000 3.040000 7.168000 15.360000 31.488000 ", times.toString());
    assertEquals(0, cl[1].listener().synQueueLength());
    assertEquals(1, t.b.counter("TcpExtTCPSynAckTimeouts"));
  }

  @Test
  void simultaneousOpenPassesThroughSynRecvToEstablishedOnBothSides() {
    TwoStacks t = new TwoStacks(5);
    TcpConnection x = t.a.socket();
    TcpConnection y = t.b.socket();
    assertNull(t.a.bind(x, 4000));
    assertNull(t.b.bind(y, 5000));
    assertNull(t.a.connect(x, B_ADDR, 5000));
    assertNull(t.b.connect(y, TwoStacks.A_ADDR, 4000));
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.ESTABLISHED, x.state());
    assertEquals(TcpState.ESTABLISHED, y.state());
    t.assertWire(
        "0.000000 a > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>",
        "0.000000 b > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 7>",
        "0.010000 b > S. 0:0(0) ack 1 win 64240 <mss 1460,sackOK,TS val 10 ecr 0,nop,wscale 7>",
        "0.010000 a > S. 0:0(0) ack 1 win 64240 <mss 1460,sackOK,TS val 10 ecr 0,nop,wscale 7>",
        "0.020000 a > . 1:1(0) ack 1 win 502 <nop,nop,TS val 20 ecr 10>",
        "0.020000 b > . 1:1(0) ack 1 win 502 <nop,nop,TS val 20 ecr 10>");
  }

  /** A SYN-ACK from b's 4-tuple for {@code c}'s SYN, echoing {@code tsEcr} (on c's clock). */
  private static Segment synAckEchoing(TcpConnection c, int tsEcr) {
    TcpOptions ts = TcpOptions.builder().mss(1460).sackPermitted().timestamp(700, tsEcr).build();
    return new Segment(c.remoteAddress(), c.remotePort(), c.localAddress(), c.localPort(),
        5000, c.iss + 1, TcpFlags.SYN | TcpFlags.ACK, 65535, 0, ts, 0, null);
  }

  @Test
  void synAckEchoingATimestampNoSynOfOursCarriedIsResetAndTheConnectGoesOn() {
    // tcp_rcv_synsent_state_process: a TS ecr outside [first SYN, now] on our clock answers an
    // older connection of the 4-tuple (PAWSActive): a RST from its ACK, and SYN-SENT goes on.
    TwoStacks t = new TwoStacks(6);
    t.dropAll("a", s -> true); // b never sees a; the test answers for it
    TcpConnection c = t.a.socket();
    assertNull(t.a.connect(c, B_ADDR, 80));
    t.runFor(Nanos.millis(50));
    int synTs = c.tsOffset; // the SYN left at time 0
    t.a.input(synAckEchoing(c, synTs - 1));
    t.a.input(synAckEchoing(c, synTs + 51)); // a value from the future
    assertEquals(TcpState.SYN_SENT, c.state());
    assertEquals(2, t.a.counter(TcpMib.TcpExtPAWSActive));
    t.a.input(synAckEchoing(c, synTs + 50));
    assertEquals(TcpState.ESTABLISHED, c.state());
    assertEquals(List.of(
        "0.000000 a > S 0:0(0) win 64240 (dropped)",
        "0.050000 a > R 1:1(0) win 0 (dropped)",
        "0.050000 a > R 1:1(0) win 0 (dropped)",
        "0.050000 a > . 1:1(0) ack 5001 win 64240 (dropped)"), t.wireWithoutOptions());
  }

  @Test
  void bytesAckedCountsTheActiveOpenersSynAndEachFin() {
    TwoStacks t = new TwoStacks(97);
    TcpConnection[] cs = DataTransferTest.established(t);
    // tcp_snd_una_update in the SYN-ACK's tcp_ack; the passive child starts past its SYN.
    assertEquals(1, cs[0].bytesAcked);
    assertEquals(0, cs[1].bytesAcked);
    cs[0].close();
    cs[1].close();
    t.runFor(tcpsim.core.time.Nanos.millis(100));
    assertEquals(2, cs[0].bytesAcked);
    assertEquals(1, cs[1].bytesAcked);
  }
}
