package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tcpsim.lab.script.ScriptLine.AssertBlock;
import tcpsim.lab.script.ScriptLine.CommandLine;
import tcpsim.lab.script.ScriptLine.PacketLine;
import tcpsim.lab.script.ScriptLine.SyscallLine;
import tcpsim.lab.script.ScriptLine.UnsupportedLine;
import tcpsim.net.wire.TcpFlags;

/** One test per construct of the notation: what it reads into. */
class ParserTest {
  static Script parse(String text) {
    try {
      return Parser.parse("t.pkt", text);
    } catch (ScriptError e) {
      throw new AssertionError("unexpected error: " + e.getMessage(), e);
    }
  }

  static ScriptLine only(String text) {
    Script s = parse(text);
    assertEquals(1, s.lines().size(), () -> "lines: " + s.lines());
    return s.lines().get(0);
  }

  static SyscallLine call(String text) {
    return assertInstanceOf(SyscallLine.class, only(text));
  }

  static PacketLine packet(String text) {
    return assertInstanceOf(PacketLine.class, only(text));
  }

  @Nested
  class HeaderOptions {
    @Test
    void knownOptionsSetTheRunsParameters() {
      Script s = parse("--tolerance_usecs=10000\n--tolerance_percent=25\n--tcp_ts_tick_usecs=1000\n"
          + "--mss=1000\n--strict_segments\n--ip_version=ipv4\n0 close(3) = 0\n");
      ScriptOptions o = s.options();
      assertEquals(10000, o.toleranceUsecs());
      assertEquals(250_000, o.tolerancePpm());
      assertEquals(1000, o.tsTickUsecs());
      assertEquals(1000, o.mss());
      assertTrue(o.strictSegments());
      assertEquals(List.of(), o.unsupported());
    }

    @Test
    void withoutOptionsThePacketdrillDefaultsHold() {
      ScriptOptions o = parse("0 close(3) = 0\n").options();
      assertEquals(4000, o.toleranceUsecs());
      assertEquals(125_000, o.tolerancePpm());
      assertEquals(0, o.tsTickUsecs());
      assertFalse(o.strictSegments());
    }

    @Test
    void aFractionalPercentIsKeptExactly() {
      assertEquals(125_000, parse("--tolerance_percent=12.5\n").options().tolerancePpm());
    }

    @Test
    void ipv6AndPacketdrillOptionsTcpsimDoesNotModelAreNamedUnsupported() {
      assertEquals(List.of("--ip_version=ipv6", "--local_ip"),
          parse("--ip_version=ipv6\n--local_ip=192.168.0.1\n").options().unsupported());
    }

    @Test
    void anUnknownOptionIsAnErrorNamingIt() {
      ScriptError e = assertThrows(ScriptError.class, () -> Parser.parse("t.pkt", "--frobnicate=1\n"));
      assertEquals("t.pkt:1:1: error: unknown option --frobnicate (expected tolerance_usecs,"
          + " tolerance_percent, tcp_ts_tick_usecs, mss, strict_segments or ip_version)", e.getMessage());
    }
  }

  @Nested
  class Lexical {
    @Test
    void lineAndBlockCommentsVanish() {
      Script s = parse("// a comment\n/* a block\n spanning lines */ 0 close(3) = 0 // trailing\n");
      SyscallLine c = assertInstanceOf(SyscallLine.class, s.lines().get(0));
      assertEquals(3, c.pos().line());
    }

    @Test
    void hexNumbersAreRead() {
      SyscallLine c = call("0 fcntl(3, F_SETFL, 0x802) = 0x0\n");
      assertEquals(new Expr.IntLit(c.args().get(2).pos(), 0x802), c.args().get(2));
      PacketLine p = packet("0 < S 0xffffffff:0xffffffff(0) win 0x1000\n");
      assertEquals(0xffffffffL, p.start());
      assertEquals(0x1000, p.window());
    }
  }

  @Nested
  class Timings {
    @Test
    void absoluteTime() {
      assertEquals(new Timing.At(new Timing.Point(false, 1_250_000)), only("1.25 close(3) = 0\n").timing());
    }

    @Test
    void relativeTimeWithALeadingDot() {
      assertEquals(new Timing.At(new Timing.Point(true, 100_000)), only("+.1 close(3) = 0\n").timing());
    }

    @Test
    void aWindowForAnOutboundPacket() {
      assertEquals(new Timing.Window(new Timing.Point(false, 100_000), new Timing.Point(false, 200_000)),
          only("0.1~0.2 > . 1:1(0) ack 1\n").timing());
    }

