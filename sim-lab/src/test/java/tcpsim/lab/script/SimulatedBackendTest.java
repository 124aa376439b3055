package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.ScriptBackend.SyscallCompletion;
import tcpsim.lab.script.ScriptBackend.SyscallOutcome;
import tcpsim.lab.script.ScriptBackend.SyscallRequest;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.lab.script.ScriptBackend.TimedSegment;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/** The simulated stack seen through the backend interface, one behaviour of the seam per test. */
class SimulatedBackendTest {
  private static final SourcePos AT = new SourcePos("test.pkt", 1, 1);
  private final SimulatedBackend backend = new SimulatedBackend();

  private static Expr i(long v) {
    return new Expr.IntLit(AT, v);
  }

  private static Expr sym(String name) {
    return new Expr.Sym(AT, name);
  }

  private static Expr dots() {
    return new Expr.Ellipsis(AT);
  }

  private SyscallOutcome call(String name, Expr... args) {
    return backend.syscall(new SyscallRequest(name, List.of(args), AT));
  }

  private SyscallResult returned(String name, Expr... args) {
    return assertInstanceOf(SyscallOutcome.Returned.class, call(name, args)).result();
  }

  private static Segment fromRemote(int flags, int seq, int ack, TcpOptions options) {
    return new Segment(ScriptRunner.REMOTE_ADDRESS, ScriptRunner.REMOTE_EPHEMERAL_PORT,
        ScriptRunner.LOCAL_ADDRESS, ScriptRunner.SERVER_PORT, seq, ack, flags, 65535, 0, options, 0, null);
  }

  private int listen() {
    int fd = (int) returned("socket", dots(), sym("SOCK_STREAM"), sym("IPPROTO_TCP")).ret();
    assertEquals(0, returned("bind", i(fd), dots(), dots()).ret());
    assertEquals(0, returned("listen", i(fd), i(1)).ret());
    return fd;
  }

