package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.observe.SocketRow;
import tcpsim.net.observe.SsTable;

/**
 * The timer a full socket shows in {@code ss -tano}: what inet_sk_diag_fill reports as
 * idiag_timer, idiag_expires (from the current jiffy to the kernel's expiry, before the timer
 * wheel's rounding) and idiag_retrans, printed as ss prints it. Two stacks at HZ=250, 10 ms apart.
 */
class DiagTimerTest {

  @Test
  void unacknowledgedDataShowsTheRetransmitTimerAndItsRetransmissionCount() {
    TwoStacks t = new TwoStacks(601);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.dropAll("a", s -> true); // the peer never hears from us again
    cs[0].send(null, 0, 100);
    // At 0.1 s: the loss probe armed for min(2 SRTT + 200 ms, RTO) = 220 ms.
    assertEquals("timer:(on,220ms,0)", timerOf(t.a, cs[0]));
    // The probe fired at 0.324 s (not a retransmission), the RTO at 0.548 s (icsk_retransmits
    // 1), re-armed for 440 ms: expiry at 0.548 + 0.44 = 0.988 s, not the wheel's 0.992 s.
    t.sim.runUntil(Nanos.millis(600));
    assertEquals("timer:(on,388ms,1)", timerOf(t.a, cs[0]));
    // Mid-jiffy (601.5 ms, jiffy 150 began at 600 ms) the count is still from the jiffy.
    t.sim.runUntil(Nanos.micros(601_500));
    assertEquals("timer:(on,388ms,1)", timerOf(t.a, cs[0]));
  }

  @Test
  void anIdleKeepaliveSocketShowsItsKeepaliveTimer() {
    TwoStacks t = new TwoStacks(602);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setKeepAlive(true); // tcp_keepalive_time 7200 s from now
    assertEquals("timer:(keepalive,120min,0)", timerOf(t.a, cs[0]));
    t.runFor(Nanos.millis(10));
    assertEquals("timer:(keepalive,119min,0)", timerOf(t.a, cs[0]));
    assertEquals("", timerOf(t.b, cs[1])); // no keepalive, nothing in flight: no timer
  }

  @Test
  void aKeepaliveSocketProbingASilentPeerCountsItsProbes() {
    TcpSysctls s = TcpSysctls.defaults().with(Sysctl.TCP_KEEPALIVE_TIME, 10)
        .with(Sysctl.TCP_KEEPALIVE_INTVL, 5);
    TwoStacks t = new TwoStacks(603, s, s);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setKeepAlive(true);
    t.dropAll("b", seg -> true);
    // Probes at 10.1 s (on the wheel: 10.24 s) and 5 s later (15.36 s); at 16 s two are out and
    // the next is due 5 s after the second: 20.36 s.
    t.sim.runUntil(Nanos.seconds(16));
    assertEquals("timer:(keepalive,4.360ms,2)", timerOf(t.a, cs[0]));
  }

  @Test
  void aClosedPeerWindowShowsThePersistTimerAndItsProbeCount() {
    TwoStacks t = new TwoStacks(18);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].setFlag(TcpConnection.SND_BUF_LOCKED, true);
    cs[0].sndBuf = 8 << 20;
    cs[0].send(null, 0, 200_000); // the peer never reads: its window closes
    t.sim.runUntil(Nanos.millis(600));
    t.dropAll("b", s -> true); // and then it falls silent: no ACK resets the probe count
    // The first zero-window probe went at 0.752 s and the next is armed for 464 ms (2 RTO):
    // expiry 1.216 s, one probe out.
    t.sim.runUntil(Nanos.seconds(1));
    assertEquals("timer:(persist,216ms,1)", timerOf(t.a, cs[0]));
  }

  @Test
  void timeWaitCountsDownFromTheKernelsExpiryNotTheWheelsFiring() {
    TwoStacks t = new TwoStacks(604);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.millis(50));
    cs[1].close();
    t.runFor(Nanos.millis(50));
    // TIME-WAIT from 0.16 s: expiry 60.16 s, so 59.16 s left at 1 s, which ss prints as 59sec;
    // the entry goes at 61.44 s on the wheel's step, which would read 1min.
    t.sim.runUntil(Nanos.seconds(1));
    List<SocketRow> rows = SocketRow.of(t.a);
    SocketRow tw = rows.get(rows.size() - 1);
    assertEquals(Nanos.millis(59_160), tw.timerRemainingNanos());
    assertEquals("timer:(timewait,59sec,0)", SsTable.timer(tw));
  }

  private static String timerOf(TcpStack stack, TcpConnection c) {
    for (SocketRow r : SocketRow.of(stack)) {
      if (r.localPort() == c.localPort() && r.peerPort() == c.remotePort()) {
        return SsTable.timer(r);
      }
    }
    throw new AssertionError("no row for " + c);
  }
}
