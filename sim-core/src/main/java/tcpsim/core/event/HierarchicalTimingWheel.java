package tcpsim.core.event;

import java.util.Arrays;

/**
 * An exact hierarchical timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels",
 * SOSP 1987): O(1) add and remove, and entries leave in exactly the order of
 * {@link HeapEventSet}, (deadline, sequence), even when several deadlines share a tick.
 *
 * <h2>Shape</h2>
 *
 * <p>Time is cut into ticks of {@code tickNanos} ({@link #DEFAULT_TICK_NANOS}, 1 ms, by default).
 * Level {@code l} has 64 buckets, each {@code 64^l} ticks wide. An entry due at tick {@code t}
 * while the wheel's clock is at tick {@code cur} sits at the level of the highest 6-bit digit in
 * which {@code t} and {@code cur} differ, in the bucket named by {@code t}'s digit there. So every
 * bucket of level 0 is one exact tick, and an entry at level {@code l} shares all digits above
 * {@code l} with the clock. When the clock enters a coarser bucket its entries cascade to finer
 * levels; an entry cascades at most once per level over its life.
 *
 * <p>Each level keeps a {@code long} occupancy bitmap, so the next non-empty bucket is found with
 * {@link Long#numberOfTrailingZeros} and a jump of hours over empty time costs O(levels), never a
 * walk through empty ticks. Buckets are intrusive doubly linked lists on {@code int[]} arrays
 * indexed by slot; nothing is allocated per operation once the arrays have grown.
 *
 * <h2>Exactness</h2>
 *
 * <p>When the clock lands on a tick, that tick's entries move into a small <em>ready run</em>
 * sorted by (deadline, sequence). The sort is skipped when the run is already in order, which is
 * the common case: bucket lists keep insertion (= sequence) order and most entries of a tick share
 * one deadline. Otherwise a stable sort by deadline does (insertion sort for short runs, a radix
 * sort on the offset within the tick for long ones), so no per-operation allocation and no
 * comparison sort of a large storm. An entry added for the current tick, or earlier, joins the
 * end of the ready run when it sorts last there (the usual case), else a small heap of late
 * entries; the next entry is the earlier of the two heads.
 *
 * <h2>Range: no overflow list</h2>
 *
 * <p>The constructor adds levels until the wheel spans every representable deadline
 * ({@code Long.MAX_VALUE / tickNanos} ticks): 8 levels at 1 ms, 11 at 1 ns. So there is no
 * overflow list and no deadline is ever clamped; the unused upper levels cost one bitmap test
 * each when the wheel looks for its next bucket. (Kafka makes overflow wheels on demand instead;
 * a fixed array of levels keeps every operation free of allocation.)
 *
 * <h2>Worked example</h2>
 *
 * <p>At 1 ms ticks with the clock at 0, a timer for 200 ms (tick 200 = 3*64 + 8) goes to level 1,
 * bucket 3 (ticks 192 to 255). A timer for 2 h (tick 7,200,000) goes to level 3, bucket 27. When
 * the 200 ms timer is next, the clock moves to 192, bucket 3 of level 1 cascades, the timer lands
 * in level 0 bucket 8, and the clock then moves to 200 and the timer leaves. After it, finding
 * the 2 h timer reads four bitmaps and cascades three times (levels 3, 2, 1).
 *
 * <h2>Caveats</h2>
 *
 * <ul>
 *   <li>{@link #peek()} moves the wheel's clock to the next pending tick, as a poll would. An
 *       entry added afterwards for an earlier time (allowed: it is not earlier than the last
 *       poll) still leaves first, through a small heap of late entries, at heap cost. To ask
 *       "is anything due by t?" without moving the clock past t, use {@link #peekTimeUpTo}, as
 *       {@link Simulation#runUntil} does.
 *   <li>A tick holding many distinct deadlines (a coarse tick over fine-grained deadlines) is
 *       radix-sorted when it comes due, three byte passes at 1 ms ticks; a tick near the spacing
 *       of the deadlines in use avoids that, at the price of more cascading.
 *   <li>Not thread-safe; it belongs to one {@link Simulation}.
 * </ul>
 */
