package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * TIME-WAIT as Linux keeps it: a light entry (inet_timewait_sock) run by
 * tcp_timewait_state_process (net/ipv4/tcp_minisocks.c), port reuse on connect
 * (tcp_twsk_unique, __inet_hash_connect) and tcp_max_tw_buckets. Each test drives two stacks
 * through a close and then asserts the wire (packetdrill-like notation), states and counters.
 */
class TimeWaitTest {
  private static final long TW_AT_250HZ_FROM_160MS = Nanos.millis(61_440);

  /** Client a closes first, server b follows: a ends in TIME-WAIT at 0.16 s. */
  private static TcpConnection[] clientClosesFirst(TwoStacks t) {
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close();
    t.runFor(Nanos.millis(50));
    cs[1].close();
    t.runFor(Nanos.millis(50));
    return cs;
  }

  /** A segment from b's side of {@code tw}'s 4-tuple, as a test injects it at a. */
  private static Segment fromPeer(TimeWaitSocket tw, int seq, int ack, int flags, TcpOptions o) {
    return new Segment(tw.remoteAddr, tw.remotePort, tw.localAddr, tw.localPort, seq, ack, flags,
        502, 0, o, 0, null);
  }

  private static TcpOptions ts(int val, int ecr) {
    return TcpOptionLayout.established(true, val, ecr, new int[0], 0);
  }

  @Test
  void timeWaitIsALightEntryAndTheConnectionIsReleased() {
    TwoStacks t = new TwoStacks(100);
    TcpConnection[] cs = clientClosesFirst(t);
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    // The stack holds the light entry, not the control block.
    assertFalse(t.a.sockets().contains(cs[0]));
    List<TimeWaitSocket> tws = t.a.timeWaitSockets();
    assertEquals(1, tws.size());
    TimeWaitSocket tw = tws.get(0);
    assertSame(tw, cs[0].timeWaitSocket());
    assertEquals(cs[0].localPort(), tw.localPort());
    assertEquals(TwoStacks.B_ADDR, tw.remoteAddress());
    assertEquals(8080, tw.remotePort());
    assertEquals(cs[0].iss + 2, tw.sndNxt); // SYN and FIN
    assertEquals(cs[1].iss + 2, tw.rcvNxt);
    assertTrue(tw.tsOk);
    Segment peerFin = t.segments.stream().filter(s -> s.has(TcpFlags.FIN)
        && s.srcAddr() == TwoStacks.B_ADDR).findFirst().orElseThrow();
    assertEquals(peerFin.options().tsVal(), tw.tsRecent);
    assertEquals(Nanos.millis(150) + Nanos.millis(10), tw.tsRecentStampNanos); // the peer's FIN
    assertEquals(TW_AT_250HZ_FROM_160MS, tw.expiresAtNanos());
  }

  @Test
  void aRetransmittedFinIsAckedAgainAndTheTimerRestarts() {
    TwoStacks t = new TwoStacks(101);
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.runFor(Nanos.seconds(10) - t.sim.now());
    t.wire.clear();
    t.dropAll("a", s -> true); // b is gone; an ACK reaching it would draw a RST and end TIME-WAIT
    // b's FIN again (its ACK was "lost"): seq one below RCV.NXT, a newer timestamp.
    t.a.input(fromPeer(tw, tw.rcvNxt - 1, tw.sndNxt, TcpFlags.FIN | TcpFlags.ACK,
        ts(tw.tsRecent + 9_000, 0)));
    assertEquals(List.of("10.000000 a > . 2:2(0) ack 2 win 502 (dropped)"), t.wireWithoutOptions());
    // 60 s from 10 s is jiffy 17,500; on level 3 it rounds to 17,920: 71.68 s.
    assertEquals(Nanos.millis(71_680), tw.expiresAtNanos());
    t.sim.runUntil(Nanos.millis(71_680) - 1);
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    t.sim.runUntil(Nanos.millis(71_680));
    assertEquals(TcpState.CLOSE, cs[0].state());
  }

  @Test
  void aRstKillsTimeWaitUnderRfc1337Zero() {
    TwoStacks t = new TwoStacks(102);
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.wire.clear();
    t.a.input(fromPeer(tw, tw.rcvNxt, 0, TcpFlags.RST, TcpOptions.NONE));
    assertEquals(TcpState.CLOSE, cs[0].state()); // TIME-WAIT assassination (RFC 1337)
    assertTrue(t.a.timeWaitSockets().isEmpty());
    assertEquals(List.of(), t.wire);
  }

