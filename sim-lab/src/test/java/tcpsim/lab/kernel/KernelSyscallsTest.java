package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.lab.kernel.KernelAssumptions.assumeKernelBackend;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptResult;

/**
 * The calls scripts make, on the host's kernel, each checked by a short script: what the helper
 * passes and what it brings back (return values, errno names, int pointers, TCP_INFO).
 */
@Isolated
class KernelSyscallsTest {
  static final String ESTABLISHED = "`../common/defaults.sh`\n"
      + "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      + "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
      + "+0 bind(3, ..., ...) = 0\n"
      + "+0 listen(3, 1) = 0\n"
      + "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n"
      + "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 8>\n"
      + "+.01 < . 1:1(0) ack 1 win 1050 <nop,nop,TS val 110 ecr 200>\n"
      + "+0 accept(3, ..., ...) = 4\n";

  @BeforeEach
  void needsTheKernel() {
    assumeKernelBackend();
  }

  static String run(String text) throws ScriptError {
    KernelScripts.Outcome o = KernelScripts.run(Parser.parse("t.pkt", text), false);
    if (o instanceof KernelScripts.Outcome.Ran r) {
      ScriptResult res = r.result();
      return res instanceof ScriptResult.Fail ? res.describe() + "\n" + String.join("\n", r.notes())
          + "\n" + String.join("\n", r.transcript()) : res.describe();
    }
    return ((KernelScripts.Outcome.NotRun) o).reason();
  }

  @Test
  void readIoctlAndGetsockoptSeeTheBytesThatCame() throws ScriptError {
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0 < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>\n"
        + "+0 > . 1:1(0) ack 11 <...>\n"
        + "+0 ioctl(4, SIOCINQ, [10]) = 0\n"
        + "+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
        + "+0 recv(4, ..., 4, MSG_PEEK) = 4\n"
        + "+0 read(4, ..., 100) = 10\n"
        + "+0 read(4, ..., 100) = -1 EAGAIN (Resource temporarily unavailable)\n"
        .replace("read(4, ..., 100) = -1", "recv(4, ..., 100, MSG_DONTWAIT) = -1")));
  }

  @Test
  void aWriteIsSentAndSiocoutqCountsItUntilAcked() throws ScriptError {
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0 write(4, ..., 100) = 100\n"
        + "+0 > P. 1:101(100) ack 1 <...>\n"
        + "+0 ioctl(4, SIOCOUTQ, [100]) = 0\n"
        + "+.01 < . 1:1(0) ack 101 win 1050 <nop,nop,TS val 130 ecr 300>\n"
        + "+0 ioctl(4, SIOCOUTQ, [0]) = 0\n"));
  }

  @Test
  void lingerZeroMakesCloseSendRst() throws ScriptError {
    // tcp_send_active_reset: unlike a RST to a closed port, it carries the current window and
    // the timestamp option (nop, nop, TS), as a 6.18 kernel shows here.
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
        + "+0 close(4) = 0\n"
        + "+0 > R. 1:1(0) ack 1 <nop,nop,TS val 300 ecr 110>\n"));
  }

  @Test
  void shutdownWriteSendsFinAndTcpInfoSaysFinWait1() throws ScriptError {
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0 shutdown(4, SHUT_WR) = 0\n"
        + "+0 > F. 1:1(0) ack 1 <...>\n"
        + "%{ assert tcpi_state == 4 }%\n"));
  }

  @Test
  void aReadBlocksUntilDataComes() throws ScriptError {
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0...+.05 read(4, ..., 100) = 10\n"
        + "+.05 < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>\n"
        + "+0 > . 1:1(0) ack 11 <...>\n"));
  }

  @Test
  void pollReportsReadableDataByItsReturnValue() throws ScriptError {
    assertEquals("PASS         t.pkt", run(ESTABLISHED
        + "+0 < P. 1:11(10) ack 1 win 1050 <nop,nop,TS val 120 ecr 200>\n"
        + "+0 > . 1:1(0) ack 11 <...>\n"
        + "+0 poll([{fd=4, events=POLLIN, revents=POLLIN}], 1, 0) = 1\n"));
  }
}
