package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.LinkRule;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TcpSysctls;
import tcpsim.net.wire.TcpFlags;

/**
 * Captures of a simulated run, with tcpsim's own network and TCP stacks: a client's first SYN is
 * lost on the link, it retransmits and connects; a second client connects to a closed port and is
 * refused. tshark must find no malformed packet or bad checksum, count as many retransmissions as
 * the socket's {@code tcpi_total_retrans}, and tcpdump must print the capture as the log did.
 */
class SimulatedRunCaptureTest {

  private static final class Run {
    final Simulation sim = new Simulation(0x5eedL);
    final Network net = new Network(sim);
    final Host client = net.host("client", "10.0.0.1");
    final Host server = net.host("server", "10.0.0.2");
    final TcpStack clientStack = client.attach((s, r, ip, a) ->
        new TcpStack(s, "client", a, ip, TcpSysctls.defaults()));
    final TcpStack serverStack = server.attach((s, r, ip, a) ->
        new TcpStack(s, "server", a, ip, TcpSysctls.defaults()));
    final StringBuilder log = new StringBuilder();
    TcpConnection connected;
    TcpConnection refused;

    Run(Path dir) {
      net.duplex("client", "server", "delay 10ms");
      net.link("client", "server").addRule(LinkRule.withFlags(TcpFlags.SYN).first().drop());
      net.addTap(new TcpdumpLog(log, CaptureFilter.everywhere(CapturePoint.SENDER)));
    }

    void play() {
      TcpConnection listener = serverStack.socket();
      assertNull(serverStack.bind(listener, 5001));
      assertNull(serverStack.listen(listener, 16));
      connected = clientStack.socket();
      assertNull(clientStack.connect(connected, server.address(), 5001));
      sim.runFor(Nanos.seconds(3));
      refused = clientStack.socket();
      assertNull(clientStack.connect(refused, server.address(), 5002));
      sim.runFor(Nanos.seconds(1));
    }
  }

  @Test
  void wiresharkAndTcpdumpReadTheCapturesOfARealRun(@TempDir Path dir) throws Exception {
    Optional<Path> tshark = ExternalTool.find("tshark");
    Optional<Path> tcpdump = ExternalTool.find("tcpdump");
    assumeTrue(tshark.isPresent() && tcpdump.isPresent(),
        "skipped: tshark or tcpdump not installed");
    Run run = new Run(dir);
    Path all = dir.resolve("all.pcap");
    try (PcapWriter sender = new PcapWriter(Files.newOutputStream(all),
        CaptureFilter.everywhere(CapturePoint.SENDER));
        PcapDirectory hosts = PcapDirectory.perHost(dir.resolve("hosts"))) {
      run.net.addTap(sender);
      run.net.addTap(hosts);
      run.play();
    }
    assertEquals(TcpState.ESTABLISHED, run.connected.state());
    assertEquals(TcpState.CLOSE, run.refused.state());
    long retransmitted = run.connected.info().totalRetrans();
    assertEquals(1, retransmitted, "the lost SYN was retransmitted once");

    for (Path file : List.of(all, dir.resolve("hosts/client.pcap"),
        dir.resolve("hosts/server.pcap"))) {
      ExternalTool.Result bad = ExternalTool.run(List.of(tshark.get().toString(), "-n", "-r",
          file.toString(), "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
          "-Y", "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 "
              + "|| _ws.expert.severity == error"));
      assertEquals(0, bad.exitCode(), bad.stderr());
      assertEquals(List.of(), bad.lines(), file.getFileName().toString());
    }
    ExternalTool.Result retrans = ExternalTool.run(List.of(tshark.get().toString(), "-n", "-r",
        all.toString(), "-Y", "tcp.analysis.retransmission", "-T", "fields", "-e",
        "frame.number"));
    assertEquals(retransmitted, retrans.lines().size(), retrans.stdout());

    ExternalTool.Result td = ExternalTool.run(List.of(tcpdump.get().toString(), "-n", "-S", "-tt",
        "-r", all.toString()));
    List<String> logged = new ArrayList<>();
    for (String line : run.log.toString().split("\n")) {
      if (!line.contains(" drop ")) {
        logged.add(line);
      }
    }
    assertEquals(logged, td.lines());
    assertTrue(run.log.toString().contains(" drop LINK_RULE on client->server: IP 10.0.0.1."),
        run.log.toString());
  }

  @Test
  void wiresharkRetransmissionsEqualTheStacksTcpRetransSegs(@TempDir Path dir) throws Exception {
    Optional<Path> tshark = ExternalTool.find("tshark");
    assumeTrue(tshark.isPresent(), "skipped: tshark not installed");
    Run run = new Run(dir);
    Path all = dir.resolve("all.pcap");
    try (PcapWriter sender = new PcapWriter(Files.newOutputStream(all),
        CaptureFilter.everywhere(CapturePoint.SENDER))) {
      run.net.addTap(sender);
      run.play();
    }
    ExternalTool.Result retrans = ExternalTool.run(List.of(tshark.get().toString(), "-n", "-r",
        all.toString(), "-Y", "tcp.analysis.retransmission", "-T", "fields", "-e",
        "frame.number"));
    assertEquals(run.clientStack.counter("TcpRetransSegs")
        + run.serverStack.counter("TcpRetransSegs"), retrans.lines().size(), retrans.stdout());
  }

  @Test
  void theSameRunWritesTheSameBytes(@TempDir Path dir) throws Exception {
    assertEquals(HexOf.capture(new Run(dir)), HexOf.capture(new Run(dir)));
  }

  private static final class HexOf {
    static String capture(Run run) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (PcapWriter w = new PcapWriter(bytes, CaptureFilter.atHost("client"))) {
        run.net.addTap(w);
        run.play();
      }
      return java.util.HexFormat.of().formatHex(bytes.toByteArray()) + "\n" + run.log;
    }
  }
}
