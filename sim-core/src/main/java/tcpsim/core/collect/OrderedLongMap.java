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
  private static final int MIN_ENTRIES = 8;

  private long[] keys;
  private Object[] values;
  /** Slot -> entry position + 1; 0 = empty. Length a power of two, at least 2 * keys.length. */
  private int[] slots;
  private int mask;
  /** Entry positions handed out since the last compaction, live or removed. */
  private int used;
  private int size;

  public OrderedLongMap() {
    allocate(MIN_ENTRIES);
  }

  private void allocate(int entries) {
    keys = new long[entries];
    values = new Object[entries];
    slots = new int[entries * 2];
    mask = slots.length - 1;
    used = 0;
    size = 0;
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
      rebuild(size * 2 > keys.length ? keys.length * 2 : keys.length);
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
      i = (i + 1) & mask;
    }
  }

  private int home(long key) {
    return (int) TraceDigest.mix(key) & mask;
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
      i = (i + 1) & mask;
      int s = slots[i];
      if (s == 0) {
        break;
      }
      int h = home(keys[s - 1]);
      if (((i - h) & mask) >= ((i - gap) & mask)) {
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
    slots = new int[entries * 2];
    mask = slots.length - 1;
    used = n;
    for (int e = 0; e < n; e++) {
      int i = home(keys[e]);
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = e + 1;
    }
  }

  @Override
  public String toString() {
    return "OrderedLongMap[size " + size + ", capacity " + keys.length + "]";
  }
}
