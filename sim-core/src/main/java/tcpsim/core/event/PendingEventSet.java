package tcpsim.core.event;

/**
 * The set of pending events of a {@link Simulation}, addressed by slot numbers that the
 * simulation hands out (small non-negative ints, reused after an event fires or is cancelled).
 *
 * <p>Contract, the same for every implementation:
 *
 * <ul>
 *   <li>Entries leave in one total order: (fire time, sequence). The sequence is given at
 *       scheduling and strictly increases, so equal fire times leave first-in first-out.
 *   <li>The fire time is the requested deadline, except for sets that model timer slack
 *       ({@link LinuxTimerWheel}) where it is the deadline rounded up as the model says; it is
 *       never earlier than the deadline.
 *   <li>{@link #add} is never called with a deadline earlier than the fire time of the last
 *       entry polled, nor than the last time given to {@link #advanceTo} (the simulation refuses
 *       scheduling in the past).
 * </ul>
 *
 * <p>Implementations keep per-slot state in primitive arrays and allocate nothing per operation
 * once their arrays have grown to the working size.
 */
public interface PendingEventSet {
  /** Adds {@code slot}, not currently pending, due at {@code deadlineNanos}. */
  void add(int slot, long deadlineNanos, long seq);

  /** Removes {@code slot} if it is pending; returns whether it was. */
  boolean remove(int slot);

  /** The slot that leaves next, or -1 when the set is empty. */
  int peek();

  /** The fire time of {@link #peek()}'s slot; undefined when empty. */
  long peekTime();

  /**
   * The fire time of the next entry if it is at or before {@code limitNanos}; otherwise any
   * value greater than {@code limitNanos}. A set may use the limit to avoid looking (or moving
   * its clock) further ahead; {@link Simulation#runUntil} asks this way.
   */
  default long peekTimeUpTo(long limitNanos) {
    return size() == 0 ? Long.MAX_VALUE : peekTime();
  }

  /** Removes and returns the slot that leaves next, or -1 when empty. */
  int poll();

  int size();

  /** A short name for reports and benchmarks. */
  String name();

  /**
   * Tells the set that the clock has moved to {@code nowNanos} without a {@link #poll()}
   * ({@link Simulation#runUntil} calls it). Sets whose placement depends on the current time
   * ({@link LinuxTimerWheel} picks a level from the distance to it, {@link
   * HierarchicalTimingWheel} measures buckets from it) move their clock; no pending entry is
   * affected, and the order of entries does not change. Later {@link #add}s are not earlier than
   * {@code nowNanos}.
   */
  default void advanceTo(long nowNanos) {}
}
