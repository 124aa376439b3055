package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;

class ListenTest {
  @Test
  void theBacklogIsCappedBySomaxconn() {
    TwoStacks t = new TwoStacks(30);
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 1_000_000));
    assertEquals(4096, l.listener().maxAckBacklog);
  }

  /**
   * A listener with backlog 2 (its accept queue holds 3: sk_acceptq_is_full is "more than the
   * backlog"), two clients connected at 0 s and two more at 0.1 s: the fourth's final ACK finds
   * the accept queue full. Returns the four clients; the listener goes into {@code listenerOut}.
   */
  private static TcpConnection[] fourClients(TwoStacks t, TcpConnection[] listenerOut) {
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 2));
    listenerOut[0] = l;
    TcpConnection[] c = new TcpConnection[4];
    for (int i = 0; i < 4; i++) {
      if (i == 2) {
        t.runFor(Nanos.millis(100));
      }
      c[i] = t.a.socket();
      assertNull(t.a.connect(c[i], B_ADDR, 8080));
    }
    return c;
  }

  @Test
  void aFullAcceptQueueDropsTheFinalAckAndTheClientsAckOfTheRetransmittedSynAckCompletesIt() {
    TwoStacks t = new TwoStacks(31);
    TcpConnection[] l = new TcpConnection[1];
    TcpConnection[] c = fourClients(t, l);
    t.runFor(Nanos.millis(100));
    // Every client thinks it is connected; the server has three children and one request left.
    for (TcpConnection x : c) {
      assertEquals(TcpState.ESTABLISHED, x.state());
    }
    assertEquals(3, l[0].listener().acceptQueueLength());
    assertEquals(1, l[0].listener().synQueueLength());
    assertEquals(1, t.b.counter("TcpExtListenOverflows"));
    // The application accepts at 2 s; the SYN-ACK retransmitted at 3.136 s draws the client's
    // (challenge) ACK, which now finds room. The request timer lands on the timer wheel's 8-jiffy
    // step at HZ=250: armed at jiffy 27 for 250 jiffies it fires at 280 (1.12 s), then for 500
    // at 784 (3.136 s), as reqsk_timer_handler's mod_timer does.
    t.runFor(Nanos.seconds(2) - Nanos.millis(200));
    assertNotNull(t.b.accept(l[0]));
    t.runFor(Nanos.seconds(1) + Nanos.millis(200));
    assertEquals(0, l[0].listener().synQueueLength());
    assertEquals(3, l[0].listener().acceptQueueLength());
    String retransmitted = t.wire.stream().filter(w -> w.contains(" b > S."))
        .map(w -> w.substring(0, w.indexOf(' '))).toList().toString();
    assertEquals("[0.010000, 0.010000, 0.110000, 0.110000, 1.120000, 3.136000]", retransmitted);
  }

  @Test
  void underTcpAbortOnOverflowTheFinalAckIsAnsweredWithRst() {
    TwoStacks t = new TwoStacks(32, TcpSysctls.defaults(),
        TcpSysctls.defaults().with(Sysctl.TCP_ABORT_ON_OVERFLOW, 1));
    TcpConnection[] l = new TcpConnection[1];
    TcpConnection[] c = fourClients(t, l);
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.ESTABLISHED, c[2].state());
    assertEquals(TcpState.CLOSE, c[3].state());
    assertEquals(Errno.ECONNRESET, c[3].takeError());
    assertTrue(t.wire.stream().anyMatch(w -> w.matches("0\\.130000 b > R 1:1\\(0\\) win 0")),
        String.join("\n", t.wire));
  }

  @Test
  void aSynWhileTheAcceptQueueIsFullIsDroppedAndRetriedByTheClient() {
    TwoStacks t = new TwoStacks(33);
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 1)); // an accept queue of two
    for (int i = 0; i < 2; i++) {
      assertNull(t.a.connect(t.a.socket(), B_ADDR, 8080));
      t.runFor(Nanos.millis(100));
    }
    TcpConnection c3 = t.a.socket();
    assertNull(t.a.connect(c3, B_ADDR, 8080));
    t.runFor(Nanos.millis(500));
    assertEquals(TcpState.SYN_SENT, c3.state());
    assertEquals(1, t.b.counter("TcpExtListenDrops"));
    assertNotNull(t.b.accept(l));
    t.runFor(Nanos.seconds(1));
    assertEquals(TcpState.ESTABLISHED, c3.state()); // the SYN retried at 1.2 s got in
  }

  @Test
  void aFullSynQueueAnswersWithASynCookieThatMakesTheConnectionAtTheAck() {
    TwoStacks t = new TwoStacks(34);
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    // Backlog 0: one request fills the SYN queue and one child the accept queue (both are full
    // when longer than the backlog: inet_csk_reqsk_queue_is_full, sk_acceptq_is_full).
    assertNull(t.b.listen(l, 0));
    TcpConnection c1 = t.a.socket();
    TcpConnection c2 = t.a.socket();
    assertNull(t.a.connect(c1, B_ADDR, 8080));
    t.runFor(Nanos.millis(5));
    assertNull(t.a.connect(c2, B_ADDR, 8080)); // its SYN comes while c1's request is pending
    t.runFor(Nanos.millis(27));
    TcpConnection first = t.b.accept(l); // c1, complete at 30 ms; c2's ACK comes at 35 ms
    assertEquals(c1.localPort(), first.remotePort());
    t.runFor(Nanos.millis(68));
    assertEquals(TcpState.ESTABLISHED, c1.state());
    assertEquals(TcpState.ESTABLISHED, c2.state());
    assertEquals(1, t.b.counter("TcpExtSyncookiesSent"));
    assertEquals(1, t.b.counter("TcpExtSyncookiesRecv"));
    assertEquals(1, l.listener().acceptQueueLength());
    // The cookie SYN-ACK keeps Linux's layout; its TS val's low bits carry wscale 7 and sackOK.
    String cookieSynAck = t.wire.get(3);
    assertTrue(cookieSynAck.startsWith("0.015000 b > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val "),
        cookieSynAck);
    assertTrue(cookieSynAck.endsWith(",nop,wscale 7>"), cookieSynAck);
    TcpConnection second = t.b.accept(l);
    assertEquals(c2.localPort(), second.remotePort());
    // The window scale recovered from the cookie lets a bulk transfer through.
    DataTransferTest.drainOnReadable(t, second, null);
    c2.send(null, 0, 20_000);
    t.runFor(Nanos.seconds(1));
    assertEquals(20_000, second.bytesReceived);
    assertEquals(7, second.sndWscale);
    assertTrue(second.has(TcpConnection.SACK_OK));
  }

  @Test
  void aCookieChildRoundsItsWindowToTheCookiesMssWhereARequestsChildUsesOursLessTimestamps() {
    // cookie_v4_check passes req->mss (1460, from the cookie) to tcp_select_initial_window;
    // tcp_openreq_init_rwin passes advmss less the 12 bytes of timestamps (1448). Measured on 6.18:
    // after a cookie handshake the window reads 1050 (x256) where it otherwise reads 1053.
    TwoStacks t = new TwoStacks(36, TcpSysctls.defaults(),
        TcpSysctls.defaults().with(Sysctl.TCP_SYNCOOKIES, 2));
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 8));
    TcpConnection c = t.a.socket();
    assertNull(t.a.connect(c, B_ADDR, 8080));
    t.runFor(Nanos.millis(100));
    assertEquals(1, t.b.counter("TcpExtSyncookiesRecv"));
    TcpConnection child = t.b.accept(l);
    assertEquals(44 * 1460, child.rcv.rcvWnd()); // 64240; a request's child has 45 x 1448 = 65160
  }

  @Test
  void withoutSyncookiesASynBeyondTheSynQueueIsDropped() {
    TwoStacks t = new TwoStacks(35, TcpSysctls.defaults(),
        TcpSysctls.defaults().with(Sysctl.TCP_SYNCOOKIES, 0));
    TcpConnection l = t.b.socket();
    assertNull(t.b.bind(l, 8080));
    assertNull(t.b.listen(l, 0)); // one request fills the SYN queue
    TcpConnection c1 = t.a.socket();
    TcpConnection c2 = t.a.socket();
    assertNull(t.a.connect(c1, B_ADDR, 8080));
    assertNull(t.a.connect(c2, B_ADDR, 8080));
    t.runFor(Nanos.millis(100));
    assertEquals(TcpState.ESTABLISHED, c1.state());
    assertEquals(TcpState.SYN_SENT, c2.state());
    assertEquals(1, t.b.counter("TcpExtTCPReqQFullDrop"));
    assertNotNull(t.b.accept(l)); // room in the accept queue for the retry
    t.runFor(Nanos.seconds(1));
    assertEquals(TcpState.ESTABLISHED, c2.state()); // its SYN retried at 1 s found room
  }
}
