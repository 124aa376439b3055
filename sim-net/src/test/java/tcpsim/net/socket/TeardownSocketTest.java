package tcpsim.net.socket;

import static org.junit.jupiter.api.Assertions.*;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.tcp.TcpMib;
import tcpsim.net.tcp.TcpState;

/**
 * Teardown as the application sees it (tcp_close, tcp_shutdown, sk_stream_wait_close, tcp_reset's
 * errors), told as stories: calls at virtual times, then the log, the states and the wire.
 */
class TeardownSocketTest extends SocketStoryTest {
  TeardownSocketTest() {
    super(400);
  }

  /** Connects a client to a listening server; returns {client fd, server fd} at 0.1 s. */
  private int[] connected() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, r -> {});
    net.runFor(Nanos.millis(100));
    int s = server.accept(l).intValue();
    net.wire.clear();
    return new int[] {fd, s};
  }

  private void drain(int fd) {
    server.recv(fd, new byte[65536], 0, 65536, n -> {
      if (n.intValue() > 0) {
        drain(fd);
      } else {
        log("server read " + n);
      }
    });
  }

  @Test
  void soLingerWithATimeoutBlocksCloseUntilTheFinIsAcked() {
    int[] fds = connected();
    drain(fds[1]);
    client.send(fds[0], null, 0, 10_000, w -> log("client wrote " + w));
    client.setLinger(fds[0], true, 5);
    client.close(fds[0], r -> log("close = " + r));
    net.runFor(Nanos.seconds(1));
    // close returned when the FIN was acknowledged; the server's ACK of a FIN after data waits
    // for its delayed-ACK timer (pingpong, 40 ms = 10 jiffies at HZ=250, from mid-jiffy 27,
    // fired a tick past its expiry at jiffy 38), so that is at 0.162 s.
    assertEquals(List.of("0.100000 client wrote 10000", "0.110000 server read 0",
        "0.162000 close = 0"), story);
    assertEquals(TcpState.FIN_WAIT2, client.stack().timeWaitSockets().get(0).state());
  }

  @Test
  void siocoutqCountsTheFinUntilItIsAcknowledged() {
    int[] fds = connected();
    drain(fds[1]);
    client.send(fds[0], null, 0, 100, w -> { });
    client.shutdown(fds[0], 1); // SHUT_WR: tcp_send_fin advances write_seq
    log("outq " + client.outq(fds[0]).intValue());
    net.runFor(Nanos.seconds(1));
    log("outq " + client.outq(fds[0]).intValue());
    assertEquals(List.of("0.100000 outq 101", "0.110000 server read 0", "1.100000 outq 0"), story);
  }

  @Test
  void soLingerTimeoutReturnsZeroAndTheOrphanKeepsDelivering() {
    int[] fds = connected();
    client.send(fds[0], null, 0, 100_000, w -> log("client wrote " + w));
    client.at(Nanos.seconds(1), () -> {
      client.setLinger(fds[0], true, 5);
      client.close(fds[0], r -> log("close = " + r));
    });
    server.at(Nanos.seconds(10), () -> drain(fds[1])); // the server reads only from 10 s on
    net.runFor(Nanos.seconds(12));
    // The peer's window stayed shut: close waited its 5 s and returned 0 anyway; the orphan
    // still held its data and FIN and delivered both once the window opened.
    assertEquals(List.of("0.120000 client wrote 100000", "6.000000 close = 0",
        "10.020000 server read 0"), story);
  }

  @Test
  void closeWaitLastsUntilCloseAndAServerThatNeverClosesReachesEmfile() {
    server.setNofileLimit(6); // descriptors 3 (listener), 4 and 5
    int l = listening(8080);
    for (int i = 0; i < 3; i++) {
      int fd = client.socket().intValue();
      client.connect(fd, B_ADDR, 8080, r -> client.close(fd)); // each client hangs up at once
    }
    server.at(Nanos.millis(100), () -> {
      for (int i = 0; i < 3; i++) {
        log("accept = " + server.accept(l)); // the server forgets to close what it accepts
      }
    });
    net.runFor(Nanos.seconds(100));
    assertEquals(List.of("0.100000 accept = 4", "0.100000 accept = 5",
        "0.100000 accept = -1 EMFILE (Too many open files)"), story);
    // The accepted sockets sit in CLOSE_WAIT for as long as the server holds them.
    assertEquals(TcpState.CLOSE_WAIT, server.socketOf(4).state());
    assertEquals(TcpState.CLOSE_WAIT, server.socketOf(5).state());
    assertEquals(1, server.socketOf(l).listener().acceptQueueLength());
    server.close(4);
    net.runFor(Nanos.millis(100));
    assertEquals(4, server.accept(l).intValue());
  }

  @Test
  void writeAfterThePeerClosedSucceedsOnceThenTheRstMakesItEpipe() {
    int[] fds = connected();
    server.close(fds[1]); // nothing unread: FIN
    net.runFor(Nanos.millis(100));
    assertEquals(TcpState.CLOSE_WAIT, client.socketOf(fds[0]).state());
    log("send = " + client.send(fds[0], null, 0, 10));
    net.runFor(Nanos.millis(100));
    log("send = " + client.send(fds[0], null, 0, 10));
    log("recv = " + client.recv(fds[0], new byte[10], 0, 10));
    log("recv = " + client.recv(fds[0], new byte[10], 0, 10));
    assertEquals(List.of(
        "0.200000 send = 10",
        // tcp_reset in CLOSE_WAIT sets EPIPE (the FIN came first): SIGPIPE with it
        "0.300000 send = -1 EPIPE (Broken pipe)",
        "0.300000 recv = 0",
        "0.300000 recv = 0"), story);
    assertEquals(1, client.sigpipeCount());
    // The orphaned peer in FIN-WAIT-2 answered the data with a RST (tcp_timewait_state_process).
    assertEquals(List.of(
        "0.100000 b > F. 1:1(0) ack 1 win 510",
        "0.112000 a > . 1:1(0) ack 2 win 502", // the FIN's delayed ACK: the next tick
        "0.200000 a > P. 1:11(10) ack 2 win 502",
        "0.210000 b > R 2:2(0) win 0"), net.wireWithoutOptions());
    // As a 6.18 kernel counted it: a RST out, but no TcpExtTCPAbortOnData from the timewait path.
    assertEquals(1, net.b.counter(TcpMib.TcpOutRsts));
    assertEquals(0, net.b.counter(TcpMib.TcpExtTCPAbortOnData));
  }

  @Test
  void sendAfterShutdownWrGivesEpipe() {
    int[] fds = connected();
    assertTrue(client.shutdown(fds[0], SocketApi.SHUT_WR).isOk());
    assertEquals("-1 EPIPE (Broken pipe)", client.send(fds[0], null, 0, 10).toString());
    assertEquals(1, client.sigpipeCount());
    net.runFor(Nanos.millis(100));
    assertEquals(TcpState.FIN_WAIT2, client.socketOf(fds[0]).state());
    // FIN-WAIT-2 by shutdown has no timer: the peer may send for as long as it likes.
    net.runFor(Nanos.seconds(300));
    assertEquals(TcpState.FIN_WAIT2, client.socketOf(fds[0]).state());
    server.send(fds[1], null, 0, 100);
    net.runFor(Nanos.millis(100));
    assertEquals("100", client.recv(fds[0], new byte[200], 0, 200).toString());
  }

  @Test
  void shutdownRdSendsNothing() {
    int[] fds = connected();
    assertTrue(client.shutdown(fds[0], SocketApi.SHUT_RD).isOk());
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of(), net.wire);
    assertEquals("0", client.recv(fds[0], new byte[10], 0, 10).toString());
    assertEquals(TcpState.ESTABLISHED, client.socketOf(fds[0]).state());
  }

  @Test
  void shutdownRdwrSendsAFinAndReadsReturnZero() {
    int[] fds = connected();
    assertTrue(client.shutdown(fds[0], SocketApi.SHUT_RDWR).isOk());
    net.runFor(Nanos.millis(100));
    assertEquals("0.100000 a > F. 1:1(0) ack 1 win 502", net.wireWithoutOptions().get(0));
    assertEquals("0", client.recv(fds[0], new byte[10], 0, 10).toString());
    assertEquals(TcpState.FIN_WAIT2, client.socketOf(fds[0]).state());
  }

  @Test
  void shutdownRdOnAListenerStopsItListeningButKeepsTheDescriptor() {
    int l = listening(8080);
    // inet_shutdown: SHUT_WR does nothing to a listener; SHUT_RD is tcp_disconnect.
    assertTrue(server.shutdown(l, SocketApi.SHUT_WR).isOk());
    assertEquals(TcpState.LISTEN, server.socketOf(l).state());
    assertTrue(server.shutdown(l, SocketApi.SHUT_RD).isOk());
    assertEquals(TcpState.CLOSE, server.socketOf(l).state());
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, r -> log("connect = " + r));
    net.runFor(Nanos.millis(100));
    assertEquals(List.of("0.020000 connect = -1 ECONNREFUSED (Connection refused)"), story);
    assertTrue(server.close(l).isOk());
  }

  @Test
  void afterThePeersFinAReadReturnsZeroAndLeavesTheRstsErrorToSend() {
    int[] fds = connected();
    server.shutdown(fds[1], SocketApi.SHUT_WR); // the server's FIN: the client is in CLOSE_WAIT
    net.runFor(Nanos.millis(100));
    client.shutdown(fds[0], SocketApi.SHUT_WR); // the client's FIN: LAST_ACK
    assertEquals(TcpState.LAST_ACK, client.socketOf(fds[0]).state());
    server.setLinger(fds[1], true, 0);
    server.close(fds[1]); // the server aborts: its RST reaches the client in LAST_ACK
    net.runFor(Nanos.millis(100));
    log("recv = " + client.recv(fds[0], new byte[10], 0, 10));
    log("send = " + client.send(fds[0], null, 0, 10));
    log("send = " + client.send(fds[0], null, 0, 10));
    // tcp_reset gives ECONNRESET outside CLOSE_WAIT; tcp_recvmsg_locked returns 0 on SOCK_DONE
    // (the FIN) before it looks at sk_err, so the first send gets the error.
    assertEquals(List.of(
        "0.300000 recv = 0",
        "0.300000 send = -1 ECONNRESET (Connection reset by peer)",
        "0.300000 send = -1 EPIPE (Broken pipe)"), story);
  }

  @Test
  void soLingerZeroOnTheListenerIsInheritedSoClosingTheAcceptedSocketResets() {
    int l = listening(8080);
    server.setLinger(l, true, 0);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, r -> {});
    net.runFor(Nanos.millis(100));
    int s = server.accept(l).intValue();
    // inet_csk_clone_lock -> sk_clone_lock copies sk_flags (SOCK_LINGER) and sk_lingertime.
    assertArrayEquals(new int[] {1, 0}, server.getLinger(s).value());
    net.wire.clear();
    server.close(s);
    net.runFor(Nanos.millis(100));
    assertEquals("0.100000 b > R. 1:1(0) ack 1 win 510", net.wireWithoutOptions().get(0));
  }

  @Test
  void tcpLinger2SetsTheOrphanedFinWait2LifetimeInPlaceOfTcpFinTimeout() {
    int[] fds = connected();
    assertEquals(60, client.getsockopt(fds[0], SocketOption.TCP_LINGER2).intValue());
    client.setsockopt(fds[0], SocketOption.TCP_LINGER2, 2);
    client.close(fds[0]); // the server's ACK of the FIN comes at 0.112 s
    net.runFor(Nanos.millis(100));
    assertEquals(TcpState.FIN_WAIT2, client.stack().timeWaitSockets().get(0).state());
    // tcp_fin_time: linger2 (2 s) instead of tcp_fin_timeout (60 s); the entry's timer lands on
    // the timer wheel's step, so it is gone some ms after 2.112 s.
    net.runFor(Nanos.millis(2_100));
    assertTrue(client.stack().timeWaitSockets().isEmpty());
  }

  @Test
  void tcpLinger2NegativeEndsAnOrphanWhenItsFinIsAckedWithARst() {
    int[] fds = connected();
    client.setsockopt(fds[0], SocketOption.TCP_LINGER2, -1);
    assertEquals(-1, client.getsockopt(fds[0], SocketOption.TCP_LINGER2).intValue());
    client.close(fds[0]);
    net.runFor(Nanos.millis(100));
    // tcp_rcv_state_process, TCP_FIN_WAIT1: an orphan with linger2 < 0 ends at the ACK of its FIN
    // and that ACK is answered with a RST.
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.112000 b > . 1:1(0) ack 2 win 510",
        "0.122000 a > R 2:2(0) win 0"), net.wireWithoutOptions().subList(0, 3));
    assertTrue(client.stack().timeWaitSockets().isEmpty());
    assertEquals(1, client.stack().counter(TcpMib.TcpExtTCPAbortOnData));
  }

  @Test
  void tcpLinger2NegativeMakesCloseInFinWait2AnAbort() {
    int[] fds = connected();
    client.shutdown(fds[0], SocketApi.SHUT_WR);
    net.runFor(Nanos.millis(100));
    assertEquals(TcpState.FIN_WAIT2, client.socketOf(fds[0]).state());
    client.setsockopt(fds[0], SocketOption.TCP_LINGER2, -1);
    net.wire.clear();
    client.close(fds[0]); // tcp_close: no orphan may wait in FIN-WAIT-2, so RST
    assertEquals(List.of("0.200000 a > R. 2:2(0) ack 1 win 502"), net.wireWithoutOptions());
    assertEquals(1, client.stack().counter(TcpMib.TcpExtTCPAbortOnLinger));
  }

  @Test
  void aSocketStillHeldWhenTimeWaitTakesOverIsClosedAtOnce() {
    // tcp_time_wait hands the connection to a light timewait entry and ends the socket with
    // tcp_done (TCP_CLOSE, both directions shut): TCP_INFO says CLOSE, poll says HUP with IN,
    // RDHUP and OUT, read gives 0, write EPIPE, shutdown and getpeername ENOTCONN
    // (tcp_get_info, tcp_poll, tcp_recvmsg's SOCK_DONE, inet_shutdown, inet_getname). Checked on
    // a 6.18 kernel: specs/pkt/close/time-wait-socket-reports-close.pkt.
    int[] fds = connected();
    assertTrue(client.shutdown(fds[0], SocketApi.SHUT_WR).isOk());
    server.at(Nanos.millis(150), () -> server.close(fds[1]));
    net.runFor(Nanos.millis(200));
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.112000 b > . 1:1(0) ack 2 win 510",
        "0.150000 b > F. 1:1(0) ack 2 win 510",
        "0.160000 a > . 2:2(0) ack 2 win 502"), net.wireWithoutOptions());
    assertEquals(TcpState.CLOSE, client.tcpInfo(fds[0]).value().state());
    assertEquals(TcpState.TIME_WAIT, client.stack().timeWaitSockets().get(0).state());
    assertEquals(PollEvents.EPOLLIN | PollEvents.EPOLLRDNORM | PollEvents.EPOLLRDHUP
        | PollEvents.EPOLLOUT | PollEvents.EPOLLWRNORM | PollEvents.EPOLLHUP, client.poll(fds[0]));
    assertEquals(0, client.recv(fds[0], new byte[100], 0, 100).intValue());
    assertEquals(Errno.EPIPE, client.send(fds[0], null, 0, 10).errno());
    assertEquals(Errno.ENOTCONN, client.shutdown(fds[0], SocketApi.SHUT_RD).errno());
    assertEquals(Errno.ENOTCONN, client.getpeername(fds[0]).errno());
  }

  @Test
  void underSoLingerTheSocketBecomesAnOrphanOnlyWhenCloseReturns() {
    // __tcp_close waits (sk_stream_wait_close) before sock_orphan: during the 3 s wait the FIN's
    // retransmissions count against tcp_retries2, and tcp_orphan_retries (here 1: a budget of
    // (2^2 - 1) x 200 ms = 0.6 s from the first RTO at 0.548 s) applies only from 3.1 s on.
    net.a.setSysctls(net.a.sysctls().with(tcpsim.net.tcp.Sysctl.TCP_ORPHAN_RETRIES, 1));
    int[] fds = connected();
    net.dropAll("b", seg -> true); // the server's host is gone silent
    client.setLinger(fds[0], true, 3);
    client.close(fds[0], r -> log("close = " + r));
    long[] diedAt = {-1};
    net.a.addStateObserver((now, c, from, to, cause) -> {
      if (to == TcpState.CLOSE) {
        diedAt[0] = now;
      }
    });
    net.runFor(Nanos.seconds(10));
    assertEquals(List.of("3.100000 close = 0"), story);
    // A tail loss probe, then RTOs doubling; the RTO at 1.888 s would have ended an orphan. The one
    // firing at 3.68 s finds the orphan's budget spent and ends it without sending.
    assertEquals(List.of(
        "0.100000 a > F. 1:1(0) ack 1 win 502",
        "0.324000 a > F. 1:1(0) ack 1 win 502",
        "0.548000 a > F. 1:1(0) ack 1 win 502",
        "0.992000 a > F. 1:1(0) ack 1 win 502",
        "1.888000 a > F. 1:1(0) ack 1 win 502"), net.wireWithoutOptions().stream()
            .filter(w -> w.contains(" a > ")).toList());
    assertEquals(Nanos.millis(3_680), diedAt[0]); // 3.62 s ideally; on the wheel's 8-jiffy step
    assertEquals(1, net.a.counter(TcpMib.TcpExtTCPAbortOnTimeout));
  }
}