    @Test
    void anyTimeForAnOutboundPacket() {
      assertEquals(new Timing.Any(), only("* > . 1:1(0) ack 1\n").timing());
    }

    @Test
    void aBlockingCall() {
      assertEquals(new Timing.Blocking(new Timing.Point(false, 0), new Timing.Point(false, 100_000)),
          only("0...0.100 accept(3, ..., ...) = 4\n").timing());
    }

    @Test
    void aBlockPrecedingEveryEventIsUntimed() {
      assertEquals(new Timing.Untimed(), only("`../common/defaults.sh`\n").timing());
    }
  }

  @Nested
  class Commands {
    List<Command> commands(String block) {
      return assertInstanceOf(CommandLine.class, only(block)).commands();
    }

    @Test
    void defaultsShWhateverItsPath() {
      assertInstanceOf(Command.Defaults.class, commands("`/usr/share/packetdrill/defaults.sh`\n").get(0));
    }

    @Test
    void sysctlSetsOneSettingAndKeepsQuotedValues() {
      assertEquals(List.of(new Command.SetSysctl("sysctl -q net.ipv4.tcp_rmem=\"4096 87380 6291456\"",
          "net.ipv4.tcp_rmem", "4096 87380 6291456")),
          commands("`sysctl -q net.ipv4.tcp_rmem=\"4096 87380 6291456\"`\n"));
    }

    @Test
    void setSysctlsPyTakesProcPaths() {
      Command.SetSysctl s = assertInstanceOf(Command.SetSysctl.class,
          commands("`../common/set_sysctls.py /proc/sys/net/ipv4/tcp_fin_timeout=5`\n").get(0));
      assertEquals("net.ipv4.tcp_fin_timeout", s.name());
      assertEquals("5", s.value());
    }

    @Test
    void tcQdiscWithLimitZeroDropsEverything() {
      assertInstanceOf(Command.QueueDropsAll.class,
          commands("`tc qdisc add dev tun0 root pfifo limit 0`\n").get(0));
    }

    @Test
    void ssStateCheckNamesStateAndPort() {
      Command.SocketStateCheck c = assertInstanceOf(Command.SocketStateCheck.class,
          commands("+0 `ss -tan state time-wait | grep -q ':8080'`\n").get(0));
      assertEquals("time-wait", c.state());
      assertEquals(8080, c.port());
    }

    @Test
    void aBlockHoldsOneCommandALine() {
      assertEquals(3, commands("`\ndefaults.sh\nsysctl -q net.ipv4.tcp_sack=0\ntc qdisc replace dev tun0 root pfifo limit 0\n`\n").size());
    }

    @Test
    void anythingElseIsUnsupportedNamingTheCommand() {
      assertEquals(List.of(new Command.Unsupported("ip link set tun0 mtu 1280")),
          commands("`ip link set tun0 mtu 1280`\n"));
    }
  }

