package tcpsim.net.socket;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.wire.Ipv4;

/** The stack on the real network: hosts, netem links, sockets; content checked end to end. */
class NetworkTransferTest {
  static final int SIZE = 10 << 20;

  /** Returns {bytes received, matches (1/0), virtual ms taken, digest of the run}. */
  static long[] run(long seed) {
    Simulation sim = new Simulation(seed);
    Network net = new Network(sim);
    Host client = net.host("client", "192.168.0.1");
    Host server = net.host("server", "192.0.2.1");
    net.duplex("client", "server", "delay 10ms rate 100mbit loss 5% duplicate 1% reorder 10%");
    TcpStack c = client.attach(TcpStack::new);
    TcpStack s = server.attach(TcpStack::new);
    c.setKeepPayload(true);
    s.setKeepPayload(true);
    SocketApi cApi = new SocketApi(c);
    SocketApi sApi = new SocketApi(s);

    byte[] content = new byte[SIZE];
    SimRandom r = new SimRandom(seed);
    for (int i = 0; i < SIZE; i++) {
      content[i] = (byte) r.nextInt();
    }
    byte[] received = new byte[SIZE];
    long[] out = new long[4];

    int l = sApi.socket().intValue();
    sApi.bind(l, 0, 8080);
    sApi.listen(l, 128);
    sApi.accept(l, a -> readAll(sApi, a.intValue(), received, 0, sim, out));
    int fd = cApi.socket().intValue();
    cApi.connect(fd, Ipv4.parse("192.0.2.1"), 8080, r0 ->
        cApi.send(fd, content, 0, SIZE, w -> cApi.close(fd)));
    sim.runUntil(Nanos.seconds(3600));
    out[1] = java.util.Arrays.equals(content, received) ? 1 : 0;
    out[3] = sim.digest().value();
    return out;
  }

  private static void readAll(SocketApi api, int fd, byte[] into, int at, Simulation sim,
      long[] out) {
    api.recv(fd, into, at, into.length - at, n -> {
      int got = n.intValue();
      if (got == 0) {
        out[0] = at;
        out[2] = sim.now() / Nanos.PER_MILLI;
        api.close(fd);
        return;
      }
      readAll(api, fd, into, at + got, sim, out);
    });
  }

  @Test
  void tenMegabytesCrossALossyDuplicatingReorderingNetemLinkByteForByte() {
    long[] first = run(7);
    assertEquals(SIZE, first[0], "replay with seed 7: bytes received");
    assertEquals(1, first[1], "replay with seed 7: content differs");
    long[] again = run(7);
    assertEquals(first[3], again[3], "seed 7 twice must give the same run");
    System.out.println("10 MB over 5% loss / 1% dup / 10% reorder, 20 ms RTT: "
        + first[2] + " ms of virtual time");
  }
}
