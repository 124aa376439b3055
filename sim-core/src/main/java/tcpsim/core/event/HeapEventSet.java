package tcpsim.core.event;

import java.util.Arrays;

/**
 * The reference pending-event set: an indexed 4-ary min-heap on (deadline, sequence). Every
 * other set is checked against this one. O(log n) add, remove and poll; O(1) peek.
 *
 * <p>Storage is primitive: the heap holds slots; {@code deadline}, {@code seq} and the slot's
 * heap position are arrays indexed by slot. Nothing is allocated per operation once the arrays
 * have grown.
 */
public final class HeapEventSet implements PendingEventSet {
  private static final int ARITY = 4;

  private int[] heap;
  private int size;
  private long[] deadline;
  private long[] seq;
  /** Position of a slot in {@link #heap}, or -1 when it is not pending. */
  private int[] position;

  public HeapEventSet() {
    this(64);
  }

  public HeapEventSet(int initialCapacity) {
    int cap = Math.max(4, initialCapacity);
    heap = new int[cap];
    deadline = new long[cap];
    seq = new long[cap];
    position = new int[cap];
    Arrays.fill(position, -1);
  }

  @Override
  public void add(int slot, long deadlineNanos, long sequence) {
    ensureSlot(slot);
    if (position[slot] >= 0) {
      throw new IllegalStateException("slot " + slot + " is already pending");
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    deadline[slot] = deadlineNanos;
    seq[slot] = sequence;
    heap[size] = slot;
    position[slot] = size;
    size++;
    siftUp(size - 1);
  }

  @Override
  public boolean remove(int slot) {
    if (slot < 0 || slot >= position.length || position[slot] < 0) {
      return false;
    }
    int at = position[slot];
    position[slot] = -1;
    size--;
    if (at != size) {
      int last = heap[size];
      heap[at] = last;
      position[last] = at;
      siftDown(at);
      siftUp(position[last]);
    }
    return true;
  }

  @Override
  public int peek() {
    return size == 0 ? -1 : heap[0];
  }

  @Override
  public long peekTime() {
    return size == 0 ? Long.MAX_VALUE : deadline[heap[0]];
  }

  @Override
  public int poll() {
    if (size == 0) {
      return -1;
    }
    int top = heap[0];
    remove(top);
    return top;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String name() {
    return "heap";
  }

  private boolean before(int a, int b) {
    long da = deadline[a];
    long db = deadline[b];
    return da < db || (da == db && seq[a] < seq[b]);
  }

  private void siftUp(int at) {
    int slot = heap[at];
    while (at > 0) {
      int parent = (at - 1) / ARITY;
      int p = heap[parent];
      if (!before(slot, p)) {
        break;
      }
      heap[at] = p;
      position[p] = at;
      at = parent;
    }
    heap[at] = slot;
    position[slot] = at;
  }

  private void siftDown(int at) {
    int slot = heap[at];
    while (true) {
      int first = at * ARITY + 1;
      if (first >= size) {
        break;
      }
      int best = first;
      int end = Math.min(first + ARITY, size);
      for (int c = first + 1; c < end; c++) {
        if (before(heap[c], heap[best])) {
          best = c;
        }
      }
      if (!before(heap[best], slot)) {
        break;
      }
      int b = heap[best];
      heap[at] = b;
      position[b] = at;
      at = best;
    }
    heap[at] = slot;
    position[slot] = at;
  }

  private void ensureSlot(int slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("slot must be >= 0, was " + slot);
    }
    if (slot >= position.length) {
      int cap = Math.max(slot + 1, position.length * 2);
      int old = position.length;
      deadline = Arrays.copyOf(deadline, cap);
      seq = Arrays.copyOf(seq, cap);
      position = Arrays.copyOf(position, cap);
      Arrays.fill(position, old, cap, -1);
    }
  }
}
