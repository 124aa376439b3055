package tcpsim.lab.fuzz;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tcpsim.net.tcp.TcpSysctls;

/**
 * A deep copy of an object graph, shared structure and cycles kept, and a snapshot that puts a
 * graph back in place as it was ({@link #snapshot}): the explorer's way to run every transition out
 * of a state on one simulated world instead of replaying the state's whole path on a fresh world
 * for each.
 *
 * <p>What is copied, by class:
 * <ul>
 *   <li>the project's classes ({@code tcpsim.*}), field by field, each object once (a second
 *       reference to it gets the same copy); a {@code transient} field is scratch, not state, and
 *       the copy starts without it (null or zero, as the class's own code makes it again on use);
 *   <li>lambdas and method references, through their constructor with the captured values
 *       copied; one capturing nothing is shared;
 *   <li>arrays, element by element;
 *   <li>the java.util collections the world uses (lists, hash, identity, linked and tree maps and
 *       sets, deques, bit sets, enum sets, {@code List.of}), rebuilt through their own API in
 *       their iteration order: a hash or identity map keyed by a copied object must hash the
 *       copy, not the original;
 *   <li>records, strings, boxed primitives, enum constants and classes are values and shared:
 *       every record the world holds (a segment, a configuration, a queued flight) is built once
 *       and never changed.
 * </ul>
 * Anything else (a JDK class not listed, a thread, a stream) is refused with its class named, so a
 * world that grows a kind of object the copy does not know fails at once rather than sharing it.
 *
 * <p>Caveats: fields are read and written through {@code sun.misc.Unsafe} offsets, with no
 * constructor run (the copy is of the state the constructor left); static fields are not state and
 * stay shared. A copy is as good as the rule that worlds hold no hidden identity: a hash map keyed
 * by identity is rebuilt, but a stored {@link System#identityHashCode} would not be. A restored
 * hash map iterates in an order of its own (the project's rule: no hash map's order feeds a trace).
 * The explorer's tests show its restored worlds explore to the same states, transitions and end
 * pairs as replays.
 */
