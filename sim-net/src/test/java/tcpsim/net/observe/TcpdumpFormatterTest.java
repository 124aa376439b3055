package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.F;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.R;
import static tcpsim.net.observe.Segs.S;

import org.junit.jupiter.api.Test;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/** Lines in the exact shape tcpdump 4.99 prints with {@code -n -S -tt}. */
class TcpdumpFormatterTest {

  @Test
  void aSynShowsSeqWindowAndOptionsButNoAck() {
    assertEquals("12.004512 IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [S], seq 123, win 64240, "
            + "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0",
        TcpdumpFormatter.line(12_004_512_999L, Segs.c2s(S, 123, 0, 64240, Segs.synOptions(1, 0), 0)));
  }

  @Test
  void dataShowsTheSequenceRangeAndItsLength() {
    assertEquals("0.000001 IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [P.], seq 1:101, ack 1, "
            + "win 502, options [nop,nop,TS val 5 ecr 3], length 100",
        TcpdumpFormatter.line(1_000, Segs.c2s(P | A, 1, 1, 502, Segs.ts(5, 3), 100)));
  }

  @Test
  void aPureAckShowsNoSeq() {
    assertEquals("IP 10.0.0.2.5001 > 10.0.0.1.40000: Flags [.], ack 101, win 501, length 0",
        TcpdumpFormatter.describe(Segs.s2c(A, 1, 101, 501, TcpOptions.NONE, 0)));
  }

  @Test
  void sackBlocksPrintAsCountThenBraces() {
    assertEquals("IP 10.0.0.2.5001 > 10.0.0.1.40000: Flags [.], ack 1001, win 500, "
            + "options [nop,nop,TS val 7 ecr 6,nop,nop,sack 2 {2001:3001}{4001:5001}], length 0",
        TcpdumpFormatter.describe(Segs.s2c(A, 1, 1001, 500,
            Segs.tsSack(7, 6, 2001, 3001, 4001, 5001), 0)));
  }

  @Test
  void finAndResetsShowTheirSeq() {
    assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [F.], seq 101, ack 1, win 502, length 0",
        TcpdumpFormatter.describe(Segs.c2s(F | A, 101, 1, 502, TcpOptions.NONE, 0)));
    assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [R], seq 101, win 0, length 0",
        TcpdumpFormatter.describe(Segs.c2s(R, 101, 0, 0, TcpOptions.NONE, 0)));
    assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [R.], seq 0, ack 124, win 0, length 0",
        TcpdumpFormatter.describe(Segs.c2s(R | A, 0, 124, 0, TcpOptions.NONE, 0)));
  }

  @Test
  void flagLettersFollowTcpdumpsOrderWithTheAckDotBeforeUrgAndEcn() {
    assertEquals("S.E", TcpdumpFormatter.flags(S | A | TcpFlags.ECE));
    assertEquals("SEW", TcpdumpFormatter.flags(S | TcpFlags.ECE | TcpFlags.CWR));
    assertEquals("P.UW", TcpdumpFormatter.flags(P | A | TcpFlags.URG | TcpFlags.CWR));
    assertEquals("none", TcpdumpFormatter.flags(0));
  }

  @Test
  void sequenceNumbersAreUnsigned() {
    assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [.], seq 4294967295:9, ack 2147483648, "
            + "win 1, length 10",
        TcpdumpFormatter.describe(Segs.c2s(A, -1, Integer.MIN_VALUE, 1, TcpOptions.NONE, 10)));
  }

  @Test
  void zeroPaddingAfterAnOddOptionListReadsAsEol() {
    assertEquals("wscale 7,eol",
        TcpdumpFormatter.options(TcpOptions.builder().windowScale(7).build()));
    assertEquals("mss 536,eol",
        TcpdumpFormatter.options(TcpOptions.builder().mss(536).eol().nop().nop().nop().build()));
  }

  @Test
  void aDropNamesItsReasonAndPlaceBeforeTheSegment() {
    assertEquals("3.000000 drop NETEM_LOSS on client->server: IP 10.0.0.1.40000 > 10.0.0.2.5001: "
            + "Flags [S], seq 1, win 100, length 0",
        TcpdumpFormatter.dropLine(3_000_000_000L, "client->server",
            Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0), DropReason.NETEM_LOSS));
    assertEquals("3.000000 drop TCP_CSUM: IP 10.0.0.1.40000 > 10.0.0.2.5001: "
            + "Flags [.], ack 1, win 100, length 0",
        TcpdumpFormatter.dropLine(3_000_000_000L, null,
            Segs.c2s(A, 1, 1, 100, TcpOptions.NONE, 0), DropReason.TCP_CSUM));
  }

  @Test
  void aLogWritesSegmentsItsFilterTakesAndDropsOnItsLinks() {
    StringBuilder out = new StringBuilder();
    TcpdumpLog log = new TcpdumpLog(out, CaptureFilter.onLink("client->server",
        CapturePoint.SENDER));
    log.transmitted(1_000, "client->server", Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0));
    log.dropped(1_000, "client->server", Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0),
        DropReason.NETEM_LOSS);
    log.transmitted(2_000, "server->client", Segs.s2c(S | A, 1, 2, 100, TcpOptions.NONE, 0));
    log.delivered(3_000, "client->server", Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0));
    assertEquals(""
        + "0.000001 IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [S], seq 1, win 100, length 0\n"
        + "0.000001 drop NETEM_LOSS on client->server: IP 10.0.0.1.40000 > 10.0.0.2.5001: "
        + "Flags [S], seq 1, win 100, length 0\n", out.toString());
    assertEquals(2, log.lines());
  }

  @Test
  void aHostLogAnnotatesDropsOffTheLinksWhenItKnowsTheHostsAddress() {
    StringBuilder named = new StringBuilder();
    StringBuilder addressed = new StringBuilder();
    TcpdumpLog byName = new TcpdumpLog(named, CaptureFilter.atHost("server"));
    TcpdumpLog byAddress = new TcpdumpLog(addressed, CaptureFilter.atHost("server", Segs.SERVER));
    for (TcpdumpLog log : java.util.List.of(byName, byAddress)) {
      log.dropped(5, "client->server", Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0),
          DropReason.NETEM_LOSS);
      log.dropped(6, null, Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0), DropReason.TCP_CSUM);
      log.dropped(7, "client->other", Segs.c2s(S, 1, 0, 100, TcpOptions.NONE, 0),
          DropReason.NETEM_LOSS);
    }
    assertEquals(1, byName.lines());
    assertEquals(2, byAddress.lines());
    assertEquals("0.000000 drop TCP_CSUM: IP 10.0.0.1.40000 > 10.0.0.2.5001: Flags [S], seq 1, "
        + "win 100, length 0", addressed.toString().split("\n")[1]);
  }
}
