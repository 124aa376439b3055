package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

class FailureDetectionTest {
  @Test
  void keepaliveProbesASilentPeerThenResetsWithEtimedout() {
    TwoStacks t = new TwoStacks(50);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setKeepIdleSeconds(10);
    cs[0].setKeepIntvlSeconds(5);
    cs[0].setKeepCount(3);
    cs[0].setKeepAlive(true);
    t.dropAll("b", s -> true); // the cable is pulled on the peer's side
    t.runFor(Nanos.seconds(24));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    t.runFor(Nanos.seconds(2));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ETIMEDOUT, cs[0].takeError());
    // Probes carry SND.UNA - 1 and no data (tcp_write_wakeup); after TCP_KEEPCNT of them the
    // next firing resets the connection (tcp_keepalive_timer). Each timer lands on the timer
    // wheel's step at HZ=250 (10 s and 5 s are on level 2: 64 jiffies = 256 ms), so the probes
    // go out at 10.24, 15.36, 20.48 s rather than 10.1, 15.1, 20.1 s.
    assertEquals(List.of(
        "10.240000 a > . 0:0(0) ack 1 win 502",
        "15.360000 a > . 0:0(0) ack 1 win 502",
        "20.480000 a > . 0:0(0) ack 1 win 502",
        "25.600000 a > R. 1:1(0) ack 1 win 502"), t.wireWithoutOptions().stream()
            .filter(w -> w.contains(" a > ")).toList());
    // The peer answers every probe (an old sequence number draws an ACK), but its answers are lost.
    assertEquals(3, t.wire.stream().filter(w -> w.contains(" b > ") && w.endsWith("(dropped)"))
        .count());
  }

  @Test
  void withoutKeepaliveAnIdleConnectionToAVanishedPeerStaysEstablishedForever() {
    TwoStacks t = new TwoStacks(51);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.dropAll("b", s -> true);
    t.runFor(Nanos.seconds(10 * 3600));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    assertTrue(t.wire.isEmpty());
  }

  @Test
  void tcpUserTimeoutEndsRetransmissionsFiveSecondsAfterTheFirstOne() {
    TwoStacks t = new TwoStacks(52);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setUserTimeoutMs(5000);
    t.dropAll("a", s -> true);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.seconds(5) + Nanos.millis(400));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ETIMEDOUT, cs[0].takeError());
    // Sent at 0.1, probe at 0.324, RTOs from 0.548 doubling. The budget starts at the first RTO's
    // retransmission (retrans_stamp, read by tcp_retransmit_skb after resending), not at the
    // probe, so the last RTO is clamped to 0.548 + 5 = 5.548 s (tcp_clamp_rto_to_user_timeout) and
    // gives up. Each timer fires where the kernel's wheel puts it at HZ=250: the 220 ms (55-jiffy)
    // timers one tick past their expiry, the doubled ones on the 8-jiffy step of level 1.
    assertEquals("[0.100000, 0.324000, 0.548000, 0.992000, 1.888000, 3.680000]",
        t.wire.stream().map(w -> w.substring(0, w.indexOf(' '))).toList().toString());
  }

  @Test
  void tcpUserTimeoutEndsZeroWindowProbingWhenItRunsOutNotAtTheNextBackedOffProbe() {
    TwoStacks t = new TwoStacks(53);
    TcpConnection[] cs = DataTransferTest.established(t);
    TcpConnection a = cs[0];
    a.setUserTimeoutMs(1000);
    // b closes its window; a's probes then go unanswered.
    t.a.input(new Segment(a.remoteAddress(), a.remotePort(), a.localAddress(), a.localPort(),
        a.rcv.rcvNxt(), a.sndUna, TcpFlags.ACK, 0, 0, TcpOptions.NONE, 0, null));
    t.dropAll("a", s -> true);
    a.send(null, 0, 10);
    t.runFor(Nanos.millis(1200));
    assertEquals(TcpState.ESTABLISHED, a.state());
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE, a.state());
    assertEquals(Errno.ETIMEDOUT, a.takeError());
    // Probes at 0.324 (the first probe timer: icsk_probes_tstamp) and 0.768, each on the timer
    // wheel's step; the next would be due 0.88 s later, but tcp_clamp_probe0_to_user_timeout arms
    // it for 0.324 + 1 s, and that timer gives up (tcp_probe_timer). Measured on 6.18: ETIMEDOUT
    // 1.02 s after the first probe.
    assertEquals("[0.324000, 0.768000]",
        t.wire.stream().map(w -> w.substring(0, w.indexOf(' '))).toList().toString());
  }

  @Test
  void soLingerZeroMakesCloseSendRstAndSkipTimeWait() {
    TwoStacks t = new TwoStacks(53);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setLinger(true, 0);
    cs[0].close();
    assertEquals(TcpState.CLOSE, cs[0].state());
    t.runFor(Nanos.millis(50));
    assertEquals(List.of("0.100000 a > R. 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[1].state());
    assertEquals(Errno.ECONNRESET, cs[1].takeError());
  }

  @Test
  void timeWaitAcksARetransmittedFinAgainAndRestartsItsTimer() {
    TwoStacks t = new TwoStacks(54);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.millis(50));
    t.drop("a", TwoStacks.flags(tcpsim.net.wire.TcpFlags.ACK), 1); // the last ACK is lost
    cs[1].close();
    t.runFor(Nanos.seconds(2));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(TcpState.CLOSE, cs[1].state());
    List<String> w = t.wireWithoutOptions();
    assertEquals("0.160000 a > . 2:2(0) ack 2 win 502 (dropped)", w.get(3));
    assertTrue(w.get(5).endsWith("a > . 2:2(0) ack 2 win 502"), w.toString());
    long refinAt = Nanos.seconds(Long.parseLong(w.get(4).substring(0, 1)))
        + Nanos.micros(Long.parseLong(w.get(4).substring(2, 8)));
    // The timer restarted at the retransmitted FIN's arrival: TIME-WAIT lasts 60 s from there,
    // plus the timer wheel's slack (under one 2.048 s step at HZ=250).
    long arrival = refinAt + Nanos.millis(10);
    long expires = cs[0].timeWaitSocket().expiresAtNanos();
    assertEquals(arrival + TcpTimeouts.timerWheelDelayNanos(arrival, Nanos.seconds(60), 250),
        expires);
    assertTrue(expires >= arrival + Nanos.seconds(60)
        && expires < arrival + Nanos.seconds(60) + Nanos.millis(2048), Nanos.format(expires));
    t.sim.runUntil(expires - 1);
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    t.sim.runUntil(expires);
    assertEquals(TcpState.CLOSE, cs[0].state());
  }

  @Test
  void aRebootedPeerAnswersTheNextSegmentWithRstAndTheConnectionIsReset() {
    TwoStacks t = new TwoStacks(55);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.b.reboot(); // all of b's TCP state is gone, silently
    assertTrue(t.b.sockets().isEmpty());
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(50));
    assertEquals(List.of(
        "0.100000 a > P. 1:101(100) ack 1 win 502",
        "0.110000 b > R 1:1(0) win 0"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ECONNRESET, cs[0].takeError());
  }
}