  @Test
  void aRstIsIgnoredInTimeWaitUnderRfc1337One() {
    TcpSysctls rfc1337 = TcpSysctls.defaults().with(Sysctl.TCP_RFC1337, 1);
    TwoStacks t = new TwoStacks(103, rfc1337, TcpSysctls.defaults());
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.wire.clear();
    t.a.input(fromPeer(tw, tw.rcvNxt, 0, TcpFlags.RST, TcpOptions.NONE));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(TW_AT_250HZ_FROM_160MS, tw.expiresAtNanos()); // a RST does not restart it
    assertEquals(List.of(), t.wire);
  }

  @Test
  void aRstWithAnOldTimestampCannotEndTimeWaitWithinTheMsl() {
    TwoStacks t = new TwoStacks(110);
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.wire.clear();
    // tcp_paws_reject lets a RST through only once TS.Recent is TCP_PAWS_MSL (60 s) old; this one
    // is older than TS.Recent and comes at once, so even tcp_rfc1337=0 keeps TIME-WAIT.
    t.a.input(fromPeer(tw, tw.rcvNxt, 0, TcpFlags.RST, ts(tw.tsRecent - 50, 0)));
    assertEquals(TcpState.TIME_WAIT, tw.state());
    assertEquals(List.of(), t.wire);
    t.a.input(fromPeer(tw, tw.rcvNxt, 0, TcpFlags.RST, TcpOptions.NONE));
    assertEquals(TcpState.CLOSE, tw.state()); // without a timestamp PAWS has nothing to reject
  }

