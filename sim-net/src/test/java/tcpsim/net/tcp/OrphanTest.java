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
    // of tcp_model_timeout(8, 200 ms) = 102.2 s from the first RTO's retransmission (0.548 s): the
    // RTO firing at 114.688 s on the timer wheel's step (112.74 s with exact timers) finds it
    // spent and the orphan dies there without sending.
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
  void dataThatAlsoAcknowledgesTheOrphansFinDrawsARstInsteadOfFinWait2() {
    TwoStacks t = new TwoStacks(304);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.millis(10)); // b has the FIN (its ACK waits for the next tick): the data acks it
    cs[1].send(null, 0, 100);
    t.runFor(Nanos.millis(100));
    // tcp_rcv_state_process, TCP_FIN_WAIT1 ("Receive out of order FIN after close()"): tcp_done
    // before the light FIN-WAIT-2 entry, and a RST formed from the segment (seq = its ACK, 2).
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertNull(cs[0].timeWaitSocket());
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.110000 b > P. 1:101(100) ack 2 win 510",
        "0.120000 a > R 2:2(0) win 0"), t.wireWithoutOptions().subList(0, 3));
  }

  @Test
  void aSmallerTcpOrphanRetriesEndsAnOrphanSooner() {
    // tcp_orphan_retries = 3: a budget of tcp_model_timeout(3, 200 ms) = 3 s from the first
    // RTO's retransmission (0.548 s); the RTO firing at 3.68 s (on the wheel's 8-jiffy step)
    // finds it spent.
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
  /**
   * a connects to b, whose SO_RCVBUF (2304 bytes, as set) gives a window of 1152 bytes, less than
   * one MSS; returns [a's socket, b's accepted socket] at 0.1 s.
   */
  private static TcpConnection[] establishedIntoASmallWindow(TwoStacks t) {
    TcpConnection l = t.b.socket();
    l.setReceiveBufferBytes(2304);
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 16));
    TcpConnection c = t.a.socket();
    assertNull(t.a.connect(c, t.b.address(), 8080));
    t.runFor(Nanos.millis(100));
    TcpConnection s = t.b.accept(l);
    t.wire.clear();
    return new TcpConnection[] {c, s};
  }

  private static long[] whenClosed(TwoStacks t, TcpConnection c) {
    long[] diedAt = {-1};
    t.a.addStateObserver((now, x, from, to, cause) -> {
      if (x == c && to == TcpState.CLOSE) {
        diedAt[0] = now;
      }
    });
    return diedAt;
  }

  @Test
  void anOrphanRetransmitsDataItSentIntoANearlyClosedWindowThenGivesUp() {
    // The fuzzer's fin-wait1-without-timer: a segment no bigger than the window's 1152 bytes goes
    // out only as a window probe (tcp_write_wakeup sends what fits); sending it armed the RTO
    // (tcp_event_new_data_sent -> tcp_rearm_rto) and the persist state ends (tcp_send_probe0). It
    // is lost; the orphan retransmits it on the RTO's backoff and gives up after
    // tcp_orphan_retries (0 means 8: tcp_model_timeout(8, 200 ms) = 102.2 s from 0.548 s).
    TwoStacks t = new TwoStacks(306);
    TcpConnection[] cs = establishedIntoASmallWindow(t);
    assertEquals(5000, cs[0].send(null, 0, 5000)); // 1448 bytes do not fit 1152: nothing goes
    t.runFor(Nanos.millis(100));
    t.dropAll("b", s -> true); // b's answers are lost from now on
    cs[0].close(); // FIN_WAIT1 with 5000 bytes and the FIN owed
    assertEquals(TcpState.FIN_WAIT1, cs[0].state());
    long[] diedAt = whenClosed(t, cs[0]);
    t.runFor(Nanos.seconds(300));
    // The probe timer armed at 0.1 s (tcp_probe0_base: the RTO, 220 ms) sends 1152 bytes.
    assertEquals(List.of(
        "0.324000 a > . 1:1153(1152) ack 1 win 502",
        "0.548000 a > . 1:1153(1152) ack 1 win 502",
        "0.992000 a > . 1:1153(1152) ack 1 win 502",
        "1.888000 a > . 1:1153(1152) ack 1 win 502",
        "3.680000 a > . 1:1153(1152) ack 1 win 502",
        "7.424000 a > . 1:1153(1152) ack 1 win 502",
        "14.592000 a > . 1:1153(1152) ack 1 win 502",
        "28.928000 a > . 1:1153(1152) ack 1 win 502",
        "57.344000 a > . 1:1153(1152) ack 1 win 502"), t.wireWithoutOptions().stream()
            .filter(w -> w.contains(" a > ")).toList());
    assertEquals(Nanos.millis(114_688), diedAt[0]); // 112.74 s ideally; on the wheel's step
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }

  /**
   * b stops reading with a's 1152 bytes unread (window 0) and half-closes; at 0.2 s a, in
   * CLOSE_WAIT, writes 5000 more bytes and closes: LAST_ACK with data and FIN behind the window.
   */
  private static TcpConnection[] lastAckOwingAZeroWindow(TwoStacks t) {
    TcpConnection[] cs = establishedIntoASmallWindow(t);
    assertEquals(1152, cs[0].send(null, 0, 1152));
    cs[1].shutdownWrite();
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    assertEquals(0, cs[0].sndWnd);
    t.wire.clear();
    cs[0].send(null, 0, 5000);
    cs[0].close();
    assertEquals(TcpState.LAST_ACK, cs[0].state());
    return cs;
  }

  @Test
  void anOrphanInLastAckFacingASilentZeroWindowProbesItThenGivesUp() {
    // The fuzzer's last-ack-without-timer. Data and FIN wait behind the zero window; with nothing
    // in flight the persist timer runs (tcp_check_probe_timer) in LAST_ACK as in any state. An
    // orphan's probes are limited by tcp_orphan_retries (0 means 8: tcp_probe_timer,
    // tcp_orphan_retries): the ninth expiry ends it, sending nothing (tcp_write_err).
    TwoStacks t = new TwoStacks(307);
    TcpConnection[] cs = lastAckOwingAZeroWindow(t);
    t.dropAll("b", s -> true);
    long[] diedAt = whenClosed(t, cs[0]);
    t.runFor(Nanos.seconds(300));
    // Probes (SND.UNA - 1, no data) from 0.2 s + 220 ms (tcp_probe0_base), the gaps doubling.
    assertEquals(List.of(
        "0.424000 a > . 1152:1152(0) ack 2 win 502",
        "0.896000 a > . 1152:1152(0) ack 2 win 502",
        "1.792000 a > . 1152:1152(0) ack 2 win 502",
        "3.584000 a > . 1152:1152(0) ack 2 win 502",
        "7.168000 a > . 1152:1152(0) ack 2 win 502",
        "14.336000 a > . 1152:1152(0) ack 2 win 502",
        "28.672000 a > . 1152:1152(0) ack 2 win 502",
        "57.344000 a > . 1152:1152(0) ack 2 win 502"), t.wireWithoutOptions().stream()
            .filter(w -> w.contains(" a > ")).toList());
    assertEquals(Nanos.millis(114_688), diedAt[0]); // 112.62 s ideally; on the wheel's step
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }

  @Test
  void anOrphanFacingAZeroWindowPeerThatAnswersGivesUpOnceItsBackoffReachesTcpRtoMax() {
    // Every answer resets the unanswered-probe count (tcp_ack: icsk_probes_out = 0), but not the
    // backoff. tcp_probe_timer calls an orphan dead once RTO << backoff reaches TCP_RTO_MAX
    // (tcp_orphan_retries(sk, alive = false) is then tcp_orphan_retries itself, 0): after the
    // tenth probe (backoff 10: 220 ms << 10 > 120 s) the next expiry ends it.
    TwoStacks t = new TwoStacks(307);
    TcpConnection[] cs = lastAckOwingAZeroWindow(t);
    long[] diedAt = whenClosed(t, cs[0]);
    t.runFor(Nanos.seconds(400));
    assertEquals(10, t.wire.stream().filter(w -> w.contains(" a > . 1152:1152(0)")).count());
    // Each gap is the backed-off timeout from the answer (tcp_ack_probe restarts the timer), on
    // the timer wheel's step: the tenth probe at 229.376 s (225.44 s with exact timers), answered
    // 10 ms later, then 120 s (TCP_RTO_MAX) rounded up to the wheel's 2.048 s step.
    assertTrue(t.wire.stream().anyMatch(w -> w.startsWith("229.376000 a > . 1152:1152(0)")));
    assertEquals(Nanos.millis(350_208), diedAt[0]);
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }
}
