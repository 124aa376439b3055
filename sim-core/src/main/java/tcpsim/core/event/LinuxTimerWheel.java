package tcpsim.core.event;

import java.util.Arrays;

/**
 * Linux's timer wheel as it has been since 4.8 ({@code kernel/time/timer.c}): levels of 64
 * buckets, each level 8 times coarser than the one below, and no cascading. A timer's expiry in
 * jiffies is rounded up to its level's granularity when it is armed ({@code calc_index}), so it
 * fires late exactly as a Linux timer does; this is how tcpsim models kernel timer slack. A
 * simulation that wants that slack runs on this set; one that wants exact times runs on
 * {@link HeapEventSet} or {@link HierarchicalTimingWheel}.
 *
 * <h2>The rule</h2>
 *
 * <p>With the wheel's clock at jiffy {@code clk} and a timer due at jiffy {@code expires} (the
 * deadline rounded up to a whole jiffy), {@code delta = expires - clk} picks the level: level
 * {@code n} holds deltas below {@code LVL_START(n+1) = 63 << 3n} ({@code calc_wheel_index}). The
 * timer then fires at {@code ((expires >> 3n) + 1) << 3n}: the next multiple of the level's
 * granularity {@code 8^n} strictly after {@code expires} ({@code calc_index}). Deltas of
 * {@code WHEEL_TIMEOUT_CUTOFF} or more are clamped to {@code clk + WHEEL_TIMEOUT_MAX} on the last
 * level, as the kernel clamps them (about 12 days at HZ=1000, 49 days at HZ=250, 15 days at
 * HZ=100). The wheel has {@code LVL_DEPTH} levels: 9 when HZ > 100, else 8.
 *
 * <p>A clamped kernel timer fires early, at the clamp, and its owner re-arms it for the rest
 * (TCP's timer handlers do: {@code tcp_write_timer_handler} re-arms with
 * {@code sk_reset_timer} while {@code icsk_timeout} is still ahead). This wheel folds that re-arm
 * in: a clamped timer fires where the re-armed one would, the remainder rounded from the clamp
 * point (clamped again if need be), so no entry ever fires before its deadline. Such far timers
 * wait in a small overflow heap rather than in the buckets.
 *
 * <h2>Worked example</h2>
 *
 * <p>A 60 s timer (TIME_WAIT's {@code TCP_TIMEWAIT_LEN}) armed at time 0: at HZ=250 it is due at
 * jiffy 15,000, a delta in [4,032, 32,256), so level 3 with a step of 512 jiffies = 2.048 s; it
 * fires at jiffy ((15,000 >> 9) + 1) << 9 = 15,360, that is 61.44 s. At HZ=1000 it is due at
 * jiffy 60,000, level 4 with a step of 4,096 jiffies = 4.096 s; it fires at jiffy 61,440, also
 * 61.44 s. A 200 ms retransmission timer at HZ=1000 lands on level 1 (8 ms step) and fires at
 * 208 ms; at HZ=250 (50 jiffies, level 0) at 51 jiffies = 204 ms. The slack never exceeds one
 * step, about 1/8 of the delay beyond level 0.
 *
 * <h2>The clock</h2>
 *
 * <p>The level depends on how far the expiry is from the wheel's clock, so the set follows the
 * simulation's time: the clock is the jiffy of the last timer polled or of the last
 * {@link #advanceTo} call, but never moves past the earliest pending expiry (as
 * {@code forward_timer_base} never moves {@code base->clk} past {@code base->next_expiry}).
 * Timers with equal fire jiffies leave in sequence order (first in, first out).
 *
 * <h2>Differences from Linux</h2>
 *
 * <ul>
 *   <li>Within one jiffy Linux runs the higher levels' buckets first and each bucket newest first
 *       ({@code hlist_add_head}, {@code expire_timers}); tcpsim keeps one total order, (fire
 *       time, sequence), so equal fire times are first in, first out.
 *   <li>While it runs expired timers the kernel's {@code base->clk} is one jiffy ahead of
 *       {@code jiffies}, so a timer re-armed from a timer callback measures its delta from
 *       {@code clk + 1}; here the clock is the jiffy the callback runs at, which can put a timer
 *       whose delta is exactly a level boundary one level higher than Linux would.
 *   <li>The kernel's clock can lag {@code jiffies} on an idle CPU until the next timer is armed
 *       (and is forwarded only when it lags by more than a jiffy); here it follows the simulation
 *       time exactly. Deferrable timers, per-CPU bases and timer migration are not modelled.
 *   <li>A deadline is turned into jiffies by rounding up ({@code expires = ceil(deadline /
 *       tick)}); the kernel adds a delay already in jiffies to {@code jiffies}, which comes to
 *       the same thing when the simulation time is on a jiffy boundary, as it is after a timer of
 *       this set fires.
 *   <li>HZ must divide 10^9 (100, 250, 1000 qualify; 300 does not) so a jiffy is a whole number
 *       of nanoseconds.
 * </ul>
 *
 * <h2>Caveats</h2>
 *
 * <ul>
 *   <li>Every event of a simulation on this set gets the slack, not only protocol timers; a zero
 *       delay event fires one jiffy later (level 0 rounds {@code expires} up to {@code expires +
 *       1}, as the kernel does). Model packet delivery on an exact set when that matters.
 *   <li>{@link #peekTime()} reports the rounded fire time, so the simulation clock moves to it.
 * </ul>
 */