public final class HierarchicalTimingWheel implements PendingEventSet {
  /** The default tick: 1 ms, the resolution of Linux's TCP timers at HZ=1000. */
  public static final long DEFAULT_TICK_NANOS = 1_000_000L;

  private static final int DIGIT_BITS = 6;
  private static final int BUCKETS = 1 << DIGIT_BITS;
  private static final int DIGIT_MASK = BUCKETS - 1;
  /** The WHERE field of a slot that is not pending. */
  private static final int FREE = -1;
  /** The WHERE field of a slot in the ready run. */
  private static final int READY = -2;
  /** The WHERE field of a slot in the late heap. */
  private static final int LATE = -3;
  /** Ready runs up to this long are insertion-sorted; longer ones radix-sorted. */
  private static final int INSERTION_SORT_MAX = 24;

  private final long tickNanos;
  private final int levels;
  private final long[] occupancy;
  private final int[] bucketHead;
  private final int[] bucketTail;

  // Per-slot state, four fields per slot in each array so that one timer's state shares cache
  // lines (with a million timers, separate arrays cost a cache miss per field).
  /** WHERE: FREE, READY, LATE, or the bucket (level * 64 + digit) holding the slot. */
  private static final int WHERE = 0;
  /** NEXT, PREV: the bucket's doubly linked list. */
  private static final int NEXT = 1;
  private static final int PREV = 2;
  /** READY_POS: index in {@link #ready} while READY; stale entries there are skipped. */
  private static final int READY_POS = 3;
  private int[] slots;
  private static final int DEADLINE = 0;
  private static final int SEQ = 1;
  /** TICK: the deadline's tick, kept to spare a division per cascade. */
  private static final int TICK = 2;
  private long[] keys;
  /** How many slots the arrays hold. */
  private int capacity;

  /** Entries due at or before {@link #cur}, sorted; {@code [readyHead, readyTail)} is live. */
  private int[] ready = new int[64];
  /** Scratch for the radix sort, as long as {@link #ready}. */
  private int[] sortSpare = new int[64];
  private final int[] radixCount = new int[256];
  private int readyHead;
  private int readyTail;

  /**
   * Entries due at or before {@link #cur} that could not join the sorted run in order (added
   * for a tick the clock already reached, earlier than the run's last entry). Usually empty.
   */
  private final HeapEventSet late = new HeapEventSet(16);

  /** The wheel's clock in ticks. Every entry in a bucket is due after it. */
  private long cur;
  private int size;

  /** A wheel with 1 ms ticks. */
  public HierarchicalTimingWheel() {
    this(DEFAULT_TICK_NANOS, 64);
  }

  /**
   * @param tickNanos the width of one tick; deadlines inside one tick still leave in exact order,
   *     the tick only decides how much sorting a due tick may need
   * @param initialSlots slots to size the per-slot arrays for
   */
  public HierarchicalTimingWheel(long tickNanos, int initialSlots) {
    if (tickNanos < 1) {
      throw new IllegalArgumentException("tickNanos must be >= 1, was " + tickNanos);
    }
    if (initialSlots < 0) {
      throw new IllegalArgumentException("initialSlots must be >= 0, was " + initialSlots);
    }
    this.tickNanos = tickNanos;
    int bitsNeeded = 64 - Long.numberOfLeadingZeros(Long.MAX_VALUE / tickNanos);
    this.levels = Math.max(1, (bitsNeeded + DIGIT_BITS - 1) / DIGIT_BITS);
    this.occupancy = new long[levels];
    this.bucketHead = new int[levels * BUCKETS];
    this.bucketTail = new int[levels * BUCKETS];
    Arrays.fill(bucketHead, -1);
    Arrays.fill(bucketTail, -1);
    int cap = Math.max(4, initialSlots);
    slots = new int[cap << 2];
    keys = new long[cap << 2];
    capacity = cap;
    for (int i = 0; i < cap; i++) {
      slots[i << 2 | WHERE] = FREE;
    }
  }

