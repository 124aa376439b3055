package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.core.time.Nanos.millis;
import static tcpsim.core.time.Nanos.seconds;

import org.junit.jupiter.api.Test;
import tcpsim.core.random.SimRandom;

/** The exact wheel's own stories: ticks shared by several deadlines, jumps, range. */
class HierarchicalTimingWheelTest {

  @Test
  void deadlinesSharingOneTickLeaveInDeadlineOrderNotArrivalOrder() {
    HierarchicalTimingWheel wheel = new HierarchicalTimingWheel(); // 1 ms ticks
    wheel.add(0, 1_900_000, 1);
    wheel.add(1, 1_100_000, 2);
    wheel.add(2, 1_500_000, 3);
    wheel.add(3, 1_100_000, 4);
    assertEquals(1_100_000, wheel.peekTime());
    assertEquals(1, wheel.poll());
    assertEquals(3, wheel.poll());
    assertEquals(2, wheel.poll());
    assertEquals(0, wheel.poll());
  }

  @Test
  void aCrowdedTickOfDistinctDeadlinesLeavesInTheHeapsOrder() {
    // Thousands of deadlines in one tick, some equal, most not: the due tick is radix-sorted.
    for (long tick : new long[] {1_000_000, 1_000_000_000, 7}) {
      HierarchicalTimingWheel wheel = new HierarchicalTimingWheel(tick, 0);
      HeapEventSet heap = new HeapEventSet();
      SimRandom random = new SimRandom(tick);
      long tickStart = 5 * tick;
      for (int slot = 0; slot < 3_000; slot++) {
        long at = tickStart + (random.chancePpm(200_000) ? 0 : random.nextLong(tick));
        wheel.add(slot, at, slot + 1);
        heap.add(slot, at, slot + 1);
      }
      while (heap.size() > 0) {
        assertEquals(heap.peekTime(), wheel.peekTime(), "tick " + tick);
        assertEquals(heap.poll(), wheel.poll(), "tick " + tick);
      }
    }
  }

  @Test
  void anEntryForTheTickBeingServedTakesItsPlaceInIt() {
    HierarchicalTimingWheel wheel = new HierarchicalTimingWheel();
    wheel.add(0, 5_100_000, 1);
    wheel.add(1, 5_900_000, 2);
    assertEquals(0, wheel.poll()); // the clock is now in tick 5
    wheel.add(2, 5_500_000, 3); // between the one gone and the one left
    wheel.add(3, 5_100_000, 4); // equal to the time of the one gone: next
    assertEquals(3, wheel.poll());
    assertEquals(2, wheel.poll());
    assertEquals(1, wheel.poll());
  }

  @Test
  void aTimerHoursAwayComesOutAtItsExactNanosecond() {
    HierarchicalTimingWheel wheel = new HierarchicalTimingWheel();
    long twoHours = seconds(7_200) + 123_457;
    wheel.add(0, twoHours, 1);
    wheel.add(1, millis(200), 2);
    assertEquals(1, wheel.poll());
    assertEquals(twoHours, wheel.peekTime());
    assertEquals(0, wheel.poll());
  }

  @Test
  void theLastRepresentableDeadlineFitsWithoutAnOverflowList() {
    HierarchicalTimingWheel wheel = new HierarchicalTimingWheel(1, 0);
    wheel.add(0, Long.MAX_VALUE, 1);
    wheel.add(1, Long.MAX_VALUE - 1, 2);
    wheel.add(2, 1, 3);
    assertEquals(2, wheel.poll());
    assertEquals(Long.MAX_VALUE - 1, wheel.peekTime());
    assertEquals(1, wheel.poll());
    assertEquals(0, wheel.poll());
  }

  @Test
  void levelsAreAddedUntilTheWheelSpansAllOfVirtualTime() {
    assertEquals(8, new HierarchicalTimingWheel().levels()); // 2^63 ns / 1 ms < 2^44 ticks
    assertEquals(11, new HierarchicalTimingWheel(1, 0).levels()); // 63 bits, 6 per level
  }

  @Test
  void aJumpOfTheClockPastEmptyHoursKeepsLaterEntriesExact() {
    HierarchicalTimingWheel wheel = new HierarchicalTimingWheel();
    wheel.add(0, seconds(3 * 3_600) + 17, 1);
    wheel.advanceTo(seconds(3 * 3_600 - 1));
    wheel.add(1, seconds(3 * 3_600 - 1) + 5, 2);
    wheel.add(2, seconds(3 * 3_600) + 17, 3);
    assertEquals(1, wheel.poll());
    assertEquals(0, wheel.poll());
    assertEquals(2, wheel.poll());
  }

  @Test
  void aTickOfLessThanOneNanosecondIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new HierarchicalTimingWheel(0, 16));
    assertTrue(e.getMessage().contains("tickNanos"), e.getMessage());
  }

  @Test
  void aSimulationOnTheWheelFiresHandlersAtTheirExactDeadlines() {
    Simulation sim = new Simulation(3, new HierarchicalTimingWheel());
    long[] firedAt = new long[2];
    sim.schedule(millis(200) + 1, (now, arg) -> firedAt[(int) arg] = now, 0);
    sim.schedule(seconds(7_200) + 3, (now, arg) -> firedAt[(int) arg] = now, 1);
    sim.run();
    assertEquals(millis(200) + 1, firedAt[0]);
    assertEquals(seconds(7_200) + 3, firedAt[1]);
  }
}
