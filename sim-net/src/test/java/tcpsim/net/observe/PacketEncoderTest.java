package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.S;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

class PacketEncoderTest {

  /**
   * A SYN 10.0.0.1:40000 > 10.0.0.2:5001, seq 123, win 64240, mss 1460, IP ID 0x1234.
   *
   * <p>IPv4 header checksum (RFC 1071), the header's words with the checksum zero:
   * 4500 + 002c + 1234 + 4000 + 4006 + 0a00 + 0001 + 0a00 + 0002 = 0xeb69 (no carry);
   * complement: 0x1496.
   *
   * <p>TCP checksum: pseudo-header 0a00 + 0001 + 0a00 + 0002 + 0006 + 0018 = 0x1421; header
   * 9c40 + 1389 + 0000 + 007b + 0000 + 0000 + 6002 + faf0 + 0000 + 0000 + 0204 + 05b4 = 0x212ee;
   * total 0x2270f, folded 0x270f + 0x2 = 0x2711; complement: 0xd8ee.
   */
  @Test
  void synWithMssEncodesToTheBytesComputedByHand() {
    Segment syn = Segs.c2s(S, 123, 0, 64240, TcpOptions.builder().mss(1460).build(), 0);

    byte[] packet = PacketEncoder.encode(syn, 0x1234);

    String expected = ""
        + "4500002c" // version 4, IHL 5, TOS 0, total length 44
        + "12344000" // ID 0x1234, DF
        + "40061496" // TTL 64, TCP, header checksum
        + "0a000001" + "0a000002"
        + "9c401389" // ports 40000 > 5001
        + "0000007b" + "00000000" // seq 123, ack 0
        + "6002faf0" // data offset 6 words, SYN, window 64240
        + "d8ee0000" // checksum, urgent pointer
        + "020405b4"; // MSS 1460
    assertEquals(expected, HexFormat.of().formatHex(packet));
  }

  @Test
  void optionsStandInWireOrderAndPadToAWord() {
    // mss(4) sackOK(2) TS(10) nop(1) wscale(3) = 20 bytes: Linux's SYN layout, no padding.
    Segment syn = Segs.c2s(S, 1, 0, 64240, Segs.synOptions(1, 0), 0);
    byte[] p = PacketEncoder.encode(syn, 0);
    assertEquals(0xa0, p[20 + 12] & 0xff, "data offset 10 words");
    assertEquals("020405b4" + "0402" + "080a0000000100000000" + "01" + "030307",
        HexFormat.of().formatHex(p, 40, 60));

    // wscale alone is 3 bytes: one zero byte pads it to 4.
    Segment odd = Segs.c2s(S, 1, 0, 100, TcpOptions.builder().windowScale(14).build(), 0);
    byte[] q = PacketEncoder.encode(odd, 0);
    assertEquals(44, q.length);
    assertEquals("03030e00", HexFormat.of().formatHex(q, 40, 44));
  }

  @Test
  void sackBlocksAreWrittenAsStartEndPairs() {
    Segment ack = Segs.s2c(A, 1, 1001, 500, Segs.tsSack(7, 6, 2001, 3001, 4001, 5001), 0);
    byte[] p = PacketEncoder.encode(ack, 0);
    assertEquals("0101080a0000000700000006" + "0101" + "0512" + "000007d1" + "00000bb9"
        + "00000fa1" + "00001389", HexFormat.of().formatHex(p, 40, p.length));
  }

  @Test
  void payloadIsTheSegmentsOwnBytesOrFillerKeyedBySequenceNumber() {
    byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Segment withBytes = new Segment(Segs.CLIENT, 1, Segs.SERVER, 2, 1000, 1, P | A, 100, 0,
        TcpOptions.NONE, 5, hello);
    byte[] p = PacketEncoder.encode(withBytes, 0);
    assertArrayEquals(hello, java.util.Arrays.copyOfRange(p, 40, 45));

    // Without bytes, the byte at sequence number n is 'a' + n mod 26: 26 -> 'a', 27 -> 'b'.
    Segment filler = Segs.c2s(P | A, 25, 1, 100, TcpOptions.NONE, 3);
    byte[] q = PacketEncoder.encode(filler, 0);
    assertEquals("zab", new String(q, 40, 3, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void everyPacketVerifiesToZeroUnderBothChecksums() {
    Segment data = Segs.c2s(P | A, 0xfffffff0, 77, 502, Segs.ts(5, 3), 1001);
    byte[] p = PacketEncoder.encode(data, 0xbeef);
    assertEquals(0, InternetChecksum.of(p, 0, 20));
    assertEquals(0, PacketEncoder.tcpChecksum(Segs.CLIENT, Segs.SERVER, p, 20, p.length - 20));
    assertEquals(p.length, ((p[2] & 0xff) << 8) | (p[3] & 0xff), "total length");
  }

  @Test
  void refusesWhatAnIpv4PacketCannotHold() {
    Segment huge = Segs.c2s(A, 0, 0, 0, TcpOptions.NONE, 65_496);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PacketEncoder.encode(huge, 0));
    assertTrue(e.getMessage().contains("65536-byte"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> PacketEncoder.encode(Segs.c2s(A, 0, 0, 0, TcpOptions.NONE, 0), 0x10000));
  }
}
