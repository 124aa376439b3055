package tcpsim.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.HierarchicalTimingWheel;
import tcpsim.core.time.Nanos;

/**
 * The TCP benchmarks measure what they claim: the bulk transfer really moves data (and on the
 * lossy link really recovers from loss), and the idle connections really are established at both
 * ends with no timer left armed. Small sizes: these run in CI, the benchmarks do not.
 */
class TcpBenchDriversTest {

  @Test
  void theBulkTransferKeepsMovingDataOnACleanLinkWithoutRetransmitting() {
    BulkTransfer bulk = new BulkTransfer(1, TcpThroughputBench.netem("clean"), new HeapEventSet());
    bulk.warmUp(Nanos.seconds(1));
    long before = bulk.payloadBytesRead();
    bulk.runSegments(20_000);
    long read = bulk.payloadBytesRead() - before;
    // Two data segments per ACK at most, 1448 payload bytes each: well over 10,000 * 1000 bytes.
    assertTrue(read > 10_000_000L, "payload read over 20,000 segments: " + read);
    assertEquals(0, bulk.client().info().totalRetrans(), "retransmissions on a clean link");
  }

  @Test
  void theBulkTransferRecoversFromOnePercentLossAndKeepsGoing() {
    BulkTransfer bulk = new BulkTransfer(1, TcpThroughputBench.netem("loss1"),
        new HierarchicalTimingWheel());
    bulk.warmUp(Nanos.seconds(1));
    long before = bulk.payloadBytesRead();
    bulk.runSegments(50_000);
    assertTrue(bulk.payloadBytesRead() - before > 20_000_000L,
        "payload read over 50,000 segments at 1% loss: " + (bulk.payloadBytesRead() - before));
    assertTrue(bulk.client().info().totalRetrans() > 0, "1% loss must cause retransmissions");
  }

  @Test
  void idleConnectionsAreEstablishedAtBothEndsAndArmNoTimer() {
    IdleConnectionsScale.IdleWorld world = new IdleConnectionsScale.IdleWorld(1);
    long[] rounds = {0};
    world.open(5_000, (opened, accepted) -> rounds[0]++);
    assertArrayEquals(new long[] {5_000, 5_000, 0}, world.countStates(),
        "{client ESTABLISHED, server ESTABLISHED, other}");
    assertEquals(5_000, world.accepted);
    assertEquals(0, world.sim.pendingCount(), "an idle connection must arm no timer");
    assertEquals(1, rounds[0], "5,000 connections take one round (and one progress report)");
  }
}
