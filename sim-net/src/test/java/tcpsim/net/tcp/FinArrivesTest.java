package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * CLOSE in the states not covered by {@link CloseTest} (RFC 9293 §3.10.4) and a FIN arriving in
 * each state (§3.10.7.4 "eighth, check the FIN bit"; tcp_fin, tcp_rcv_state_process). Peer
 * segments are injected with exact numbers; the wire shows what a answers.
 */
class FinArrivesTest {
  /** A segment from a's peer into {@code to}, {@code offset} from RCV.NXT, acking {@code ack}. */
  private static Segment fromPeer(TcpConnection to, int offset, int ack, int flags, int len) {
    return new Segment(to.remoteAddress(), to.remotePort(), to.localAddress(), to.localPort(),
        to.rcv.rcvNxt() + offset, ack, flags, 502, 0, TcpOptions.NONE, len, null);
  }

  @Test
  void closeInSynSentSendsNothingAndTheLateSynAckDrawsARst() {
    TwoStacks t = new TwoStacks(500);
    TcpConnection[] cl = t.listenAndConnect(8080);
    cl[0].close(); // tcp_close in SYN-SENT: tcp_set_state(CLOSE), no segment
    assertEquals(TcpState.CLOSE, cl[0].state());
    t.runFor(Nanos.millis(100));
    assertEquals(List.of(
        "0.000000 a > S 0:0(0) win 64240",
        "0.010000 b > S. 0:0(0) ack 1 win 65160",
        "0.020000 a > R 1:1(0) win 0"), t.wireWithoutOptions());
  }

  @Test
  void aFinCarryingDataDeliversTheDataThenTheEndOfTheStream() {
    TwoStacks t = new TwoStacks(501);
    TcpConnection[] cs = DataTransferTest.established(t);
    t.dropAll("b", s -> true); // b never sent these bytes: keep its puzzled answers off the wire
    t.a.input(fromPeer(cs[0], 0, cs[0].sndNxt, TcpFlags.FIN | TcpFlags.PSH | TcpFlags.ACK, 100));
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    assertEquals(100, cs[0].receive(null, 0, 1000));
    assertTrue(cs[0].atEof());
    t.runFor(Nanos.millis(100));
    // The ACK covers data and FIN (ack 102 relative to b's ISN); tcp_fin's pingpong delays it
    // 40 ms (10 jiffies) from jiffy 25, and the timer fires a tick past that, at jiffy 36.
    assertEquals(List.of("0.144000 a > . 1:1(0) ack 102 win 502"), t.wireWithoutOptions().stream()
        .filter(w -> w.contains(" a > ")).toList());
  }

