package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static tcpsim.net.observe.Segs.A;
import static tcpsim.net.observe.Segs.F;
import static tcpsim.net.observe.Segs.P;
import static tcpsim.net.observe.Segs.R;
import static tcpsim.net.observe.Segs.S;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * The real tcpdump reads a capture written by {@link PcapWriter} and must print, line for line,
 * what {@link TcpdumpFormatter} prints for the same segments. Skipped when tcpdump is not
 * installed ({@code .ci/run} installs it).
 */
class TcpdumpAgreementTest {

  private record At(long nanos, Segment segment) {}

  /** Every shape the formatter has a rule for, at times with sub-microsecond digits. */
  private static List<At> everyShape() {
    long t = 1_000_000_000L;
    List<At> l = new ArrayList<>();
    l.add(new At(t += 7, Segs.c2s(S, 123, 0, 64240, Segs.synOptions(1, 0), 0)));
    l.add(new At(t += 1_000_999, Segs.s2c(S | A, 0xfffffff0, 124, 65160, Segs.synOptions(9, 1), 0)));
    l.add(new At(t += 55_001, Segs.c2s(A, 124, 0xfffffff1, 502, Segs.ts(2, 9), 0)));
    l.add(new At(t += 1, Segs.c2s(P | A, 124, 0xfffffff1, 502, Segs.ts(3, 9), 100)));
    l.add(new At(t += 1, Segs.c2s(A, 224, 0xfffffff1, 502, Segs.ts(3, 9), 1448)));
    l.add(new At(t += 1, Segs.s2c(A, 0xfffffff1, 224, 501, Segs.tsSack(10, 3, 1672, 3120), 0)));
    l.add(new At(t += 1, Segs.s2c(A, 0xfffffff1, 224, 501,
        Segs.tsSack(11, 3, 1672, 3120, 4568, 6016, 7464, 8912), 0)));
    l.add(new At(t += 1, Segs.s2c(A, 0xfffffff1, 224, 501,
        TcpOptions.builder().sack(1672, 3120, 4568, 6016, 7464, 8912, 10360, 11808).build(), 0)));
    l.add(new At(t += 1, Segs.s2c(A, 0xfffffff1, 224, 0, TcpOptions.NONE, 0)));
    l.add(new At(t += 1, Segs.s2c(P | A, 0xfffffff1, 224, 501, Segs.ts(12, 3), 30)));
    l.add(new At(t += 1, Segs.c2s(F | A, 224, 15, 502, Segs.ts(4, 12), 0)));
    l.add(new At(t += 1, Segs.c2s(F | P | A, 224, 15, 502, TcpOptions.NONE, 7)));
    l.add(new At(t += 1, Segs.s2c(R, 15, 0, 0, TcpOptions.NONE, 0)));
    l.add(new At(t += 1, Segs.s2c(R | A, 0, 225, 0, TcpOptions.NONE, 0)));
    l.add(new At(t += 1, Segs.c2s(0, 1, 2, 3, TcpOptions.NONE, 0)));
    l.add(new At(t += 1, Segs.c2s(S | TcpFlags.ECE | TcpFlags.CWR, 1, 0, 3,
        TcpOptions.builder().mss(536).build(), 0)));
    l.add(new At(t += 1, Segs.s2c(S | A | TcpFlags.ECE, 1, 2, 3,
        TcpOptions.builder().windowScale(14).build(), 0)));
    l.add(new At(t += 1, Segs.c2s(A | TcpFlags.CWR | TcpFlags.URG | P, 2, 2, 3,
        TcpOptions.builder().nop().build(), 5)));
    l.add(new At(t += 1, Segs.c2s(A, 2, 2, 3, TcpOptions.builder().mss(536).eol().build(), 0)));
    l.add(new At(t += 1, Segs.c2s(A, 2, 2, 3, TcpOptions.builder().sackPermitted().build(), 0)));
    l.add(new At(t += 1, new Segment(Segs.CLIENT, 40000, Segs.SERVER, 5001, 7, 8, P | A | TcpFlags.URG,
        9, 3, TcpOptions.NONE, 4, new byte[] {1, 2, 3, 4})));
    l.add(new At(864_000_123_456_789L, Segs.c2s(A, 2, 2, 3, TcpOptions.NONE, 0)));
    return l;
  }

  @Test
  void tcpdumpPrintsWhatTheFormatterPrints(@TempDir Path dir) throws Exception {
    Optional<Path> tcpdump = ExternalTool.find("tcpdump");
    assumeTrue(tcpdump.isPresent(), "skipped: tcpdump not installed");
    List<At> segments = everyShape();
    Path file = dir.resolve("shapes.pcap");
    List<String> ours = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(file);
        PcapWriter w = new PcapWriter(out, CaptureFilter.everywhere(CapturePoint.SENDER))) {
      for (At a : segments) {
        w.write(a.nanos(), a.segment());
        ours.add(TcpdumpFormatter.line(a.nanos(), a.segment()));
      }
    }

    ExternalTool.Result r = ExternalTool.run(List.of(tcpdump.get().toString(), "-n", "-S", "-tt",
        "-r", file.toString()));

    assertEquals(0, r.exitCode(), r.stderr());
    List<String> theirs = r.lines();
    assertEquals(ours.size(), theirs.size(), "tcpdump printed:\n" + r.stdout());
    for (int i = 0; i < ours.size(); i++) {
      assertEquals(theirs.get(i), ours.get(i), "segment " + i + ": " + segments.get(i).segment());
    }
  }

  @Test
  void tcpdumpVerboseFindsEveryChecksumCorrect(@TempDir Path dir) throws Exception {
    Optional<Path> tcpdump = ExternalTool.find("tcpdump");
    assumeTrue(tcpdump.isPresent(), "skipped: tcpdump not installed");
    Path file = dir.resolve("shapes.pcap");
    List<At> segments = everyShape();
    try (PcapWriter w = new PcapWriter(Files.newOutputStream(file),
        CaptureFilter.everywhere(CapturePoint.SENDER))) {
      for (At a : segments) {
        w.write(a.nanos(), a.segment());
      }
    }

    ExternalTool.Result r = ExternalTool.run(List.of(tcpdump.get().toString(), "-n", "-vv",
        "-r", file.toString()));

    assertEquals(0, r.exitCode(), r.stderr());
    long correct = r.lines().stream().filter(l -> l.contains("cksum 0x")
        && l.contains("(correct)")).count();
    assertEquals(segments.size(), correct, r.stdout());
    assertEquals(false, r.stdout().contains("incorrect"), r.stdout());
    assertEquals(false, r.stdout().contains("bad"), r.stdout());
  }
}
