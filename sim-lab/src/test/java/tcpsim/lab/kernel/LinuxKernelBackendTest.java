package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.lab.kernel.KernelAssumptions.assumeKernelBackend;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.Expr;
import tcpsim.lab.script.ScriptBackend.SyscallOutcome;
import tcpsim.lab.script.ScriptBackend.SyscallRequest;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.lab.script.ScriptBackend.TimedSegment;
import tcpsim.lab.script.ScriptRunner;
import tcpsim.lab.script.SourcePos;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * The kernel backend's plumbing on the real kernel: a namespace that comes and goes, a helper that
 * answers, a SYN that a listener answers with a SYN-ACK. Isolated: its timing must not share two
 * cores with other test classes.
 */
@Isolated
class LinuxKernelBackendTest {
  static final SourcePos POS = new SourcePos("test", 1, 1);

  @BeforeEach
  void needsTheKernel() {
    assumeKernelBackend();
  }

  static SyscallRequest call(String name, Object... args) {
    List<Expr> a = new ArrayList<>();
    for (Object o : args) {
      if (o instanceof Integer i) {
        a.add(new Expr.IntLit(POS, i));
      } else if (o.equals("...")) {
        a.add(new Expr.Ellipsis(POS));
      } else {
        a.add(new Expr.Sym(POS, (String) o));
      }
    }
    return new SyscallRequest(name, a, POS);
  }

  static SyscallResult returned(SyscallOutcome o) {
    return assertInstanceOf(SyscallOutcome.Returned.class, o).result();
  }

  static void listen(LinuxKernelBackend k) {
    assertEquals(3, returned(k.syscall(call("socket", "...", "SOCK_STREAM", "IPPROTO_TCP"))).ret());
    assertEquals(0, returned(k.syscall(call("bind", 3, "...", "..."))).ret());
    assertEquals(0, returned(k.syscall(call("listen", 3, 1))).ret());
  }

  static Segment remoteSyn() {
    return new Segment(ScriptRunner.REMOTE_ADDRESS, ScriptRunner.REMOTE_EPHEMERAL_PORT,
        ScriptRunner.LOCAL_ADDRESS, ScriptRunner.SERVER_PORT, 0, 0, TcpFlags.SYN, 65535, 0,
        TcpOptions.builder().mss(1460).sackPermitted().timestamp(100, 0).nop().windowScale(8).build(),
        0, null);
  }

  @Test
  void theNamespaceHoldsOnlyLoAndTheTunAndIsGoneAfterClose() {
    String name;
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      name = k.namespace();
      assertTrue(Tools.run("ip", "netns", "list").out().contains(name));
      String routes = Tools.run("ip", "-n", name, "-4", "route").out();
      assertEquals(List.of("192.0.2.0/24 dev tun0 scope link",
          "192.168.0.0/24 dev tun0 proto kernel scope link src 192.168.0.1"),
          routes.lines().map(String::strip).sorted().toList());
      String links = Tools.run("ip", "-n", name, "-o", "link").out();
      assertEquals(2, links.lines().count(), links);
    }
    assertFalse(Tools.run("ip", "netns", "list").out().contains(name));
  }

  @Test
  void theFirstSocketIsDescriptorThreeAsInAFreshProcess() {
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      assertEquals(3, returned(k.syscall(call("socket", "...", "SOCK_STREAM", "IPPROTO_TCP"))).ret());
      assertEquals(4, returned(k.syscall(call("socket", "...", "SOCK_STREAM", "IPPROTO_TCP"))).ret());
      SyscallResult r = returned(k.syscall(call("close", 9)));
      assertEquals(new SyscallResult(-1, "EBADF", java.util.Map.of()), r);
    }
  }

  @Test
  void aSynToAListenerIsAnsweredWithASynAck() {
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      listen(k);
      long sent = k.nowNanos();
      k.inject(remoteSyn());
      TimedSegment t = k.awaitOutbound(sent + Nanos.seconds(2));
      assertNotNull(t, "no SYN-ACK within 2 s");
      Segment s = t.segment();
      assertEquals("S.", TcpFlags.packetdrill(s.flags()));
      assertEquals(1, s.ack());
      assertEquals(ScriptRunner.SERVER_PORT, s.srcPort());
      assertEquals(ScriptRunner.REMOTE_EPHEMERAL_PORT, s.dstPort());
      assertTrue(t.atNanos() >= sent, "the SYN-ACK's time precedes the SYN's");
    }
  }

  @Test
  void aBlockedAcceptReturnsWhenTheHandshakeCompletes() {
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      listen(k);
      assertInstanceOf(SyscallOutcome.Blocked.class, k.syscall(call("accept", 3, "...", "...")));
      assertEquals(null, k.takeCompletion());
      k.inject(remoteSyn());
      Segment synAck = k.awaitOutbound(k.nowNanos() + Nanos.seconds(2)).segment();
      k.inject(new Segment(ScriptRunner.REMOTE_ADDRESS, ScriptRunner.REMOTE_EPHEMERAL_PORT,
          ScriptRunner.LOCAL_ADDRESS, ScriptRunner.SERVER_PORT, 1, synAck.seq() + 1, TcpFlags.ACK,
          1050, 0, TcpOptions.builder().nop().nop().timestamp(110, synAck.options().tsVal()).build(),
          0, null));
      k.advanceTo(k.nowNanos() + Nanos.millis(50));
      var done = k.takeCompletion();
      assertNotNull(done, "accept() did not return within 50 ms of the final ACK");
      assertEquals(4, done.result().ret());
    }
  }

  @Test
  void sysctlsAreSetInsideTheNamespaceOnly() throws java.io.IOException {
    java.nio.file.Path hostFile = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_syn_retries");
    String host = java.nio.file.Files.readString(hostFile).trim();
    String other = host.equals("2") ? "3" : "2";
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      assertTrue(k.setSysctl("net.ipv4.tcp_syn_retries", other));
      assertEquals(other, Tools.run(List.of("ip", "netns", "exec", k.namespace(), "cat",
          hostFile.toString())).out().trim());
      assertEquals(host, java.nio.file.Files.readString(hostFile).trim());
      // net.ipv4.tcp_mem is the whole machine's (registered for init_net only): refused.
      assertFalse(k.setSysctl("net.ipv4.tcp_mem", "1 2 3"));
      assertFalse(k.setSysctl("kernel.hostname", "x"));
      assertTrue(k.notes().stream().anyMatch(n -> n.contains("tcp_mem") && n.contains("per-namespace")),
          k.notes().toString());
    }
  }

  @Test
  void aNamespaceLeftByAKilledRunIsDeletedByTheNextRun() {
    long dead = 4_194_000;
    while (ProcessHandle.of(dead).isPresent()) {
      dead--;
    }
    String stale = NetNamespace.PREFIX + dead + "-1";
    assertTrue(Tools.run("ip", "netns", "add", stale).ok());
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      assertFalse(Tools.run("ip", "netns", "list").out().contains(stale));
    } finally {
      Tools.run("ip", "netns", "delete", stale);
    }
  }

  @Test
  void aCallStillBlockedAtTheEndDoesNotKeepTheNamespaceAlive() {
    String name;
    try (LinuxKernelBackend k = LinuxKernelBackend.open()) {
      name = k.namespace();
      listen(k);
      assertInstanceOf(SyscallOutcome.Blocked.class, k.syscall(call("accept", 3, "...", "...")));
    }
    assertFalse(Tools.run("ip", "netns", "list").out().contains(name));
  }
}