  @Test
  void aRetransmittedFinInCloseWaitIsAckedAtOnce() {
    TwoStacks t = new TwoStacks(502);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    t.wire.clear();
    t.a.input(fromPeer(cs[0], -1, cs[0].sndNxt, TcpFlags.FIN | TcpFlags.ACK, 0));
    t.runFor(Nanos.millis(1));
    // tcp_data_queue: a retransmission below RCV.NXT forces an immediate ACK (quick-ACK mode).
    assertEquals(List.of("0.200000 a > . 1:1(0) ack 2 win 502"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
  }

  @Test
  void aRetransmittedFinInCloseWaitIsReportedAsADsack() {
    TwoStacks t = new TwoStacks(506);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(100));
    t.wire.clear();
    t.a.input(fromPeer(cs[0], -1, cs[0].sndNxt, TcpFlags.FIN | TcpFlags.ACK, 0));
    t.runFor(Nanos.millis(1));
    // tcp_rcv_state_process lets a segment from before RCV.NXT on to tcp_data_queue, whose
    // retransmission path sets a D-SACK (tcp_dsack_set) for the duplicate FIN (RFC 2883 §4).
    assertEquals(1, t.wire.size());
    assertTrue(t.wire.get(0).endsWith(",nop,nop,sack 1:2>"), t.wire.get(0));
    assertEquals(1, t.a.counter(TcpMib.TcpExtDelayedACKLost));
  }

  @Test
  void dataAfterThePeersFinIsDiscardedWithoutAnAck() {
    TwoStacks t = new TwoStacks(507);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    t.wire.clear();
    t.a.input(fromPeer(cs[0], 0, cs[0].sndNxt, TcpFlags.PSH | TcpFlags.ACK, 10));
    t.runFor(Nanos.millis(100));
    // tcp_rcv_state_process, case TCP_CLOSE_WAIT: a segment not before RCV.NXT breaks out before
    // tcp_data_queue, and no ACK is scheduled: nothing is queued and nothing is sent.
    assertEquals(List.of(), t.wire);
    assertEquals(0, cs[0].readableBytes());
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    // ... and the stack says it dropped it (tcp_drop_reason at the end of tcp_rcv_state_process).
    assertEquals(1, t.a.drops(DropReason.NOT_SPECIFIED));
  }

  @Test
  void dataFromBeforeThePeersFinReachingPastItResetsTheConnectionWithEpipe() {
    TwoStacks t = new TwoStacks(508);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE_WAIT, cs[0].state());
    t.wire.clear();
    t.dropAll("b", s -> true); // b never sent these bytes: keep its answers off the wire
    // Starts 1 before RCV.NXT (at the FIN), carries 10 bytes past it: old data of another
    // incarnation, or a broken peer.
    t.a.input(fromPeer(cs[0], -1, cs[0].sndNxt, TcpFlags.PSH | TcpFlags.ACK, 11));
    // tcp_rcv_state_process falls through to FIN-WAIT's check: the FIN set RCV_SHUTDOWN, so this
    // is data lost: tcp_reset (EPIPE in CLOSE_WAIT) and a RST from the segment's ACK.
    assertEquals(List.of("0.200000 a > R 1:1(0) win 0"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(1, t.a.drops(DropReason.TCP_ABORT_ON_DATA));
    assertEquals(0, cs[0].readableBytes());
  }

  @Test
  void aFinThatAcksOursInFinWait1GoesStraightToTimeWait() {
    TwoStacks t = new TwoStacks(503);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    assertEquals(TcpState.FIN_WAIT1, cs[0].state());
    t.a.input(fromPeer(cs[0], 0, cs[0].sndNxt, TcpFlags.FIN | TcpFlags.ACK, 0));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state()); // FIN-WAIT-1 -> TIME-WAIT, skipping both
  }

  @Test
  void anOldFinInLastAckIsAckedAgainAndLastAckWaitsForItsOwnAck() {
    TwoStacks t = new TwoStacks(504);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(50));
    t.dropAll("b", s -> true); // b's ACKs and FIN retransmissions are lost from here on
    cs[0].close();
    assertEquals(TcpState.LAST_ACK, cs[0].state());
    t.wire.clear();
    t.a.input(fromPeer(cs[0], -1, cs[0].sndNxt - 1, TcpFlags.FIN | TcpFlags.ACK, 0));
    t.runFor(Nanos.millis(1));
    assertEquals(List.of("0.150000 a > . 2:2(0) ack 2 win 502"), t.wireWithoutOptions());
    assertEquals(TcpState.LAST_ACK, cs[0].state());
  }

  @Test
  void synRetransmissionsCountAsRetransmittedSegments() {
    TwoStacks t = new TwoStacks(505);
    t.dropAll("a", s -> true);
    t.listenAndConnect(8080);
    t.runFor(Nanos.millis(3_500)); // SYNs at 0, 1, 2 and 3 s
    // __tcp_retransmit_skb counts a SYN in both (as tshark's retransmission count expects).
    assertEquals(3, t.a.counter(TcpMib.TcpRetransSegs));
    assertEquals(3, t.a.counter(TcpMib.TcpExtTCPSynRetrans));
  }
  @Test
  void anInOrderFinDropsTheOutOfOrderDataBeyondItAndItsSackBlock() {
    TwoStacks t = new TwoStacks(95);
    TcpConnection a = DataTransferTest.established(t)[0];
    int nxt = a.rcv.rcvNxt();
    t.a.input(fromPeer(a, 100, a.sndNxt, TcpFlags.ACK | TcpFlags.PSH, 1000));
    assertEquals(1, a.rcv.sackCount());
    t.a.input(fromPeer(a, 0, a.sndNxt, TcpFlags.ACK | TcpFlags.PSH | TcpFlags.FIN, 10));
    // tcp_fin: skb_rbtree_purge(&tp->out_of_order_queue) and tcp_sack_reset.
    assertEquals(TcpState.CLOSE_WAIT, a.state());
    assertEquals(0, a.rcv.sackCount());
    assertEquals(0, a.rcv.outOfOrderRanges());
    assertEquals(nxt + 11, a.rcv.rcvNxt());
  }

  @Test
  void aFinAfterOnlyOutOfOrderDataIsAckedAtTheNextTick() {
    TwoStacks t = new TwoStacks(98);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(fromPeer(a, 100, a.sndNxt, TcpFlags.ACK | TcpFlags.PSH, 10));
    t.a.input(fromPeer(a, 0, a.sndNxt, TcpFlags.ACK | TcpFlags.FIN, 0));
    t.runFor(Nanos.millis(10));
    // tcp_data_queue_ofo leaves ato at 0: the FIN's delayed ACK is armed for jiffies + 0.
    assertEquals(List.of("0.100000 a > . 1:1(0) ack 1 win 502",
        "0.104000 a > . 1:1(0) ack 2 win 502"), t.wireWithoutOptions());
  }
}
