package tcpsim.lab.run;

import tcpsim.core.random.SimRandom;
import tcpsim.lab.experiment.App;
import tcpsim.lab.experiment.Workload;
import tcpsim.net.host.IpLayer;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * syn-flood: writes bare SYNs straight onto the wire at the rate (as hping3 -S does, bypassing
 * the host's TCP stack), each from a fresh source port with a random ISN, and never completes
 * a handshake. {@code spoofed}: each SYN claims a random source address in 198.18.0.0/15 (RFC
 * 2544's benchmarking range, which no host of an experiment has), so the SYN-ACKs find no route
 * and the server retransmits them (tcp_synack_timer) while the half-open requests fill its SYN
 * queue. Not spoofed: the SYNs carry the host's own address, and its stack answers each
 * SYN-ACK with a RST (tcp_v4_send_reset: no socket), which frees the request at once.
 *
 * <p>Randomness comes from the run's seed, split by the application's name.
 */
final class SynFloodApp extends AppProcess {
  /** 198.18.0.0/15 (RFC 2544 section C.2.2). */
  static final int SPOOF_BASE = (198 << 24) | (18 << 16);
  static final int SPOOF_SIZE = 1 << 17;
  /** What a Linux SYN offers: MSS 1460 on Ethernet. */
  private static final TcpOptions SYN_OPTIONS = TcpOptions.builder().mss(1460).build();

  private final Workload.SynFlood w;
  private final RunContext.Endpoint server;
  private final IpLayer ip;
  private final int ownAddress;
  private final SimRandom random;
  private int nextPort = 1024;

  SynFloodApp(RunContext ctx, App app, Recorder.AppTally tally, Workload.SynFlood w, IpLayer ip,
      int ownAddress) {
    super(ctx, app, null, tally);
    this.w = w;
    this.server = ctx.server(w.server());
    this.ip = ip;
    this.ownAddress = ownAddress;
    this.random = ctx.sim().random().split("app:" + app.name());
  }

  @Override
  void start() {
    every(w.rate().intervalNanos(), () -> {
      sendSyn();
      return true;
    });
  }

  private void sendSyn() {
    int src = w.spoofed() ? SPOOF_BASE + random.nextInt(SPOOF_SIZE) : ownAddress;
    int port = nextPort;
    nextPort = nextPort == 65535 ? 1024 : nextPort + 1;
    int isn = (int) random.nextLong(1L << 32);
    ip.output(new Segment(src, port, server.address(), server.port(), isn, 0, TcpFlags.SYN,
        64240, 0, SYN_OPTIONS, 0, null));
    happened("SYNs sent", null);
  }
}
