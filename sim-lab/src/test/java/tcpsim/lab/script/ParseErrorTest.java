package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Syntax errors name the file, line and column, and say what was expected. */
class ParseErrorTest {
  static String error(String text) {
    return assertThrows(ScriptError.class, () -> Parser.parse("s.pkt", text)).getMessage();
  }

  @Test
  void anUnexpectedCharacterIsPointedAt() {
    assertEquals("s.pkt:2:13: error: unexpected character '$'", error("0 close(3) = 0\n+0 close(4) $\n"));
  }

  @Test
  void aMissingTimeColumnSaysWhatTimesLookLike() {
    assertEquals("s.pkt:1:1: error: expected the time column (0.100, +0.1, a~b, * or T...E), found 'close'",
        error("close(3) = 0\n"));
  }

  @Test
  void anUnknownEventAfterTheTime() {
    assertEquals("s.pkt:1:4: error: expected '<', '>', a system call, a `command` or a %{ }% block after"
        + " the time, found 'hello'", error("+0 hello\n"));
  }

  @Test
  void anUnknownFlagIsPointedAtItsLetter() {
    assertEquals("s.pkt:1:8: error: unknown TCP flag 'X' (expected S F R P U E W, '.' or '-')",
        error("0 < S. SX 0:0(0) win 1\n".replace("S. SX", "  SX")));
  }

  @Test
  void aRangeThatDoesNotHoldItsLength() {
    assertEquals("s.pkt:1:13: error: the range 1:11 does not hold 5 bytes (end must be start + length)",
        error("0 < P. 1:11(5) ack 1 win 1\n"));
  }

  @Test
  void anInboundPacketWithoutWindow() {
    assertEquals("s.pkt:3:1: error: an inbound packet needs 'win N' (the raw window field)",
        error("\n\n+0 < . 1:1(0) ack 1\n"));
  }

  @Test
  void anInboundPacketWithUncheckedOptions() {
    assertEquals("s.pkt:1:1: error: an inbound packet needs its options spelled out, not <...>",
        error("0 < S 0:0(0) win 1 <...>\n"));
  }

  @Test
  void aWindowTooLargeForTheField() {
    assertEquals("s.pkt:1:18: error: win is the raw 16-bit window field: expected 0 to 65535, was 70000",
        error("0 < S 0:0(0) win 70000\n"));
  }

  @Test
  void aMissingResult() {
    assertEquals("s.pkt:1:11: error: expected '= result' after the call, found the end of the line",
        error("0 close(3)\n"));
  }

  @Test
  void anUnclosedArgumentList() {
    assertEquals("s.pkt:1:12: error: expected an argument (a number, a NAME, NULL, ..., [v]"
        + " or {field=value}), found the end of the file",
        error("0 close(3, "));
  }

  @Test
  void anUnterminatedBlockCommentPointsAtItsStart() {
    assertEquals("s.pkt:2:3: error: unterminated /* comment: expected */", error("\n  /* open\n"));
  }

  @Test
  void anUnterminatedCommandBlock() {
    assertEquals("s.pkt:1:1: error: unterminated `command`: expected a closing `", error("`defaults.sh\n"));
  }

  @Test
  void anOptionAfterTheFirstEvent() {
    assertEquals("s.pkt:2:1: error: option --mss must come before the first event",
        error("0 close(3) = 0\n--mss=1000\n"));
  }

  @Test
  void moreThanMicrosecondPrecision() {
    assertEquals("s.pkt:1:1: error: a time has more than 6 decimal places (microseconds): 0.0000001",
        error("0.0000001 close(3) = 0\n"));
  }

  @Test
  void aNumberTooLarge() {
    assertEquals("s.pkt:1:9: error: number too large: 99999999999999999999",
        error("0 close(99999999999999999999) = 0\n"));
  }

  @Test
  void aWindowTimeOnACall() {
    assertEquals("s.pkt:1:1: error: '~' and '*' times are only for outbound packets ('>')",
        error("0~1 close(3) = 0\n"));
  }

  @Test
  void garbageAfterAnEvent() {
    assertEquals("s.pkt:1:16: error: expected the end of the line, found 'extra'",
        error("0 close(3) = 0 extra\n"));
  }

  @Test
  void aRemotePortOutsideTheTcpRange() {
    assertEquals("s.pkt:1:32: error: remote_port is a TCP port: expected 1 to 65535, was 70000",
        error("0 < S 0:0(0) win 1 remote_port 70000\n"));
  }

  @Test
  void aRemotePortGivenTwice() {
    assertEquals("s.pkt:1:29: error: remote_port given twice",
        error("0 > S. 0:0(0) remote_port 1 remote_port 2\n"));
  }
}
