package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.F;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.R;
import static tcpsim.net.observe.Segs.S;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * Wireshark's dissector (tshark) reads tcpsim's captures: no malformed packet, every IPv4 and
 * TCP checksum good, and on a stream staged with one retransmission, one duplicate ACK and one
 * zero window, Wireshark's own TCP analysis counts exactly those. Skipped when tshark is not
 * installed ({@code .ci/run} installs it).
 */
class TsharkValidationTest {
  private static final long MS = 1_000_000L;
  private static Path tshark;

  @BeforeAll
  static void findTshark() {
    Optional<Path> found = ExternalTool.find("tshark");
    assumeTrue(found.isPresent(), "skipped: tshark not installed");
    tshark = found.get();
  }

  /** A stream being staged: segments at increasing virtual times. */
  private static final class Stream {
    final List<Long> times = new ArrayList<>();
    final List<Segment> segments = new ArrayList<>();
    long now;

    Stream at(long ms, Segment s) {
      now = ms * MS;
      times.add(now);
      segments.add(s);
      return this;
    }

    Path write(Path file) throws IOException {
      try (PcapWriter w = new PcapWriter(Files.newOutputStream(file),
          CaptureFilter.everywhere(CapturePoint.SENDER))) {
        for (int i = 0; i < segments.size(); i++) {
          w.write(times.get(i), segments.get(i));
        }
      }
      return file;
    }
  }

  /** SYN, SYN-ACK, ACK with Linux's options; client ISN 1000, server ISN 5000. */
  private static Stream handshake() {
    return new Stream()
        .at(0, Segs.c2s(S, 1000, 0, 64240, Segs.synOptions(100, 0), 0))
        .at(10, Segs.s2c(S | A, 5000, 1001, 65160, Segs.synOptions(200, 100), 0))
        .at(20, Segs.c2s(A, 1001, 5001, 502, Segs.ts(110, 200), 0));
  }

  private static Map<String, Stream> variedStreams() {
    Map<String, Stream> m = new LinkedHashMap<>();
    m.put("handshake-and-close", handshake()
        .at(30, Segs.c2s(P | A, 1001, 5001, 502, Segs.ts(120, 200), 100))
        .at(40, Segs.s2c(A, 5001, 1101, 509, Segs.ts(220, 120), 0))
        .at(50, Segs.c2s(F | A, 1101, 5001, 502, Segs.ts(130, 220), 0))
        .at(60, Segs.s2c(F | A, 5001, 1102, 509, Segs.ts(230, 130), 0))
        .at(70, Segs.c2s(A, 1102, 5002, 502, Segs.ts(140, 230), 0)));
    m.put("data-with-sack", handshake()
        .at(30, Segs.c2s(A, 1001, 5001, 502, Segs.ts(120, 200), 1448))
        .at(30, Segs.c2s(A, 2449, 5001, 502, Segs.ts(120, 200), 1448))
        .at(30, Segs.c2s(P | A, 3897, 5001, 502, Segs.ts(120, 200), 1448))
        .at(40, Segs.s2c(A, 5001, 2449, 501, Segs.ts(220, 120), 0))
        .at(41, Segs.s2c(A, 5001, 2449, 501, Segs.tsSack(221, 120, 3897, 5345), 0))
        .at(42, Segs.c2s(A, 2449, 5001, 502, Segs.ts(122, 221), 1448))
        .at(52, Segs.s2c(A, 5001, 5345, 501, Segs.ts(231, 122), 0)));
    m.put("retransmission", handshake()
        .at(30, Segs.c2s(P | A, 1001, 5001, 502, Segs.ts(120, 200), 500))
        .at(250, Segs.c2s(P | A, 1001, 5001, 502, Segs.ts(340, 200), 500))
        .at(260, Segs.s2c(A, 5001, 1501, 501, Segs.ts(450, 340), 0)));
    m.put("zero-window", handshake()
        .at(30, Segs.c2s(P | A, 1001, 5001, 502, Segs.ts(120, 200), 1000))
        .at(40, Segs.s2c(A, 5001, 2001, 0, Segs.ts(220, 120), 0))
        .at(240, Segs.c2s(A, 2000, 5001, 502, Segs.ts(320, 220), 0))
        .at(250, Segs.s2c(A, 5001, 2001, 0, Segs.ts(330, 320), 0))
        .at(300, Segs.s2c(A, 5001, 2001, 300, Segs.ts(380, 320), 0)));
    m.put("reset", handshake()
        .at(30, Segs.c2s(P | A, 1001, 5001, 502, Segs.ts(120, 200), 10))
        .at(40, Segs.s2c(R | A, 5001, 1011, 0, TcpOptions.NONE, 0))
        .at(50, Segs.c2s(S, 7000, 0, 64240, Segs.synOptions(500, 0), 0))
        .at(60, Segs.s2c(R | A, 0, 7001, 0, TcpOptions.NONE, 0)));
    return m;
  }

