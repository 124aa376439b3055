package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.check.Gen;

/**
 * A random script of schedule, cancel, poll and clock-jump steps, played on a candidate
 * {@link PendingEventSet} and on the reference {@link HeapEventSet} side by side. The two must
 * give out the same slots in the same order at the same times.
 *
 * <p>The reference is told each entry's expected fire time: the deadline itself for an exact
 * set, or what a model of the candidate says (the Linux wheel's rounding), computed by the test
 * from the deadline and the clock at scheduling.
 */
final class EventSetScript {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final long HOUR = 3_600 * SECOND;

  /** One step of a script. */
  sealed interface Step permits Schedule, ScheduleAtSameDeadline, Cancel, CancelGone, Poll, RunFor {}

  /** Schedule an entry {@code delayNanos} from now. */
  record Schedule(long delayNanos) implements Step {}

  /** Schedule an entry at the deadline of the pending entry number {@code index} (modulo). */
  record ScheduleAtSameDeadline(int index) implements Step {}

  /** Cancel the pending entry number {@code index} (modulo). */
  record Cancel(int index) implements Step {}

  /** Try to cancel slot {@code slot} when it is not pending: both sets must say no. */
  record CancelGone(int slot) implements Step {}

  /** Take up to {@code count} entries out, comparing each. */
  record Poll(int count) implements Step {}

  /** Run until {@code jumpNanos} from now: take out what is due, then move the clock. */
  record RunFor(long jumpNanos) implements Step {}

  /** The expected fire time of an entry, from its deadline and the set's clock at scheduling. */
  @FunctionalInterface
  interface FireTimeModel {
    long fireTime(long deadlineNanos, long clockNanos);
  }

  static final FireTimeModel EXACT = (deadline, clock) -> deadline;

  static Gen<Long> delays() {
    return Gen.frequency(
        Gen.weighted(1, Gen.constant(0L)),
        Gen.weighted(2, Gen.longs(0, MS - 1)),
        Gen.weighted(2, Gen.longs(0, 100).map(n -> n * MS)),
        Gen.weighted(3, Gen.longs(0, 70 * MS)),
        Gen.weighted(3, Gen.longs(0, 5 * SECOND)),
        Gen.weighted(2, Gen.longs(0, 10 * HOUR)),
        Gen.weighted(1, Gen.longs(0, 60 * 24 * HOUR)));
  }

  static Gen<Long> jumps() {
    return Gen.frequency(
        Gen.weighted(3, Gen.longs(0, 100 * MS)),
        Gen.weighted(2, Gen.longs(0, 10 * SECOND)),
        Gen.weighted(2, Gen.longs(0, 5 * HOUR)));
  }

  static Gen<Step> steps() {
    return Gen.frequency(
        Gen.weighted(8, delays().map(Schedule::new)),
        Gen.weighted(2, Gen.ints(0, 1_000).map(ScheduleAtSameDeadline::new)),
        Gen.weighted(3, Gen.ints(0, 1_000).map(Cancel::new)),
        Gen.weighted(1, Gen.ints(0, 300).map(CancelGone::new)),
        Gen.weighted(4, Gen.ints(1, 20).map(Poll::new)),
        Gen.weighted(2, jumps().map(RunFor::new)));
  }

  static Gen<List<Step>> scripts(int maxSteps) {
    return steps().list(0, maxSteps);
  }

  private final PendingEventSet reference = new HeapEventSet();
  private final PendingEventSet candidate;
  private final FireTimeModel model;
  private final List<Integer> pending = new ArrayList<>();
  private final List<Integer> freeSlots = new ArrayList<>();
  private long[] deadlineOf = new long[16];
  private int slotsUsed;
  private long nextSeq = 1;
  /** The simulation's time: the last fire time taken out or the last run-until time. */
  private long now;
  private int fired;

  EventSetScript(PendingEventSet candidate, FireTimeModel model) {
    this.candidate = candidate;
    this.model = model;
  }

  /** Plays {@code script}, then drains both sets; returns how many entries fired. */
  int play(List<Step> script) {
    for (Step step : script) {
      play(step);
    }
    while (reference.size() > 0) {
      takeOne();
    }
    expectSameHead();
    return fired;
  }

  private void play(Step step) {
    if (step instanceof Schedule s) {
      schedule(now + s.delayNanos());
    } else if (step instanceof ScheduleAtSameDeadline s) {
      long at = pending.isEmpty() ? now : deadlineOf[pending.get(s.index() % pending.size())];
      schedule(Math.max(at, now));
    } else if (step instanceof Cancel c) {
      if (!pending.isEmpty()) {
        int slot = pending.remove(c.index() % pending.size());
        assertTrue(reference.remove(slot), "reference lost slot " + slot);
        assertTrue(candidate.remove(slot), candidate.name() + " lost pending slot " + slot);
        freeSlots.add(slot);
      }
    } else if (step instanceof CancelGone c) {
      if (!pending.contains(c.slot())) {
        assertEquals(false, candidate.remove(c.slot()),
            candidate.name() + " removed slot " + c.slot() + " that is not pending");
      }
    } else if (step instanceof Poll p) {
      for (int i = 0; i < p.count() && reference.size() > 0; i++) {
        takeOne();
      }
    } else if (step instanceof RunFor r) {
      long until = now + r.jumpNanos();
      while (true) {
        boolean due = reference.size() > 0 && reference.peekTime() <= until;
        long candidateTime = candidate.peekTimeUpTo(until);
        if (!due) {
          assertTrue(candidateTime > until, candidate.name() + " says something is due by "
              + until + " at " + candidateTime);
          break;
        }
        assertEquals(reference.peekTime(), candidateTime, candidate.name() + " next time due");
        takeOne();
      }
      expectSameHead();
      now = until;
      reference.advanceTo(until);
      candidate.advanceTo(until);
    }
    assertEquals(reference.size(), candidate.size(), candidate.name() + " size after " + step);
  }

  private void schedule(long deadline) {
    int slot = freeSlots.isEmpty() ? slotsUsed++ : freeSlots.remove(freeSlots.size() - 1);
    if (slot >= deadlineOf.length) {
      deadlineOf = java.util.Arrays.copyOf(deadlineOf, deadlineOf.length * 2);
    }
    deadlineOf[slot] = deadline;
    long seq = nextSeq++;
    reference.add(slot, model.fireTime(deadline, now), seq);
    candidate.add(slot, deadline, seq);
    pending.add(slot);
  }

  private void takeOne() {
    expectSameHead();
    long at = reference.peekTime();
    int expected = reference.poll();
    int actual = candidate.poll();
    assertEquals(expected, actual, candidate.name() + " gave out the wrong slot at fire #" + fired);
    assertTrue(at >= deadlineOf[actual], candidate.name() + " fired slot " + actual + " early");
    pending.remove(Integer.valueOf(actual));
    freeSlots.add(actual);
    now = at;
    fired++;
  }

  private void expectSameHead() {
    int expected = reference.peek();
    assertEquals(expected, candidate.peek(), candidate.name() + " peek before fire #" + fired);
    if (expected >= 0) {
      assertEquals(reference.peekTime(), candidate.peekTime(),
          candidate.name() + " fire time of slot " + expected + " (fire #" + fired + ")");
    }
  }
}
