package tcpsim.net.socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.time.Nanos;
import tcpsim.net.tcp.TwoStacks;

/**
 * What socket-level story tests share: two stacks on one simulation, a client process on host a,
 * a server process on host b, and a log of what the application saw, each line stamped with its
 * virtual time.
 */
abstract class SocketStoryTest {
  final TwoStacks net;
  final SocketApi client;
  final SocketApi server;
  final List<String> story = new ArrayList<>();

  SocketStoryTest(long seed) {
    net = new TwoStacks(seed);
    client = new SocketApi(net.a);
    server = new SocketApi(net.b);
  }

  void log(String what) {
    story.add(Nanos.formatSeconds(net.sim.now()) + " " + what);
  }

  /** A listening socket on the server at {@code port}, backlog 128. */
  int listening(int port) {
    int l = server.socket().intValue();
    assertTrue(server.bind(l, 0, port).isOk());
    assertTrue(server.listen(l, 128).isOk());
    return l;
  }
}
