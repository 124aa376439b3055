package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;

class DataTransferTest {
  /** Connects a to b and returns {client, accepted server side}, at t = 100 ms. */
  static TcpConnection[] established(TwoStacks t) {
    TcpConnection[] cl = t.listenAndConnect(8080);
    t.runFor(Nanos.millis(100));
    TcpConnection server = t.b.accept(cl[1]);
    assertNotNull(server);
    t.wire.clear();
    return new TcpConnection[] {cl[0], server};
  }

  /** The application drains {@code c} whenever it becomes readable, as a process woken up would. */
  static void drainOnReadable(TwoStacks t, TcpConnection c, byte[] sink) {
    int[] filled = {0};
    c.setEvents(s -> t.sim.scheduleAfter(0, (now, arg) -> {
      int n;
      byte[] buf = new byte[65536];
      while ((n = s.receive(buf, 0, buf.length)) > 0) {
        if (sink != null) {
          System.arraycopy(buf, 0, sink, filled[0], n);
        }
        filled[0] += n;
      }
    }, 0));
  }

  @Test
  void anIdleConnectionSharesItsEmptyScoreboardAndInitialWindowUntilItFirstSends() {
    TwoStacks t = new TwoStacks(10);
    TcpConnection[] cs = established(t);
    for (TcpConnection c : cs) {
      assertSame(Scoreboard.EMPTY, c.sb, "no scoreboard of its own while idle");
      assertSame(RenoCongestion.initial(false, true), c.cc, "no congestion state of its own while idle");
      assertSame(UserOptions.UNSET, c.opts, "no options object while none is set");
    }

    assertEquals(1000, cs[0].send(null, 0, 1000));

    assertNotSame(Scoreboard.EMPTY, cs[0].sb);
    assertNotSame(RenoCongestion.initial(false), cs[0].cc);
    assertEquals(RenoCongestion.INIT_CWND, cs[0].cc.cwnd());
    assertSame(Scoreboard.EMPTY, cs[1].sb, "the receiver has sent no data");
  }

  @Test
  void firstDataIsAckedAtOnceInQuickAckMode() {
    TwoStacks t = new TwoStacks(10);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    assertEquals(1000, cs[0].send(null, 0, 1000));
    t.runFor(Nanos.millis(100));
    t.assertWire(
        "0.100000 a > P. 1:1001(1000) ack 1 win 502 <nop,nop,TS val 100 ecr 0>",
        "0.110000 b > . 1:1(0) ack 1001 win 502 <nop,nop,TS val 100 ecr 100>");
  }

  @Test
  void afterTheQuickAcksALoneSegmentIsAckedAfterTheFortyMsDelayedAckTimer() {
    TwoStacks t = new TwoStacks(11);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    for (int i = 0; i < 17; i++) {
      cs[0].send(null, 0, 10);
      t.runFor(Nanos.millis(100));
    }
    // 16 quick ACKs (TCP_MAX_QUICKACKS), each 10 ms after its segment; then the 17th waits for
    // the delayed-ACK timer: 40 ms (TCP_ATO_MIN, 10 jiffies at HZ=250) from mid-jiffy 427, so it
    // fires at jiffy 438, 42 ms after the segment.
    String last = t.wire.get(t.wire.size() - 1);
    String quick = t.wire.get(t.wire.size() - 3);
    assertTrue(quick.startsWith("1.610000 b > . 1:1(0) ack 161 "), quick);
    assertTrue(last.startsWith("1.752000 b > . 1:1(0) ack 171 "), last);
  }

  @Test
  void aBulkReceiverAcksEverySecondFullSegment() {
    TwoStacks t = new TwoStacks(12);
    TcpConnection[] cs = established(t);
    t.rateBitsPerSecond = 100_000_000; // segments arrive one by one, 121 us apart
    drainOnReadable(t, cs[1], null);
    cs[0].flags |= TcpConnection.SND_BUF_LOCKED;
    cs[0].sndBuf = 8 << 20;
    cs[0].send(null, 0, 100 * 1448);
    t.runFor(Nanos.seconds(1));
    long dataSegs = t.wire.stream().filter(w -> w.contains(" a > ")).count();
    long acks = t.wire.stream().filter(w -> w.contains(" b > ")).count();
    assertEquals(100, dataSegs);
    // 16 quick ACKs, then one per two segments: (100 - 16) / 2 = 42; and two more where
    // tcp_grow_window raised rcv_ssthresh and granted a quick ACK (icsk_ack.quick |= 1) after an
    // odd segment.
    assertEquals(16 + 42 + 2, acks);
    assertEquals(100 * 1448, cs[1].bytesReceived);
  }

