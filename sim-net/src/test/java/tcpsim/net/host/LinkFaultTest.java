package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.Link;
import tcpsim.net.wire.DropReason;

/** netem's random faults: loss, duplication, reordering, corruption. */
class LinkFaultTest {
  private static final long SEED = 0x10557L;

  private static String replay(long seed) {
    return " (seed 0x" + Long.toHexString(seed) + "; replay: mvn -pl sim-net test -Dtest="
        + LinkFaultTest.class.getSimpleName() + ")";
  }

  @Test
  void lossDropsAboutItsPercentageOfSegments() {
    World w = new World(SEED, "loss 10% limit 20000");
    w.clientSends(20_000, 100);
    w.sim.run();

    Link link = w.net.link("client", "server");
    long lost = link.droppedCount(DropReason.NETEM_LOSS);
    assertTrue(lost >= 1_800 && lost <= 2_200, lost + " of 20000 lost" + replay(SEED));
    assertEquals(20_000 - lost, w.atServer.segments.size());
  }

  @Test
  void duplicateDeliversASecondCopyOfTheSameSegment() {
    World w = new World(SEED, "delay 1ms duplicate 100%");
    w.clientSends(2, 100);
    w.sim.run();

    assertEquals(List.of("1@0.001000", "1@0.001000", "2@0.001000", "2@0.001000"),
        w.atServer.arrivals());
    assertEquals(2, w.tap.count("transmitted"));
    assertEquals(4, w.tap.count("delivered"));
    assertTrue(w.atServer.segments.get(0) == w.atServer.segments.get(1), "the same immutable segment");
  }

  @Test
  void reorderSendsAPortionAtOnceSkippingTheDelay() {
    World w = new World(SEED, "delay 10ms reorder 25%");
    for (int i = 1; i <= 2_000; i++) {
      w.client.ip().output(World.data(w.client, w.server, i, 100));
      w.sim.runFor(Nanos.millis(1));
    }
    w.sim.run();

    int immediate = 0;
    for (int i = 0; i < w.atServer.segments.size(); i++) {
      long sentAt = Nanos.millis(w.atServer.segments.get(i).seq() - 1);
      long took = w.atServer.times.get(i) - sentAt;
      assertTrue(took == 0 || took == Nanos.millis(10), "took " + Nanos.format(took));
      immediate += took == 0 ? 1 : 0;
    }
    assertEquals(2_000, w.atServer.segments.size());
    assertTrue(immediate >= 400 && immediate <= 600, immediate + " of 2000 reordered" + replay(SEED));
  }

  @Test
  void reorderWithAGapSendsEveryNthSegmentAtOnce() {
    // tc-netem(8): with gap 5, every 5th (10th, 15th, ...) packet may be sent immediately.
    World w = new World(SEED, "delay 10ms reorder 100% gap 5");
    w.clientSends(10, 100);
    w.sim.run();

    assertEquals(List.of(5, 10, 1, 2, 3, 4, 6, 7, 8, 9), w.atServer.seqs());
    assertEquals("0.000000", w.atServer.arrivals().get(0).substring(2));
  }

  @Test
  void aCorruptedSegmentIsDeliveredButDroppedByTheReceiversChecksum() {
    World w = new World(SEED, "delay 1ms corrupt 100%");
    w.clientSends(1, 100);
    w.sim.run();

    assertEquals(List.of(
        "0.000000 transmitted client->server seq 1",
        "0.001000 delivered client->server seq 1",
        "0.001000 dropped null seq 1 TCP_CSUM"), w.tap.lines);
    assertEquals(List.of(), w.atServer.segments);
    assertEquals(1, w.server.checksumErrors());
  }
}