  @Test
  void aSynToAClosedPortIsAnsweredWithRstAtTheSameVirtualTime() {
    backend.advanceTo(Nanos.millis(5));
    backend.inject(fromRemote(TcpFlags.SYN, 0, 0, TcpOptions.builder().mss(1460).build()));
    TimedSegment rst = backend.awaitOutbound(Nanos.seconds(1));
    assertNotNull(rst);
    assertEquals(Nanos.millis(5), rst.atNanos());
    assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.segment().flags());
    assertEquals(1, rst.segment().ack());
  }

  @Test
  void awaitingWithNothingToSendRunsTheClockToTheDeadlineAndReturnsNull() {
    assertNull(backend.awaitOutbound(Nanos.seconds(2)));
    assertEquals(Nanos.seconds(2), backend.nowNanos());
  }

  @Test
  void descriptorsStartAtThreeAndReuseTheLowestFree() {
    assertEquals(3, returned("socket", dots(), sym("SOCK_STREAM"), sym("IPPROTO_TCP")).ret());
    assertEquals(4, returned("socket", dots(), sym("SOCK_STREAM"), sym("IPPROTO_TCP")).ret());
    assertEquals(0, returned("close", i(3)).ret());
    assertEquals(3, returned("socket", dots(), sym("SOCK_STREAM"), sym("IPPROTO_TCP")).ret());
    assertEquals("EBADF", returned("close", i(9)).errno());
  }

  @Test
  void aBlockingAcceptCompletesWhenTheHandshakeDoes() {
    int l = listen();
    assertInstanceOf(SyscallOutcome.Blocked.class, call("accept", i(l), dots(), dots()));
    backend.inject(fromRemote(TcpFlags.SYN, 0, 0, TcpOptions.builder().mss(1460).build()));
    Segment synAck = backend.awaitOutbound(Nanos.seconds(1)).segment();
    assertNull(backend.takeCompletion());
    backend.advanceTo(Nanos.millis(10));
    backend.inject(fromRemote(TcpFlags.ACK, 1, synAck.seq() + 1, TcpOptions.NONE));
    SyscallCompletion done = backend.takeCompletion();
    assertEquals(new SyscallCompletion(Nanos.millis(10), SyscallResult.ok(4)), done);
    assertTrue(backend.socketMatches("established", 8080));
    assertEquals(TcpState.ESTABLISHED.code(), backend.tcpInfo(4).get("tcpi_state"));
  }

  @Test
  void getsockoptFillsTheIntPointerAndSoLingerTakesItsStruct() {
    int fd = listen();
    SyscallResult r = returned("getsockopt", i(fd), sym("SOL_TCP"), sym("TCP_KEEPIDLE"),
        new Expr.Array(AT, List.of(i(0))), new Expr.Array(AT, List.of(i(4))));
    assertEquals(7200L, r.intPointers().get(3));
    assertEquals(4L, r.intPointers().get(4), "optlen is sizeof(int)");
    Expr linger = new Expr.Struct(AT, List.of(new Expr.Field(AT, "onoff", null, i(1)),
        new Expr.Field(AT, "linger", null, i(0))));
    assertEquals(0, returned("setsockopt", i(fd), sym("SOL_SOCKET"), sym("SO_LINGER"), linger, i(8)).ret());
    assertEquals(0, returned("getsockopt", i(fd), sym("SOL_SOCKET"), sym("SO_LINGER"), linger, dots()).ret());
  }

  @Test
  void tcpLinger2ReportsTcpFinTimeoutUntilSetAndTakesANegativeValue() {
    int fd = listen();
    Expr[] ptr = {new Expr.Array(AT, List.of(i(0))), new Expr.Array(AT, List.of(i(4)))};
    assertEquals(60L, returned("getsockopt", i(fd), sym("SOL_TCP"), sym("TCP_LINGER2"), ptr[0],
        ptr[1]).intPointers().get(3));
    assertEquals(0, returned("setsockopt", i(fd), i(6), i(8), i(-5), i(4)).ret()); // by number
    assertEquals(-1L, returned("getsockopt", i(fd), sym("SOL_TCP"), sym("TCP_LINGER2"), ptr[0],
        ptr[1]).intPointers().get(3));
  }

  @Test
  void callsAndOptionsTheStackDoesNotModelAreNamed() {
    assertEquals(new SyscallOutcome.Unsupported("system call epoll_create()"), call("epoll_create", i(1)));
    assertEquals(new SyscallOutcome.Unsupported("socket type SOCK_DGRAM (only SOCK_STREAM)"),
        call("socket", dots(), sym("SOCK_DGRAM"), i(0)));
    int fd = listen();
    assertEquals(new SyscallOutcome.Unsupported("socket option TCP_CONGESTION"),
        call("setsockopt", i(fd), sym("SOL_TCP"), sym("TCP_CONGESTION"), dots(), i(4)));
  }

  @Test
  void sysctlsAreSetByNameAndUnmodelledOnesRefused() {
    assertTrue(backend.setSysctl("net.ipv4.tcp_fin_timeout", "3"));
    assertEquals(3, backend.stack().sysctls().finTimeoutSeconds());
    assertTrue(backend.setSysctl("/proc/sys/net/ipv4/tcp_syn_retries", "2"));
    assertEquals(2, backend.stack().sysctls().synRetries());
    assertFalse(backend.setSysctl("net.ipv4.tcp_mtu_probing", "1"));
    assertTrue(backend.setSysctl("net.ipv4.tcp_congestion_control", "cubic"));
    assertTrue(backend.setSysctl("net.ipv4.tcp_congestion_control", "reno"));
    assertFalse(backend.setSysctl("net.ipv4.tcp_congestion_control", "bbr"));
  }

  @Test
  void aQueueThatDropsAllSendsNothingButTheWireLogShowsTheDrop() {
    List<String> wire = new ArrayList<>();
    backend.setWireLog(wire::add);
    backend.setQueueDropsAll(true);
    backend.inject(fromRemote(TcpFlags.SYN, 0, 0, TcpOptions.NONE));
    assertNull(backend.awaitOutbound(Nanos.seconds(1)));
    assertEquals(2, wire.size());
    assertTrue(wire.get(1).endsWith("(dropped by the local queue)"), wire.get(1));
  }

  @Test
  void pollReportsReadinessAndABlockingPollEndsAtItsTimeout() {
    int fd = listen();
    Expr pollfd = new Expr.Array(AT, List.of(new Expr.Struct(AT, List.of(
        new Expr.Field(AT, "fd", null, i(fd)), new Expr.Field(AT, "events", null, sym("POLLIN")),
        new Expr.Field(AT, "revents", null, i(0))))));
    assertEquals(0, returned("poll", pollfd, i(1), i(0)).ret());
    assertInstanceOf(SyscallOutcome.Blocked.class, call("poll", pollfd, i(1), i(100)));
    backend.advanceTo(Nanos.millis(100));
    assertEquals(new SyscallCompletion(Nanos.millis(100), SyscallResult.ok(0)), backend.takeCompletion());
  }

  @Test
  void theSameSeedGivesTheSameIsn() {
    SimulatedBackend other = new SimulatedBackend();
    int[] isn = new int[2];
    SimulatedBackend[] both = {backend, other};
    for (int k = 0; k < 2; k++) {
      SimulatedBackend b = both[k];
      b.syscall(new SyscallRequest("socket", List.of(dots(), sym("SOCK_STREAM"), i(6)), AT));
      b.syscall(new SyscallRequest("bind", List.of(i(3), dots(), dots()), AT));
      b.syscall(new SyscallRequest("listen", List.of(i(3), i(1)), AT));
      b.inject(fromRemote(TcpFlags.SYN, 0, 0, TcpOptions.NONE));
      isn[k] = b.awaitOutbound(Nanos.seconds(1)).segment().seq();
    }
    assertEquals(isn[0], isn[1]);
    assertEquals(SimulatedBackend.DEFAULT_SEED, backend.seed());
  }
}
