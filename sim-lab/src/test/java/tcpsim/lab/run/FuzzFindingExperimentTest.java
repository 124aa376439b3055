package tcpsim.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;
import tcpsim.lab.fuzz.FuzzConfig;
import tcpsim.lab.fuzz.Fuzzer;
import tcpsim.lab.fuzz.KnownStackBugs;
import tcpsim.net.observe.PcapDirectory;
import tcpsim.net.observe.PacketDecoder;
import tcpsim.net.observe.PcapReader;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * specs/experiments/stale-segment-found-by-fuzzer.yaml is the fuzzer's finding
 * (specs/fuzz/stale-segment-found-by-fuzzer.txt) written as an experiment: it puts the replay's
 * segments on the wire, one for one, and its echo server reads the old bytes.
 */
class FuzzFindingExperimentTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final String FILE = "specs/experiments/stale-segment-found-by-fuzzer.yaml";
  static final String POINT = "tcp_timewait_len=0,tcp_timestamps=0,seed=1";

  @TempDir Path dir;

  @Test
  void theExperimentPutsTheReplaysSegmentsOnTheWireAndReadsTheStaleBytes() throws Exception {
    Path fuzzCaps = dir.resolve("fuzz");
    try (PcapDirectory pcap = PcapDirectory.perHost(fuzzCaps)) {
      new Fuzzer(FuzzConfig.shortTimeWait(), KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS).replay(
          Fuzzer.parse(Files.readAllLines(ROOT.resolve("specs/fuzz/stale-segment-found-by-fuzzer.txt"))), pcap);
    }
    GridPoint p = ExperimentLoader.parse(FILE, Files.readString(ROOT.resolve(FILE))).point(POINT).orElseThrow();
    Path expCaps = dir.resolve("experiment");
    RunResult r = ExperimentRunner.run(p.experiment(), p.seed(), p.id(),
        new ExperimentRunner.Options(0, expCaps, List.of()));

    for (String host : new String[] {"client", "server"}) {
      List<String> fuzz = wire(fuzzCaps.resolve(host + ".pcap"));
      List<String> experiment = wire(expCaps.resolve(host + ".pcap"));
      // The replay ends at 12.8 ms (its last advance); the experiment runs on to 30 ms.
      assertTrue(fuzz.size() > 600 && experiment.size() >= fuzz.size(), fuzz.size() + " " + experiment.size());
      assertEquals(fuzz, experiment.subList(0, fuzz.size()), host);
    }
    // The late copy the fuzzer saw accepted at 7.5 ms is read by the experiment's echo server.
    assertTrue(r.app("echo").orElseThrow().happenings().getOrDefault("stale_bytes_accepted", 0L) > 0);
  }

  /**
   * Each captured segment as "time src flags seq ack len win", sequence numbers relative to the
   * ISN of each side's first SYN (the experiment keys its ISN hash differently from the fuzz
   * world, which moves every incarnation's sequence numbers alike).
   */
  static List<String> wire(Path pcap) throws Exception {
    long[] isn = {-1, -1}; // client, server
    List<String> lines = new ArrayList<>();
    for (PcapReader.Record rec : PcapReader.read(Files.readAllBytes(pcap))) {
      Segment s = PacketDecoder.decode(rec.packet());
      int from = s.srcPort() == 80 ? 1 : 0;
      if (s.has(TcpFlags.SYN) && isn[from] < 0) {
        isn[from] = s.seq() & 0xffffffffL;
      }
      lines.add(rec.timeNanos() + " " + Ipv4.format(s.srcAddr()) + " " + TcpFlags.packetdrill(s.flags())
          + " " + relative(s.seq(), isn[from]) + " " + (s.has(TcpFlags.ACK) ? relative(s.ack(), isn[1 - from]) : 0)
          + " " + s.payloadLength() + " " + s.window());
    }
    return lines;
  }

  private static long relative(int seq, long isn) {
    return ((seq & 0xffffffffL) - isn) & 0xffffffffL;
  }
}
