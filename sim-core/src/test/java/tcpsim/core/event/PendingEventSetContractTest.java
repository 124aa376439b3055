package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every pending-event set keeps, checked on each implementation. */
class PendingEventSetContractTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  static Stream<Arguments> sets() {
    return Stream.of(
        set("heap", HeapEventSet::new),
        set("hierarchical wheel, 1 ms ticks", HierarchicalTimingWheel::new),
        set("hierarchical wheel, 1 ns ticks", () -> new HierarchicalTimingWheel(1, 0)),
        set("Linux wheel, HZ=250", () -> new LinuxTimerWheel(250)),
        set("Linux wheel, HZ=1000", () -> new LinuxTimerWheel(1000)));
  }

  private static Arguments set(String name, Supplier<PendingEventSet> make) {
    return Arguments.of(name, make);
  }

  private static List<Integer> drain(PendingEventSet set) {
    List<Integer> out = new ArrayList<>();
    for (int s = set.poll(); s >= 0; s = set.poll()) {
      out.add(s);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void anEmptySetHasNothingToGive(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    assertEquals(-1, set.peek());
    assertEquals(-1, set.poll());
    assertEquals(0, set.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void entriesLeaveInDeadlineOrder(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 30 * SECOND, 1);
    set.add(1, 1 * SECOND, 2);
    set.add(2, 3 * 3600 * SECOND, 3);
    set.add(3, 10 * SECOND, 4);
    assertEquals(4, set.size());
    assertEquals(List.of(1, 3, 0, 2), drain(set));
    assertEquals(0, set.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void equalDeadlinesLeaveFirstInFirstOut(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    int[] slotsInSchedulingOrder = {7, 2, 9, 0, 5};
    long seq = 1;
    for (int slot : slotsInSchedulingOrder) {
      set.add(slot, 200 * MS, seq++);
    }
    assertEquals(List.of(7, 2, 9, 0, 5), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void aFireTimeIsNeverEarlierThanTheDeadline(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    long[] deadlines = {0, 1, 999_999, 1_000_001, 200 * MS + 7, 60 * SECOND, 7_200 * SECOND + 3};
    for (int i = 0; i < deadlines.length; i++) {
      set.add(i, deadlines[i], i + 1);
    }
    long last = Long.MIN_VALUE;
    while (set.size() > 0) {
      long at = set.peekTime();
      int slot = set.poll();
      assertTrue(at >= deadlines[slot], "slot " + slot + " fired at " + at + " before "
          + deadlines[slot]);
      assertTrue(at >= last, "fire times went backwards: " + at + " after " + last);
      last = at;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void aRemovedEntryNeverLeaves(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 1 * SECOND, 1);
    set.add(1, 2 * SECOND, 2);
    set.add(2, 3 * SECOND, 3);
    assertTrue(set.remove(1));
    assertEquals(2, set.size());
    assertEquals(List.of(0, 2), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void removingASlotThatIsNotPendingSaysSo(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 1 * SECOND, 1);
    assertTrue(set.remove(0));
    assertFalse(set.remove(0), "removed twice");
    assertFalse(set.remove(5), "never added");
    assertFalse(set.remove(-1), "negative slot");
    assertFalse(set.remove(1 << 20), "slot beyond the arrays");
    assertEquals(0, set.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void theHeadCanBeRemovedAfterItWasPeeked(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 5 * SECOND, 1);
    set.add(1, 6 * SECOND, 2);
    assertEquals(0, set.peek());
    assertTrue(set.remove(0));
    assertEquals(1, set.peek());
    assertEquals(List.of(1), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void anEarlierEntryAddedAfterAPeekOvertakesTheHead(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 2 * 3600 * SECOND, 1);
    assertEquals(0, set.peek());
    set.add(1, 1 * SECOND, 2);
    assertEquals(1, set.peek());
    assertEquals(List.of(1, 0), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void addingASlotThatIsPendingIsRefused(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(3, 1 * SECOND, 1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> set.add(3, 2 * SECOND, 2));
    assertTrue(e.getMessage().contains("slot 3"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void aNegativeSlotIsRefused(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> set.add(-2, 1 * SECOND, 1));
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void aSlotIsReusedAfterItLeaves(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 1 * SECOND, 1);
    assertEquals(0, set.poll());
    set.add(0, 3 * SECOND, 2);
    set.add(1, 2 * SECOND, 3);
    assertEquals(List.of(1, 0), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void movingTheClockKeepsEveryPendingEntry(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(0, 3 * 3600 * SECOND, 1);
    set.add(1, 5 * SECOND, 2);
    set.advanceTo(4 * SECOND);
    set.add(2, 4 * SECOND + 1, 3);
    set.advanceTo(4 * SECOND + 1);
    assertEquals(3, set.size());
    assertEquals(List.of(2, 1, 0), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void askingWhatIsDueByATimeLooksNoFurther(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    assertTrue(set.peekTimeUpTo(SECOND) > SECOND, "empty");
    set.add(0, 2 * 3600 * SECOND, 1);
    assertTrue(set.peekTimeUpTo(10 * SECOND) > 10 * SECOND, "nothing due by 10 s");
    set.add(1, 11 * SECOND, 2); // still allowed: not earlier than the limit asked about
    long next = set.peekTimeUpTo(20 * SECOND);
    assertTrue(next >= 11 * SECOND && next <= 20 * SECOND, "due by 20 s: " + next);
    assertEquals(next, set.peekTime());
    assertEquals(List.of(1, 0), drain(set));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sets")
  void slotsFarBeyondTheInitialArraysWork(String name, Supplier<PendingEventSet> make) {
    PendingEventSet set = make.get();
    set.add(100_000, 2 * SECOND, 1);
    set.add(70_000, 1 * SECOND, 2);
    assertEquals(List.of(70_000, 100_000), drain(set));
  }
}
