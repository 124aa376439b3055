package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.lab.script.FakeBackend.ISN;
import static tcpsim.lab.script.FakeBackend.at;
import static tcpsim.lab.script.FakeBackend.local;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.ScriptBackend.SyscallOutcome;
import tcpsim.lab.script.ScriptBackend.SyscallResult;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/** packetdrill's matching rules, pinned against a scripted fake stack. */
class ScriptRunnerTest {
  static final int S = TcpFlags.SYN;
  static final int A = TcpFlags.ACK;
  static final int P = TcpFlags.PSH;
  static final int F = TcpFlags.FIN;

  static final String LISTEN = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
      + "+0 listen(3, 1) = 0\n";
  static final String SYN = "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n";
  static final String SYNACK = "+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>\n";
  static final String ACK3 = "+.01 < . 1:1(0) ack 1 win 1050 <nop,nop,TS val 110 ecr 200>\n";
  static final String OPEN = LISTEN + SYN + SYNACK + ACK3 + "+0 accept(3, ..., ...) = 4\n";

  static TcpOptions synAckOptions(int tsVal) {
    return TcpOptions.builder().mss(1460).sackPermitted().timestamp(tsVal, 100).nop().windowScale(8).build();
  }

  static TcpOptions ts(int val, int ecr) {
    return TcpOptions.builder().nop().nop().timestamp(val, ecr).build();
  }

  /** A fake that hands out fds like Linux and answers a SYN with the scripted SYN-ACK after {@code delayUs}. */
  static FakeBackend listener(long delayUs) {
    FakeBackend b = new FakeBackend();
    b.onCall = c -> switch (c.name()) {
      case "socket", "accept" -> new SyscallOutcome.Returned(SyscallResult.ok(b.fds.open()));
      case "write" -> new SyscallOutcome.Returned(SyscallResult.ok(((Expr.IntLit) c.args().get(2)).value()));
      default -> new SyscallOutcome.Returned(SyscallResult.ok(0));
    };
    b.onInject = s -> s.has(S)
        ? List.of(at(delayUs, local(S | A, 0, 1, 65535, synAckOptions(777_000), 0)))
        : List.of();
    return b;
  }

  static ScriptResult run(String text, FakeBackend b) {
    try {
      return ScriptRunner.run(Parser.parse("r.pkt", text), b);
    } catch (ScriptError e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static ScriptResult.Fail fails(String text, FakeBackend b) {
    return assertInstanceOf(ScriptResult.Fail.class, run(text, b));
  }

  @Nested
  class Handshake {
    @Test
    void aPassiveOpenAsScriptedPasses() {
      FakeBackend b = listener(0);
      assertEquals(new ScriptResult.Pass("r.pkt"), run(OPEN, b));
      Segment syn = b.injected.get(0);
      assertEquals(ScriptRunner.REMOTE_ADDRESS, syn.srcAddr());
      assertEquals(ScriptRunner.LOCAL_ADDRESS, syn.dstAddr());
      assertEquals(8080, syn.dstPort());
      assertEquals(0, syn.seq(), "the remote's sequence numbers are literal");
      assertEquals(65535, syn.window(), "win is the raw field");
      assertEquals("mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8", syn.options().describe());
      Segment third = b.injected.get(1);
      assertEquals(ISN + 1, third.ack(), "an inbound ack counts from the local ISN");
      assertEquals(777_000, third.options().tsEcr(), "an inbound ecr echoes what the stack really sent");
    }

    @Test
    void anActiveOpenLearnsTheLocalPortFromTheSyn() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> c.name().equals("connect") ? new SyscallOutcome.Returned(SyscallResult.error("EINPROGRESS"))
          : new SyscallOutcome.Returned(SyscallResult.ok(3));
      b.send(0, new Segment(ScriptRunner.LOCAL_ADDRESS, 50000, ScriptRunner.REMOTE_ADDRESS, 8080, ISN, 0, S,
          65535, 0, TcpOptions.builder().mss(1460).build(), 0, null));
      ScriptResult r = run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
          + "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
          + "+0 > S 0:0(0) <mss 1460>\n+.01 < S. 0:0(0) ack 1 win 65535 <mss 1460>\n", b);
      assertEquals(new ScriptResult.Pass("r.pkt"), r);
      Segment synAck = b.injected.get(0);
      assertEquals(50000, synAck.dstPort());
      assertEquals(8080, synAck.srcPort());
      assertEquals(ISN + 1, synAck.ack());
    }
  }