  @Test
  void nagleHoldsASecondSmallSegmentUntilTheFirstIsAcked() {
    TwoStacks t = new TwoStacks(13);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    cs[0].send(null, 0, 100);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(100));
    t.assertWire(
        "0.100000 a > P. 1:101(100) ack 1 win 502 <nop,nop,TS val 100 ecr 0>",
        "0.110000 b > . 1:1(0) ack 101 win 509 <nop,nop,TS val 100 ecr 100>",
        "0.120000 a > P. 101:201(100) ack 1 win 502 <nop,nop,TS val 120 ecr 100>",
        "0.130000 b > . 1:1(0) ack 201 win 509 <nop,nop,TS val 120 ecr 120>");
  }

  @Test
  void tcpNodelaySendsSmallSegmentsAtOnce() {
    TwoStacks t = new TwoStacks(14);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    cs[0].flags |= TcpConnection.NO_DELAY;
    cs[0].send(null, 0, 100);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.millis(100));
    assertTrue(t.wire.get(1).startsWith("0.100000 a > P. 101:201(100) ack 1 "), t.wire.get(1));
  }

  @Test
  void threeDuplicateAcksTriggerFastRetransmitOfTheHoleReportedBySack() {
    TwoStacks t = new TwoStacks(15);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    t.drop("a", TwoStacks.dataAt(2897, t, "a"), 1);
    cs[0].send(null, 0, 10 * 1448);
    t.runFor(Nanos.millis(100));
    String wire = String.join("\n", t.wire);
    // The first ACK after the hole carries the SACK block of the segment past it; the third
    // duplicate (SACKing three segments) triggers the retransmission one RTT after the loss. With
    // SACK the queued segments grow the window (tcp_data_queue_ofo -> tcp_grow_window), as
    // specs/pkt/data/out-of-order-sack-grows-window.pkt shows on Linux.
    assertTrue(wire.contains("0.110000 b > . 1:1(0) ack 2897 win 577 <nop,nop,TS val 100 ecr 100,"
        + "nop,nop,sack 4345:5793>\n"), wire);
    assertTrue(wire.contains("0.110000 b > . 1:1(0) ack 2897 win 595 <nop,nop,TS val 100 ecr 100,"
        + "nop,nop,sack 4345:8689>\n0.110000 b"), wire);
    assertTrue(t.wireWithoutOptions().contains("0.120000 a > . 2897:4345(1448) ack 1 win 502"),
        wire);
    assertEquals(CaState.OPEN, cs[0].ca);
    // cwnd grew 10 -> 12 with the two ACKs before the hole; CUBIC, the default, keeps 0.7 of it
    // (Reno would halve it to 6).
    assertEquals(8, cs[0].cc.ssthresh());
    assertEquals(10 * 1448, cs[1].bytesReceived);
    assertEquals(1, t.a.counter("TcpExtTCPFastRetrans"));
  }

  @Test
  void aLostTailIsRecoveredByATailLossProbeBeforeTheRto() {
    TwoStacks t = new TwoStacks(16);
    TcpConnection[] cs = established(t);
    drainOnReadable(t, cs[1], null);
    t.drop("a", TwoStacks.dataAt(1449, t, "a"), 1);
    cs[0].send(null, 0, 2 * 1448);
    t.runFor(Nanos.seconds(1));
    // The ACK of the first segment re-arms the probe: min(2 SRTT + 200 ms, RTO) = 220 ms later,
    // 55 jiffies from jiffy 30; it fires a tick past that, at jiffy 86.
    assertEquals(List.of(
        "0.100000 a > . 1:1449(1448) ack 1 win 502",
        "0.100000 a > P. 1449:2897(1448) ack 1 win 502 (dropped)",
        "0.110000 b > . 1:1(0) ack 1449 win 532",
        "0.344000 a > P. 1449:2897(1448) ack 1 win 502",
        "0.354000 b > . 1:1(0) ack 2897 win 555"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter("TcpExtTCPLossProbes"));
    assertEquals(0, t.a.counter("TcpExtTCPTimeouts"));
    assertEquals(2 * 1448, cs[1].bytesReceived);
  }

  @Test
  void retransmissionsBackOffAndGiveUpWithEtimedoutAfterTcpRetries2Budget() {
    TwoStacks t = new TwoStacks(17);
    TcpConnection[] cs = established(t);
    t.dropAll("a", s -> true);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.seconds(954) - Nanos.millis(100) + Nanos.millis(360));
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
    t.runFor(Nanos.millis(20));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(Errno.ETIMEDOUT, cs[0].takeError());
    StringBuilder times = new StringBuilder();
    for (String w : t.wire) {
      times.append(w, 0, w.indexOf(' ')).append(' ');
    }
    // Sent at 0.1; a tail loss probe at the RTO (220 ms: SRTT 20 ms + 200 ms); then RTOs doubling
    // from 220 ms to the 120 s cap. The budget of tcp_retries2 = 15 (924.6 s, tcp_model_timeout)
    // runs from the first RTO retransmission, so the timer after 825 s gives up. Ideally they are
    // 0.32, 0.54, 0.98 ... 825.38 s and the end 945.38 s; each fires where the kernel's timer
    // wheel puts it at HZ=250 (one tick past a 55-jiffy expiry, then on steps of 8, 64, 512 and,
    // for 120 s, 4,096 jiffies), so the give-up comes at 954.368 s.
    assertEquals("0.100000 0.324000 0.548000 0.992000 1.888000 3.680000 7.424000 14.592000 "
        + "28.928000 57.344000 114.688000 229.376000 350.208000 471.040000 591.872000 712.704000 "
        + "833.536000 ", times.toString());
    assertEquals(Nanos.seconds(924) + Nanos.millis(600),
        TcpTimeouts.modelTimeoutNanos(15, TcpTimeouts.RTO_MIN_NANOS));
  }

  @Test
  void retransmissionTimersFireOnTheKernelTimerWheelsStepAtTheConfiguredHz() {
    // Sent at 0.1 s to a silent peer: the loss probe and the RTOs are armed for 220 ms, 220 ms,
    // 440 ms, 880 ms (inet_csk_reset_xmit_timer: jiffies + when) and fire where the timer
    // wheel puts them (calc_wheel_index). At HZ=250, 55 jiffies sit on level 0 and fire a tick
    // past their expiry; 110 and 220 on level 1's 8-jiffy (32 ms) step; 440 too (below 504).
    assertEquals("0.100000 0.324000 0.548000 0.992000 1.888000 ", silentPeerRetransmissions(250));
    // At HZ=1000, 220 jiffies already sit on level 1 (8 ms steps) and 880 on level 2 (64 ms).
    assertEquals("0.100000 0.328000 0.552000 1.000000 1.920000 ", silentPeerRetransmissions(1000));
    // tcpsim.config_hz 0: exact, the ideal schedule.
    assertEquals("0.100000 0.320000 0.540000 0.980000 1.860000 ", silentPeerRetransmissions(0));
  }

  private static String silentPeerRetransmissions(int hz) {
    TcpSysctls s = TcpSysctls.defaults().with(Sysctl.CONFIG_HZ, hz);
    TwoStacks t = new TwoStacks(19, s, s);
    TcpConnection[] cs = established(t);
    t.dropAll("a", seg -> true);
    cs[0].send(null, 0, 100);
    t.runFor(Nanos.seconds(2) - Nanos.millis(50));
    StringBuilder times = new StringBuilder();
    for (String w : t.wire) {
      times.append(w, 0, w.indexOf(' ')).append(' ');
    }
    return times.toString();
  }

  @Test
  void aReceiverThatDoesNotReadClosesTheWindowAndTheSenderProbesWithBackoff() {
    TwoStacks t = new TwoStacks(18);
    TcpConnection[] cs = established(t);
    cs[0].flags |= TcpConnection.SND_BUF_LOCKED;
    cs[0].sndBuf = 8 << 20;
    cs[0].send(null, 0, 200_000);
    t.runFor(Nanos.seconds(10));
    assertEquals(0, cs[0].sndWnd);
    // The receiver took 82664 bytes: 57 skbs of 2304 bytes of truesize fill its 128 KiB buffer
    // (specs/pkt/data/receive-window-follows-skb-memory.pkt shows the window's first steps on
    // Linux). Window probes carry SND.UNA - 1 and no data (tcp_xmit_probe_skb), their gaps doubling; each
    // answer (20 ms later) restarts the persist timer (tcp_ack_probe), so a gap is the backed-off
    // timeout plus the round trip.
    List<String> probes = t.wireWithoutOptions().stream()
        .filter(w -> w.contains(" a > . 82664:82664(0)")).toList();
    assertEquals(List.of(
        "0.752000 a > . 82664:82664(0) ack 1 win 502",
        "1.248000 a > . 82664:82664(0) ack 1 win 502",
        "2.208000 a > . 82664:82664(0) ack 1 win 502",
        "4.096000 a > . 82664:82664(0) ack 1 win 502",
        "7.936000 a > . 82664:82664(0) ack 1 win 502"), probes);
    assertEquals(TcpState.ESTABLISHED, cs[0].state());
  }
  @Test
  void aFullSegmentIsShortenedByTheSackBlockItCarries() {
    TwoStacks t = new TwoStacks(96);
    TcpConnection a = established(t)[0];
    // Out-of-order data from b's side: a holds it and SACKs it in every segment.
    t.a.input(new tcpsim.net.wire.Segment(a.remoteAddress(), a.remotePort(), a.localAddress(),
        a.localPort(), a.rcv.rcvNxt() + 100, a.sndNxt, tcpsim.net.wire.TcpFlags.ACK, 502, 0,
        tcpsim.net.wire.TcpOptions.NONE, 10, null));
    t.wire.clear();
    a.send(null, 0, 2000);
    // tcp_current_mss: 1448 less nop, nop and one block (12 bytes).
    assertEquals(List.of("0.100000 a > . 1:1437(1436) ack 1 win 502",
        "0.100000 a > P. 1437:2001(564) ack 1 win 502"), t.wireWithoutOptions());
  }
}
