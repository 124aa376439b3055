package tcpsim.core.collect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tcpsim.core.trace.TraceDigest;

/**
 * A map from primitive {@code long} keys to objects that iterates in insertion order, as a
 * {@code LinkedHashMap<Long, V>} does, without a boxed key or an entry object per mapping. Made
 * for tables with up to millions of entries looked up on every event (a TCP stack's sockets by
 * 4-tuple): about 21 bytes per entry at the largest, against about 72 for the boxed map.
 *
 * <p>Array sizes: every array's length is chosen so that the array, with its 16-byte header, fits
 * in a power of two bytes (entries: {@code 2^k - 4}; index: {@code 2^(k+1) - 4} slots). G1 puts
 * an array of half a region or more in whole regions of its own (a humongous object), and
 * regions are powers of two, so such an array wastes nothing, where a power-of-two length plus
 * the header would take one more region than it needs: about 40 bytes per entry at a million
 * entries with 8 MB regions. The index is therefore not a power of two; a hash is
 * mapped onto it by multiplication ({@code (hash32 * length) >>> 32}).
 *
 * <p>Layout (the "compact dict" shape): the entries sit in insertion order in two parallel
 * arrays, {@code keys} and {@code values}; a removed entry leaves a hole (a null value) there.
 * An open-addressing index, {@code slots}, maps a hash of the key to the entry's position plus
 * one (0 = empty slot), with linear probing and backward-shift deletion, so the index never holds
 * tombstones. When the entry arrays are full, they are compacted (holes squeezed out, order kept)
 * and doubled if more than half of them is live, and the index is rebuilt.
 *
 * <p>Invariants: {@code 0 <= size <= used <= keys.length}; the live entries are exactly the
 * positions below {@code used} with a non-null value, each reachable from its key's home slot by
 * probing without crossing an empty slot; the index has at least twice as many slots as the
 * entry arrays (load at most 1/2); iteration order is the order of first insertion since the last
 * removal of that key, never a function of hashing or of the capacity history, so it may feed a
 * trace.
 *
 * <p>Example: {@code m.put(7, a); m.put(3, b); m.put(7, c); m.remove(3); m.put(3, d);} leaves
 * {@code values() == [c, d]}: replacing a value keeps its place, removing and adding again moves
 * it to the end.
 *
 * <p>Caveats: null values are refused (null means "absent" for {@link #get}); not thread-safe;
 * the arrays shrink only on {@link #clear}.
 */
public final class OrderedLongMap<V> {
  /** Array lengths are a power of two bytes less this header (see the class comment). */
  private static final int HEADER_WORDS = 4;
  /** The smallest table: 2^4 - 4 = 12 entries. */
  private static final int MIN_ENTRIES = (1 << 4) - HEADER_WORDS;

  private long[] keys;
  private Object[] values;
  /** Slot -> entry position + 1; 0 = empty. {@code twice(keys.length)} slots: load <= 1/2. */
  private int[] slots;
  /** Entry positions handed out since the last compaction, live or removed. */
  private int used;
  private int size;

  public OrderedLongMap() {
    allocate(MIN_ENTRIES);
  }

  private void allocate(int entries) {
    keys = new long[entries];
    values = new Object[entries];
    slots = new int[twice(entries)];
    used = 0;
    size = 0;
  }