  @Nested
  class Syscalls {
    @Test
    void integersSymbolsAndTheResult() {
      SyscallLine c = call("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
      assertEquals("socket", c.name());
      assertInstanceOf(Expr.Ellipsis.class, c.args().get(0));
      assertEquals("SOCK_STREAM", ((Expr.Sym) c.args().get(1)).name());
      assertEquals(3, ((Expr.IntLit) c.result()).value());
      assertNull(c.errno());
    }

    @Test
    void errnoAndItsText() {
      SyscallLine c = call("0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n");
      assertEquals(-1, ((Expr.IntLit) c.result()).value());
      assertEquals("EINPROGRESS", c.errno());
      assertEquals("Operation now in progress", c.note());
    }

    @Test
    void bitwiseOrOfConstants() {
      Expr.BitOr or = assertInstanceOf(Expr.BitOr.class, call("0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n").args().get(2));
      assertEquals("O_RDWR|O_NONBLOCK", or.toString());
    }

    @Test
    void nullArgument() {
      assertInstanceOf(Expr.Null.class, call("0 accept(3, NULL, NULL) = 4\n").args().get(1));
    }

    @Test
    void intPointer() {
      Expr.Array a = assertInstanceOf(Expr.Array.class,
          call("0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n").args().get(3));
      assertEquals(List.of(0L), a.elements().stream().map(e -> ((Expr.IntLit) e).value()).toList());
    }

    @Test
    void struct() {
      Expr.Struct s = assertInstanceOf(Expr.Struct.class,
          call("0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n").args().get(3));
      assertEquals(1, ((Expr.IntLit) s.get("onoff")).value());
      assertEquals(0, ((Expr.IntLit) s.get("linger")).value());
    }

    @Test
    void pollfdArraySpanningLines() {
      SyscallLine c = call("0 poll([{fd=3, events=POLLIN|POLLOUT,\n   revents=POLLOUT}], 1, 0) = 1\n");
      Expr.Array a = (Expr.Array) c.args().get(0);
      Expr.Struct pfd = (Expr.Struct) a.elements().get(0);
      assertEquals("POLLIN|POLLOUT", pfd.get("events").toString());
      assertEquals("POLLOUT", pfd.get("revents").toString());
    }

    @Test
    void epollEvent() {
      Expr.Struct ev = (Expr.Struct) call("0 epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, fd=3}) = 0\n")
          .args().get(3);
      assertEquals("EPOLLIN", ev.get("events").toString());
    }

    @Test
    void msghdrWithIovec() {
      SyscallLine c = call("0 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=1000}],"
          + " msg_flags=0}, 0) = 1000\n");
      Expr.Struct msg = (Expr.Struct) c.args().get(1);
      Expr.Field iov = msg.fields().get(1);
      assertEquals("msg_iov", iov.name());
      assertEquals(1, ((Expr.IntLit) iov.count()).value());
      Expr.Struct v = (Expr.Struct) ((Expr.Array) iov.value()).elements().get(0);
      assertEquals(1000, ((Expr.IntLit) v.get("iov_len")).value());
    }

    @Test
    void functionCallsInArguments() {
      Expr.Struct sa = (Expr.Struct) call("0 bind(3, {sa_family=AF_INET, sin_port=htons(8080),"
          + " sin_addr=inet_addr(\"192.168.0.1\")}, 16) = 0\n").args().get(1);
      assertEquals("htons(8080)", sa.get("sin_port").toString());
      assertEquals("inet_addr(\"192.168.0.1\")", sa.get("sin_addr").toString());
    }

    @Test
    void ioctlQueries() {
      assertEquals("SIOCINQ", call("0 ioctl(4, SIOCINQ, [10]) = 0\n").args().get(1).toString());
    }

    @Test
    void anUnknownSystemCallIsUnsupportedNamingIt() {
      assertEquals("system call splice()",
          assertInstanceOf(UnsupportedLine.class, only("0 splice(3, NULL, 4, NULL, 10, 0) = 10\n")).feature());
    }
  }

  @Nested
  class Packets {
    @Test
    void flagsInEveryForm() {
      assertEquals(TcpFlags.SYN, packet("0 < S 0:0(0) win 1\n").flags());
      assertEquals(TcpFlags.SYN | TcpFlags.ACK, packet("0 > S. 0:0(0) ack 1\n").flags());
      assertEquals(TcpFlags.ACK, packet("0 > . 1:1(0) ack 1\n").flags());
      assertEquals(TcpFlags.PSH | TcpFlags.ACK, packet("0 > P. 1:11(10) ack 1\n").flags());
      assertEquals(TcpFlags.RST, packet("0 > R 1:1(0)\n").flags());
      assertEquals(0, packet("0 > - 1:1(0)\n").flags());
      assertEquals(TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST | TcpFlags.PSH | TcpFlags.URG
          | TcpFlags.ECE | TcpFlags.CWR | TcpFlags.ACK, packet("0 > SFRPUEW. 1:1(0)\n").flags());
    }

    @Test
    void rangeAckWindowAndUrgentPointer() {
      PacketLine p = packet("0 < P. 1:1001(1000) ack 1 urg 5 win 257\n");
      assertTrue(p.inbound());
      assertEquals(1, p.start());
      assertEquals(1001, p.end());
      assertEquals(1000, p.length());
      assertEquals(1, p.ack());
      assertEquals(257, p.window());
      assertEquals(5, p.urgentPointer());
    }

    @Test
    void aRemotePortNamesTheFlowOfASecondPeer() {
      PacketLine p = packet("0 < S 0:0(0) win 1 remote_port 40001 <mss 1460>\n");
      assertTrue(p.hasRemotePort());
      assertEquals(40001, p.remotePort());
      assertEquals("< S 0:0(0) win 1 remote_port 40001 <mss 1460>", p.describe());
      assertFalse(packet("0 > S. 0:0(0) ack 1 <...>\n").hasRemotePort());
    }

