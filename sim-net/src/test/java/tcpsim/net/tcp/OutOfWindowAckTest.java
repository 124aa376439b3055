package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * The duplicate ACKs an established connection sends to segments outside its window
 * (tcp_validate_incoming -> tcp_send_dupack) go out at most once per tcp_invalid_ratelimit
 * (tcp_oow_rate_limited), on the same per-socket clock as challenge ACKs; segments with data are
 * exempt.
 */
class OutOfWindowAckTest {
  /** A segment from b's 4-tuple into a's connection, far beyond a's window. */
  private static Segment beyondWindow(TcpConnection to, int flags, int len) {
    return new Segment(to.remoteAddress(), to.remotePort(), to.localAddress(), to.localPort(),
        to.rcv.rcvNxt() + 1_000_000, to.sndNxt, flags, 502, 0, TcpOptions.NONE, len, null);
  }

  @Test
  void outOfWindowBareAcksDrawOneDuplicateAckPerRateLimitInterval() {
    TwoStacks t = new TwoStacks(70);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0));
    t.runFor(Nanos.millis(100));
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0)); // 100 ms later: within 500 ms, skipped
    t.runFor(Nanos.millis(500));
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0)); // 600 ms after the first answer
    assertEquals(List.of(
        "0.100000 a > . 1:1(0) ack 1 win 502",
        "0.700000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPACKSkippedSeq));
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void outOfWindowDataIsAckedEveryTimeAndLeavesTheRateLimitClockAlone() {
    TwoStacks t = new TwoStacks(71);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0));
    t.runFor(Nanos.millis(100));
    t.a.input(beyondWindow(a, TcpFlags.ACK | TcpFlags.PSH, 10));
    t.a.input(beyondWindow(a, TcpFlags.ACK | TcpFlags.PSH, 10));
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0)); // the bare ACK is still limited
    assertEquals(List.of(
        "0.100000 a > . 1:1(0) ack 1 win 502",
        "0.200000 a > . 1:1(0) ack 1 win 502",
        "0.200000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPACKSkippedSeq));
  }

  /** A segment from {@code to}'s peer into {@code to}. */
  private static Segment into(TcpConnection to, int seq, int ack, int flags, int win,
      TcpOptions options, int len) {
    return new Segment(to.remoteAddress(), to.remotePort(), to.localAddress(), to.localPort(), seq,
        ack, flags, win, 0, options, len, null);
  }

  /** A segment from b's 4-tuple into a's connection at {@code below} before a's RCV.NXT. */
  private static Segment old(TcpConnection to, int below, int flags, int len) {
    return new Segment(to.remoteAddress(), to.remotePort(), to.localAddress(), to.localPort(),
        to.rcv.rcvNxt() - below, to.sndNxt, flags, 502, 0, TcpOptions.NONE, len, null);
  }

  @Test
  void anOldFinIsAnsweredWithADsackBlockOfItsSequenceNumber() {
    TwoStacks t = new TwoStacks(73);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(old(a, 10, TcpFlags.FIN | TcpFlags.ACK, 0)); // [-9, -8): below RCV.WUP, refused
    assertEquals(List.of("0.100000 a > . 1:1(0) ack 1 win 502 <nop,nop,TS val 100 ecr 0,nop,nop,"
        + "sack 4294967287:4294967288>"), t.wire);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void anOldPureAckFailingPawsIsDroppedWithoutADuplicateAck() {
    TwoStacks t = new TwoStacks(75);
    TcpConnection a = DataTransferTest.established(t)[0];
    TcpOptions stale = TcpOptions.builder().timestamp(a.tsRecent - 50, 0).build();
    t.a.input(into(a, a.rcv.rcvNxt() - 10, a.sndNxt, TcpFlags.ACK, 502, stale, 0));
    assertEquals(List.of(), t.wire);
    assertEquals(1, t.a.counter(TcpMib.TcpExtPAWSOldAck));
    assertEquals(0, t.a.counter(TcpMib.TcpExtPAWSEstab));
    // Data with the same stale timestamp is an old duplicate, and is answered.
    t.a.input(into(a, a.rcv.rcvNxt() - 10, a.sndNxt, TcpFlags.ACK | TcpFlags.PSH, 502, stale, 10));
    assertEquals(1, t.wire.size());
    assertEquals(1, t.a.counter(TcpMib.TcpExtPAWSEstab));
  }

  @Test
  void aSegmentWithoutAckRstOrSynIsDroppedBeforeTheSequenceCheck() {
    TwoStacks t = new TwoStacks(76);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(beyondWindow(a, TcpFlags.PSH, 100));
    t.a.input(old(a, 10, TcpFlags.FIN, 0));
    assertEquals(List.of(), t.wire);
    assertEquals(2, t.a.drops(tcpsim.net.wire.DropReason.TCP_FLAGS));
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void aReorderedDuplicateAckWithASlightlyOlderTimestampPassesPaws() {
    TwoStacks t = new TwoStacks(77);
    // The server: the handshake's last ACK set its SND.WL1 to RCV.NXT.
    TcpConnection b = DataTransferTest.established(t)[1];
    TcpOptions lagging = TcpOptions.builder().timestamp(b.tsRecent - 7, 0).build();
    int win = b.sndWnd >> b.sndWscale;
    t.b.input(into(b, b.rcv.rcvNxt(), b.sndUna, TcpFlags.ACK, win, lagging, 0));
    assertEquals(List.of(), t.wire); // tcp_disordered_ack_check: taken, nothing to answer
    assertEquals(0, t.b.counter(TcpMib.TcpExtPAWSEstab));
    // The same ACK opening the window is a window update: PAWS refuses it, with a dupack.
    t.b.input(into(b, b.rcv.rcvNxt(), b.sndUna, TcpFlags.ACK, win + 1, lagging, 0));
    assertEquals(1, t.wire.size());
    assertEquals(1, t.b.counter(TcpMib.TcpExtPAWSEstab));
  }

  @Test
  void aChallengedSynLeavesTsRecentAlone() {
    TwoStacks t = new TwoStacks(78);
    TcpConnection a = DataTransferTest.established(t)[0];
    int before = a.tsRecent;
    TcpOptions newer = TcpOptions.builder().timestamp(before + 20, 0).build();
    t.a.input(into(a, a.rcv.rcvNxt(), 0, TcpFlags.SYN, 502, newer, 0));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPSYNChallenge));
    assertEquals(before, a.tsRecent); // tcp_replace_ts_recent runs in tcp_ack, never reached
  }

  @Test
  void aChallengeAckAndAnOutOfWindowAckShareOneRateLimitClock() {
    TwoStacks t = new TwoStacks(72);
    TcpConnection a = DataTransferTest.established(t)[0];
    t.a.input(new Segment(a.remoteAddress(), a.remotePort(), a.localAddress(), a.localPort(),
        a.rcv.rcvNxt() + 1000, 0, TcpFlags.RST, 0, 0, TcpOptions.NONE, 0, null));
    t.a.input(beyondWindow(a, TcpFlags.ACK, 0)); // tp->last_oow_ack_time was just set
    assertEquals(List.of("0.100000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPChallengeACK));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPACKSkippedSeq));
  }
}