  /**
   * The next size up, {@code 2^k - 4 -> 2^(k+1) - 4}: the entry capacity after a growth, and the
   * index length for an entry capacity (at least twice it).
   */
  private static int twice(int length) {
    return 2 * (length + HEADER_WORDS) - HEADER_WORDS;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The value for {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(long key) {
    int slot = slotOf(key);
    return slot < 0 ? null : (V) values[slots[slot] - 1];
  }

  public boolean containsKey(long key) {
    return slotOf(key) >= 0;
  }

  /**
   * Maps {@code key} to {@code value}; a key already present keeps its place in the order.
   * Returns the previous value, or null.
   */
  @SuppressWarnings("unchecked")
  public V put(long key, V value) {
    if (value == null) {
      throw new IllegalArgumentException("null value for key " + key + ": null means absent");
    }
    int slot = slotOf(key);
    if (slot >= 0) {
      int e = slots[slot] - 1;
      V old = (V) values[e];
      values[e] = value;
      return old;
    }
    if (used == keys.length) {
      rebuild(size * 2 > keys.length ? twice(keys.length) : keys.length);
      slot = slotOf(key);
    }
    keys[used] = key;
    values[used] = value;
    used++;
    size++;
    slots[~slot] = used;
    return null;
  }

  /** Removes {@code key}'s mapping; returns its value, or null if there was none. */
  @SuppressWarnings("unchecked")
  public V remove(long key) {
    int slot = slotOf(key);
    if (slot < 0) {
      return null;
    }
    int e = slots[slot] - 1;
    V old = (V) values[e];
    values[e] = null;
    size--;
    deleteSlot(slot);
    while (used > 0 && values[used - 1] == null) {
      used--; // trailing holes are free again without a compaction
    }
    return old;
  }

  /** Removes every mapping and gives the large arrays back. */
  public void clear() {
    allocate(MIN_ENTRIES);
  }

  /** A snapshot of the values in insertion order. */
  @SuppressWarnings("unchecked")
  public List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (int e = 0; e < used; e++) {
      if (values[e] != null) {
        out.add((V) values[e]);
      }
    }
    return out;
  }

  /** A snapshot of the keys in insertion order. */
  public long[] keys() {
    long[] out = new long[size];
    int n = 0;
    for (int e = 0; e < used; e++) {
      if (values[e] != null) {
        out[n++] = keys[e];
      }
    }
    return out;
  }

  /** The slot holding {@code key}; if absent, {@code ~slot} of the empty slot that ends its probe. */
  private int slotOf(long key) {
    int i = home(key);
    while (true) {
      int s = slots[i];
      if (s == 0) {
        return ~i;
      }
      if (keys[s - 1] == key) {
        return i;
      }
      i = next(i);
    }
  }

  /** The key's first slot: the high 32 bits of its mixed hash scaled onto the index. */
  private int home(long key) {
    return (int) (((TraceDigest.mix(key) >>> 32) * slots.length) >>> 32);
  }

  private int next(int slot) {
    return slot + 1 == slots.length ? 0 : slot + 1;
  }

  /** How many steps forward from slot {@code from} to slot {@code to}, wrapping. */
  private int distance(int from, int to) {
    return to >= from ? to - from : to - from + slots.length;
  }

  /**
   * Empties {@code slot} and shifts later entries of its probe run back over the gap (Knuth's
   * Algorithm R), so no tombstone is left: an entry moves when the gap lies on its probe path
   * (cyclically between its home slot and where it sits).
   */
  private void deleteSlot(int slot) {
    int gap = slot;
    int i = slot;
    while (true) {
      i = next(i);
      int s = slots[i];
      if (s == 0) {
        break;
      }
      int h = home(keys[s - 1]);
      if (distance(h, i) >= distance(gap, i)) {
        slots[gap] = s;
        gap = i;
      }
    }
    slots[gap] = 0;
  }

  /** Squeezes out the holes (keeping the order) into arrays of {@code entries}; re-indexes. */
  private void rebuild(int entries) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    int oldUsed = used;
    keys = entries == oldKeys.length ? oldKeys : new long[entries];
    values = entries == oldValues.length ? oldValues : new Object[entries];
    int n = 0;
    for (int e = 0; e < oldUsed; e++) {
      if (oldValues[e] != null) {
        keys[n] = oldKeys[e];
        values[n] = oldValues[e];
        n++;
      }
    }
    Arrays.fill(values, n, values.length, null);
    slots = new int[twice(entries)];
    used = n;
    for (int e = 0; e < n; e++) {
      int i = home(keys[e]);
      while (slots[i] != 0) {
        i = next(i);
      }
      slots[i] = e + 1;
    }
  }

  @Override
  public String toString() {
    return "OrderedLongMap[size " + size + ", capacity " + keys.length + "]";
  }
}
