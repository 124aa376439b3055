package tcpsim.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireTypesTest {
  private static final int A = Ipv4.parse("10.0.0.1");
  private static final int B = Ipv4.parse("10.0.0.2");

  /** The SYN options Linux writes (tcp_options_write): MSS, SACK-permitted+TS, NOP, wscale. */
  static TcpOptions linuxSynOptions() {
    return TcpOptions.builder().mss(1460).sackPermitted().timestamp(1, 0).nop().windowScale(7).build();
  }

  @Test
  void linuxSynOptionsDescribeAsPacketdrillAndTcpdumpPrintThem() {
    assertEquals("mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7", linuxSynOptions().describe());
    assertEquals(20, linuxSynOptions().byteLength());
  }

  @Test
  void optionsKeepTheirWireOrder() {
    TcpOptions o = TcpOptions.builder().nop().nop().timestamp(5, 3).build();
    assertEquals(3, o.count());
    assertEquals(TcpOptions.NOP, o.kind(0));
    assertEquals(TcpOptions.TIMESTAMP, o.kind(2));
    assertEquals("nop,nop,TS val 5 ecr 3", o.describe());
  }

  @Test
  void sackBlocksPrintUnsigned() {
    TcpOptions o = TcpOptions.builder().nop().nop().sack(-10, -5).build();
    assertEquals("nop,nop,sack 4294967286:4294967291", o.describe());
    assertEquals(12, o.byteLength());
  }

  @Test
  void moreThanFortyBytesOfOptionsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TcpOptions.builder().timestamp(1, 1).sack(1, 2, 3, 4, 5, 6, 7, 8).build());
    assertTrue(e.getMessage().contains("40"), e.getMessage());
  }

  @Test
  void aSynAndAFinEachTakeOneSequenceNumber() {
    Segment synFin = new Segment(A, 40000, B, 80, 100, 0, TcpFlags.SYN | TcpFlags.FIN, 64240, 0,
        TcpOptions.NONE, 10, null);
    assertEquals(12, synFin.seqLength());
    assertEquals(112, synFin.end());
  }

  @Test
  void segmentsPrintInPacketdrillWords() {
    Segment s = new Segment(A, 40000, B, 80, 1, 101, TcpFlags.PSH | TcpFlags.ACK, 502, 0,
        TcpOptions.NONE, 100, null);
    assertEquals("10.0.0.1:40000 > 10.0.0.2:80 P. 1:101(100) ack 101 win 502", s.toString());
    assertEquals("P.", TcpFlags.packetdrill(s.flags()));
    assertEquals("S.", TcpFlags.packetdrill(TcpFlags.SYN | TcpFlags.ACK));
    assertEquals("F.", TcpFlags.tcpdump(TcpFlags.FIN | TcpFlags.ACK));
    assertEquals("S.E", TcpFlags.tcpdump(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.ECE));
  }

  @Test
  void impossibleHeaderFieldsAreRefusedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Segment(A, 70000, B, 80, 0, 0, 0, 0, 0,
        TcpOptions.NONE, 0, null)).getMessage().contains("source port"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Segment(A, 1, B, 80, 0, 0, 0, 65536, 0,
        TcpOptions.NONE, 0, null)).getMessage().contains("window"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Segment(A, 1, B, 80, 0, 0, 0, 0, 0,
        TcpOptions.NONE, 3, new byte[2])).getMessage().contains("payload"));
  }

  @Test
  void ipv4AddressesRoundTripAndBadOnesAreNamed() {
    assertEquals("192.0.2.1", Ipv4.format(Ipv4.parse("192.0.2.1")));
    assertTrue(Ipv4.isLoopback(Ipv4.parse("127.0.0.1")));
    for (String bad : new String[] {"1.2.3", "256.0.0.1", "a.b.c.d", "01.2.3.4", "1.2.3.4.5"}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> Ipv4.parse(bad)).getMessage().contains(bad));
    }
  }
}
