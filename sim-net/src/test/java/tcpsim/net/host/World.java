package tcpsim.net.host;

import tcpsim.core.event.Simulation;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/** The usual stage for these stories: a client and a server, a tap, recording transports. */
final class World {
  final Simulation sim;
  final Network net;
  final Host client;
  final Host server;
  final RecordingTransport atClient;
  final RecordingTransport atServer;
  final RecordingTap tap = new RecordingTap();

  World(long seed) {
    sim = new Simulation(seed);
    net = new Network(sim);
    client = net.host("client", "10.0.0.1");
    server = net.host("server", "10.0.0.2");
    atClient = new RecordingTransport(sim);
    atServer = new RecordingTransport(sim);
    client.attach(atClient);
    server.attach(atServer);
    net.addTap(tap);
  }

  World(long seed, String netem) {
    this(seed);
    net.duplex("client", "server", NetemConfig.parse(netem));
  }

  /** A data segment of {@code len} bytes with sequence number {@code seq} from one host to the other. */
  static Segment data(Host from, Host to, int seq, int len) {
    return segment(from, to, TcpFlags.ACK | (len > 0 ? TcpFlags.PSH : 0), seq, len);
  }

  static Segment segment(Host from, Host to, int flags, int seq, int len) {
    return new Segment(from.address(), 40000, to.address(), 80, seq, 1, flags, 65535, 0,
        TcpOptions.NONE, len, null);
  }

  /** The client sends {@code n} segments of {@code len} bytes now, with seq 1..n. */
  void clientSends(int n, int len) {
    for (int i = 1; i <= n; i++) {
      client.ip().output(data(client, server, i, len));
    }
  }
}