final class GraphCopy {
  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("sun.misc.Unsafe is not reachable: " + e, e);
    }
  }

  /** How a class's instances are copied; the collections come last ({@link Snapshot#restore} relies on it). */
  private enum Kind {
    SHARED, FIELDS, LAMBDA, PRIMITIVE_ARRAY, OBJECT_ARRAY, ARRAY_LIST, ARRAY_DEQUE, HASH_MAP, LINKED_HASH_MAP,
    IDENTITY_HASH_MAP, TREE_MAP, HASH_SET, LINKED_HASH_SET, TREE_SET, BIT_SET, ENUM_SET, IMMUTABLE_LIST
  }

  /** A class's copy plan, worked out once. */
  private static final class Plan {
    final Kind kind;
    /**
     * FIELDS: the primitive fields (superclasses' included, transient ones left out) as runs of
     * adjacent bytes, each moved in the widest aligned words that fit (8, 4, 2 or 1 bytes).
     */
    long[] wordOffsets;
    byte[] wordWidths;
    /** FIELDS: the reference fields whose values are copied, and those whose declared type holds only values (shared). */
    long[] references;
    long[] values;
    /** LAMBDA: the captured values, in the constructor's order. */
    Field[] captured;
    Constructor<?> constructor;

    Plan(Kind kind) {
      this.kind = kind;
    }
  }

  /**
   * Plans by class, an open-addressing table (a class's identity hash is computed once and kept);
   * each copier has its own, filled as classes come.
   */
  private Class<?>[] planned = new Class<?>[256];
  private Plan[] plans = new Plan[256];
  private int planCount;

  private Plan planOf(Class<?> c) {
    int mask = planned.length - 1;
    int i = slot(c, mask);
    for (Class<?> k = planned[i]; k != null; i = (i + 1) & mask, k = planned[i]) {
      if (k == c) {
        return plans[i];
      }
    }
    Plan p = plan(c);
    if (2 * (planCount + 1) > planned.length) {
      Class<?>[] oldPlanned = planned;
      Plan[] oldPlans = plans;
      planned = new Class<?>[oldPlanned.length * 2];
      plans = new Plan[oldPlanned.length * 2];
      planCount = 0;
      for (int k = 0; k < oldPlanned.length; k++) {
        if (oldPlanned[k] != null) {
          put(oldPlanned[k], oldPlans[k]);
        }
      }
    }
    put(c, p);
    return p;
  }

  private void put(Class<?> c, Plan p) {
    int i = freeSlot(planned, c);
    planned[i] = c;
    plans[i] = p;
    planCount++;
  }

  /**
   * Originals to their copies, for one {@link #copy} call: an open-addressing table by identity,
   * kept between calls; {@code used} lists the slots taken, so clearing costs what was put.
   */
  private Object[] originals = new Object[1024];
  private Object[] copies = new Object[1024];
  private int[] used = new int[512];
  /** By slot: the pair index ({@code used} position) of the original there. */
  private int[] order = new int[1024];
  private int size;
  /**
   * While a {@link #snapshot} is taken: by pair index, what {@link Snapshot} keeps of each
   * reference (see there); {@code lastIndex}, the pair index of the object {@link #of} just
   * returned, -1 for a value.
   */
  private boolean recording;
  private int[][] indices = new int[512][];
  private Object[][] values = new Object[512][];
  private int lastIndex;

  /** A deep copy of {@code root}. */
  <T> T copy(T root) {
    try {
      @SuppressWarnings("unchecked")
      T out = (T) of(root);
      return out;
    } finally {
      forget();
    }
  }

  private void forget() {
    for (int i = 0; i < size; i++) {
      originals[used[i]] = null;
      copies[used[i]] = null;
    }
    size = 0;
  }

  /**
   * Keeps a copy of {@code working}'s graph, so that {@link Snapshot#restore} can put the working
   * graph back as it is now after something changed it: each of its objects gets the kept copy's
   * fields back (references mapped to the working graph's objects), each collection its elements.
   * Putting back costs no identity hash of a fresh object and allocates only the collections' own
   * entries, where a new copy pays both for every object: this is what lets the explorer run every
   * transition out of a state on one world.
   *
   * <p>Objects the change made are dropped by the restore (nothing kept refers to them); objects
   * it dropped are referred to again. Lambdas and {@code List.of} lists are immutable and need
   * nothing; transient fields keep what the working graph has.
   */
  Snapshot snapshot(Object working) {
    recording = true;
    try {
      of(working);
      Snapshot snap = new Snapshot(size);
      for (int k = 0; k < size; k++) {
        int slot = used[k];
        snap.work[k] = originals[slot];
        snap.kept[k] = copies[slot];
        snap.plans[k] = planOf(originals[slot].getClass());
        snap.indices[k] = indices[k];
        snap.values[k] = values[k];
        indices[k] = null;
        values[k] = null;
      }
      return snap;
    } finally {
      recording = false;
      forget();
    }
  }

  /**
   * A graph as it was, kept to put a working graph back to; see {@link #snapshot}. Pair {@code n}
   * is a working object and its kept copy; where the working object referred to another object of
   * the graph, {@code indices[n]} holds that object's pair (a reference field's, an array's or a
   * collection's element in order, a map's key then value), and -1 where it held a value (null, a
   * string, a record), which is then in the kept copy's field or in {@code values[n]}. Putting back
   * needs no lookup by identity at all.
   */
  static final class Snapshot {
    private final Object[] work;
    private final Object[] kept;
    private final Plan[] plans;
    private final int[][] indices;
    private final Object[][] values;

    private Snapshot(int n) {
      work = new Object[n];
      kept = new Object[n];
      plans = new Plan[n];
      indices = new int[n][];
      values = new Object[n][];
    }

    /**
     * Puts every object of the working graph back as it was when the snapshot was taken: fields and
     * arrays first, then the collections, so that a key hashed or compared by its fields is put back
     * into its map with those fields already restored.
     */
    void restore() {
      for (int n = 0; n < work.length; n++) {
        if (plans[n].kind.ordinal() < Kind.ARRAY_LIST.ordinal()) {
          restoreFields(n);
        }
      }
      for (int n = 0; n < work.length; n++) {
        if (plans[n].kind.ordinal() >= Kind.ARRAY_LIST.ordinal()) {
          restoreCollection(n);
        }
      }
    }

    private void restoreFields(int n) {
      Object w = work[n];
      Object k = kept[n];
      Plan p = plans[n];
      int[] refs = indices[n];
      switch (p.kind) {
        case FIELDS -> {
          copyValues(p, k, w);
          long[] references = p.references;
          for (int j = 0; j < references.length; j++) {
            long at = references[j];
            UNSAFE.putObject(w, at, refs[j] >= 0 ? work[refs[j]] : UNSAFE.getObject(k, at));
          }
        }
        case PRIMITIVE_ARRAY -> System.arraycopy(k, 0, w, 0, java.lang.reflect.Array.getLength(k));
        case OBJECT_ARRAY -> {
          Object[] from = (Object[]) k;
          Object[] to = (Object[]) w;
          for (int i = 0; i < from.length; i++) {
            to[i] = refs[i] >= 0 ? work[refs[i]] : from[i];
          }
        }
        default -> {
          // LAMBDA: immutable, and the working one already captures working objects
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void restoreCollection(int n) {
      Object w = work[n];
      int[] refs = indices[n];
      Object[] vals = values[n];
      switch (plans[n].kind) {
        case ARRAY_LIST, ARRAY_DEQUE, HASH_SET, LINKED_HASH_SET, TREE_SET -> {
          Collection<Object> to = (Collection<Object>) w;
          to.clear();
          for (int i = 0; i < refs.length; i++) {
            to.add(refs[i] >= 0 ? work[refs[i]] : vals[i]);
          }
        }
        case HASH_MAP, LINKED_HASH_MAP, IDENTITY_HASH_MAP, TREE_MAP -> {
          Map<Object, Object> to = (Map<Object, Object>) w;
          to.clear();
          for (int i = 0; i < refs.length; i += 2) {
            to.put(refs[i] >= 0 ? work[refs[i]] : vals[i], refs[i + 1] >= 0 ? work[refs[i + 1]] : vals[i + 1]);
          }
        }
        case BIT_SET -> {
          ((BitSet) w).clear();
          ((BitSet) w).or((BitSet) kept[n]);
        }
        case ENUM_SET -> {
          ((Collection<Object>) w).clear();
          ((Collection<Object>) w).addAll((Collection<Object>) kept[n]);
        }
        default -> {
          // IMMUTABLE_LIST: immutable, and the working one already holds working objects
        }
      }
    }
  }

  /** The slot of {@code o}'s copy, or -1. */
  private int find(Object o) {
    int mask = originals.length - 1;
    for (int i = slot(o, mask); ; i = (i + 1) & mask) {
      Object k = originals[i];
      if (k == o) {
        return i;
      }
      if (k == null) {
        return -1;
      }
    }
  }

  /** Notes {@code c} as {@code o}'s copy; returns their pair index. */
  private int remember(Object o, Object c) {
    if (2 * (size + 1) > originals.length) {
      grow();
    }
    int i = freeSlot(originals, o);
    originals[i] = o;
    copies[i] = c;
    order[i] = size;
    used[size] = i;
    return size++;
  }

  /** The slot where {@code key}, not in {@code table} (a power of two long), goes: linear probing. */
  private static int freeSlot(Object[] table, Object key) {
    int mask = table.length - 1;
    int i = slot(key, mask);
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int slot(Object o, int mask) {
    return (System.identityHashCode(o) * 0x9E3779B9) >>> 7 & mask;
  }

  private void grow() {
    Object[] oldOriginals = originals;
    Object[] oldCopies = copies;
    int[] oldUsed = used;
    int n = size;
    originals = new Object[oldOriginals.length * 2];
    copies = new Object[oldOriginals.length * 2];
    used = new int[oldOriginals.length];
    order = new int[oldOriginals.length * 2];
    indices = Arrays.copyOf(indices, oldOriginals.length);
    values = Arrays.copyOf(values, oldOriginals.length);
    size = 0;
    for (int k = 0; k < n; k++) {
      remember(oldOriginals[oldUsed[k]], oldCopies[oldUsed[k]]);
    }
  }

  private Object of(Object o) {
    lastIndex = -1;
    if (o == null) {
      return null;
    }
    Plan p = planOf(o.getClass());
    if (p.kind == Kind.SHARED) {
      return o;
    }
    int done = find(o);
    if (done >= 0) {
      lastIndex = order[done];
      return copies[done];
    }
    Object c;
    int me;
    switch (p.kind) {
      case FIELDS -> {
        c = allocate(o.getClass());
        me = remember(o, c);
        copyFields(p, o, c, me);
      }
      case PRIMITIVE_ARRAY -> {
        c = primitiveArrayClone(o);
        me = remember(o, c);
      }
      case OBJECT_ARRAY -> {
        Object[] from = (Object[]) o;
        Object[] to = (Object[]) java.lang.reflect.Array.newInstance(o.getClass().getComponentType(), from.length);
        c = to;
        me = remember(o, c);
        int[] refs = recording ? new int[from.length] : null;
        for (int i = 0; i < from.length; i++) {
          to[i] = of(from[i]);
          if (refs != null) {
            refs[i] = lastIndex;
          }
        }
        if (refs != null) {
          indices[me] = refs;
        }
      }
      case LAMBDA -> {
        c = lambda(p, o);
        me = order[find(o)];
      }
      default -> {
        c = collection(p.kind, o);
        me = order[find(o)];
      }
    }
    lastIndex = me;
    return c;
  }

  /** Copies the primitive fields and the references to values of a FIELDS object {@code from} into {@code to}. */
  private static void copyValues(Plan p, Object from, Object to) {
    long[] words = p.wordOffsets;
    byte[] widths = p.wordWidths;
    for (int i = 0; i < words.length; i++) {
      long at = words[i];
      switch (widths[i]) {
        case 8 -> UNSAFE.putLong(to, at, UNSAFE.getLong(from, at));
        case 4 -> UNSAFE.putInt(to, at, UNSAFE.getInt(from, at));
        case 2 -> UNSAFE.putShort(to, at, UNSAFE.getShort(from, at));
        default -> UNSAFE.putByte(to, at, UNSAFE.getByte(from, at));
      }
    }
    for (long at : p.values) {
      UNSAFE.putObject(to, at, UNSAFE.getObject(from, at));
    }
  }

  private void copyFields(Plan p, Object from, Object to, int me) {
    copyValues(p, from, to);
    long[] references = p.references;
    int[] refs = recording ? new int[references.length] : null;
    for (int j = 0; j < references.length; j++) {
      long at = references[j];
      Object v = UNSAFE.getObject(from, at);
      int index = -1;
      if (v != null) {
        UNSAFE.putObject(to, at, of(v));
        index = lastIndex;
      }
      if (refs != null) {
        refs[j] = index;
      }
    }
    if (refs != null) {
      indices[me] = refs;
    }
  }

  private Object lambda(Plan p, Object o) {
    Object[] args = new Object[p.captured.length];
    try {
      for (int i = 0; i < args.length; i++) {
        args[i] = p.captured[i].get(o); // read before the copy exists: a lambda cannot capture itself
      }
      for (int i = 0; i < args.length; i++) {
        if (!p.captured[i].getType().isPrimitive()) {
          args[i] = of(args[i]);
        }
      }
      int existing = find(o); // a captured object may lead back here
      if (existing >= 0) {
        return copies[existing];
      }
      Object c = p.constructor.newInstance(args);
      remember(o, c);
      return c;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + o.getClass().getName() + ": " + e, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object collection(Kind kind, Object o) {
    switch (kind) {
      case ARRAY_LIST, ARRAY_DEQUE, HASH_SET, LINKED_HASH_SET, TREE_SET -> {
        Collection<Object> from = (Collection<Object>) o;
        int n = from.size();
        Collection<Object> c = switch (kind) {
          case ARRAY_LIST -> new ArrayList<>(n);
          case ARRAY_DEQUE -> new ArrayDeque<>(n);
          case HASH_SET -> new HashSet<>(capacity(n));
          case LINKED_HASH_SET -> new LinkedHashSet<>(capacity(n));
          default -> new TreeSet<>((Comparator<Object>) of(((TreeSet<Object>) o).comparator()));
        };
        int me = remember(o, c);
        int[] refs = recording ? new int[n] : null;
        Object[] vals = recording ? new Object[n] : null;
        int j = 0;
        for (Object e : from) {
          Object ce = of(e);
          c.add(ce);
          if (refs != null) {
            refs[j] = lastIndex;
            vals[j] = lastIndex < 0 ? ce : null;
          }
          j++;
        }
        if (refs != null) {
          indices[me] = refs;
          values[me] = vals;
        }
        return c;
      }
      case HASH_MAP, LINKED_HASH_MAP, IDENTITY_HASH_MAP, TREE_MAP -> {
        Map<Object, Object> from = (Map<Object, Object>) o;
        int n = from.size();
        Map<Object, Object> c = switch (kind) {
          case HASH_MAP -> new HashMap<>(capacity(n));
          case LINKED_HASH_MAP -> new LinkedHashMap<>(capacity(n));
          case IDENTITY_HASH_MAP -> new IdentityHashMap<>(n);
          default -> new TreeMap<>((Comparator<Object>) of(((TreeMap<Object, Object>) o).comparator()));
        };
        int me = remember(o, c);
        int[] refs = recording ? new int[2 * n] : null;
        Object[] vals = recording ? new Object[2 * n] : null;
        int j = 0;
        for (Map.Entry<Object, Object> e : from.entrySet()) {
          Object key = of(e.getKey());
          int keyIndex = lastIndex;
          Object value = of(e.getValue());
          c.put(key, value);
          if (refs != null) {
            refs[j] = keyIndex;
            vals[j] = keyIndex < 0 ? key : null;
            refs[j + 1] = lastIndex;
            vals[j + 1] = lastIndex < 0 ? value : null;
          }
          j += 2;
        }
        if (refs != null) {
          indices[me] = refs;
          values[me] = vals;
        }
        return c;
      }
      case BIT_SET -> {
        Object c = ((BitSet) o).clone();
        remember(o, c);
        return c;
      }
      case ENUM_SET -> {
        Object c = EnumSet.copyOf((EnumSet) o);
        remember(o, c);
        return c;
      }
      case IMMUTABLE_LIST -> {
        List<Object> from = (List<Object>) o;
        Object[] elements = new Object[from.size()];
        for (int i = 0; i < elements.length; i++) {
          elements[i] = of(from.get(i));
        }
        Object c = List.of(elements);
        remember(o, c);
        return c;
      }
      default -> throw new IllegalStateException("no copy for " + kind);
    }
  }

  private static int capacity(int size) {
    return Math.max(16, (int) (size / 0.75f) + 1);
  }

  private static Object allocate(Class<?> c) {
    try {
      return UNSAFE.allocateInstance(c);
    } catch (InstantiationException e) {
      throw new IllegalStateException("cannot allocate a " + c.getName() + ": " + e, e);
    }
  }

  private static Object primitiveArrayClone(Object o) {
    if (o instanceof byte[] a) {
      return a.clone();
    } else if (o instanceof int[] a) {
      return a.clone();
    } else if (o instanceof long[] a) {
      return a.clone();
    } else if (o instanceof boolean[] a) {
      return a.clone();
    } else if (o instanceof short[] a) {
      return a.clone();
    } else if (o instanceof char[] a) {
      return a.clone();
    } else if (o instanceof double[] a) {
      return a.clone();
    }
    return ((float[]) o).clone();
  }

  private static final Map<Class<?>, Kind> COLLECTIONS = collections();
  /** The project's classes that are immutable values (their own documentation says so), shared like records. */
  private static final java.util.Set<Class<?>> VALUES = java.util.Set.of(TcpSysctls.class);

  private static Map<Class<?>, Kind> collections() {
    Map<Class<?>, Kind> m = new HashMap<>(); // looked up only, never iterated
    m.put(ArrayList.class, Kind.ARRAY_LIST);
    m.put(ArrayDeque.class, Kind.ARRAY_DEQUE);
    m.put(HashMap.class, Kind.HASH_MAP);
    m.put(LinkedHashMap.class, Kind.LINKED_HASH_MAP);
    m.put(IdentityHashMap.class, Kind.IDENTITY_HASH_MAP);
    m.put(TreeMap.class, Kind.TREE_MAP);
    m.put(HashSet.class, Kind.HASH_SET);
    m.put(LinkedHashSet.class, Kind.LINKED_HASH_SET);
    m.put(TreeSet.class, Kind.TREE_SET);
    m.put(BitSet.class, Kind.BIT_SET);
    m.put(List.of().getClass(), Kind.IMMUTABLE_LIST);
    m.put(List.of(1).getClass(), Kind.IMMUTABLE_LIST);
    m.put(List.of(1, 2, 3).getClass(), Kind.IMMUTABLE_LIST);
    return m;
  }

  private static Plan plan(Class<?> c) {
    if (c.isArray()) {
      return new Plan(c.getComponentType().isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY);
    }
    if (isValue(c) || c.getSuperclass() != null && c.getSuperclass().isEnum()) {
      return new Plan(Kind.SHARED);
    }
    Kind known = COLLECTIONS.get(c);
    if (known != null) {
      return new Plan(known);
    }
    if (EnumSet.class.isAssignableFrom(c)) {
      return new Plan(Kind.ENUM_SET);
    }
    if (c.isHidden()) {
      return lambdaPlan(c);
    }
    if (!c.getName().startsWith("tcpsim.")) {
      throw new IllegalStateException("a world holds a " + c.getName() + ", which GraphCopy does not know how to copy");
    }
    List<Field> fields = new ArrayList<>();
    for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
      if (!k.getName().startsWith("tcpsim.")) {
        throw new IllegalStateException(c.getName() + " extends " + k.getName() + ", which GraphCopy does not know");
      }
      for (Field f : k.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
          fields.add(f);
        }
      }
    }
    Plan p = new Plan(Kind.FIELDS);
    TreeMap<Long, Integer> primitives = new TreeMap<>(); // offset to size, in offset order
    List<Long> references = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    for (Field f : fields) {
      long at = UNSAFE.objectFieldOffset(f);
      Class<?> t = f.getType();
      if (t.isPrimitive()) {
        primitives.put(at, t == long.class || t == double.class ? 8 : t == int.class || t == float.class ? 4
            : t == short.class || t == char.class ? 2 : 1);
      } else if (isValue(t)) {
        values.add(at);
      } else {
        references.add(at);
      }
    }
    List<long[]> words = new ArrayList<>(); // {offset, width}
    long runStart = -1;
    long runEnd = -1;
    for (Map.Entry<Long, Integer> e : primitives.entrySet()) {
      if (e.getKey() != runEnd) {
        words(runStart, runEnd, words);
        runStart = e.getKey();
      }
      runEnd = e.getKey() + e.getValue();
    }
    words(runStart, runEnd, words);
    p.wordOffsets = new long[words.size()];
    p.wordWidths = new byte[words.size()];
    for (int i = 0; i < words.size(); i++) {
      p.wordOffsets[i] = words.get(i)[0];
      p.wordWidths[i] = (byte) words.get(i)[1];
    }
    p.references = references.stream().mapToLong(Long::longValue).toArray();
    p.values = values.stream().mapToLong(Long::longValue).toArray();
    return p;
  }

  /** Splits the bytes {@code [start, end)} into the widest aligned words that fit. */
  private static void words(long start, long end, List<long[]> out) {
    for (long at = start; at < end; ) {
      int width = 8;
      while (width > 1 && (at % width != 0 || at + width > end)) {
        width /= 2;
      }
      out.add(new long[] {at, width});
      at += width;
    }
  }

  private static Plan lambdaPlan(Class<?> c) {
    Field[] fields = c.getDeclaredFields();
    // The captured values are fields arg$1, arg$2, ... in the constructor's order.
    Arrays.sort(fields, Comparator.comparingInt(f -> captureIndex(c, f)));
    if (fields.length == 0) {
      return new Plan(Kind.SHARED);
    }
    Constructor<?>[] ctors = c.getDeclaredConstructors();
    if (ctors.length != 1 || ctors[0].getParameterCount() != fields.length) {
      throw new IllegalStateException("a world holds a " + c.getName() + ", a hidden class that is not a lambda");
    }
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].getType() != ctors[0].getParameterTypes()[i]) {
        throw new IllegalStateException(c.getName() + ": captured values do not line up with its constructor");
      }
      fields[i].setAccessible(true);
    }
    ctors[0].setAccessible(true);
    Plan p = new Plan(Kind.LAMBDA);
    p.captured = fields;
    p.constructor = ctors[0];
    return p;
  }

  /** Whether every instance of {@code c} (and of any subclass) is a value the copy shares. */
  private static boolean isValue(Class<?> c) {
    return VALUES.contains(c) || c.isEnum() || c.isRecord() || c == String.class || c == Class.class
        || c == Long.class || c == Integer.class || c == Short.class || c == Byte.class || c == Character.class
        || c == Boolean.class || c == Double.class || c == Float.class;
  }

  private static int captureIndex(Class<?> c, Field f) {
    String name = f.getName();
    int dollar = name.lastIndexOf('$');
    try {
      return Integer.parseInt(name.substring(dollar + 1));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(c.getName() + " has a field " + name + ", not a lambda's captured value");
    }
  }

}
