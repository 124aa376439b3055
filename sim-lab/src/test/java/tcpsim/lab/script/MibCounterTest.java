package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpMib;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpSysctls;

/**
 * Each nstat counter issue 7 names moves where Linux moves it, by exactly as much. A test stages
 * the event once, as a packetdrill script on the simulated backend (a spec of specs/pkt or a
 * script here) or, where more than one peer is needed, as two stacks on a network, and reads the
 * stack's counter, which starts at 0. Each test cites the kernel function that counts.
 *
 * <p>A counter the stack does not keep, or keeps elsewhere than Linux, has its test disabled with
 * "stack gap: ..." saying what Linux does; the test is written so it passes once the gap closes.
 */
class MibCounterTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");

  /** packetdrill's standard settings, as the specs start. */
  private static final String DEFAULTS = "`../common/defaults.sh`\n";

  private static final String LISTEN_AND_ACCEPT = DEFAULTS + """
      0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
      +0    setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
      +0    bind(3, ..., ...) = 0
      +0    listen(3, 1) = 0
      +0    < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
      +0    > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>
      +.01  < . 1:1(0) ack 1 win 1050 <nop,nop,TS val 110 ecr 200>
      +0    accept(3, ..., ...) = 4
      """;

  /** The stack after {@code text} ran and passed. */
  private static TcpStack script(String name, String text) throws ScriptError {
    SimulatedBackend b = new SimulatedBackend();
    ScriptResult r = b.execute(Parser.parse(name, text));
    assertInstanceOf(ScriptResult.Pass.class, r, r::describe);
    return b.stack();
  }

  /** The stack after the spec specs/pkt/{@code relative} ran and passed. */
  private static TcpStack spec(String relative) throws IOException, ScriptError {
    return script(relative, Files.readString(SPECS.resolve(relative), StandardCharsets.UTF_8));
  }

  // ---- opens and failed opens -----------------------------------------------------------------

  @Test
  void anActiveOpenCountsOneActiveOpen() throws Exception {
    TcpStack s = spec("handshake/active-open.pkt");
    assertEquals(1, s.counter("TcpActiveOpens"));
    assertEquals(0, s.counter("TcpPassiveOpens"));
  }

  @Test
  void aPassiveOpenCountsOnePassiveOpenWhenTheHandshakeCompletes() throws Exception {
    TcpStack s = spec("handshake/passive-open.pkt");
    assertEquals(1, s.counter("TcpPassiveOpens"));
    assertEquals(0, s.counter("TcpActiveOpens"));
  }

  @Test
  void aResetToARequestSocketCountsOneAttemptFail() throws Exception {
    // tcp_check_req (net/ipv4/tcp_minisocks.c): RST or SYN for a request -> TCP_MIB_ATTEMPTFAILS,
    // then embryonic_reset drops it (LINUX_MIB_EMBRYONICRSTS).
    TcpStack s = spec("handshake/rst-in-syn-recv-drops-request.pkt");
    assertEquals(1, s.counter("TcpAttemptFails"));
    assertEquals(1, s.counter("TcpExtEmbryonicRsts"));
  }

  @Test
  void aRefusedConnectCountsOneAttemptFail() throws Exception {
    TcpStack s = spec("handshake/connect-refused.pkt");
    assertEquals(1, s.counter("TcpAttemptFails"));
    assertEquals(0, s.counter("TcpEstabResets"));
  }

  @Test
  void aResetInEstablishedCountsOneEstabReset() throws Exception {
    TcpStack s = spec("close/rst-in-established-econnreset.pkt");
    assertEquals(1, s.counter("TcpEstabResets"));
    assertEquals(0, s.counter("TcpAttemptFails"));
  }

  // ---- retransmissions and resets -------------------------------------------------------------

  @Test
  void oneRtoRetransmissionCountsOneRetransmittedSegment() throws Exception {
    // __tcp_retransmit_skb (net/ipv4/tcp_output.c) adds tcp_skb_pcount, here 1, to
    // TCP_MIB_RETRANSSEGS; the original transmission is not counted. (Whether the timer that
    // fires is the RTO or a tail loss probe capped at it, both resend through it.)
    TcpStack s = script("one-rto", LISTEN_AND_ACCEPT + """
        +.1   write(4, ..., 10) = 10
        +0    > P. 1:11(10) ack 1 <...>
        +.2~+.25 > P. 1:11(10) ack 1 <...>
        +.01  < . 1:1(0) ack 11 win 1050 <nop,nop,TS val 400 ecr 300>
        """);
    assertEquals(1, s.counter(TcpMib.TcpRetransSegs), s.counters().toString());
  }

  @Test
  void aSynToAClosedPortCountsOneOutgoingReset() throws Exception {
    // tcp_v4_send_reset (net/ipv4/tcp_ipv4.c) counts TCP_MIB_OUTRSTS for each RST it sends.
    TcpStack s = spec("handshake/syn-to-closed-port-rst.pkt");
    assertEquals(1, s.counter(TcpMib.TcpOutRsts));
  }

  @Test
  void anAbortiveCloseCountsOneOutgoingReset() throws Exception {
    // tcp_send_active_reset (net/ipv4/tcp_output.c) counts TCP_MIB_OUTRSTS too.
    TcpStack s = script("unread-data", LISTEN_AND_ACCEPT + """
        +0    < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>
        +0    > . 1:1(0) ack 11 <...>
        +.2   close(4) = 0
        +0    > R. 1:1(0) ack 11 <...>
        """);
    assertEquals(1, s.counter(TcpMib.TcpOutRsts));
  }

  // ---- TIME_WAIT -------------------------------------------------------------------------------

  @Test
  void aTimeWaitThatRunsItsFullTimeCountsOneTw() throws Exception {
    // tw_timer_handler (net/ipv4/inet_timewait_sock.c) counts LINUX_MIB_TIMEWAITED when the
    // 60 s timer ends the entry.
    TcpStack s = spec("close/time-wait-lasts-60s.pkt");
    assertEquals(1, s.counter(TcpMib.TcpExtTW));
    assertEquals(0, s.counter(TcpMib.TcpExtTWRecycled));
  }

  @Test
  void aTimeWaitEndedEarlyByASynIsNotCountedAsTimeWaited() throws Exception {
    // A SYN taking over the tuple (tcp_timewait_state_process -> TCP_TW_SYN) deschedules the
    // timer (inet_twsk_deschedule_put): neither TIMEWAITED nor TIMEWAITRECYCLED moves.
    TcpStack s = spec("close/time-wait-new-syn-reuses-tuple.pkt");
    assertEquals(0, s.counter(TcpMib.TcpExtTW));
    assertEquals(0, s.counter(TcpMib.TcpExtTWRecycled));
  }

  @Test
  void aConnectFromTheSamePortTakingOverItsTimeWaitCountsOneTwRecycled() throws Exception {
    // __inet_check_established (net/ipv4/inet_hashtables.c): a connect whose 4-tuple is in
    // TIME_WAIT takes the entry over when tcp_twsk_unique allows it (timestamps seen; a port the
    // application bound needs no tcp_tw_reuse) and counts LINUX_MIB_TIMEWAITRECYCLED.
    TcpStack s = script("tw-recycled", DEFAULTS + """
        0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0    setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0    bind(3, ..., ...) = 0
        +0    fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        +0    connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0    > S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>
        +.01  < S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 700 ecr 100,nop,wscale 8>
        +0    > . 1:1(0) ack 1 <nop,nop,TS val 110 ecr 700>
        +.1   close(3) = 0
        +0    > F. 1:1(0) ack 1 <...>
        +.01  < F. 1:1(0) ack 2 win 1050 <nop,nop,TS val 800 ecr 210>
        +0    > . 2:2(0) ack 2 <...>
        +3    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0    setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0    bind(3, ..., ...) = 0
        +0    fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        +0    connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0    > S 65539:65539(0) <...>
        """);
    // The new incarnation starts at the old SND.NXT (2) + 65535 + 2, as __inet_check_established
    // has tcp_seq_start take it from the entry (tw_snd_nxt + 65535 + 2).
    assertEquals(1, s.counter(TcpMib.TcpExtTWRecycled));
    assertEquals(0, s.counter(TcpMib.TcpExtTW));
  }

  @Test
  void anOldDuplicateRejectedByPawsInTimeWaitCountsOnePawsTimewait() throws Exception {
    // tcp_timewait_state_process (net/ipv4/tcp_minisocks.c, Linux 6.15+) counts
    // LINUX_MIB_PAWS_TW_REJECTED (nstat's TcpExtPAWSTimewait), not PAWSEstab, and ACKs. A 6.18
    // kernel running the same spec counted exactly that.
    TcpStack s = spec("close/time-wait-paws-rejects-old-duplicate.pkt");
    assertEquals(1, s.counter(TcpMib.TcpExtPAWSTimewait));
    assertEquals(0, s.counter(TcpMib.TcpExtPAWSEstab));
  }

  // ---- the listener's queues ------------------------------------------------------------------

  @Test
  void aSynFindingTheAcceptQueueFullCountsOneOverflowAndOneDrop() {
    // tcp_conn_request (net/ipv4/tcp_input.c): sk_acceptq_is_full -> LINUX_MIB_LISTENOVERFLOWS,
    // then "drop:" tcp_listendrop -> LINUX_MIB_LISTENDROPS. backlog 1 holds two children
    // (full when ack_backlog > backlog), so the third client's SYN is dropped; it is not
    // retransmitted within the 500 ms watched.
    Simulation sim = new Simulation(0x5eedL);
    Network net = new Network(sim);
    Host server = net.host("server", "10.0.0.2");
    TcpStack serverStack = server.attach((sm, r, ip, a) -> new TcpStack(sm, "server", a, ip, TcpSysctls.defaults()));
    TcpStack[] clients = new TcpStack[3];
    for (int i = 0; i < 3; i++) {
      String name = "client" + i;
      Host h = net.host(name, "10.0.0." + (10 + i));
      clients[i] = h.attach((sm, r, ip, a) -> new TcpStack(sm, name, a, ip, TcpSysctls.defaults()));
      net.duplex(name, "server", "delay 1ms");
    }
    TcpConnection listener = serverStack.socket();
    assertEquals(null, serverStack.bind(listener, 80));
    assertEquals(null, serverStack.listen(listener, 1));
    for (int i = 0; i < 2; i++) {
      assertEquals(null, clients[i].connect(clients[i].socket(), server.address(), 80));
    }
    sim.runFor(Nanos.millis(100));
    assertEquals(2, listener.listener().acceptQueueLength(), "two children fit a backlog of 1");
    assertEquals(0, serverStack.counter(TcpMib.TcpExtListenOverflows));

    assertEquals(null, clients[2].connect(clients[2].socket(), server.address(), 80));
    sim.runFor(Nanos.millis(500));

    assertEquals(1, serverStack.counter(TcpMib.TcpExtListenOverflows));
    assertEquals(1, serverStack.counter(TcpMib.TcpExtListenDrops));
    assertNotNull(serverStack.accept(listener));
  }

  // ---- challenge ACKs and aborts ---------------------------------------------------------------

  @Test
  void anInWindowResetCountsOneChallengeAck() throws Exception {
    // tcp_validate_incoming -> tcp_send_challenge_ack (net/ipv4/tcp_input.c) counts
    // LINUX_MIB_TCPCHALLENGEACK for each challenge ACK it sends (not for those rate-limited).
    TcpStack s = spec("close/rst-in-window-challenge-ack.pkt");
    assertEquals(1, s.counter(TcpMib.TcpExtTCPChallengeACK));
  }

  @Test
  void aSynInEstablishedCountsOneChallengeAck() throws Exception {
    // tcp_validate_incoming's syn_challenge: LINUX_MIB_TCPSYNCHALLENGE, then
    // tcp_send_challenge_ack: LINUX_MIB_TCPCHALLENGEACK.
    TcpStack s = spec("handshake/syn-in-established-challenge-ack.pkt");
    assertEquals(1, s.counter(TcpMib.TcpExtTCPChallengeACK));
    assertEquals(1, s.counter(TcpMib.TcpExtTCPSYNChallenge));
  }

  @Test
  void dataAfterCloseInFinWait1CountsOneAbortOnData() throws Exception {
    // tcp_rcv_state_process (net/ipv4/tcp_input.c), FIN_WAIT_1/2 with RCV_SHUTDOWN: new data
    // counts LINUX_MIB_TCPABORTONDATA, then tcp_reset; tcp_v4_do_rcv answers with a RST whose
    // sequence number is the segment's ACK (tcp_v4_send_reset).
    TcpStack s = script("data-in-fin-wait-1", LISTEN_AND_ACCEPT + """
        +.1   close(4) = 0
        +0    > F. 1:1(0) ack 1 <...>
        +.01  < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 130 ecr 300>
        """);
    assertEquals(1, s.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(0, s.counter(TcpMib.TcpExtTCPAbortOnClose));
  }

  @Test
  void dataForAFinWait2TimewaitEntryIsResetWithoutCountingAbortOnData() throws Exception {
    // With tcp_fin_timeout at 60 s (not above TCP_TIMEWAIT_LEN) an orphan's FIN_WAIT_2 is a
    // timewait entry; tcp_timewait_state_process answers new data with TCP_TW_RST
    // (kill_with_rst) and counts no ABORTONDATA.
    TcpStack s = spec("close/data-after-close-rst.pkt");
    assertEquals(0, s.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(1, s.counter(TcpMib.TcpOutRsts));
  }

  @Test
  void closeWithZeroLingerCountsOneAbortOnData() throws Exception {
    // __tcp_close: "Check zero linger _after_ checking for unread data": disconnect, then
    // LINUX_MIB_TCPABORTONDATA (sic: not ABORTONCLOSE, nor ABORTONLINGER).
    TcpStack s = script("zero-linger", LISTEN_AND_ACCEPT + """
        +0    setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
        +.1   close(4) = 0
        +0    > R. 1:1(0) ack 1 <...>
        """);
    assertEquals(1, s.counter(TcpMib.TcpExtTCPAbortOnData));
    assertEquals(0, s.counter(TcpMib.TcpExtTCPAbortOnClose));
    assertEquals(0, s.counter(TcpMib.TcpExtTCPAbortOnLinger));
  }

  @Test
  void closeWithUnreadDataCountsOneAbortOnClose() throws Exception {
    // tcp_close (net/ipv4/tcp.c): data_was_unread -> RST and LINUX_MIB_TCPABORTONCLOSE.
    TcpStack s = script("unread-data", LISTEN_AND_ACCEPT + """
        +0    < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>
        +0    > . 1:1(0) ack 11 <...>
        +.2   close(4) = 0
        +0    > R. 1:1(0) ack 11 <...>
        """);
    assertEquals(1, s.counter(TcpMib.TcpExtTCPAbortOnClose));
    assertEquals(0, s.counter(TcpMib.TcpExtTCPAbortOnData));
  }

  @Test
  void givingUpAfterTcpRetries2CountsOneAbortOnTimeout() throws Exception {
    // tcp_write_timeout -> tcp_write_err (net/ipv4/tcp_timer.c) counts
    // LINUX_MIB_TCPABORTONTIMEOUT once, when the connection is given up.
    // The spec retries2-gives-up.pkt times this; here only the count matters, so the script
    // waits as long as it takes.
    TcpStack s = script("retries2", LISTEN_AND_ACCEPT + """
        +0    `sysctl -q net.ipv4.tcp_retries2=3`
        +.1   write(4, ..., 10) = 10
        +0    > P. 1:11(10) ack 1 <...>
        +20   read(4, ..., 1000) = -1 ETIMEDOUT (Connection timed out)
        """);
    assertEquals(1, s.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }

  @Test
  void unansweredKeepaliveProbesEndingTheConnectionCountOneAbortOnTimeout() throws Exception {
    // tcp_keepalive_timer (net/ipv4/tcp_timer.c): probes_out >= keepalive_probes ->
    // tcp_send_active_reset, then tcp_write_err counts LINUX_MIB_TCPABORTONTIMEOUT.
    TcpStack s = spec("keepalive/probes-then-reset.pkt");
    assertEquals(1, s.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }

  @Test
  void eachKeepaliveProbeCountsOneKeepAlive() throws Exception {
    TcpStack s = spec("keepalive/probes-then-reset.pkt"); // two probes, then the reset
    assertEquals(2, s.counter("TcpExtTCPKeepAlive"));
  }
}
