package tcpsim.lab.fuzz;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import tcpsim.core.random.SimRandom;

/**
 * What keeps one case from ending a campaign silently: every case a job runs ends as a result,
 * a finding, or "abandoned" (the time budget ran out during it), never as a dead job thread.
 *
 * <ul>
 *   <li>A case that runs out of memory is a finding of kind {@link Fuzzer#KIND_EXHAUSTION}, with the
 *       actions it had begun (unshrunk). The heap is shared by the campaign's jobs, so a case may
 *       have been starved by its neighbours: with more than one job it is run again alone (the
 *       other jobs wait between cases) and is a finding only if it runs out again. A case's result
 *       thus depends on the seed and its index only, not on --jobs.
 *   <li>Any other throwable that escapes the harness is a finding of kind {@link Fuzzer#KIND_CRASH},
 *       with where it was thrown.
 *   <li>When the time budget runs out, {@link #await} interrupts the jobs; a case in progress stops
 *       within {@code FuzzWorld}'s interrupt check (a few thousand simulator events, or its next
 *       action), a shrink in progress stops and reports the smallest failure so far.
 * </ul>
 *
 * <p>A case that loops without end is bounded by the world's event cap ({@link Fuzzer#INV_SETTLE}),
 * an ordinary finding, so no case holds a job for long.
 */
final class CaseGuard {
  private final long seed;
  private final boolean shared;
  /** Jobs hold it shared while running a case; a case re-run alone holds it exclusively. */
  private final ReentrantReadWriteLock heap = new ReentrantReadWriteLock();

  CaseGuard(long seed, int jobs) {
    this.seed = seed;
    this.shared = jobs > 1;
  }

  /**
   * Runs case {@code i} with {@code runCase} ({@link Fuzzer#run}): its result, or null if the time
   * budget ran out during it.
   */
  Fuzzer.CaseRun run(int i, IntFunction<Fuzzer.CaseRun> runCase) {
    Fuzzer.CaseRun r = runHolding(heap.readLock(), i, runCase);
    if (!shared || r == null || r.finding() == null || !r.finding().invariant().equals(Fuzzer.KIND_EXHAUSTION)) {
      return r;
    }
    return runHolding(heap.writeLock(), i, runCase); // alone: no other case's world shares the heap now
  }

  private Fuzzer.CaseRun runHolding(Lock lock, int i, IntFunction<Fuzzer.CaseRun> runCase) {
    lock.lock();
    try {
      return runCase.apply(i);
    } catch (Throwable t) { // Fuzzer.run catches what the case throws; this is what its own code throws
      return Fuzzer.failed(escaped(seed, i, List.of(), t));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The finding for case {@code i} of {@code runSeed} whose run threw {@code t} out of the harness,
   * after the actions {@code actions} had begun.
   */
  static Fuzzer.Finding escaped(long runSeed, int i, List<String> actions, Throwable t) {
    boolean exhausted = t instanceof OutOfMemoryError;
    String detail;
    if (exhausted) {
      detail = (actions.isEmpty() ? "before its first action" : "in action " + actions.size() + " ("
          + actions.get(actions.size() - 1) + ")") + ": " + t + "; the list is unshrunk (each shrink"
          + " replay would run out again)";
    } else {
      StackTraceElement[] at = t.getStackTrace();
      detail = t + (at.length == 0 ? "" : " at " + at[0]) + (actions.isEmpty() ? "" : " in action "
          + actions.size() + " (" + actions.get(actions.size() - 1) + ")");
    }
    // Case i draws from split("case " + i) of the run seed, as the harness's Runner does.
    long caseSeed = new SimRandom(runSeed).split("case " + i).seed();
    return new Fuzzer.Finding(i, caseSeed, List.copyOf(actions),
        exhausted ? Fuzzer.KIND_EXHAUSTION : Fuzzer.KIND_CRASH, detail, "case " + i + ": " + detail);
  }

  /**
   * Waits for the jobs to end; if {@code deadlineNanos} ({@link System#nanoTime()}, or
   * {@link Long#MAX_VALUE} for none) passes first, interrupts them and waits for them to stop.
   */
  static void await(List<Thread> jobs, long deadlineNanos) throws InterruptedException {
    for (Thread t : jobs) {
      if (deadlineNanos == Long.MAX_VALUE) {
        t.join();
        continue;
      }
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
    }
    for (Thread t : jobs) {
      t.interrupt();
    }
    for (Thread t : jobs) {
      t.join();
    }
  }
}