public final class LinuxTimerWheel implements PendingEventSet {
  private static final int LVL_CLK_SHIFT = 3;
  private static final int LVL_BITS = 6;
  private static final int LVL_SIZE = 1 << LVL_BITS;
  private static final int LVL_MASK = LVL_SIZE - 1;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int OVERFLOW = -2;

  private final int hz;
  private final long jiffyNanos;
  private final int depth;
  private final long timeoutCutoff;
  private final long timeoutMax;

  private final long[] occupancy;
  private final int[] bucketHead;
  private final int[] bucketTail;
  /** The fire jiffy shared by every timer of a bucket (kernel: the bucket_expiry). */
  private final long[] bucketExpiry;
  /** Timers beyond the wheel's range, keyed by their fire time after the modelled re-arms. */
  private final HeapEventSet overflow = new HeapEventSet();

  // Per-slot state.
  /** Bucket index (level * 64 + index), {@link #OVERFLOW}, or -1 when the slot is not pending. */
  private int[] where;
  private int[] next;
  private int[] prev;
  private long[] seq;
  private long[] fireJiffy;

  /** The wheel's clock in jiffies (kernel: base->clk). */
  private long clk;
  private int size;

  // The next timer to fire, cached: -1 when unknown.
  private int nextSlot = -1;
  private long nextExpiry;
  /** Levels whose first bucket fires at {@link #nextExpiry}. */
  private int nextLevels;
  /** Per level, the first bucket found by the last search. */
  private final int[] firstBucket;

  /** A wheel at CONFIG_HZ=250, the default of most distribution kernels. */
  public LinuxTimerWheel() {
    this(250);
  }

  /** @param hz CONFIG_HZ: 100, 250 or 1000 (any rate that divides 10^9) */
  public LinuxTimerWheel(int hz) {
    this(hz, 64);
  }

  public LinuxTimerWheel(int hz, int initialSlots) {
    if (hz <= 0 || NANOS_PER_SECOND % hz != 0) {
      throw new IllegalArgumentException(
          "hz must be a positive divisor of 1000000000 (for example 100, 250, 1000), was " + hz);
    }
    if (initialSlots < 0) {
      throw new IllegalArgumentException("initialSlots must be >= 0, was " + initialSlots);
    }
    this.hz = hz;
    this.jiffyNanos = NANOS_PER_SECOND / hz;
    this.depth = hz > 100 ? 9 : 8;
    this.timeoutCutoff = levelStart(depth);
    this.timeoutMax = timeoutCutoff - granularity(depth - 1);
    this.occupancy = new long[depth];
    this.bucketHead = new int[depth * LVL_SIZE];
    this.bucketTail = new int[depth * LVL_SIZE];
    this.bucketExpiry = new long[depth * LVL_SIZE];
    this.firstBucket = new int[depth];
    Arrays.fill(bucketHead, -1);
    Arrays.fill(bucketTail, -1);
    int cap = Math.max(4, initialSlots);
    where = new int[cap];
    Arrays.fill(where, -1);
    next = new int[cap];
    prev = new int[cap];
    seq = new long[cap];
    fireJiffy = new long[cap];
  }

