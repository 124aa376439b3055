package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * What the real kernel sends, captured by tcpdump on loopback in a namespace of our own: the
 * decoder reads every packet, the encoder lays the decoded segment out byte for byte as Linux did
 * (IPv4 header with DF, TTL 64, the same ID; TCP header and options), and the formatter prints
 * what tcpdump prints for it. Only the TCP checksum field differs: on loopback Linux leaves the
 * pseudo-header sum there ({@code CHECKSUM_PARTIAL}). Skipped without root, ip, tcpdump, python3.
 */
class KernelCaptureAgreementTest {
  private static final String SCENARIO = """
      import socket, subprocess, sys, time
      td = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-w",
                             sys.argv[1], "tcp"],
                            stderr=subprocess.PIPE, text=True)
      td.stderr.readline()  # "listening on lo": the capture is active
      l = socket.socket(); l.bind(("127.0.0.1", 5555)); l.listen()
      c = socket.socket(); c.connect(("127.0.0.1", 5555)); s, _ = l.accept()
      c.sendall(b"hello world" * 10); s.recv(1000)
      s.sendall(b"bye"); c.recv(100)
      c.close(); s.recv(100); s.close()
      time.sleep(0.1)
      td.terminate(); td.wait()
      """;

  @Test
  void kernelPacketsDecodeReencodeAndPrintAsTcpdumpDoes(@TempDir Path dir) throws Exception {
    Optional<Path> ip = ExternalTool.find("ip");
    Optional<Path> python = ExternalTool.find("python3");
    Optional<Path> tcpdump = ExternalTool.find("tcpdump");
    assumeTrue(ip.isPresent() && python.isPresent() && tcpdump.isPresent(),
        "skipped: ip, python3 or tcpdump not installed");
    String ns = "tcpsim-cap-" + ProcessHandle.current().pid();
    ExternalTool.Result add = ExternalTool.run(List.of(ip.get().toString(), "netns", "add", ns));
    assumeTrue(add.exitCode() == 0, "skipped: cannot create a network namespace (needs root): "
        + add.stderr());
    Path pcap = dir.resolve("kernel.pcap");
    try {
      assertEquals(0, ExternalTool.run(List.of(ip.get().toString(), "-n", ns, "link", "set",
          "lo", "up")).exitCode());
      Path script = Files.writeString(dir.resolve("scenario.py"), SCENARIO);
      ExternalTool.Result r = ExternalTool.run(List.of(ip.get().toString(), "netns", "exec", ns,
          python.get().toString(), script.toString(), pcap.toString()));
      assertEquals(0, r.exitCode(), r.stderr());
    } finally {
      ExternalTool.run(List.of(ip.get().toString(), "netns", "del", ns));
    }

    List<PcapReader.Record> records = PcapReader.read(Files.readAllBytes(pcap));
    assertTrue(records.size() >= 9, "handshake, data, ACKs and two FINs: " + records.size());
    List<String> ours = new ArrayList<>();
    boolean sawSynAck = false;
    for (PcapReader.Record rec : records) {
      byte[] kernel = rec.packet();
      DecodedPacket d = PacketDecoder.decodePacket(kernel, 0, kernel.length, false);
      Segment s = d.segment();
      byte[] ours1 = PacketEncoder.encode(s, d.ipId());
      assertEquals(kernel.length, ours1.length, s.toString());
      kernel[36] = ours1[36];
      kernel[37] = ours1[37];
      assertArrayEquals(kernel, ours1, "re-encoded differently: " + s);
      if (s.has(TcpFlags.SYN) && s.has(TcpFlags.ACK)) {
        sawSynAck = true;
        assertEquals(0, d.ipId(), "Linux sends a SYN-ACK with IP ID 0");
      }
      ours.add(TcpdumpFormatter.line(rec.timeNanos(), s));
    }
    assertTrue(sawSynAck);

    ExternalTool.Result td = ExternalTool.run(List.of(tcpdump.get().toString(), "-n", "-S", "-tt",
        "-r", pcap.toString()));
    assertEquals(0, td.exitCode(), td.stderr());
    assertEquals(td.lines(), ours);
  }
}
