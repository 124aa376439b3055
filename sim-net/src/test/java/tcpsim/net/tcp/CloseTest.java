package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.TcpFlags;

class CloseTest {
  @Test
  void activeCloseGoesThroughFinWait2ToTimeWaitForSixtySecondsWhileThePeerPassesLastAck() {
    TwoStacks t = new TwoStacks(20);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close(false);
    assertEquals(TcpState.FIN_WAIT1, cs[0].state());
    t.runFor(Nanos.millis(50));
    // The orphan's FIN-WAIT-2 waits in a light entry (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)); the
    // socket itself is done (tcp_done: CLOSE).
    assertEquals(TcpState.FIN_WAIT2, cs[0].timeWaitSocket().state());
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(TcpState.CLOSE_WAIT, cs[1].state());
    assertTrue(cs[1].atEof());
    cs[1].close(false);
    assertEquals(TcpState.LAST_ACK, cs[1].state());
    t.runFor(Nanos.millis(50));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(TcpState.CLOSE, cs[1].state());
    // The FIN of a connection that carried no data is ACKed at the next tick (ato is still 0):
    // it arrives at 0.11 s, mid-jiffy 27, and the timer armed for jiffies + 0 fires at jiffy 28.
    // A 6.18 kernel (HZ=250) between two network namespaces ACKed such a FIN 2.2 ms after it.
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.112000 b > . 1:1(0) ack 2 win 510",
        "0.150000 b > F. 1:1(0) ack 2 win 510",
        "0.160000 a > . 2:2(0) ack 2 win 502"), t.wireWithoutOptions());
    // TIME-WAIT began at 0.16 s (jiffy 40 at HZ=250); 60 s later is jiffy 15,040, on the timer
    // wheel's level 3 (512-jiffy steps), so the entry dies at jiffy 15,360: 61.44 s.
    assertEquals(Nanos.millis(61_440), cs[0].timeWaitSocket().expiresAtNanos());
    t.sim.runUntil(Nanos.millis(61_440) - 1);
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    t.sim.runUntil(Nanos.millis(61_440));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertTrue(t.a.timeWaitSockets().isEmpty());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTW));
  }

  @Test
  void theAckOfAFinAfterDataWaitsForTheDelayedAckTimerInPingpongMode() {
    // tcp_fin enters pingpong mode, so the ACK waits for ato (40 ms); a 6.18 kernel between two
    // network namespaces ACKed such a FIN 43.6 ms after it (40 ms on a 4 ms timer tick). Here it
    // arrives at 0.21 s, mid-jiffy 52: jiffies + 10 is 62, fired a tick later, at 0.252 s.
    TwoStacks t = new TwoStacks(21);
    TcpConnection[] cs = DataTransferTest.established(t);
    DataTransferTest.drainOnReadable(t, cs[1], null);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(100));
    t.wire.clear();
    cs[0].close(false);
    t.runFor(Nanos.millis(100));
    assertEquals(List.of(
        "0.200000 a > F. 101:101(0) ack 1 win 502",
        "0.252000 b > . 1:1(0) ack 102 win 509"), t.wireWithoutOptions());
  }

  @Test
  void aBareFinAfterThePeersDataLeavesQuickAcksOnForItsNextData() {
    // Only a segment carrying data makes a reply "interactive" (tcp_event_data_sent); b's FIN
    // right after a's data is none, so a's next data, in b's FIN-WAIT-2, is ACKed at once.
    TwoStacks t = new TwoStacks(24);
    TcpConnection[] cs = DataTransferTest.established(t);
    DataTransferTest.drainOnReadable(t, cs[1], null);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(30));
    cs[1].shutdownWrite();
    t.runFor(Nanos.millis(30));
    cs[0].send(null, 0, 10);
    t.runFor(Nanos.millis(30));
    assertEquals(List.of(
        "0.100000 a > P. 1:101(100) ack 1 win 502",
        "0.110000 b > . 1:1(0) ack 101 win 509",
        "0.130000 b > F. 1:1(0) ack 101 win 509",
        "0.144000 a > . 101:101(0) ack 2 win 502", // a has no data yet: the next tick
        "0.160000 a > P. 101:111(10) ack 2 win 502",
        "0.170000 b > . 2:2(0) ack 111 win 509"), t.wireWithoutOptions());
  }

  @Test
  void simultaneousCloseGoesThroughClosingToTimeWaitOnBothSides() {
    TwoStacks t = new TwoStacks(22);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close(false);
    cs[1].close(false);
    t.runFor(Nanos.millis(15));
    assertEquals(TcpState.CLOSING, cs[0].state());
    assertEquals(TcpState.CLOSING, cs[1].state());
    t.runFor(Nanos.millis(20));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(TcpState.TIME_WAIT, cs[1].timeWaitSocket().state());
  }

  @Test
  void aLostFinIsRetransmittedAndTheCloseCompletes() {
    TwoStacks t = new TwoStacks(23);
    TcpConnection[] cs = DataTransferTest.established(t);
    DataTransferTest.drainOnReadable(t, cs[1], null);
    t.drop("a", TwoStacks.flags(TcpFlags.FIN | TcpFlags.ACK), 1);
    cs[0].send(null, 0, 100);
    cs[0].close(false);
    t.runFor(Nanos.seconds(3));
    List<String> w = t.wireWithoutOptions();
    // The data went at once (nothing in flight), so the FIN follows in its own segment; lost, it
    // is resent by the tail loss probe, whose timeout (2 SRTT + 200 ms) the RTO caps at 220 ms
    // (55 jiffies) after the data's ACK, fired a tick past its expiry. The peer ACKs the FIN
    // after its 40 ms delayed-ACK timeout, armed mid-jiffy 88: at jiffy 99.
    assertEquals(List.of(
        "0.100000 a > P. 1:101(100) ack 1 win 502",
        "0.100000 a > F. 101:101(0) ack 1 win 502 (dropped)",
        "0.110000 b > . 1:1(0) ack 101 win 509",
        "0.344000 a > F. 101:101(0) ack 1 win 502",
        "0.396000 b > . 1:1(0) ack 102 win 509"), w);
    assertEquals(1, t.a.counter("TcpExtTCPLossProbes"));
    assertEquals(TcpState.FIN_WAIT2, cs[0].timeWaitSocket().state());
    assertEquals(TcpState.CLOSE_WAIT, cs[1].state());
  }

  @Test
  void closeWithUnreadDataSendsRstInsteadOfFin() {
    TwoStacks t = new TwoStacks(24);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(50));
    t.wire.clear();
    cs[1].close(false);
    assertEquals(TcpState.CLOSE, cs[1].state());
    t.runFor(Nanos.millis(50));
    assertEquals(List.of("0.150000 b > R. 1:1(0) ack 101 win 509"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(tcpsim.net.socket.Errno.ECONNRESET, cs[0].takeError());
    assertEquals(1, t.b.counter("TcpExtTCPAbortOnClose"));
  }
}