  public long tickNanos() {
    return tickNanos;
  }

  /** How many levels the wheel has (enough to span every deadline). */
  public int levels() {
    return levels;
  }

  @Override
  public void add(int slot, long deadlineNanos, long sequence) {
    ensureSlot(slot);
    if (slots[slot << 2 | WHERE] != FREE) {
      throw new IllegalStateException("slot " + slot + " is already pending");
    }
    keys[slot << 2 | DEADLINE] = deadlineNanos;
    keys[slot << 2 | SEQ] = sequence;
    long t = Math.floorDiv(deadlineNanos, tickNanos);
    keys[slot << 2 | TICK] = t;
    size++;
    if (t <= cur) {
      addReady(slot);
    } else {
      place(slot, t);
    }
  }

  @Override
  public boolean remove(int slot) {
    if (slot < 0 || slot >= capacity) {
      return false;
    }
    int w = slots[slot << 2 | WHERE];
    if (w == FREE) {
      return false;
    }
    // A READY slot leaves a stale entry in the ready run; readyPos tells it apart from a reuse.
    if (w == LATE) {
      late.remove(slot);
    } else if (w != READY) {
      unlink(slot, w);
    }
    slots[slot << 2 | WHERE] = FREE;
    size--;
    return true;
  }

  /**
   * The next entry. When nothing is due at the clock, this moves the clock to the next pending
   * tick (cascading on the way), as {@link #poll()} would; an entry added afterwards for an
   * earlier time still leaves first, through the small heap of late entries.
   */
  @Override
  public int peek() {
    int s = readyMin();
    if (s >= 0 || size == 0) {
      return s;
    }
    advance(Long.MAX_VALUE);
    return readyMin();
  }

  @Override
  public long peekTime() {
    int s = peek();
    return s < 0 ? Long.MAX_VALUE : keys[s << 2 | DEADLINE];
  }

  /** Looks no further than {@code limitNanos}'s tick, so the clock never passes it. */
  @Override
  public long peekTimeUpTo(long limitNanos) {
    int s = readyMin();
    if (s < 0 && size > 0) {
      long limit = Math.floorDiv(limitNanos, tickNanos);
      if (limit > cur) {
        advance(limit);
        s = readyMin();
      }
    }
    return s < 0 ? Long.MAX_VALUE : keys[s << 2 | DEADLINE];
  }

  @Override
  public int poll() {
    int s = peek();
    if (s < 0) {
      return -1;
    }
    if (slots[s << 2 | WHERE] == LATE) {
      late.poll();
    } else {
      readyHead++;
    }
    slots[s << 2 | WHERE] = FREE;
    size--;
    return s;
  }