  @Test
  void outOfWindowAcksInTimeWaitAreRateLimitedButFinsAreNot() {
    TwoStacks t = new TwoStacks(111);
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.runFor(Nanos.seconds(1) - t.sim.now());
    t.wire.clear();
    t.dropAll("a", s -> true); // keep b out of it
    Segment bareAck = fromPeer(tw, tw.rcvNxt - 1, tw.sndNxt, TcpFlags.ACK, TcpOptions.NONE);
    Segment fin = fromPeer(tw, tw.rcvNxt - 1, tw.sndNxt, TcpFlags.FIN | TcpFlags.ACK,
        TcpOptions.NONE);
    t.a.input(bareAck);
    t.runFor(Nanos.millis(100));
    t.a.input(bareAck); // within tcp_invalid_ratelimit (500 ms): no ACK
    t.a.input(fin); // occupies sequence space: tcp_oow_rate_limited does not limit it
    t.runFor(Nanos.millis(100));
    t.a.input(fin);
    assertEquals(List.of(
        "1.000000 a > . 2:2(0) ack 2 win 502 (dropped)",
        "1.100000 a > . 2:2(0) ack 2 win 502 (dropped)",
        "1.200000 a > . 2:2(0) ack 2 win 502 (dropped)"), t.wireWithoutOptions());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPACKSkippedTimeWait));
  }

  @Test
  void anOrphanedFinWait2JudgesTheWindowInBytesNotByTheScaledWindowField() {
    TwoStacks t = new TwoStacks(112);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].close(); // b stays in CLOSE-WAIT: a is an orphaned FIN-WAIT-2 entry
    t.runFor(Nanos.millis(100));
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    assertEquals(TcpState.FIN_WAIT2, tw.state());
    assertTrue(tw.window < 1000 && tw.rcvWndBytes > 1000, tw.window + " " + tw.rcvWndBytes);
    t.wire.clear();
    t.dropAll("a", s -> true);
    // New data 1000 bytes past RCV.NXT: beyond the 16-bit window field, inside tw_rcv_wnd, so
    // tcp_in_window takes it and new data for a closed socket draws a RST (TCP_TW_RST).
    t.a.input(new Segment(tw.remoteAddr, tw.remotePort, tw.localAddr, tw.localPort,
        tw.rcvNxt + 1000, tw.sndNxt, TcpFlags.ACK, 502, 0, TcpOptions.NONE, 10, null));
    assertEquals(List.of("0.200000 a > R 2:2(0) win 0 (dropped)"), t.wireWithoutOptions());
  }

  @Test
  void pawsRejectsAnOldDuplicateInTimeWaitCountedAsPawsTimewait() {
    TwoStacks t = new TwoStacks(104);
    TcpConnection[] cs = clientClosesFirst(t);
    TimeWaitSocket tw = cs[0].timeWaitSocket();
    t.runFor(Nanos.seconds(5) - t.sim.now());
    t.wire.clear();
    // Data from long ago: an older timestamp than TS.Recent (RFC 7323 §5).
    Segment old = new Segment(tw.remoteAddr, tw.remotePort, tw.localAddr, tw.localPort,
        tw.rcvNxt - 101, tw.sndNxt - 1, TcpFlags.ACK, 502, 0, ts(tw.tsRecent - 50, 0), 100, null);
    t.a.input(old);
    // tcp_timewait_state_process (Linux 6.15+): LINUX_MIB_PAWS_TW_REJECTED, nstat's
    // TcpExtPAWSTimewait, with drop reason TCP_RFC7323_TW_PAWS; ESTABLISHED's counter stays.
    assertEquals(1, t.a.counter(TcpMib.TcpExtPAWSTimewait));
    assertEquals(0, t.a.counter(TcpMib.TcpExtPAWSEstab));
    assertEquals(1, t.a.drops(DropReason.TCP_RFC7323_TW_PAWS));
    assertEquals(List.of("5.000000 a > . 2:2(0) ack 2 win 502"), t.wireWithoutOptions());
    // tcp_timewait_state_process restarts the timer for a PAWS reject.
    assertEquals(Nanos.seconds(5) + TcpTimeouts.timerWheelDelayNanos(Nanos.seconds(5),
        Nanos.seconds(60), 250), tw.expiresAtNanos());
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
  }

  @Test
  void aSynWithAHigherSequenceOpensANewIncarnationWithIsnOldSndNxtPlus65537() {
    TwoStacks t = new TwoStacks(105);
    TcpConnection[] cs = DataTransferTest.established(t);
    TcpConnection listener = t.b.sockets().get(0);
    // The server closes first, so the server keeps TIME-WAIT.
    cs[1].close();
    t.runFor(Nanos.millis(50));
    cs[0].close();
    t.runFor(Nanos.millis(50));
    TimeWaitSocket tw = t.b.timeWaitSockets().get(0);
    int port = cs[0].localPort();
    t.runFor(Nanos.seconds(1));
    t.wire.clear();
    // The same client port again: its SYN is beyond RCV.NXT (the ISN clock moved on).
    TcpConnection again = t.a.socket();
    assertNull(t.a.bind(again, port));
    assertNull(t.a.connect(again, TwoStacks.B_ADDR, 8080));
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.ESTABLISHED, again.state());
    assertFalse(tw.alive());
    assertNotNull(t.b.accept(listener));
    Segment synAck = t.segments.stream().filter(s -> s.has(TcpFlags.SYN) && s.has(TcpFlags.ACK))
        .reduce((x, y) -> y).orElseThrow();
    assertEquals(tw.sndNxt + 65535 + 2, synAck.seq()); // TCP_TW_SYN's tcp_tw_isn
    assertEquals(List.of(
        "1.200000 a > S 0:0(0) win 64240",
        "1.210000 b > S. 0:0(0) ack 1 win 65160",
        "1.220000 a > . 1:1(0) ack 1 win 502"), t.wireWithoutOptions());
  }

  @Test
  void aSynThatIsNotNewIsAnsweredWithAnAckFromTimeWait() {
    TwoStacks t = new TwoStacks(106);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[1].close();
    t.runFor(Nanos.millis(50));
    cs[0].close();
    t.runFor(Nanos.millis(50));
    TimeWaitSocket tw = t.b.timeWaitSockets().get(0);
    long expires = tw.expiresAtNanos();
    t.wire.clear();
    // No timestamp and a sequence number below RCV.NXT: maybe an old duplicate: TCP_TW_ACK.
    t.b.input(new Segment(tw.remoteAddr, tw.remotePort, tw.localAddr, tw.localPort,
        tw.rcvNxt - 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0, null));
    assertEquals(List.of("0.200000 b > . 2:2(0) ack 2 win 510"), t.wireWithoutOptions());
    assertTrue(tw.alive());
    assertEquals(expires, tw.expiresAtNanos()); // an ACK-less SYN does not restart the timer
  }

  @Test
  void beyondTcpMaxTwBucketsASocketSkipsTimeWait() {
    TcpSysctls none = TcpSysctls.defaults().with(Sysctl.TCP_MAX_TW_BUCKETS, 0);
    TwoStacks t = new TwoStacks(107, none, TcpSysctls.defaults());
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].shutdownWrite(); // not an orphan: FIN-WAIT-2 stays a full socket until the FIN
    t.runFor(Nanos.millis(50));
    cs[1].close();
    t.runFor(Nanos.millis(50));
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertTrue(t.a.timeWaitSockets().isEmpty());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPTimeWaitOverflow));
    // The last ACK still went out (tcp_fin ACKs before tcp_time_wait fails and calls tcp_done).
    assertEquals("0.160000 a > . 2:2(0) ack 2 win 502",
        t.wireWithoutOptions().get(t.wire.size() - 1));
  }

  @Test
  void beyondTcpMaxTwBucketsAnOrphanSkipsFinWait2AndThePeersFinDrawsARst() {
    TcpSysctls none = TcpSysctls.defaults().with(Sysctl.TCP_MAX_TW_BUCKETS, 0);
    TwoStacks t = new TwoStacks(114, none, TcpSysctls.defaults());
    TcpConnection[] cs = clientClosesFirst(t);
    // tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) found no room at the ACK of our FIN: tcp_done.
    assertEquals(TcpState.CLOSE, cs[0].state());
    assertEquals(1, t.a.counter(TcpMib.TcpExtTCPTimeWaitOverflow));
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.112000 b > . 1:1(0) ack 2 win 510", // delayed ACK: at the tick after the FIN
        "0.150000 b > F. 1:1(0) ack 2 win 510",
        "0.160000 a > R 2:2(0) win 0"), t.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, cs[1].state());
  }

  /** Opens and closes (client first) one connection from a to b:8080; returns the client. */
  private static TcpConnection connectAndCloseFirst(TwoStacks t, TcpConnection listener) {
    return connectAndCloseFirst(t, listener, false);
  }

  private static TcpConnection connectAndCloseFirst(TwoStacks t, TcpConnection listener,
      boolean reuseAddr) {
    TcpConnection c = t.a.socket();
    c.setReuseAddr(reuseAddr);
    assertNull(t.a.connect(c, t.b.address(), 8080));
    t.runFor(Nanos.millis(100));
    TcpConnection s = t.b.accept(listener);
    assertNotNull(s);
    c.close();
    t.runFor(Nanos.millis(50));
    s.close();
    t.runFor(Nanos.millis(50));
    assertEquals(TcpState.TIME_WAIT, c.timeWaitSocket().state());
    return c;
  }

  private static TcpConnection listen(TwoStacks t) {
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 128));
    return l;
  }

  @Test
  void ephemeralPortsHeldInTimeWaitMakeConnectFailWithEaddrnotavail() {
    TcpSysctls fourPorts = TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 40000, 40003);
    TwoStacks t = new TwoStacks(108, fourPorts, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    for (int i = 0; i < 4; i++) {
      connectAndCloseFirst(t, l);
    }
    assertEquals(4, t.a.timeWaitSockets().size());
    assertEquals(4, t.a.localPortsInUse());
    TcpConnection fifth = t.a.socket();
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(fifth, t.b.address(), 8080));
    // tcp_tw_reuse = 2 (the default) does not apply off loopback, however old the entries are.
    t.runFor(Nanos.seconds(30));
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(fifth, t.b.address(), 8080));
    // Another destination may use the same ports: only the 4-tuple must be unique.
    TcpConnection l2 = t.b.socket();
    assertNull(t.b.bind(l2, 8081));
    assertNull(t.b.listen(l2, 128));
    TcpConnection other = t.a.socket();
    assertNull(t.a.connect(other, t.b.address(), 8081));
    // When the first entries expire, their ports are free again.
    t.runFor(Nanos.seconds(35));
    assertNull(t.a.connect(fifth, t.b.address(), 8080));
    assertEquals(4, t.a.counter(TcpMib.TcpExtTW));
  }

  @Test
  void twReuseOneTakesOverATimeWaitPortOnceTheEntryIsMoreThanTcpTwReuseDelayOld() {
    // Linux 6.13+ (tcp_twsk_unique): the entry's stamp is the ms it entered TIME-WAIT, and the
    // port is taken over once tcp_clock_ms() is strictly after stamp + tcp_tw_reuse_delay
    // (1000 ms by default). specs/pkt/close/time-wait-reuse-after-delay.pkt on a 6.18 kernel.
    TcpSysctls onePort = TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 40000, 40000)
        .with(Sysctl.TCP_TW_REUSE, 1);
    TwoStacks t = new TwoStacks(109, onePort, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    TcpConnection first = connectAndCloseFirst(t, l);
    TimeWaitSocket tw = first.timeWaitSocket();
    long entered = tw.tsRecentStampNanos;
    t.runFor(entered + Nanos.millis(1_000) - t.sim.now()); // exactly the delay: not after it
    TcpConnection next = t.a.socket();
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(next, t.b.address(), 8080));
    t.runFor(Nanos.millis(1));
    t.wire.clear();
    assertNull(t.a.connect(next, t.b.address(), 8080));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTWRecycled));
    assertEquals(TcpState.CLOSE, first.state());
    Segment syn = t.segments.get(t.segments.size() - 1);
    assertEquals(tw.sndNxt + 65535 + 2, syn.seq()); // tcp_twsk_unique's write_seq
    assertEquals(tw.tsRecent, syn.options().tsEcr()); // tcp_syn_options echoes the TS.Recent taken over
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.ESTABLISHED, next.state());
  }

  @Test
  void twReuseDelayIsTheSysctlsMilliseconds() {
    TcpSysctls onePort = TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 40000, 40000)
        .with(Sysctl.TCP_TW_REUSE, 1).with(Sysctl.TCP_TW_REUSE_DELAY, 50);
    TwoStacks t = new TwoStacks(117, onePort, TcpSysctls.defaults());
    TcpConnection first = connectAndCloseFirst(t, listen(t));
    long entered = first.timeWaitSocket().tsRecentStampNanos;
    t.runFor(entered + Nanos.millis(50) - t.sim.now());
    TcpConnection next = t.a.socket();
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(next, t.b.address(), 8080));
    t.runFor(Nanos.millis(1));
    assertNull(t.a.connect(next, t.b.address(), 8080));
  }

  @Test
  void twReuseTwoTakesOverOnlyOnLoopback() {
    int lo1 = Ipv4.parse("127.0.0.1");
    int lo2 = Ipv4.parse("127.0.0.2");
    TcpSysctls onePort = TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 40000, 40000);
    TwoStacks t = new TwoStacks(110, lo1, lo2, onePort, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    connectAndCloseFirst(t, l);
    t.runFor(Nanos.seconds(2));
    assertNull(t.a.connect(t.a.socket(), t.b.address(), 8080));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTWRecycled));
  }

  @Test
  void twReuseZeroKeepsTheTimeWaitPortEvenOnLoopback() {
    int lo1 = Ipv4.parse("127.0.0.1");
    int lo2 = Ipv4.parse("127.0.0.2");
    TcpSysctls onePort = TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 40000, 40000)
        .with(Sysctl.TCP_TW_REUSE, 0);
    TwoStacks t = new TwoStacks(111, lo1, lo2, onePort, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    connectAndCloseFirst(t, l);
    t.runFor(Nanos.seconds(2));
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(t.a.socket(), t.b.address(), 8080));
  }

  @Test
  void bindingOverATimeWaitPortNeedsSoReuseaddrOnBothSockets() {
    // As a 6.18 kernel does (inet_bind_conflict with tw_reuse): EADDRINUSE unless both the new
    // socket and the one the entry came from set SO_REUSEADDR.
    TwoStacks t = new TwoStacks(115);
    TcpConnection l = listen(t);
    TcpConnection first = connectAndCloseFirst(t, l, false);
    TcpConnection again = t.a.socket();
    again.setReuseAddr(true);
    assertEquals(Errno.EADDRINUSE, t.a.bind(again, first.localPort()));
    TcpConnection second = connectAndCloseFirst(t, l, true);
    TcpConnection plain = t.a.socket();
    assertEquals(Errno.EADDRINUSE, t.a.bind(plain, second.localPort()));
    TcpConnection both = t.a.socket();
    both.setReuseAddr(true);
    assertNull(t.a.bind(both, second.localPort()));
  }

  @Test
  void anExplicitBindAndConnectTakesOverATimeWaitThatSawTimestampsWhateverTcpTwReuse() {
    // Checked on a 6.18 kernel (tcp_tw_reuse = 0, non-loopback address): bind and connect to
    // the same 4-tuple succeed with timestamps, fail with EADDRNOTAVAIL without.
    TcpSysctls noReuse = TcpSysctls.defaults().with(Sysctl.TCP_TW_REUSE, 0);
    TwoStacks t = new TwoStacks(112, noReuse, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    TcpConnection first = connectAndCloseFirst(t, l, true);
    int port = first.localPort();
    TcpConnection again = t.a.socket();
    assertEquals(Errno.EADDRINUSE, t.a.bind(again, port)); // the entry holds the port
    again.setReuseAddr(true);
    assertNull(t.a.bind(again, port));
    // check_established(..., twp = NULL): tcp_twsk_unique needs only the timestamps.
    assertNull(t.a.connect(again, t.b.address(), 8080));
    assertEquals(TcpState.CLOSE, first.state());
  }

  @Test
  void anExplicitBindAndConnectTakesOverAnOrphanedFinWait2EntryToo() {
    // tcp_twsk_unique clears tcp_tw_reuse for a FIN-WAIT-2 entry, which only matters when the
    // kernel picks the port; with the port bound, any entry that saw timestamps is taken over:
    // specs/pkt/close/orphan-fin-wait-2-taken-over-by-bound-connect.pkt on a 6.18 kernel.
    TwoStacks t = new TwoStacks(116);
    TcpConnection l = listen(t);
    TcpConnection first = t.a.socket();
    first.setReuseAddr(true);
    assertNull(t.a.connect(first, t.b.address(), 8080));
    t.runFor(Nanos.millis(100));
    assertNotNull(t.b.accept(l)); // b never closes: a's FIN is only ACKed
    first.close();
    t.runFor(Nanos.millis(50));
    TimeWaitSocket tw = first.timeWaitSocket();
    assertEquals(TcpState.FIN_WAIT2, tw.substate);
    TcpConnection again = t.a.socket();
    again.setReuseAddr(true);
    assertNull(t.a.bind(again, first.localPort()));
    t.wire.clear();
    assertNull(t.a.connect(again, t.b.address(), 8080));
    assertEquals(1, t.a.counter(TcpMib.TcpExtTWRecycled));
    assertEquals(tw.sndNxt + 65535 + 2, t.segments.get(t.segments.size() - 1).seq());
  }

  @Test
  void anExplicitBindAndConnectFailsOnATimeWaitWithoutTimestamps() {
    TcpSysctls noTs = TcpSysctls.defaults().with(Sysctl.TCP_TIMESTAMPS, 0);
    TwoStacks t = new TwoStacks(113, noTs, TcpSysctls.defaults());
    TcpConnection l = listen(t);
    TcpConnection first = connectAndCloseFirst(t, l, true);
    TcpConnection again = t.a.socket();
    again.setReuseAddr(true);
    assertNull(t.a.bind(again, first.localPort()));
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(again, t.b.address(), 8080));
    assertEquals(TcpState.TIME_WAIT, first.timeWaitSocket().state());
  }

  @Test
  void closingASocketAlreadyInTimeWaitWithUnreadDataSendsNothing() {
    TwoStacks t = new TwoStacks(116);
    TcpConnection[] cs = DataTransferTest.established(t);
    cs[0].shutdownWrite();
    cs[1].send(null, 0, 100);
    cs[1].close();
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(100, cs[0].readableBytes());
    t.wire.clear();
    cs[0].close(); // tcp_close on a TCP_CLOSE socket: no RST, the entry stays
    t.runFor(Nanos.millis(100));
    assertEquals(List.of(), t.wire);
    assertEquals(TcpState.TIME_WAIT, cs[0].timeWaitSocket().state());
    assertEquals(0, t.a.counter(TcpMib.TcpExtTCPAbortOnClose));
  }
}
