package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.DropReason;

/** When segments arrive: delay, jitter, FIFO order, rate and the queue limit. */
class LinkTimingTest {
  private static final long SEED = 0x5eedL;

  @Test
  void aSegmentArrivesExactlyTheDelayAfterItWasSent() {
    World w = new World(SEED, "delay 10ms");
    w.client.ip().output(World.data(w.client, w.server, 1, 100));
    w.sim.runUntil(Nanos.millis(5));
    w.client.ip().output(World.data(w.client, w.server, 2, 100));
    w.sim.run();

    assertEquals(List.of("1@0.010000", "2@0.015000"), w.atServer.arrivals());
  }

  @Test
  void jitterSpreadsArrivalsUniformlyOverDelayPlusOrMinusJitter() {
    // netem's limit counts segments waiting for their delay: room for the whole burst.
    World w = new World(SEED, "delay 10ms 5ms limit 2000");
    w.clientSends(2000, 100);
    w.sim.run();

    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long t : w.atServer.times) {
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assertEquals(2000, w.atServer.times.size());
    assertTrue(min >= Nanos.millis(5) && min < Nanos.millis(6), "earliest " + Nanos.format(min));
    assertTrue(max < Nanos.millis(15) && max >= Nanos.millis(14), "latest " + Nanos.format(max));
  }

  @Test
  void theSameSeedGivesTheSameArrivalTimesAndAnotherSeedOtherTimes() {
    World first = jitteryRun(SEED);
    World again = jitteryRun(SEED);
    World other = jitteryRun(SEED + 1);

    assertEquals(first.atServer.arrivals(), again.atServer.arrivals());
    assertEquals(first.sim.digest().hex(), again.sim.digest().hex());
    assertNotEquals(first.atServer.arrivals(), other.atServer.arrivals());
  }

  private static World jitteryRun(long seed) {
    World w = new World(seed, "delay 10ms 3ms loss 5% duplicate 5%");
    w.clientSends(200, 100);
    w.sim.run();
    return w;
  }

  @Test
  void addingAnotherLinkAndItsTrafficDoesNotChangeThisLinksDraws() {
    World alone = new World(SEED, "delay 10ms 3ms loss 5%");
    alone.clientSends(300, 100);
    alone.sim.run();

    World crowded = new World(SEED);
    Host other = crowded.net.host("other", "10.0.0.3");
    crowded.net.duplex("other", "server", "delay 1ms 1ms loss 50% duplicate 10%");
    crowded.net.duplex("client", "server", "delay 10ms 3ms loss 5%");
    crowded.net.link("client", "other", "delay 2ms 2ms");
    for (int i = 1; i <= 300; i++) {
      other.ip().output(World.data(other, crowded.server, 1000 + i, 100));
      crowded.client.ip().output(World.data(crowded.client, other, 2000 + i, 100));
      crowded.client.ip().output(World.data(crowded.client, crowded.server, i, 100));
    }
    crowded.sim.run();

    List<String> fromClient = crowded.atServer.arrivals().stream()
        .filter(a -> Integer.parseInt(a.substring(0, a.indexOf('@'))) < 1000).toList();
    assertEquals(alone.atServer.arrivals(), fromClient);
  }

  @Test
  void withoutJitterOrReorderALinkNeverReorders() {
    World w = new World(SEED, "delay 10ms loss 10% duplicate 10% rate 10mbit");
    for (int i = 1; i <= 500; i++) {
      w.client.ip().output(World.data(w.client, w.server, i, 1 + (i * 37) % 1400));
      w.sim.runFor(Nanos.micros(i % 3 == 0 ? 0 : 300));
    }
    w.sim.run();

    List<Integer> seqs = w.atServer.seqs();
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i - 1) <= seqs.get(i), "out of order at " + i + ": " + seqs);
    }
  }

  @Test
  void withJitterALaterSegmentMayOvertakeAnEarlierOneAsInNetemsTfifo() {
    World w = new World(SEED, "delay 10ms 5ms");
    for (int i = 1; i <= 50; i++) {
      w.client.ip().output(World.data(w.client, w.server, i, 100));
      w.sim.runFor(Nanos.millis(1));
    }
    w.sim.run();

    List<Integer> seqs = w.atServer.seqs();
    int inversions = 0;
    for (int i = 1; i < seqs.size(); i++) {
      inversions += seqs.get(i - 1) > seqs.get(i) ? 1 : 0;
    }
    assertTrue(inversions > 0, "no overtaking in " + seqs);
  }

  @Test
  void rateSerializesEachSegmentAfterThePreviousOneThenAddsTheDelay() {
    // 1000 bytes of payload + 40 of headers = 8320 bits: 8.32 ms at 1 mbit/s.
    World w = new World(SEED, "delay 10ms rate 1mbit");
    w.clientSends(3, 1000);
    w.sim.run();

    assertEquals(List.of("1@0.018320", "2@0.026640", "3@0.034960"), w.atServer.arrivals());
  }

  @Test
  void aFullQueueDropsNewArrivalsAtTheTail() {
    World w = new World(SEED, "rate 1mbit limit 2");
    w.clientSends(5, 1000);
    w.sim.run();
    w.client.ip().output(World.data(w.client, w.server, 6, 1000));
    w.sim.run();

    assertEquals(List.of(1, 2, 6), w.atServer.seqs());
    assertEquals(List.of(
        "0.000000 dropped client->server seq 3 QDISC_DROP",
        "0.000000 dropped client->server seq 4 QDISC_DROP",
        "0.000000 dropped client->server seq 5 QDISC_DROP"),
        w.tap.lines.stream().filter(l -> l.contains("dropped")).toList());
    assertEquals(3, w.net.link("client", "server").droppedCount(DropReason.QDISC_DROP));
  }
}
