package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.F;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.R;
import static tcpsim.net.observe.Segs.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

class PacketDecoderTest {

  private static final List<Segment> VARIED = List.of(
      Segs.c2s(S, 123, 0, 64240, Segs.synOptions(1, 0), 0),
      Segs.s2c(S | A, 0xfffffffe, 124, 65160, Segs.synOptions(9, 1), 0),
      Segs.c2s(A, 124, 0xffffffff, 502, Segs.ts(2, 9), 0),
      Segs.c2s(P | A, 124, 0xffffffff, 502, Segs.ts(3, 9), 1448),
      Segs.s2c(A, 0xffffffff, 1572, 500, Segs.tsSack(10, 3, 3020, 4468, 5916, 7364), 0),
      Segs.s2c(A, 0xffffffff, 1572, 0, TcpOptions.NONE, 0),
      Segs.c2s(F | A, 1572, 0xffffffff, 502, TcpOptions.builder().mss(536).eol().build(), 0),
      Segs.c2s(R, 1573, 0, 0, TcpOptions.NONE, 0),
      Segs.c2s(R | A, 1573, 5, 0, TcpOptions.NONE, 0),
      Segs.c2s(TcpFlags.URG | TcpFlags.ECE | TcpFlags.CWR | A, 9, 9, 9,
          TcpOptions.builder().nop().windowScale(0).build(), 1));

  @Test
  void everySegmentSurvivesARoundTripWithFillerMadeConcrete() {
    for (Segment s : VARIED) {
      byte[] packet = PacketEncoder.encode(s, 4321);
      DecodedPacket d = PacketDecoder.decodePacket(packet, 0, packet.length);
      Segment back = d.segment();
      assertEquals(s.withoutPayload(), back.withoutPayload(), s.toString());
      if (s.payloadLength() > 0) {
        assertArrayEquals(java.util.Arrays.copyOfRange(packet,
            packet.length - s.payloadLength(), packet.length), back.payload());
      } else {
        assertEquals(null, back.payload(), "an empty segment carries no payload array");
      }
      assertEquals(4321, d.ipId());
      assertEquals(64, d.ttl());
      assertTrue(d.dontFragment());
      // And the bytes of the decoded segment are the same packet.
      assertArrayEquals(packet, PacketEncoder.encode(back, 4321), s.toString());
    }
  }

  @Test
  void paddingAfterAnOddOptionListIsNotAnOption() {
    Segment s = Segs.c2s(S, 1, 0, 100, TcpOptions.builder().windowScale(3).build(), 0);
    TcpOptions back = PacketDecoder.decode(PacketEncoder.encode(s, 0)).options();
    assertEquals(1, back.count());
    assertEquals(TcpOptions.WSCALE, back.kind(0));
  }

  @Test
  void aCorruptedByteFailsTheTcpChecksumNamingTheField() {
    byte[] p = PacketEncoder.encode(Segs.c2s(P | A, 1, 1, 100, TcpOptions.NONE, 10), 0);
    p[45] ^= 0x01; // a payload byte
    PacketFormatException e = assertThrows(PacketFormatException.class,
        () -> PacketDecoder.decode(p));
    assertEquals(36, e.byteOffset());
    assertTrue(e.getMessage().contains("TCP checksum"), e.getMessage());
  }

  @Test
  void aCorruptedTtlFailsTheHeaderChecksum() {
    byte[] p = PacketEncoder.encode(Segs.c2s(A, 1, 1, 100, TcpOptions.NONE, 0), 0);
    p[8] = 63;
    PacketFormatException e = assertThrows(PacketFormatException.class,
        () -> PacketDecoder.decode(p));
    assertEquals(10, e.byteOffset());
    assertTrue(e.getMessage().contains("IPv4 header checksum"), e.getMessage());
  }

  @Test
  void truncatedAndForeignPacketsAreRefusedWithTheReason() {
    byte[] p = PacketEncoder.encode(Segs.c2s(A, 1, 1, 100, TcpOptions.NONE, 20), 0);
    PacketFormatException shortPacket = assertThrows(PacketFormatException.class,
        () -> PacketDecoder.decodePacket(p, 0, 50));
    assertTrue(shortPacket.getMessage().contains("total length 60"), shortPacket.getMessage());

    byte[] udp = p.clone();
    udp[9] = 17;
    fixIpChecksum(udp);
    assertTrue(assertThrows(PacketFormatException.class, () -> PacketDecoder.decode(udp))
        .getMessage().contains("not TCP"));

    byte[] v6 = p.clone();
    v6[0] = 0x65;
    assertTrue(assertThrows(PacketFormatException.class, () -> PacketDecoder.decode(v6))
        .getMessage().contains("version is 6"));
  }

  @Test
  void anOptionTcpsimDoesNotModelIsNamed() {
    // MSS option rewritten as kind 34 (Fast Open), length 4: checksum recomputed so only the
    // option is wrong.
    byte[] p = PacketEncoder.encode(Segs.c2s(S, 1, 0, 100,
        TcpOptions.builder().mss(1460).build(), 0), 0);
    p[40] = 34;
    fixTcpChecksum(p);
    PacketFormatException e = assertThrows(PacketFormatException.class,
        () -> PacketDecoder.decode(p));
    assertEquals(40, e.byteOffset());
    assertTrue(e.getMessage().contains("option kind 34"), e.getMessage());
  }

  private static void fixIpChecksum(byte[] p) {
    p[10] = 0;
    p[11] = 0;
    int c = InternetChecksum.of(p, 0, 20);
    p[10] = (byte) (c >>> 8);
    p[11] = (byte) c;
  }

  private static void fixTcpChecksum(byte[] p) {
    p[36] = 0;
    p[37] = 0;
    int c = PacketEncoder.tcpChecksum(Segs.CLIENT, Segs.SERVER, p, 20, p.length - 20);
    p[36] = (byte) (c >>> 8);
    p[37] = (byte) c;
  }
}