    @Test
    void everyOptionKind() {
      PacketLine p = packet("0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 7,nop,wscale 7,"
          + "sack 1:1001 2001:3001,eol>\n");
      assertEquals(List.of(new PacketOption.Mss(1460), new PacketOption.SackPermitted(),
          new PacketOption.Timestamp(100, 7), new PacketOption.Nop(), new PacketOption.WindowScale(7),
          new PacketOption.Sack(new long[] {1, 1001, 2001, 3001}), new PacketOption.Eol()), p.options());
    }

    @Test
    void ellipsisOptionsAreNotChecked() {
      PacketLine p = packet("0 > S. 0:0(0) ack 1 <...>\n");
      assertTrue(p.anyOptions());
      assertEquals(List.of(), p.options());
      assertFalse(p.hasWindow());
    }

    @Test
    void udpAndIcmpLinesAreUnsupported() {
      assertEquals("icmp packets", assertInstanceOf(UnsupportedLine.class,
          only("0 < icmp unreachable port_unreachable [1:1(0)]\n")).feature());
      assertEquals("udp packets", assertInstanceOf(UnsupportedLine.class, only("0 > udp (1472)\n")).feature());
    }

    @Test
    void optionsBeyondTheClassicOnesAreUnsupported() {
      assertEquals("TCP option 'FO'", assertInstanceOf(UnsupportedLine.class,
          only("0 < S 0:0(0) win 1 <mss 1460,FO abcd1234,nop,nop>\n")).feature());
    }
  }

  @Nested
  class Assertions {
    AssertBlock block(String text) {
      return assertInstanceOf(AssertBlock.class, only(text));
    }

    @Test
    void aSimpleComparison() {
      AssertBlock b = block("+0 %{ assert tcpi_ca_state == 0 }%\n");
      assertNull(b.unsupported());
      assertEquals("tcpi_ca_state == 0", b.assertions().get(0).toString());
    }

    @Test
    void chainedComparisonAndAnd() {
      AssertBlock b = block("+0 %{ assert 100 <= tcpi_rto <= 300000 and tcpi_unacked != 0 }%\n");
      assertEquals(2, b.assertions().size());
      assertEquals(List.of(Assertion.Op.LE, Assertion.Op.LE), b.assertions().get(0).operators());
    }

    @Test
    void statementsSeparatedBySemicolonsAndLines() {
      AssertBlock b = block("+0 %{\nassert tcpi_snd_cwnd > 2; assert tcpi_retrans >= 0\nassert tcpi_lost < 1\n}%\n");
      assertEquals(3, b.assertions().size());
      assertEquals(3, b.assertions().get(2).pos().line());
    }

    @Test
    void linuxsNamedStatesCompareAsTheirNumbers() {
      AssertBlock b = block("+0 %{ assert tcpi_ca_state == TCP_CA_Recovery and tcpi_state == TCP_ESTABLISHED }%\n");
      assertNull(b.unsupported());
      assertEquals("tcpi_ca_state == 3", b.assertions().get(0).toString());
      assertEquals("tcpi_state == 1", b.assertions().get(1).toString());
      assertTrue(block("+0 %{ assert tcpi_ca_state == TCP_CA_Bogus }%\n").unsupported().contains("'TCP_CA_Bogus'"));
    }

    @Test
    void anAssertMessageIsNotEvaluated() {
      AssertBlock b = block("+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n");
      assertNull(b.unsupported());
      assertEquals("tcpi_snd_cwnd == 10", b.assertions().get(0).toString());
    }

    @Test
    void otherPythonIsUnsupportedNamingWhat() {
      AssertBlock b = block("+0 %{ print(tcpi_rtt) }%\n");
      assertTrue(b.unsupported().contains("'print'"), b.unsupported());
      assertTrue(block("+0 %{ assert tcpi_rtt * 2 < 10 }%\n").unsupported().contains("'*'"));
    }
  }

  @Test
  void aWholeScriptReadsInOrder() {
    Script s = parse("`defaults.sh`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        + "+0 < S 0:0(0) win 65535 <mss 1460>\n+0 > S. 0:0(0) ack 1 <...>\n"
        + "+0 %{ assert tcpi_state == 1 }%\n`ss -tan state established | grep -q ':8080'`\n");
    assertEquals(List.of(CommandLine.class, SyscallLine.class, PacketLine.class, PacketLine.class,
        AssertBlock.class, CommandLine.class), s.lines().stream().map(Object::getClass).toList());
  }
}
