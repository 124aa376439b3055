package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.TcpFlags;

/**
 * Sockets the application has closed (orphans, SOCK_DEAD): how long they live and what they send
 * (tcp_close, tcp_rcv_state_process, tcp_keepalive_timer, tcp_write_timeout with
 * tcp_orphan_retries).
 */
class OrphanTest {
  private static TwoStacks withA(long seed, Sysctl s, int v) {
    return new TwoStacks(seed, TcpSysctls.defaults().with(s, v), TcpSysctls.defaults());
  }

  @Test
  void anOrphanedFinWait2LastsTcpFinTimeoutThenVanishesWithoutASegment() {
    TwoStacks t = withA(300, Sysctl.TCP_FIN_TIMEOUT, 10);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close(); // the peer never closes: it stays in CLOSE-WAIT
    t.runFor(Nanos.millis(100));
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    assertEquals(TcpState.FIN_WAIT2, tw.state()); // tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)
    // 10 s from 0.122 s (jiffy 30) is on level 2 (64-jiffy steps): jiffy 2,560 = 10.24 s.
    assertEquals(Nanos.millis(10_240), tw.expiresAtNanos());
    t.sim.runUntil(Nanos.millis(10_240));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(TcpState.CLOSE_WAIT, cs[1].state());
    cs[1].close(); // at 10.24 s: the FIN finds no socket and draws a RST
    t.runFor(Nanos.millis(100));
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.112000 b > . 1:1(0) ack 2 win 510",
        "10.240000 b > F. 1:1(0) ack 2 win 510",
        "10.250000 a > R 2:2(0) win 0"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[1].state());
  }

  @Test
  void aTcpFinTimeoutAboveTimeWaitLenWaitsOnTheKeepaliveTimerThenInATimewaitEntry() {
    // tcp_close arms the keepalive timer for tmo - 60 s; when it fires, tcp_keepalive_timer
    // hands over to a FIN_WAIT2 timewait entry for tmo - 60 s again: 100 s gives 80 s in all.
    TwoStacks t = withA(301, Sysctl.TCP_FIN_TIMEOUT, 100);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.seconds(39));
    assertNull(cs[0].timeWaitSocket());
    assertEquals(TcpState.FIN_WAIT2, cs[0].state());
    t.runFor(Nanos.seconds(2));
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    assertEquals(TcpState.FIN_WAIT2, tw.state());
    long gone = tw.expiresAtNanos();
    assertTrue(gone >= Nanos.seconds(80) && gone < Nanos.seconds(83), Nanos.format(gone));
    t.sim.runUntil(gone);
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(2, t.wire.size()); // FIN and its ACK, nothing else
  }

  @Test
  void anOrphanInFinWait1RetransmitsItsFinUpToTcpOrphanRetriesThenDies() {
    TwoStacks t = new TwoStacks(302);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.dropAll("b", s -> true); // the peer's cable is pulled
    long[] diedAt = {-1};
    t.a.addStateObserver((now, c, from, to, cause) -> {
      if (c == cs[0] && to == TcpState.CLOSE) {
        diedAt[0] = now;
      }
    });
    cs[0].close();
    t.runFor(Nanos.seconds(300));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
    // A tail loss probe, then RTOs doubling from 220 ms; tcp_orphan_retries = 0 means 8, a budget
    // of tcp_model_timeout(8, 200 ms) = 102.2 s from the first retransmission (0.324 s): the RTO
    // firing at 114.688 s finds it spent and the orphan dies there without sending. Each timer
    // fires where the kernel's wheel puts it at HZ=250 (ideally 0.32, 0.54, 0.98 ... 112.74 s):
    // one tick past expiry below 63 jiffies, then on steps of 8, 64 and 512 jiffies.
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.324000 a > F. 1:1(0) ack 1 win 502",
        "0.548000 a > F. 1:1(0) ack 1 win 502",
        "0.992000 a > F. 1:1(0) ack 1 win 502",
        "1.888000 a > F. 1:1(0) ack 1 win 502",
        "3.680000 a > F. 1:1(0) ack 1 win 502",
        "7.424000 a > F. 1:1(0) ack 1 win 502",
        "14.592000 a > F. 1:1(0) ack 1 win 502",
        "28.928000 a > F. 1:1(0) ack 1 win 502",
        "57.344000 a > F. 1:1(0) ack 1 win 502"), t.wireWithoutOptions().stream()
            .filter(w -> w.contains(" a > ")).toList());
    assertEquals(Nanos.millis(114_688), diedAt[0]);
  }

  @Test
  void dataForASocketTheApplicationClosedDrawsARst() {
    TwoStacks t = new TwoStacks(303);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    cs[1].send(null, 0, 100); // crosses the FIN
    t.runFor(Nanos.millis(100));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(TcpState.CLOSE, cs[0].state());
    // tcp_rcv_state_process: new data after close: tcp_v4_send_reset answers at once with a RST
    // formed from the data segment (seq = its ACK, 1: it crossed our FIN); the peer's ACK of our
    // FIN then finds no socket and draws a bare RST.
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.100000 b > P. 1:101(100) ack 1 win 510",
        "0.110000 a > R 1:1(0) win 0",
        "0.112000 b > . 101:101(0) ack 2 win 510",
        "0.122000 a > R 2:2(0) win 0"), t.wireWithoutOptions());
  }

  @Test
  void aSmallerTcpOrphanRetriesEndsAnOrphanSooner() {
    // tcp_orphan_retries = 3: a budget of tcp_model_timeout(3, 200 ms) = 3 s from the first
    // retransmission (0.324 s); the RTO firing at 3.68 s (on the wheel's 8-jiffy step) finds it
    // spent.
    TwoStacks t = withA(304, Sysctl.TCP_ORPHAN_RETRIES, 3);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.dropAll("b", s -> true);
    long[] diedAt = {-1};
    t.a.addStateObserver((now, c, from, to, cause) -> {
      if (c == cs[0] && to == TcpState.CLOSE) {
        diedAt[0] = now;
      }
    });
    cs[0].close();
    t.runFor(Nanos.seconds(10));
    assertEquals(Nanos.millis(3_680), diedAt[0]);
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
    assertEquals(5, t.wire.stream().filter(w -> w.contains(" a > F.")).count());
  }

  @Test
  void anOrphanInLastAckRetransmitsItsFinThenDies() {
    TwoStacks t = new TwoStacks(305);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(50));
    t.dropAll("b", s -> true); // the peer's ACKs of our FIN never come
    cs[0].close();
    assertEquals(TcpState.LAST_ACK, cs[0].state());
    t.runFor(Nanos.seconds(300));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }
}