  public int hz() {
    return hz;
  }

  /** One jiffy in nanoseconds. */
  public long jiffyNanos() {
    return jiffyNanos;
  }

  /** LVL_DEPTH for this HZ. */
  public int depth() {
    return depth;
  }

  /** The wheel's clock in jiffies. */
  public long clockJiffies() {
    return clk;
  }

  @Override
  public void add(int slot, long deadlineNanos, long sequence) {
    ensureSlot(slot);
    if (where[slot] != -1) {
      throw new IllegalStateException("slot " + slot + " is already pending");
    }
    long expires = deadlineNanos / jiffyNanos + (deadlineNanos % jiffyNanos > 0 ? 1 : 0);
    long base = clk;
    int lastShift = (depth - 1) * LVL_CLK_SHIFT;
    while (expires - base >= timeoutCutoff) {
      // Clamped: fires at the end of the range, where its owner re-arms it for the rest.
      base = (((base + timeoutMax) >>> lastShift) + 1) << lastShift;
    }
    if (base != clk) {
      seq[slot] = sequence;
      fireJiffy[slot] = fireJiffy(expires, base);
      where[slot] = OVERFLOW;
      size++;
      overflow.add(slot, fireJiffy[slot], sequence);
      return;
    }
    long delta = expires - clk;
    int level = delta < 0 ? 0 : level(delta);
    long fire = fireJiffy(expires, clk);
    int index = (int) (fire >>> (level * LVL_CLK_SHIFT)) & LVL_MASK;
    int b = level * LVL_SIZE + index;
    seq[slot] = sequence;
    fireJiffy[slot] = fire;
    bucketExpiry[b] = fire;
    int tail = bucketTail[b];
    next[slot] = -1;
    prev[slot] = tail;
    if (tail < 0) {
      bucketHead[b] = slot;
      occupancy[level] |= 1L << index;
    } else {
      next[tail] = slot;
    }
    bucketTail[b] = slot;
    where[slot] = b;
    size++;
    if (nextSlot >= 0) {
      if (fire < nextExpiry) {
        nextSlot = slot;
        nextExpiry = fire;
        nextLevels = 1 << level;
        firstBucket[level] = b;
      } else if (fire == nextExpiry) {
        nextLevels |= 1 << level;
        firstBucket[level] = b;
      }
    }
  }

  @Override
  public boolean remove(int slot) {
    if (slot < 0 || slot >= where.length || where[slot] == -1) {
      return false;
    }
    int b = where[slot];
    if (b == OVERFLOW) {
      overflow.remove(slot);
      where[slot] = -1;
      size--;
      return true;
    }
    unlink(slot, b);
    if (nextSlot >= 0 && bucketExpiry[b] == nextExpiry) {
      nextSlot = -1;
    }
    return true;
  }

  @Override
  public int peek() {
    if (nextSlot < 0 && size > overflow.size()) {
      findNext();
    }
    if (overflow.size() == 0) {
      return nextSlot;
    }
    int far = overflow.peek();
    if (nextSlot < 0) {
      return far;
    }
    long a = fireJiffy[far];
    long b = fireJiffy[nextSlot];
    return a < b || (a == b && seq[far] < seq[nextSlot]) ? far : nextSlot;
  }

  @Override
  public long peekTime() {
    int s = peek();
    return s < 0 ? Long.MAX_VALUE : fireJiffy[s] * jiffyNanos;
  }

  @Override
  public int poll() {
    int s = peek();
    if (s < 0) {
      return -1;
    }
    clk = fireJiffy[s];
    int b = where[s];
    if (b == OVERFLOW) {
      overflow.poll();
      where[s] = -1;
      size--;
      return s;
    }
    unlink(s, b);
    int level = b / LVL_SIZE;
    if (bucketHead[b] < 0) {
      nextLevels &= ~(1 << level);
    }
    nextSlot = nextLevels == 0 ? -1 : earliestHead();
    return s;
  }