  @Nested
  class Timing {
    @Test
    void aPacketWithinToleranceMatches() {
      assertEquals(new ScriptResult.Pass("r.pkt"), run(OPEN, listener(3_999)));
    }

    @Test
    void aPacketLaterThanToleranceFailsWithBothTimes() {
      ScriptResult.Fail f = fails(OPEN, listener(5_000));
      assertEquals(5, f.line());
      assertTrue(f.message().startsWith("packet at 0.005000s, expected at 0.000000s (tolerance 4000 us)"),
          f.message());
    }

    @Test
    void tolerancePercentWidensTheWindowForALongGap() {
      String script = LISTEN + SYN.replace("+0 <", "+1 <") + SYNACK.replace("+0 >", "+1 >");
      // 12.5% of the 1 s gap is 125 ms.
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, listener(1_120_000)));
      assertTrue(fails(script, listener(1_130_000)).message().contains("tolerance 125000 us"));
    }

    @Test
    void aMissingPacketTimesOutTwoSecondsAfterItsTime() {
      FakeBackend b = listener(0);
      b.onInject = s -> List.of();
      ScriptResult.Fail f = fails(OPEN, b);
      assertEquals(5, f.line());
      assertTrue(f.message().startsWith("timed out waiting for packet > S. 0:0(0) ack 1"), f.message());
      assertEquals(Nanos.seconds(2), f.atNanos());
    }

    @Test
    void anyTimeAcceptsALatePacketAndLaterTimesCountFromIt() {
      String script = LISTEN + SYN + "* > S. 0:0(0) ack 1 <...>\n+.01 < . 1:1(0) ack 1 win 1050\n";
      FakeBackend b = listener(1_500_000);
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, b));
      assertEquals(Nanos.micros(1_510_000), b.nowNanos());
    }

    @Test
    void aWindowAcceptsAnyTimeWithinItsBounds() {
      String script = LISTEN + SYN + "+0.1~+0.3 > S. 0:0(0) ack 1 <...>\n";
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, listener(250_000)));
      assertInstanceOf(ScriptResult.Fail.class, run(script, listener(350_000)));
    }

    @Test
    void anAbsoluteTimeBeforeThePreviousEventFails() {
      ScriptResult.Fail f = fails("0.5 close(3) = 0\n0.2 close(4) = 0\n", new FakeBackend());
      assertEquals(2, f.line());
      assertEquals("time 0.200000s is before the previous event's 0.500000s", f.message());
    }

    @Test
    void eventsAfterABlockingCallCountFromItsStart() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> c.name().equals("read") ? new SyscallOutcome.Blocked()
          : new SyscallOutcome.Returned(SyscallResult.ok(0));
      b.completeAt(1_000_000, SyscallResult.ok(10));
      assertEquals(new ScriptResult.Pass("r.pkt"),
          run("0.5...1.0 read(4, ..., 10) = 10\n+.2 < P. 1:11(10) ack 1 win 1000\n", b));
      assertEquals(1, b.injected.size());
      assertEquals(Nanos.micros(1_000_000), b.nowNanos(), "the run ends when the call returns");
    }

    @Test
    void aTimeBeyondTheVirtualLimitFails() {
      ScriptResult.Fail f = fails("0 close(3) = 0\n+4000 close(3) = 0\n", new FakeBackend());
      assertTrue(f.message().contains("virtual-time limit"), f.message());
    }
  }

  @Nested
  class Fields {
    FakeBackend replying(Segment synAck) {
      FakeBackend b = listener(0);
      b.onInject = s -> s.has(S) ? List.of(at(0, synAck)) : List.of();
      return b;
    }

    @Test
    void flagsAreCompared() {
      ScriptResult.Fail f = fails(OPEN, replying(local(S, 0, 1, 65535, synAckOptions(1), 0)));
      assertTrue(f.message().startsWith("flags S, expected S."), f.message());
    }

    @Test
    void theLocalSequenceNumberIsRelativeToItsIsn() {
      String script = OPEN + "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1 <...>\n";
      FakeBackend b = listener(0);
      b.send(10_000, local(P | A, 2, 1, 1050, ts(1, 1), 10));
      assertTrue(fails(script, b).message().startsWith("sequence number 2, expected 1"));
    }

    @Test
    void inboundSackBlocksCountFromTheLocalIsn() {
      FakeBackend b = listener(0);
      run(OPEN + "+.1 < . 1:1(0) ack 1 win 1050 <sack 1001:2001,nop,nop>\n", b);
      Segment dupAck = b.injected.get(2);
      assertEquals(ISN + 1001, dupAck.options().sackStart(0));
      assertEquals(ISN + 2001, dupAck.options().sackEnd(0));
    }

    @Test
    void theUrgentPointerIsCompared() {
      String script = OPEN + "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1 urg 3 <...>\n";
      FakeBackend b = listener(0);
      b.send(10_000, local(P | A, 1, 1, 1050, ts(1, 1), 10));
      assertTrue(fails(script, b).message().startsWith("urgent pointer 0, expected 3"));
    }

    @Test
    void theAckIsCompared() {
      ScriptResult.Fail f = fails(OPEN, replying(local(S | A, 0, 2, 65535, synAckOptions(1), 0)));
      assertTrue(f.message().startsWith("ack 2, expected 1"), f.message());
    }

    @Test
    void optionsAreComparedKindByKind() {
      TcpOptions reordered = TcpOptions.builder().mss(1460).nop().nop().sackPermitted().nop().windowScale(8).build();
      ScriptResult.Fail f = fails(OPEN, replying(local(S | A, 0, 1, 65535, reordered, 0)));
      assertTrue(f.message().startsWith("options <mss 1460,nop,nop,sackOK,nop,wscale 8>, expected"), f.message());
      TcpOptions swapped = TcpOptions.builder().mss(1460).timestamp(1, 0).sackPermitted().nop().windowScale(8).build();
      assertTrue(fails(OPEN, replying(local(S | A, 0, 1, 65535, swapped, 0))).message()
          .startsWith("option 2 is TS, expected sackOK"));
    }

    @Test
    void theWindowIsComparedOnlyWhenScripted() {
      FakeBackend b = replying(local(S | A, 0, 1, 1000, synAckOptions(1), 0));
      assertTrue(fails(OPEN, b).message().startsWith("win 1000, expected 65535"));
      b = replying(local(S | A, 0, 1, 1000, synAckOptions(1), 0));
      assertEquals(new ScriptResult.Pass("r.pkt"), run(OPEN.replace("ack 1 win 65535 <mss", "ack 1 <mss"), b));
    }

    @Test
    void tsValIsIgnoredWithoutATickAndTsEcrAlways() {
      String script = OPEN + "+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1 <nop,nop,TS val 300 ecr 999>\n";
      FakeBackend b = listener(0);
      b.send(110_000, local(F | A, 1, 1, 1050, ts(5, 12345), 0));
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, b));
    }

    @Test
    void tsValIsCheckedWithATickAgainstTheFirstValueSeen() {
      String script = "--tcp_ts_tick_usecs=1000\n" + OPEN
          + "+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1 <nop,nop,TS val 300 ecr 110>\n";
      FakeBackend good = listener(0);
      good.send(110_000, local(F | A, 1, 1, 1050, ts(777_100, 110), 0));
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, good));
      FakeBackend bad = listener(0);
      bad.send(110_000, local(F | A, 1, 1, 1050, ts(777_500, 110), 0));
      assertTrue(fails(script, bad).message().startsWith("option 3 has TS val 700 (script's clock), expected 300"));
    }
  }

  @Nested
  class Segmentation {
    static final String WRITE = OPEN + "+0 write(4, ..., 1000) = 1000\n+0 > P. 1:1001(1000) ack 1 <...>\n";

    FakeBackend twoPieces(int first, int second) {
      FakeBackend b = listener(0);
      b.send(10_000, local(A, 1, 1, 1050, ts(1, 1), first));
      b.send(10_000, local(P | A, 1 + first, 1, 1050, ts(1, 1), second));
      return b;
    }

    @Test
    void consecutiveSegmentsMayMeetOneLineWhenTheyAddUp() {
      assertEquals(new ScriptResult.Pass("r.pkt"), run(WRITE, twoPieces(500, 500)));
    }

    @Test
    void strictSegmentsWantOneSegmentPerLine() {
      ScriptResult.Fail f = fails("--strict_segments\n" + WRITE, twoPieces(500, 500));
      assertTrue(f.message().startsWith("flags ., expected P."), f.message());
    }

    @Test
    void segmentsAddingUpToMoreFail() {
      ScriptResult.Fail f = fails(WRITE, twoPieces(600, 600));
      assertTrue(f.message().startsWith("segments add up to 1200 bytes, more than 1000"), f.message());
    }
  }

  @Nested
  class Calls {
    @Test
    void aWrongResultFailsNamingBoth() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Returned(SyscallResult.error("EBADF"));
      ScriptResult.Fail f = fails("0 close(3) = 0\n", b);
      assertEquals("close() returned -1 EBADF, expected 0", f.message());
    }

    @Test
    void aWrongErrnoFails() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Returned(SyscallResult.error("ECONNREFUSED"));
      assertEquals("connect() failed with ECONNREFUSED, expected EINPROGRESS",
          fails("0 connect(3, ..., ...) = -1 EINPROGRESS\n", b).message());
    }

    @Test
    void anIntPointerIsComparedAfterTheCall() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Returned(new SyscallResult(0, null, Map.of(3, 111L)));
      assertEquals("getsockopt() left [111] in argument 4, expected [0]",
          fails("0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n", b).message());
    }

    @Test
    void aBlockingCallMustReturnAtItsEndTime() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Blocked();
      b.completeAt(100_000, SyscallResult.ok(4));
      assertEquals(new ScriptResult.Pass("r.pkt"), run("0...0.1 accept(3, ..., ...) = 4\n", b));
      FakeBackend late = new FakeBackend();
      late.onCall = c -> new SyscallOutcome.Blocked();
      late.completeAt(300_000, SyscallResult.ok(4));
      ScriptResult.Fail f = fails("0...0.1 accept(3, ..., ...) = 4\n", late);
      assertEquals("blocking call did not return by 0.100000s", f.message());
      assertEquals(Nanos.micros(112_500), f.atNanos(), "it fails once 12.5% of the 0.1 s call has passed");
    }

    @Test
    void eventsHappenWhileACallBlocks() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Blocked();
      b.completeAt(50_000, SyscallResult.ok(10));
      assertEquals(new ScriptResult.Pass("r.pkt"),
          run("0...0.05 read(4, ..., 1000) = 10\n+.05 < P. 1:11(10) ack 1 win 1000\n", b));
      assertEquals(1, b.injected.size());
    }

    @Test
    void aCallTheStackDoesNotModelIsUnsupported() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Unsupported("epoll_create()");
      assertEquals(new ScriptResult.Unsupported("r.pkt", 1, "epoll_create()"),
          run("0 epoll_create(1) = 3\n", b));
    }

    @Test
    void aCallThatBlocksUnannouncedFails() {
      FakeBackend b = new FakeBackend();
      b.onCall = c -> new SyscallOutcome.Blocked();
      assertTrue(fails("0 accept(3, ..., ...) = 4\n", b).message().startsWith("accept() blocked;"));
    }

    @Test
    void fileDescriptorsAreTheLowestFreeFromThree() {
      FdTable t = new FdTable();
      assertEquals(3, t.open());
      assertEquals(4, t.open());
      assertEquals(5, t.open());
      assertTrue(t.close(4));
      assertEquals(4, t.open());
      assertEquals(false, t.close(9));
    }
  }

  @Nested
  class CommandsAndAssertions {
    @Test
    void defaultsShAppliesPacketdrillsSettings() {
      FakeBackend b = new FakeBackend();
      b.queueDropsAll = true;
      assertEquals(new ScriptResult.Pass("r.pkt"), run("`../common/defaults.sh`\n0 close(3) = 0\n", b));
      assertEquals("4096 540000 15728640", b.sysctls.get("net.ipv4.tcp_rmem"));
      assertEquals("cubic", b.sysctls.get("net.ipv4.tcp_congestion_control"));
      assertEquals(ScriptRunner.DEFAULT_SYSCTLS.size(), b.sysctls.size());
      assertEquals(false, b.queueDropsAll, "a plain FIFO queue");
    }

    @Test
    void defaultsShRunsOnAStackThatModelsOnlySomeOfItsSettings() {
      FakeBackend b = new FakeBackend();
      b.knownSysctls.clear();
      b.knownSysctls.add("net.ipv4.tcp_sack");
      assertEquals(new ScriptResult.Pass("r.pkt"), run("`defaults.sh`\n0 close(3) = 0\n", b));
      assertEquals(Map.of("net.ipv4.tcp_sack", "1"), b.sysctls);
    }

    @Test
    void aSysctlTheStackDoesNotModelIsUnsupported() {
      assertEquals(new ScriptResult.Unsupported("r.pkt", 1, "sysctl net.ipv4.tcp_mtu_probing"),
          run("`sysctl -q net.ipv4.tcp_mtu_probing=1`\n", new FakeBackend()));
    }

    @Test
    void tcLimitZeroMakesTheQueueDropEverything() {
      FakeBackend b = new FakeBackend();
      run("`tc qdisc replace dev tun0 root pfifo limit 0`\n", b);
      assertTrue(b.queueDropsAll);
    }

    @Test
    void anSsCheckPassesOnlyWhenTheSocketTableMatches() {
      String script = "0 close(3) = 0\n+0 `ss -tan state time-wait | grep -q ':8080'`\n";
      FakeBackend b = new FakeBackend();
      b.sockets.add("time-wait:8080");
      assertEquals(new ScriptResult.Pass("r.pkt"), run(script, b));
      assertEquals("`ss -tan state time-wait | grep -q ':8080'` failed: no socket in state time-wait on port 8080",
          fails(script, new FakeBackend()).message());
    }

    @Test
    void assertionsAreEvaluatedOnTheSnapshot() {
      FakeBackend b = new FakeBackend();
      b.tcpInfo.put("tcpi_rto", 204_000L);
      b.tcpInfo.put("tcpi_unacked", 0L);
      assertEquals(new ScriptResult.Pass("r.pkt"),
          run("0 close(3) = 0\n+0 %{ assert 200000 <= tcpi_rto <= 300000 and tcpi_unacked == 0 }%\n", b));
      ScriptResult.Fail f = fails("0 close(3) = 0\n+0 %{ assert tcpi_rto < 200000 }%\n", b);
      assertEquals("assertion failed: tcpi_rto < 200000 (tcpi_rto = 204000)", f.message());
      assertEquals(new ScriptResult.Unsupported("r.pkt", 2, "TCP_INFO field tcpi_snd_mss"),
          run("0 close(3) = 0\n+0 %{ assert tcpi_snd_mss == 1460 }%\n", b));
    }

    @Test
    void anUnsupportedLineStopsTheScriptBeforeAnythingRuns() {
      FakeBackend b = new FakeBackend();
      assertEquals(new ScriptResult.Unsupported("r.pkt", 2, "icmp packets"),
          run("0 < S 0:0(0) win 1\n+0 < icmp unreachable\n", b));
      assertEquals(List.of(), b.injected);
    }
  }

  /** A second peer (remote_port N) connecting to the listener, run on tcpsim's own stack. */
  @Nested
  class SecondRemotePort {
    static final String TWO_PEERS = "`../common/defaults.sh`\n" + OPEN
        + "+.01 < S 0:0(0) win 65535 remote_port 40001 <mss 1460,sackOK,nop,wscale 8>\n"
        + "+0 > S. 0:0(0) ack 1 remote_port 40001 <mss 1460,nop,nop,sackOK,nop,wscale 8>\n"
        + "+.01 < . 1:1(0) ack 1 win 257 remote_port 40001\n"
        + "+0 accept(3, ..., ...) = 5\n";

    ScriptResult onTheSimulator(String text) throws ScriptError {
      return SimulatedBackend.run(Parser.parse("r.pkt", text), SimulatedBackend.DEFAULT_SEED, null);
    }

    @Test
    void eachFlowCountsItsSequenceNumbersFromItsOwnIsn() throws ScriptError {
      // The second final ACK acknowledges the second SYN-ACK's ISN + 1, or no child is made.
      assertInstanceOf(ScriptResult.Pass.class, onTheSimulator(TWO_PEERS));
      String write = "+0 write(5, ..., 10) = 10\n+0 > P. 1:11(10) ack 1 remote_port 40001 <...>\n";
      assertInstanceOf(ScriptResult.Pass.class, onTheSimulator(TWO_PEERS + write));
    }

    @Test
    void aSegmentOfTheOtherFlowDoesNotMeetALineWithoutTheRemotePort() throws ScriptError {
      String text = TWO_PEERS.replace("+0 > S. 0:0(0) ack 1 remote_port 40001", "+0 > S. 0:0(0) ack 1");
      ScriptResult.Fail f = assertInstanceOf(ScriptResult.Fail.class, onTheSimulator(text));
      assertTrue(f.message().startsWith("segment of another flow: 192.168.0.1:8080 > 192.0.2.1:40001"),
          f.message());
    }
  }
}
