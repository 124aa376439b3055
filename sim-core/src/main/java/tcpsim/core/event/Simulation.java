package tcpsim.core.event;

import java.util.Arrays;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;
import tcpsim.core.trace.TraceDigest;

/**
 * A discrete-event simulation on virtual time. Events fire in one total order, (fire time,
 * sequence number given at scheduling), whatever {@link PendingEventSet} holds them; equal fire
 * times fire first-in first-out.
 *
 * <p>Handles are primitive: {@link #schedule} returns a {@code long} that packs the event's slot
 * and a generation count, so cancelling is O(1) and needs no object per timer. Handle 0 is never
 * issued and can stand for "no timer".
 *
 * <p>The pending events live in the {@link PendingEventSet} given at construction:
 * {@link HeapEventSet} (the default and the reference), {@link HierarchicalTimingWheel} (the
 * same order, O(1) schedule and cancel), or {@link LinuxTimerWheel} (fire times rounded as
 * Linux's timer wheel rounds them, to model kernel timer slack).
 *
 * <p>Caveats: a handler may schedule and cancel freely, but {@link #run()} is not re-entrant.
 * Nothing here is thread-safe; a simulation belongs to one thread.
 */
public final class Simulation {
  /** A handle value that is never issued: "no event". */
  public static final long NO_EVENT = 0L;

  private final long seed;
  private final SimRandom random;
  private final PendingEventSet pending;
  private final TraceDigest digest = new TraceDigest();
  private final long maxEvents;
  private final long maxTimeNanos;

  private long now;
  private long nextSeq = 1;
  private long fired;
  private boolean running;
  private boolean stopRequested;
  private TraceObserver observer;

  // Per-slot state; a slot is live while its event is pending.
  private EventHandler[] handlers = new EventHandler[64];
  private long[] args = new long[64];
  private long[] seqs = new long[64];
  private int[] generations = new int[64];
  private int[] freeSlots = new int[64];
  private int freeCount;
  private int slotsUsed;

  public Simulation(long seed) {
    this(seed, new HeapEventSet(), Long.MAX_VALUE, Long.MAX_VALUE);
  }