  /**
   * Moves the wheel's clock to {@code nowNanos}'s jiffy, but never past the earliest pending
   * expiry (kernel: {@code forward_timer_base}).
   */
  @Override
  public void advanceTo(long nowNanos) {
    long j = Math.floorDiv(nowNanos, jiffyNanos);
    if (j <= clk) {
      return;
    }
    int first = peek();
    if (first >= 0 && fireJiffy[first] < j) {
      j = fireJiffy[first];
    }
    clk = Math.max(clk, j);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String name() {
    return "linux-wheel-hz" + hz;
  }

  /**
   * The jiffy a timer due at {@code expires} fires at with the clock at {@code base}, for a
   * delta within the wheel's range: {@code calc_index} rounds up to the level's granularity,
   * strictly after {@code expires}; an expiry behind the clock fires at the clock
   * ({@code calc_wheel_index}).
   */
  private long fireJiffy(long expires, long base) {
    long delta = expires - base;
    if (delta < 0) {
      return base;
    }
    int shift = level(delta) * LVL_CLK_SHIFT;
    return ((expires >>> shift) + 1) << shift;
  }

  /** The level for a delta (>= 0, below the cutoff): the first n with delta < LVL_START(n+1). */
  private int level(long delta) {
    for (int n = 0; n < depth - 1; n++) {
      if (delta < levelStart(n + 1)) {
        return n;
      }
    }
    return depth - 1;
  }

  /** LVL_START(n): the smallest delta that level n holds. */
  private static long levelStart(int n) {
    return (long) (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT);
  }

  private static long granularity(int level) {
    return 1L << (level * LVL_CLK_SHIFT);
  }

  private void unlink(int slot, int b) {
    int p = prev[slot];
    int n = next[slot];
    if (p < 0) {
      bucketHead[b] = n;
    } else {
      next[p] = n;
    }
    if (n < 0) {
      bucketTail[b] = p;
    } else {
      prev[n] = p;
    }
    if (bucketHead[b] < 0) {
      occupancy[b / LVL_SIZE] &= ~(1L << (b & LVL_MASK));
    }
    where[slot] = -1;
    size--;
  }

  /**
   * Finds the earliest expiry over all levels (kernel: {@code __next_timer_interrupt}). Every
   * pending bucket of level n fires within 64 steps from the clock rounded up to the level's
   * step, so the first occupied bucket from there on, wrapping around, is the level's earliest.
   */
  private void findNext() {
    long best = Long.MAX_VALUE;
    int levels = 0;
    for (int level = 0; level < depth; level++) {
      long bits = occupancy[level];
      if (bits == 0) {
        continue;
      }
      int shift = level * LVL_CLK_SHIFT;
      int start = (int) ((clk + granularity(level) - 1) >>> shift) & LVL_MASK;
      int index = (start + Long.numberOfTrailingZeros(Long.rotateRight(bits, start))) & LVL_MASK;
      int b = level * LVL_SIZE + index;
      long expiry = bucketExpiry[b];
      firstBucket[level] = b;
      if (expiry < best) {
        best = expiry;
        levels = 1 << level;
      } else if (expiry == best) {
        levels |= 1 << level;
      }
    }
    nextExpiry = best;
    nextLevels = levels;
    nextSlot = levels == 0 ? -1 : earliestHead();
  }

  /** Among the first buckets of {@link #nextLevels}, the head with the smallest sequence. */
  private int earliestHead() {
    int bits = nextLevels;
    int best = -1;
    while (bits != 0) {
      int level = Integer.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      int s = bucketHead[firstBucket[level]];
      if (best < 0 || seq[s] < seq[best]) {
        best = s;
      }
    }
    return best;
  }

  private void ensureSlot(int slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must be >= 0, was " + slot);
    }
    if (slot >= where.length) {
      int cap = Math.max(slot + 1, where.length * 2);
      int old = where.length;
      where = Arrays.copyOf(where, cap);
      Arrays.fill(where, old, cap, -1);
      next = Arrays.copyOf(next, cap);
      prev = Arrays.copyOf(prev, cap);
      seq = Arrays.copyOf(seq, cap);
      fireJiffy = Arrays.copyOf(fireJiffy, cap);
    }
  }
}