  @Override
  public void advanceTo(long nowNanos) {
    long target = Math.floorDiv(nowNanos, tickNanos);
    if (target <= cur || readyMin() >= 0) {
      return;
    }
    advance(target);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String name() {
    return "hierarchical-wheel";
  }

  // ---- the wheel ----

  /** Puts {@code slot}, due at tick {@code t > cur}, into its bucket relative to the clock. */
  private void place(int slot, long t) {
    int level = (63 - Long.numberOfLeadingZeros(t ^ cur)) / DIGIT_BITS;
    int digit = (int) (t >>> (level * DIGIT_BITS)) & DIGIT_MASK;
    int b = level * BUCKETS + digit;
    int tail = bucketTail[b];
    slots[slot << 2 | NEXT] = -1;
    slots[slot << 2 | PREV] = tail;
    if (tail < 0) {
      bucketHead[b] = slot;
      occupancy[level] |= 1L << digit;
    } else {
      slots[tail << 2 | NEXT] = slot;
    }
    bucketTail[b] = slot;
    slots[slot << 2 | WHERE] = b;
  }

  private void unlink(int slot, int b) {
    int p = slots[slot << 2 | PREV];
    int n = slots[slot << 2 | NEXT];
    if (p < 0) {
      bucketHead[b] = n;
    } else {
      slots[p << 2 | NEXT] = n;
    }
    if (n < 0) {
      bucketTail[b] = p;
    } else {
      slots[n << 2 | PREV] = p;
    }
    if (bucketHead[b] < 0) {
      occupancy[b / BUCKETS] &= ~(1L << (b & DIGIT_MASK));
    }
  }

  /**
   * Moves the clock forward to {@code limit} or to the next pending tick, whichever is earlier,
   * cascading each coarse bucket the clock enters; landing on a pending tick moves that tick's
   * entries into the ready run. Requires an empty ready run.
   */
  private void advance(long limit) {
    readyHead = 0;
    readyTail = 0;
    while (cur < limit) {
      int level = 0;
      for (; level < levels; level++) {
        int shift = level * DIGIT_BITS;
        int digit = (int) (cur >>> shift) & DIGIT_MASK;
        // An entry's digit at its level is always above the clock's, so search above it only.
        long bits = occupancy[level] & (-2L << digit);
        if (bits == 0) {
          continue;
        }
        int found = Long.numberOfTrailingZeros(bits);
        long start = ((((cur >>> shift) >>> DIGIT_BITS) << DIGIT_BITS) | found) << shift;
        if (start > limit) {
          // Finer levels are empty, so the clock may stop anywhere before this bucket.
          cur = limit;
          return;
        }
        cur = start;
        cascade(level * BUCKETS + found);
        if (readyTail > 0) {
          sortReadyIfNeeded();
          return;
        }
        break;
      }
      if (level == levels) {
        // Nothing left in the buckets: time may pass freely.
        if (limit != Long.MAX_VALUE) {
          cur = limit;
        }
        return;
      }
    }
  }

  /** Re-places a bucket's entries relative to the clock; those due now join the ready run. */
  private void cascade(int b) {
    int s = bucketHead[b];
    bucketHead[b] = -1;
    bucketTail[b] = -1;
    occupancy[b / BUCKETS] &= ~(1L << (b & DIGIT_MASK));
    while (s >= 0) {
      int n = slots[s << 2 | NEXT];
      long t = keys[s << 2 | TICK];
      if (t == cur) {
        appendReady(s);
      } else {
        place(s, t);
      }
      s = n;
    }
  }

  // ---- the ready run ----

  /** Drops stale entries at the head of the ready run; returns whether a live one remains. */
  /** Whether {@code ready[i]} is live: its slot is READY and was put at {@code i}, not reused. */
  private boolean isLiveReady(int i) {
    int s = ready[i];
    return slots[s << 2 | WHERE] == READY && slots[s << 2 | READY_POS] == i;
  }

  private boolean skipStaleReady() {
    int h = readyHead;
    int t = readyTail;
    while (h < t) {
      if (isLiveReady(h)) {
        readyHead = h;
        return true;
      }
      h++;
    }
    readyHead = 0;
    readyTail = 0;
    return false;
  }

  private void appendReady(int slot) {
    if (readyTail == ready.length) {
      ready = Arrays.copyOf(ready, ready.length * 2);
    }
    ready[readyTail] = slot;
    slots[slot << 2 | READY_POS] = readyTail;
    readyTail++;
    slots[slot << 2 | WHERE] = READY;
  }

  /** The earliest of the ready run's head and the late heap's top, or -1 when both are empty. */
  private int readyMin() {
    boolean run = skipStaleReady();
    if (late.size() == 0) {
      return run ? ready[readyHead] : -1;
    }
    int l = late.peek();
    return run && before(ready[readyHead], l) ? ready[readyHead] : l;
  }

  /**
   * Adds a slot due at or before the clock: at the end of the sorted run when it comes last
   * (the usual case: same deadline, higher sequence), just before the head when it comes first,
   * else to the late heap.
   */
  private void addReady(int slot) {
    if (!skipStaleReady()) {
      appendReady(slot);
      return;
    }
    int last = readyTail - 1;
    while (!isLiveReady(last)) {
      last--; // a stale entry at the tail; the head is live, so this stops
    }
    if (!before(slot, ready[last])) {
      appendReady(slot);
    } else if (readyHead > 0 && before(slot, ready[readyHead])) {
      readyHead--;
      ready[readyHead] = slot;
      slots[slot << 2 | READY_POS] = readyHead;
      slots[slot << 2 | WHERE] = READY;
    } else {
      late.add(slot, keys[slot << 2 | DEADLINE], keys[slot << 2 | SEQ]);
      slots[slot << 2 | WHERE] = LATE;
    }
  }

  /**
   * Orders a freshly filled ready run (all of one tick, starting at index 0) by (deadline, seq).
   * The run arrives in sequence order (bucket lists keep it), so a stable sort by deadline is
   * enough: insertion sort for short runs, else a least-significant-digit radix sort on the
   * offset within the tick, a byte per pass, skipping passes where every entry has the same byte.
   */
  private void sortReadyIfNeeded() {
    int n = readyTail;
    boolean sorted = true;
    for (int i = 1; i < n; i++) {
      if (keys[ready[i] << 2 | DEADLINE] < keys[ready[i - 1] << 2 | DEADLINE]) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      return;
    }
    if (n <= INSERTION_SORT_MAX) {
      insertionSortReady(n);
    } else {
      radixSortReady(n, cur * tickNanos);
    }
    for (int j = 0; j < n; j++) {
      slots[ready[j] << 2 | READY_POS] = j;
    }
  }

  private void insertionSortReady(int n) {
    for (int i = 1; i < n; i++) {
      int s = ready[i];
      long d = keys[s << 2 | DEADLINE];
      int j = i;
      while (j > 0 && keys[ready[j - 1] << 2 | DEADLINE] > d) {
        ready[j] = ready[j - 1];
        j--;
      }
      ready[j] = s;
    }
  }

  private void radixSortReady(int n, long tickStartNanos) {
    if (sortSpare.length < ready.length) {
      sortSpare = new int[ready.length];
    }
    long maxOffset = 0;
    for (int i = 0; i < n; i++) {
      maxOffset = Math.max(maxOffset, keys[ready[i] << 2 | DEADLINE] - tickStartNanos);
    }
    int[] src = ready;
    int[] dst = sortSpare;
    int[] count = radixCount;
    for (int shift = 0; shift < 64 && (maxOffset >>> shift) != 0; shift += 8) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((keys[src[i] << 2 | DEADLINE] - tickStartNanos) >>> shift) & 0xff]++;
      }
      if (count[(int) ((keys[src[0] << 2 | DEADLINE] - tickStartNanos) >>> shift) & 0xff] == n) {
        continue; // every entry has this byte: the pass would change nothing
      }
      int sum = 0;
      for (int b = 0; b < 256; b++) {
        int c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int s = src[i];
        dst[count[(int) ((keys[s << 2 | DEADLINE] - tickStartNanos) >>> shift) & 0xff]++] = s;
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != ready) {
      // The sorted run ended in the spare array: swap the two rather than copy.
      sortSpare = ready;
      ready = src;
    }
  }

  private boolean before(int a, int b) {
    long da = keys[a << 2 | DEADLINE];
    long db = keys[b << 2 | DEADLINE];
    return da < db || (da == db && keys[a << 2 | SEQ] < keys[b << 2 | SEQ]);
  }

  private void ensureSlot(int slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must be >= 0, was " + slot);
    }
    if (slot >= capacity) {
      int cap = Math.max(slot + 1, capacity * 2);
      slots = Arrays.copyOf(slots, cap << 2);
      keys = Arrays.copyOf(keys, cap << 2);
      for (int i = capacity; i < cap; i++) {
        slots[i << 2 | WHERE] = FREE;
      }
      capacity = cap;
    }
  }
}