  public Simulation(long seed, PendingEventSet pending) {
    this(seed, pending, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * @param maxEvents the most events a run may fire before it fails with
   *     {@link SimulationLimitException}
   * @param maxTimeNanos the latest virtual time an event may fire at
   */
  public Simulation(long seed, PendingEventSet pending, long maxEvents, long maxTimeNanos) {
    if (pending == null) {
      throw new IllegalArgumentException("pending event set must not be null");
    }
    if (pending.size() != 0) {
      throw new IllegalArgumentException("pending event set must start empty, has " + pending.size());
    }
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be > 0, was " + maxEvents);
    }
    if (maxTimeNanos < 0) {
      throw new IllegalArgumentException("maxTimeNanos must be >= 0, was " + maxTimeNanos);
    }
    this.seed = seed;
    this.random = new SimRandom(seed);
    this.pending = pending;
    this.maxEvents = maxEvents;
    this.maxTimeNanos = maxTimeNanos;
  }

  public long seed() {
    return seed;
  }

  /** The root random stream; components take {@code random().split(name)}. */
  public SimRandom random() {
    return random;
  }

  /** The current virtual time in nanoseconds. */
  public long now() {
    return now;
  }

  /** Events fired so far. */
  public long firedCount() {
    return fired;
  }

  public int pendingCount() {
    return pending.size();
  }

  public PendingEventSet pendingSet() {
    return pending;
  }

  /** The digest of every fired event (time and argument) and of whatever components add. */
  public TraceDigest digest() {
    return digest;
  }

  public void setTraceObserver(TraceObserver observer) {
    this.observer = observer;
  }

  /** Schedules {@code handler.fire(t, arg)} at absolute time {@code atNanos}; returns the handle. */
  public long schedule(long atNanos, EventHandler handler, long arg) {
    if (handler == null) {
      throw new IllegalArgumentException("handler must not be null");
    }
    if (atNanos < now) {
      throw new IllegalArgumentException("cannot schedule in the past: " + Nanos.format(atNanos)
          + " is before now " + Nanos.format(now));
    }
    int slot = takeSlot();
    handlers[slot] = handler;
    args[slot] = arg;
    long seq = nextSeq++;
    seqs[slot] = seq;
    pending.add(slot, atNanos, seq);
    return handle(slot);
  }

  /** Schedules after {@code delayNanos} (>= 0) from now; returns the handle. */
  public long scheduleAfter(long delayNanos, EventHandler handler, long arg) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delayNanos + " ns");
    }
    long at = now + delayNanos;
    if (at < now) {
      throw new IllegalArgumentException("delay " + delayNanos + " ns overflows virtual time");
    }
    return schedule(at, handler, arg);
  }

  /** Whether {@code handle} names an event that has neither fired nor been cancelled. */
  public boolean isPending(long handle) {
    int slot = (int) handle;
    int gen = (int) (handle >>> 32);
    return handle != NO_EVENT && slot >= 0 && slot < slotsUsed && generations[slot] == gen
        && handlers[slot] != null;
  }

  /**
   * Cancels a pending event. Cancelling an event that already fired or was cancelled is a bug in
   * the caller and throws; use {@link #cancelIfPending} where either is expected.
   */
  public void cancel(long handle) {
    if (!isPending(handle)) {
      throw new IllegalStateException("cannot cancel event 0x" + Long.toHexString(handle)
          + ": it already fired, was cancelled, or was never scheduled");
    }
    int slot = (int) handle;
    pending.remove(slot);
    releaseSlot(slot);
  }

  /** Cancels the event if it is pending; returns whether it was. Accepts {@link #NO_EVENT}. */
  public boolean cancelIfPending(long handle) {
    if (!isPending(handle)) {
      return false;
    }
    cancel(handle);
    return true;
  }

  /** Fires the next event, if any; returns whether one fired. */
  public boolean step() {
    int slot = pending.peek();
    if (slot < 0) {
      return false;
    }
    long at = pending.peekTime();
    if (at > maxTimeNanos) {
      throw new SimulationLimitException("virtual time limit " + Nanos.format(maxTimeNanos)
          + " (next event due at " + Nanos.format(at) + ")", now, seed);
    }
    if (fired >= maxEvents) {
      throw new SimulationLimitException("event limit " + maxEvents, now, seed);
    }
    pending.poll();
    now = at;
    EventHandler handler = handlers[slot];
    long arg = args[slot];
    long seq = seqs[slot];
    releaseSlot(slot);
    fired++;
    digest.add(at);
    digest.add(arg);
    if (observer != null) {
      observer.fired(at, seq, arg);
    }
    handler.fire(at, arg);
    return true;
  }

  /** Runs until no event is pending or {@link #stop()} is called. */
  public void run() {
    enter();
    try {
      while (!stopRequested && step()) {
        // keep going
      }
    } finally {
      running = false;
    }
  }

  /**
   * Fires every event due at or before {@code untilNanos}, then sets the clock to
   * {@code untilNanos} (time passes even when nothing happens).
   */
  public void runUntil(long untilNanos) {
    if (untilNanos < now) {
      throw new IllegalArgumentException("cannot run until " + Nanos.format(untilNanos)
          + ": it is before now " + Nanos.format(now));
    }
    enter();
    try {
      while (!stopRequested && pending.peekTimeUpTo(untilNanos) <= untilNanos) {
        step();
      }
      if (!stopRequested) {
        if (untilNanos > maxTimeNanos) {
          throw new SimulationLimitException("virtual time limit " + Nanos.format(maxTimeNanos),
              now, seed);
        }
        now = untilNanos;
        pending.advanceTo(untilNanos);
      }
    } finally {
      running = false;
    }
  }

  /** Runs for {@code durationNanos} of virtual time from now. */
  public void runFor(long durationNanos) {
    if (durationNanos < 0) {
      throw new IllegalArgumentException("duration must be >= 0, was " + durationNanos);
    }
    runUntil(now + durationNanos);
  }

  /** Makes the current {@link #run()} or {@link #runUntil} return after the event in progress. */
  public void stop() {
    stopRequested = true;
  }

  private void enter() {
    if (running) {
      throw new IllegalStateException("run() is not re-entrant: called from inside an event");
    }
    running = true;
    stopRequested = false;
  }

  private long handle(int slot) {
    return ((long) generations[slot] << 32) | (slot & 0xffffffffL);
  }

  private int takeSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotsUsed == handlers.length) {
      int cap = handlers.length * 2;
      handlers = Arrays.copyOf(handlers, cap);
      args = Arrays.copyOf(args, cap);
      seqs = Arrays.copyOf(seqs, cap);
      generations = Arrays.copyOf(generations, cap);
      freeSlots = Arrays.copyOf(freeSlots, cap);
    }
    int slot = slotsUsed++;
    generations[slot] = 1;
    return slot;
  }

  private void releaseSlot(int slot) {
    handlers[slot] = null;
    int g = generations[slot] + 1;
    generations[slot] = g == 0 ? 1 : g;
    freeSlots[freeCount++] = slot;
  }
}
