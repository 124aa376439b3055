package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.S;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

class PcapWriterTest {
  private static final Segment SYN = Segs.c2s(S, 100, 0, 64240, Segs.synOptions(1, 0), 0);
  private static final Segment SYN_ACK = Segs.s2c(S | A, 500, 101, 65160, Segs.synOptions(2, 1), 0);
  private static final Segment ACK = Segs.c2s(A, 101, 501, 502, Segs.ts(3, 2), 0);
  private static final Segment DATA = Segs.c2s(P | A, 101, 501, 502, Segs.ts(4, 2), 100);

  @Test
  void fileHeaderSaysNanosecondsRawIpv4BigEndian() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new PcapWriter(bytes, CaptureFilter.everywhere(CapturePoint.SENDER)).close();
    assertEquals("a1b23c4d" + "0002" + "0004" + "00000000" + "00000000" + "00040000" + "00000065",
        HexFormat.of().formatHex(bytes.toByteArray()));
  }

  @Test
  void aRecordCarriesVirtualTimeToTheNanosecondAndThePacket() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, CaptureFilter.everywhere(CapturePoint.SENDER))) {
      w.write(12_004_512_345L, SYN);
    }
    byte[] f = bytes.toByteArray();
    // 12 s, 4512345 ns, 60 bytes captured of 60.
    assertEquals("0000000c" + "0044da59" + "0000003c" + "0000003c",
        HexFormat.of().formatHex(f, 24, 40));
    List<PcapReader.Record> records = PcapReader.read(f);
    assertEquals(1, records.size());
    assertEquals(12_004_512_345L, records.get(0).timeNanos());
    assertEquals(SYN, PacketDecoder.decode(records.get(0).packet()));
  }

  @Test
  void sameSegmentsAtSameTimesGiveIdenticalBytes() {
    assertArrayEquals(capture(), capture());
  }

  private static byte[] capture() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, CaptureFilter.everywhere(CapturePoint.SENDER))) {
      w.transmitted(0, "client->server", SYN);
      w.transmitted(1_000_000, "server->client", SYN_ACK);
      w.transmitted(2_000_000, "client->server", ACK);
      w.transmitted(2_000_000, "client->server", DATA);
    }
    return bytes.toByteArray();
  }

  @Test
  void aHostCaptureSeesItsOwnSegmentsLeaveAndOthersArriveButNotLosses() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter client = new PcapWriter(bytes, CaptureFilter.atHost("client"))) {
      client.transmitted(0, "client->server", SYN);
      client.delivered(500, "client->server", SYN); // the server's side: not ours
      client.transmitted(600, "server->client", SYN_ACK); // left the server: not yet ours
      client.dropped(700, "server->client", SYN_ACK, DropReason.NETEM_LOSS);
      client.transmitted(1_000_000, "server->client", SYN_ACK);
      client.delivered(1_000_500, "server->client", SYN_ACK);
      client.transmitted(1_000_600, "client->server", ACK);
      assertEquals(3, client.packets());
    }
    List<PcapReader.Record> r = PcapReader.read(bytes.toByteArray());
    assertEquals(List.of(0L, 1_000_500L, 1_000_600L),
        r.stream().map(PcapReader.Record::timeNanos).toList());
    assertEquals(List.of(SYN, SYN_ACK, ACK),
        r.stream().map(x -> PacketDecoder.decode(x.packet())).toList());
  }

  @Test
  void aLinkCaptureAtTheReceiverMissesTheLossAndShowsTheDuplicateTwice() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes,
        CaptureFilter.onLink("client->server", CapturePoint.RECEIVER))) {
      w.transmitted(0, "client->server", DATA);
      w.dropped(0, "client->server", DATA, DropReason.NETEM_LOSS);
      w.transmitted(200, "client->server", DATA);
      w.delivered(300, "client->server", DATA);
      w.delivered(400, "client->server", DATA);
      w.delivered(400, "server->client", ACK);
    }
    List<PcapReader.Record> r = PcapReader.read(bytes.toByteArray());
    assertEquals(2, r.size());
    assertArrayEquals(r.get(0).packet(), r.get(1).packet(), "a duplicate keeps its IP ID");
  }

  @Test
  void ipIdsFollowLinuxSynAckZeroAndAPerFlowCounter() {
    IpIdSequence ids = new IpIdSequence();
    int first = ids.next(SYN);
    assertEquals(0, ids.next(SYN_ACK));
    assertEquals((first + 1) & 0xffff, ids.next(ACK));
    assertEquals((first + 2) & 0xffff, ids.next(DATA));
    assertEquals((first + 2) & 0xffff, ids.next(DATA), "the same object again: a duplicate");
    Segment serverAck = Segs.s2c(A, 501, 201, 500, Segs.ts(5, 4), 0);
    assertEquals(IpIdSequence.startFor(Segs.SERVER, Segs.SERVER_PORT, Segs.CLIENT,
        Segs.CLIENT_PORT), ids.next(serverAck));
  }

  @Test
  void timeMustNotRunBackwards() {
    try (PcapWriter w = new PcapWriter(new ByteArrayOutputStream(),
        CaptureFilter.everywhere(CapturePoint.SENDER))) {
      w.write(5, SYN);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.write(4, ACK));
      assertEquals("capture time went backwards: 4 ns after 5 ns", e.getMessage());
    }
  }

  @Test
  void aDirectoryKeepsOneFilePerLinkOrPerHost(@TempDir Path dir) throws Exception {
    try (PcapDirectory links = PcapDirectory.perLink(dir.resolve("links"), CapturePoint.SENDER);
        PcapDirectory hosts = PcapDirectory.perHost(dir.resolve("hosts"))) {
      for (PcapDirectory d : List.of(links, hosts)) {
        d.transmitted(0, "client->server", SYN);
        d.delivered(10, "client->server", SYN);
        d.transmitted(20, "server->client", SYN_ACK);
        d.delivered(30, "server->client", SYN_ACK);
      }
      assertEquals(List.of(dir.resolve("links/client_to_server.pcap"),
          dir.resolve("links/server_to_client.pcap")), links.files());
      assertEquals(List.of(dir.resolve("hosts/client.pcap"), dir.resolve("hosts/server.pcap")),
          hosts.files());
    }
    assertEquals(1, PcapReader.read(Files.readAllBytes(dir.resolve("links/client_to_server.pcap")))
        .size());
    assertEquals(2, PcapReader.read(Files.readAllBytes(dir.resolve("hosts/server.pcap"))).size());
  }

  @Test
  void segmentsWithoutOptionsStillDecode() {
    Segment rst = Segs.c2s(Segs.R, 7, 0, 0, TcpOptions.NONE, 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, CaptureFilter.everywhere(CapturePoint.SENDER))) {
      w.write(0, rst);
    }
    assertEquals(rst, PacketDecoder.decode(PcapReader.read(bytes.toByteArray()).get(0).packet())
        .withoutPayload());
  }
}