  @Test
  void everyVariedCaptureDissectsWithoutMalformedPacketsOrBadChecksums(@TempDir Path dir)
      throws Exception {
    for (Map.Entry<String, Stream> e : variedStreams().entrySet()) {
      Path file = e.getValue().write(dir.resolve(e.getKey() + ".pcap"));
      List<String> statuses = checksumStatuses(file);
      assertEquals(e.getValue().segments.size(), statuses.size(), e.getKey() + ": " + statuses);
      for (String s : statuses) {
        assertEquals("1\t1", s, e.getKey() + ": every checksum Good (1), got " + statuses);
      }
      assertEquals(List.of(), filter(file, "_ws.malformed || _ws.expert.severity == error"),
          e.getKey() + ": malformed packets or expert errors");
    }
  }

  @Test
  void aCorruptedByteIsReportedAsABadChecksum(@TempDir Path dir) throws Exception {
    // The control: this test's checks can fail. Flip a payload byte of the last packet.
    Stream s = variedStreams().get("handshake-and-close");
    Path file = s.write(dir.resolve("good.pcap"));
    byte[] bytes = Files.readAllBytes(file);
    int firstDataPacket = 24 + 3 * 16 + 60 + 60 + 52; // file header, 3 records before it
    bytes[firstDataPacket + 16 + 52 + 5] ^= 0x20;
    Path bad = Files.write(dir.resolve("bad.pcap"), bytes);

    List<String> statuses = checksumStatuses(bad);

    assertEquals("1\t0", statuses.get(3), "IPv4 Good, TCP Bad: " + statuses);
  }

  @Test
  void wiresharkAnalysisCountsTheStagedRetransmissionDuplicateAckAndZeroWindow(@TempDir Path dir)
      throws Exception {
    Stream staged = handshake()
        .at(30, Segs.c2s(A, 1001, 5001, 502, Segs.ts(120, 200), 1000))
        .at(30, Segs.c2s(A, 2001, 5001, 502, Segs.ts(120, 200), 1000)) // lost on the link
        .at(30, Segs.c2s(P | A, 3001, 5001, 502, Segs.ts(120, 200), 1000))
        .at(40, Segs.s2c(A, 5001, 2001, 501, Segs.ts(220, 120), 0))
        // The duplicate ACK: same ack and window, no data, a SACK block for 3001:4001.
        .at(41, Segs.s2c(A, 5001, 2001, 501, Segs.tsSack(221, 120, 3001, 4001), 0))
        // The retransmission, after an RTO rather than three duplicates.
        .at(250, Segs.c2s(A, 2001, 5001, 502, Segs.ts(340, 221), 1000))
        // The zero window: the receiver's buffer is full.
        .at(260, Segs.s2c(A, 5001, 4001, 0, Segs.ts(450, 340), 0))
        .at(300, Segs.s2c(A, 5001, 4001, 501, Segs.ts(490, 340), 0))
        .at(310, Segs.c2s(F | A, 4001, 5001, 502, Segs.ts(400, 490), 0))
        .at(320, Segs.s2c(F | A, 5001, 4002, 501, Segs.ts(510, 400), 0))
        .at(330, Segs.c2s(A, 4002, 5002, 502, Segs.ts(420, 510), 0));
    Path file = staged.write(dir.resolve("staged.pcap"));

    assertEquals(List.of("9"), frames(file, "tcp.analysis.retransmission"));
    assertEquals(List.of("8"), frames(file, "tcp.analysis.duplicate_ack"));
    assertEquals(List.of("10"), frames(file, "tcp.analysis.zero_window"));
  }

  /** "ip.checksum.status\ttcp.checksum.status" per packet, checksum validation switched on. */
  private static List<String> checksumStatuses(Path file) throws Exception {
    ExternalTool.Result r = ExternalTool.run(List.of(tshark.toString(), "-n", "-r",
        file.toString(), "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status"));
    assertEquals(0, r.exitCode(), r.stderr());
    return r.lines();
  }

  private static List<String> filter(Path file, String displayFilter) throws Exception {
    ExternalTool.Result r = ExternalTool.run(List.of(tshark.toString(), "-n", "-r",
        file.toString(), "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-Y", displayFilter));
    assertEquals(0, r.exitCode(), r.stderr());
    return r.lines();
  }

  /** Frame numbers (1-based) matching the display filter. */
  private static List<String> frames(Path file, String displayFilter) throws Exception {
    ExternalTool.Result r = ExternalTool.run(List.of(tshark.toString(), "-n", "-r",
        file.toString(), "-Y", displayFilter, "-T", "fields", "-e", "frame.number"));
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.lines().stream().allMatch(l -> l.matches("[0-9]+")), r.stdout());
    return r.lines();
  }
}
