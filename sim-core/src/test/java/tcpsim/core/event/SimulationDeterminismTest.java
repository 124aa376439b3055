package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;

/**
 * The seed is the only input: the same seed gives the same trace digest, another seed another
 * digest, whatever set holds the events (for the exact sets) and whatever else runs beside it.
 */
class SimulationDeterminismTest {

  /**
   * Forty connections whose retransmission timer is re-armed on every ACK (200 ms plus jitter)
   * and backs off when it fires; ACKs come at random gaps and sometimes stop.
   */
  static String churnDigest(long seed, PendingEventSet set) {
    Simulation sim = new Simulation(seed, set, 5_000_000, Long.MAX_VALUE);
    int connections = 40;
    SimRandom[] random = new SimRandom[connections];
    long[] rto = new long[connections];
    long[] backoff = new long[connections];
    EventHandler[] timeout = new EventHandler[1];
    timeout[0] = (now, c) -> {
      int i = (int) c;
      backoff[i] = Math.min(backoff[i] * 2, Nanos.seconds(60));
      rto[i] = sim.scheduleAfter(backoff[i], timeout[0], c);
    };
    EventHandler ack = new EventHandler() {
      @Override
      public void fire(long now, long c) {
        int i = (int) c;
        sim.cancelIfPending(rto[i]);
        backoff[i] = Nanos.millis(200) + random[i].nextLong(Nanos.millis(50));
        rto[i] = sim.scheduleAfter(backoff[i], timeout[0], c);
        if (random[i].chancePpm(990_000)) {
          sim.scheduleAfter(random[i].nextLong(Nanos.millis(300)), this, c);
        }
      }
    };
    for (int i = 0; i < connections; i++) {
      random[i] = sim.random().split("connection:" + i);
      sim.scheduleAfter(random[i].nextLong(Nanos.millis(10)), ack, i);
    }
    sim.runUntil(Nanos.seconds(120));
    return sim.digest().hex() + "/" + sim.firedCount();
  }

  @Test
  void theSameSeedGivesTheSameDigest() {
    assertEquals(churnDigest(42, new HeapEventSet()), churnDigest(42, new HeapEventSet()));
    assertEquals(churnDigest(42, new LinuxTimerWheel(250)),
        churnDigest(42, new LinuxTimerWheel(250)));
  }

  @Test
  void anotherSeedGivesAnotherDigest() {
    assertNotEquals(churnDigest(42, new HeapEventSet()), churnDigest(43, new HeapEventSet()));
  }

  @Test
  void theExactSetsGiveTheSameRunEventForEvent() {
    String heap = churnDigest(7, new HeapEventSet());
    assertEquals(heap, churnDigest(7, new HierarchicalTimingWheel()));
    assertEquals(heap, churnDigest(7, new HierarchicalTimingWheel(1, 0)));
  }

  @Test
  void linuxTimerSlackChangesTheRun() {
    assertNotEquals(churnDigest(7, new HeapEventSet()), churnDigest(7, new LinuxTimerWheel(250)));
  }

  @Test
  void runsOnSeveralThreadsAtOnceGiveTheSameDigestsAsOneByOne() throws Exception {
    List<Supplier<PendingEventSet>> sets = List.of(
        HeapEventSet::new, HierarchicalTimingWheel::new, () -> new LinuxTimerWheel(1000));
    List<String> alone = new ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      for (Supplier<PendingEventSet> set : sets) {
        alone.add(churnDigest(seed, set.get()));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> together = new ArrayList<>();
      for (long seed = 1; seed <= 4; seed++) {
        for (Supplier<PendingEventSet> set : sets) {
          long s = seed;
          together.add(pool.submit(() -> churnDigest(s, set.get())));
        }
      }
      for (int i = 0; i < alone.size(); i++) {
        assertEquals(alone.get(i), together.get(i).get(), "run " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
