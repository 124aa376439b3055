package tcpsim.net.socket;

import static org.junit.jupiter.api.Assertions.*;
import static tcpsim.net.socket.PollEvents.*;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.tcp.TcpInfo;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TwoStacks;

class SocketApiTest extends SocketStoryTest {
  SocketApiTest() {
    super(100);
  }

  @Test
  void descriptorsStartAtThreeAndTheLowestFreeIsReused() {
    assertEquals(3, client.socket().intValue());
    assertEquals(4, client.socket().intValue());
    assertEquals(5, client.socket().intValue());
    assertEquals("0", client.close(4).toString());
    assertEquals(4, client.socket().intValue());
    assertEquals("-1 EBADF (Bad file descriptor)", client.close(9).toString());
  }

  @Test
  void theDescriptorLimitGivesEmfile() {
    client.setNofileLimit(5);
    assertEquals(3, client.socket().intValue());
    assertEquals(4, client.socket().intValue());
    assertEquals("-1 EMFILE (Too many open files)", client.socket().toString());
  }

  @Test
  void aBlockingConnectReturnsZeroOneRoundTripLater() {
    listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, r -> log("connect = " + r));
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of("0.020000 connect = 0"), story);
  }

  @Test
  void aNonBlockingConnectGivesEinprogressThenWritabilityAndSoErrorZero() {
    listening(8080);
    int fd = client.socket().intValue();
    client.setNonBlocking(fd, true);
    log("connect = " + client.connect(fd, B_ADDR, 8080));
    log("connect = " + client.connect(fd, B_ADDR, 8080));
    client.onReady(fd, EPOLLOUT, ready -> {
      log("ready " + PollEvents.describe(ready));
      log("SO_ERROR = " + client.getsockopt(fd, SocketOption.SO_ERROR));
      log("connect = " + client.connect(fd, B_ADDR, 8080));
      log("connect = " + client.connect(fd, B_ADDR, 8080));
    });
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of(
        "0.000000 connect = -1 EINPROGRESS (Operation now in progress)",
        "0.000000 connect = -1 EALREADY (Operation already in progress)",
        "0.020000 ready EPOLLOUT",
        "0.020000 SO_ERROR = 0",
        "0.020000 connect = 0",
        "0.020000 connect = -1 EISCONN (Transport endpoint is already connected)"), story);
  }

  @Test
  void aRefusedNonBlockingConnectReportsErrorAndHangupThenEconnrefusedInSoError() {
    int fd = client.socket().intValue();
    client.setNonBlocking(fd, true);
    client.connect(fd, B_ADDR, 9);
    client.onReady(fd, EPOLLOUT | EPOLLERR, ready -> {
      log("ready " + PollEvents.describe(client.poll(fd)));
      log("SO_ERROR = " + client.getsockopt(fd, SocketOption.SO_ERROR));
      log("SO_ERROR = " + client.getsockopt(fd, SocketOption.SO_ERROR));
    });
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of(
        "0.020000 ready EPOLLIN|EPOLLOUT|EPOLLERR|EPOLLHUP|EPOLLRDNORM|EPOLLWRNORM|EPOLLRDHUP",
        "0.020000 SO_ERROR = 111",
        "0.020000 SO_ERROR = 0"), story);
  }

  /** inet_listen: a socket connect() was called on never listens, not even after the attempt failed. */
  @Test
  void aSocketWhoseConnectWasRefusedCannotListenButAFreshOneCan() {
    int fd = client.socket().intValue();
    client.setNonBlocking(fd, true);
    client.connect(fd, B_ADDR, 9);
    net.runFor(Nanos.seconds(1));
    log("listen = " + client.listen(fd, 1));
    log("connect = " + client.connect(fd, B_ADDR, 9));
    log("listen = " + client.listen(fd, 1));
    int fresh = client.socket().intValue();
    log("listen = " + client.listen(fresh, 1));
    assertEquals(List.of(
        "1.000000 listen = -1 EINVAL (Invalid argument)",
        "1.000000 connect = -1 ECONNREFUSED (Connection refused)",
        "1.000000 listen = -1 EINVAL (Invalid argument)",
        "1.000000 listen = 0"), story);
  }

  @Test
  void anEchoServerAnswersAndBothSidesSeeTheEndOfTheStream() {
    net.a.setKeepPayload(true);
    net.b.setKeepPayload(true);
    int l = listening(7);
    server.accept(l, a -> {
      int conn = a.intValue();
      log("server accepted fd " + conn);
      byte[] buf = new byte[100];
      server.recv(conn, buf, 0, buf.length, n -> {
        log("server read " + n);
        server.send(conn, buf, 0, n.intValue(), w -> log("server wrote " + w));
        server.recv(conn, buf, 0, buf.length, eof -> {
          log("server read " + eof);
          server.close(conn);
        });
      });
    });
    int fd = client.socket().intValue();
    byte[] reply = new byte[100];
    client.connect(fd, B_ADDR, 7, c -> {
      client.send(fd, "hello".getBytes(), 0, 5, w -> log("client wrote " + w));
      client.recv(fd, reply, 0, 100, n -> {
        log("client read " + n + " '" + new String(reply, 0, n.intValue()) + "'");
        client.shutdown(fd, SocketApi.SHUT_WR);
        client.recv(fd, reply, 0, 100, eof -> log("client read " + eof));
      });
    });
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of(
        "0.020000 client wrote 5",
        "0.030000 server accepted fd 4",
        "0.030000 server read 5",
        "0.030000 server wrote 5",
        "0.040000 client read 5 'hello'",
        "0.050000 server read 0",
        "0.060000 client read 0"), story);
    assertEquals(TcpState.TIME_WAIT, client.socketOf(fd).timeWaitSocket().state());
  }

  @Test
  void afterAResetTheFirstCallSaysEconnresetThenSendsGetEpipeAndReadsZero() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, c -> client.send(fd, null, 0, 10, w -> {}));
    client.at(Nanos.millis(100), () -> {
      int s = server.accept(l).intValue();
      server.close(s); // unread data: RST instead of FIN
    });
    client.at(Nanos.millis(200), () -> {
      log("recv = " + client.recv(fd, new byte[10], 0, 10));
      log("send = " + client.send(fd, null, 0, 10));
      log("recv = " + client.recv(fd, new byte[10], 0, 10));
    });
    net.runFor(Nanos.seconds(1));
    assertEquals(List.of(
        "0.200000 recv = -1 ECONNRESET (Connection reset by peer)",
        "0.200000 send = -1 EPIPE (Broken pipe)",
        "0.200000 recv = 0"), story);
    assertEquals(1, client.sigpipeCount());
  }

  @Test
  void tcpInfoReportsStateRtoCwndAndRtt() {
    listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, c -> {});
    net.runFor(Nanos.millis(100));
    TcpInfo i = client.tcpInfo(fd).value();
    assertEquals(TcpState.ESTABLISHED, i.state());
    assertEquals(1, i.field("tcpi_state"));
    assertEquals(20_000, i.rttMicros());
    assertEquals(220_000, i.rtoMicros()); // SRTT + max(4 RTTVAR, 200 ms)
    assertEquals(10, i.sndCwnd());
    assertEquals(0, i.unacked());
    assertEquals(0, i.retransmits());
  }

  @Test
  void soRcvbufAndSoSndbufAreDoubledAndCappedAsLinuxDoes() {
    int fd = client.socket().intValue();
    client.setsockopt(fd, SocketOption.SO_RCVBUF, 10_000);
    assertEquals(20_000, client.getsockopt(fd, SocketOption.SO_RCVBUF).intValue());
    client.setsockopt(fd, SocketOption.SO_SNDBUF, 1 << 30);
    assertEquals(2 * 212_992, client.getsockopt(fd, SocketOption.SO_SNDBUF).intValue());
    client.setsockopt(fd, SocketOption.SO_SNDBUF, 1);
    assertEquals(4608, client.getsockopt(fd, SocketOption.SO_SNDBUF).intValue());
    assertEquals("-1 EINVAL (Invalid argument)",
        client.setsockopt(fd, SocketOption.TCP_KEEPCNT, 0).toString());
    assertEquals(7200, client.getsockopt(fd, SocketOption.TCP_KEEPIDLE).intValue());
  }

  @Test
  void aFreshSocketPollsWritableAndHungUpAndAListenerReadableWhenAConnectionWaits() {
    int fd = client.socket().intValue();
    assertEquals(EPOLLOUT | EPOLLWRNORM | EPOLLHUP, client.poll(fd));
    int l = listening(8080);
    assertEquals(0, server.poll(l));
    int c = client.socket().intValue();
    client.connect(c, B_ADDR, 8080);
    net.runFor(Nanos.millis(100));
    assertEquals(EPOLLIN | EPOLLRDNORM, server.poll(l));
  }

  @Test
  void halfCloseLetsThePeerKeepSending() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, c -> client.shutdown(fd, SocketApi.SHUT_WR));
    net.runFor(Nanos.millis(100));
    int s = server.accept(l).intValue();
    assertEquals("0", server.recv(s, new byte[10], 0, 10).toString()); // EOF
    assertEquals("10", server.send(s, null, 0, 10).toString());
    net.runFor(Nanos.millis(100));
    assertEquals(TcpState.FIN_WAIT2, client.socketOf(fd).state());
    assertEquals(TcpState.CLOSE_WAIT, server.socketOf(s).state());
    assertEquals("10", client.recv(fd, new byte[10], 0, 10).toString());
    assertEquals("-1 EPIPE (Broken pipe)", client.send(fd, null, 0, 1).toString());
  }

  @Test
  void aNonBlockingSendFillsTheBufferThenEagainAndWritabilityReturnsAsAcksDrainIt() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    client.setsockopt(fd, SocketOption.SO_SNDBUF, 8192); // sk_sndbuf 16384
    client.connect(fd, B_ADDR, 8080, c -> {});
    net.runFor(Nanos.millis(100));
    int s = server.accept(l).intValue();
    server.onReady(s, EPOLLIN, r -> {}); // keep the peer reading below
    assertEquals("16384", client.send(fd, null, 0, 100_000).toString());
    assertEquals("-1 EAGAIN (Resource temporarily unavailable)",
        client.send(fd, null, 0, 1).toString());
    assertEquals(0, client.poll(fd) & EPOLLOUT);
    client.onReady(fd, EPOLLOUT, ready -> log("writable, outq " + client.outq(fd)));
    byte[] sink = new byte[1 << 16];
    server.recv(s, sink, 0, sink.length, n -> log("server read " + n));
    net.runFor(Nanos.millis(100));
    // IW10 lets 14480 bytes out at once; their ACK (0.12 s) frees the buffer past the writable
    // threshold while the last 1904 bytes are in flight.
    assertEquals(List.of("0.110000 server read 14480", "0.120000 writable, outq 1904"), story);
  }

  @Test
  void thePeersFinMakesTheSocketReadableWithRdhupAndReadsReturnZero() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    client.connect(fd, B_ADDR, 8080, c -> {});
    net.runFor(Nanos.millis(100));
    int s = server.accept(l).intValue();
    assertEquals(EPOLLOUT | EPOLLWRNORM, client.poll(fd));
    server.close(s);
    client.onReady(fd, EPOLLRDHUP, ready -> {
      log("ready " + PollEvents.describe(ready));
      log("recv = " + client.recv(fd, new byte[1], 0, 1));
    });
    net.runFor(Nanos.millis(100));
    assertEquals(List.of("0.110000 ready EPOLLRDHUP", "0.110000 recv = 0"), story);
    assertEquals(EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM | EPOLLRDHUP, client.poll(fd));
  }

  @Test
  void getsocknameAndGetpeernameNameBothEnds() {
    int l = listening(8080);
    int fd = client.socket().intValue();
    assertEquals("-1 ENOTCONN (Transport endpoint is not connected)",
        client.getpeername(fd).toString());
    client.connect(fd, B_ADDR, 8080, c -> {});
    net.runFor(Nanos.millis(100));
    int[] me = client.getsockname(fd).value();
    int[] peer = client.getpeername(fd).value();
    assertEquals(TwoStacks.A_ADDR, me[0]);
    assertTrue(me[1] >= 32768 && me[1] <= 60999);
    assertArrayEquals(new int[] {B_ADDR, 8080}, peer);
    assertEquals(8080, server.getsockname(l).value()[1]);
  }
}
