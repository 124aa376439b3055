package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;
import tcpsim.net.wire.Segment;

/** Carrying a segment across a link allocates nothing once the link's arrays have grown. */
class AllocationTest {

  @Test
  void aDeliveryAllocatesNothingOnceWarm() {
    Simulation sim = new Simulation(42);
    Network net = new Network(sim);
    Host client = net.host("client", "10.0.0.1");
    Host server = net.host("server", "10.0.0.2");
    long[] received = new long[1];
    server.attach(new Transport() {
      @Override
      public void input(Segment segment) {
        received[0]++;
      }

      @Override
      public void reboot() {}
    });
    net.duplex("client", "server", "delay 10ms 2ms loss 1% duplicate 1% reorder 5% corrupt 1%");
    Segment segment = World.data(client, server, 1, 1000); // immutable: one object sent again and again
    IpLayer ip = client.ip();

    for (int round = 0; round < 20; round++) { // warm up: arrays grow, the JIT compiles
      burst(sim, ip, segment);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    long sentBefore = received[0];
    for (int round = 0; round < 20; round++) {
      burst(sim, ip, segment);
    }
    long bytes = threads.getCurrentThreadAllocatedBytes() - before;
    long delivered = received[0] - sentBefore;

    // Some slack for the measurement itself; one object per segment would be >= 16 bytes each.
    assertTrue(bytes < delivered, bytes + " bytes allocated for " + delivered + " deliveries");
  }

  private static void burst(Simulation sim, IpLayer ip, Segment segment) {
    for (int i = 0; i < 500; i++) {
      ip.output(segment);
    }
    sim.run();
  }
}
