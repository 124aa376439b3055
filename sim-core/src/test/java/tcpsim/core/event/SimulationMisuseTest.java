package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.core.time.Nanos.seconds;

import org.junit.jupiter.api.Test;

/** Misuse of the engine's API gives a clear error naming the bad value, never a quiet wrong run. */
class SimulationMisuseTest {
  private static final EventHandler NOTHING = (now, arg) -> {};

  @Test
  void schedulingInThePastIsRefusedNamingBothTimes() {
    Simulation sim = new Simulation(1);
    sim.runUntil(seconds(10));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(seconds(5), NOTHING, 0));
    assertTrue(e.getMessage().contains("past"), e.getMessage());
    assertTrue(e.getMessage().contains("5.000000s") && e.getMessage().contains("10.000000s"),
        e.getMessage());
  }

  @Test
  void aNegativeDelayIsRefusedNamingIt() {
    Simulation sim = new Simulation(1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sim.scheduleAfter(-3, NOTHING, 0));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }

  @Test
  void aNullHandlerIsRefused() {
    Simulation sim = new Simulation(1);
    assertThrows(IllegalArgumentException.class, () -> sim.schedule(seconds(1), null, 0));
  }

  @Test
  void cancellingTwiceIsABug() {
    Simulation sim = new Simulation(1);
    long handle = sim.schedule(seconds(1), NOTHING, 0);
    sim.cancel(handle);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sim.cancel(handle));
    assertTrue(e.getMessage().contains(Long.toHexString(handle)), e.getMessage());
    assertFalse(sim.cancelIfPending(handle), "cancelIfPending tolerates it");
  }

  @Test
  void cancellingAfterTheEventFiredIsABug() {
    Simulation sim = new Simulation(1);
    long handle = sim.schedule(seconds(1), NOTHING, 0);
    sim.run();
    assertThrows(IllegalStateException.class, () -> sim.cancel(handle));
    assertFalse(sim.cancelIfPending(handle));
  }

  @Test
  void aStaleHandleDoesNotCancelTheEventThatReusedItsSlot() {
    Simulation sim = new Simulation(1);
    long first = sim.schedule(seconds(1), NOTHING, 0);
    sim.cancel(first);
    long second = sim.schedule(seconds(2), NOTHING, 0); // takes the freed slot
    assertThrows(IllegalStateException.class, () -> sim.cancel(first));
    assertTrue(sim.isPending(second));
  }

  @Test
  void cancellingNoEventIsABugButCancelIfPendingAcceptsIt() {
    Simulation sim = new Simulation(1);
    assertThrows(IllegalStateException.class, () -> sim.cancel(Simulation.NO_EVENT));
    assertFalse(sim.cancelIfPending(Simulation.NO_EVENT));
  }

  @Test
  void passingTheEventLimitNamesTheLimitTheTimeAndTheSeed() {
    Simulation sim = new Simulation(0x5eed, new HeapEventSet(), 10, Long.MAX_VALUE);
    EventHandler again = new EventHandler() {
      @Override
      public void fire(long now, long arg) {
        sim.scheduleAfter(seconds(1), this, arg);
      }
    };
    sim.schedule(0, again, 0);
    SimulationLimitException e = assertThrows(SimulationLimitException.class, sim::run);
    assertEquals(10, sim.firedCount());
    assertTrue(e.getMessage().contains("event limit 10"), e.getMessage());
    assertTrue(e.getMessage().contains("9.000000s"), e.getMessage());
    assertTrue(e.getMessage().contains("0x5eed"), e.getMessage());
  }

  @Test
  void passingTheTimeLimitNamesTheLimitTheTimeAndTheSeed() {
    Simulation sim = new Simulation(0xbeef, new HeapEventSet(), 1_000, seconds(1));
    sim.schedule(seconds(2), NOTHING, 0);
    SimulationLimitException e = assertThrows(SimulationLimitException.class, sim::run);
    assertTrue(e.getMessage().contains("virtual time limit 1.000000s"), e.getMessage());
    assertTrue(e.getMessage().contains("2.000000s"), e.getMessage());
    assertTrue(e.getMessage().contains("0xbeef"), e.getMessage());
    assertEquals(0, sim.firedCount(), "the event past the limit must not fire");
  }

  @Test
  void runningUntilPastTheTimeLimitIsRefused() {
    Simulation sim = new Simulation(0xbeef, new HeapEventSet(), 1_000, seconds(1));
    SimulationLimitException e =
        assertThrows(SimulationLimitException.class, () -> sim.runUntil(seconds(5)));
    assertTrue(e.getMessage().contains("virtual time limit 1.000000s"), e.getMessage());
  }

  @Test
  void runningFromInsideAnEventIsRefused() {
    Simulation sim = new Simulation(1);
    sim.schedule(seconds(1), (now, arg) -> sim.run(), 0);
    IllegalStateException e = assertThrows(IllegalStateException.class, sim::run);
    assertTrue(e.getMessage().contains("re-entrant"), e.getMessage());
  }

  @Test
  void runningUntilBeforeNowIsRefused() {
    Simulation sim = new Simulation(1);
    sim.runUntil(seconds(3));
    assertThrows(IllegalArgumentException.class, () -> sim.runUntil(seconds(2)));
  }

  @Test
  void aSimulationNeedsAnEmptySetAndPositiveLimits() {
    HeapEventSet used = new HeapEventSet();
    used.add(0, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> new Simulation(1, used));
    assertThrows(IllegalArgumentException.class, () -> new Simulation(1, null));
    assertThrows(IllegalArgumentException.class,
        () -> new Simulation(1, new HeapEventSet(), 0, Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class,
        () -> new Simulation(1, new HeapEventSet(), 1, -1));
  }
}
