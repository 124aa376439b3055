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
 * A deep copy of an object graph, shared structure and cycles kept: the explorer's snapshot of a
 * simulated world, so that a state is played once and each transition out of it starts from a
 * copy instead of replaying the state's whole path on a fresh world.
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
 * by identity is rebuilt, but a stored {@link System#identityHashCode} would not be. The explorer's
 * tests show a copy explores to the same states, transitions and end pairs as a replay.
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

  /** How a class's instances are copied. */
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
    int mask = planned.length - 1;
    int i = slot(c, mask);
    while (planned[i] != null) {
      i = (i + 1) & mask;
    }
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
  private int size;
  /** Objects copied by the last call, a measure of a world's size. */
  private int objects;

  /** A deep copy of {@code root}. */
  <T> T copy(T root) {
    objects = 0;
    try {
      @SuppressWarnings("unchecked")
      T out = (T) of(root);
      return out;
    } finally {
      for (int i = 0; i < size; i++) {
        originals[used[i]] = null;
        copies[used[i]] = null;
      }
      size = 0;
    }
  }

  /** The copy already made of {@code o}, or null. */
  private Object copyOf(Object o) {
    int mask = originals.length - 1;
    for (int i = slot(o, mask); ; i = (i + 1) & mask) {
      Object k = originals[i];
      if (k == o) {
        return copies[i];
      }
      if (k == null) {
        return null;
      }
    }
  }

  private void remember(Object o, Object c) {
    if (2 * (size + 1) > originals.length) {
      grow();
    }
    int mask = originals.length - 1;
    int i = slot(o, mask);
    while (originals[i] != null) {
      i = (i + 1) & mask;
    }
    originals[i] = o;
    copies[i] = c;
    used[size++] = i;
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
    size = 0;
    for (int k = 0; k < n; k++) {
      remember(oldOriginals[oldUsed[k]], oldCopies[oldUsed[k]]);
    }
  }

  /** How many objects the last {@link #copy} made. */
  int objectsCopied() {
    return objects;
  }

  private Object of(Object o) {
    if (o == null) {
      return null;
    }
    Plan p = planOf(o.getClass());
    if (p.kind == Kind.SHARED) {
      return o;
    }
    Object done = copyOf(o);
    if (done != null) {
      return done;
    }
    objects++;
    switch (p.kind) {
      case FIELDS -> {
        Object c = allocate(o.getClass());
        remember(o, c);
        copyFields(p, o, c);
        return c;
      }
      case PRIMITIVE_ARRAY -> {
        Object c = primitiveArrayClone(o);
        remember(o, c);
        return c;
      }
      case OBJECT_ARRAY -> {
        Object[] from = (Object[]) o;
        Object[] c = (Object[]) java.lang.reflect.Array.newInstance(o.getClass().getComponentType(), from.length);
        remember(o, c);
        for (int i = 0; i < from.length; i++) {
          c[i] = of(from[i]);
        }
        return c;
      }
      case LAMBDA -> {
        return lambda(p, o);
      }
      default -> {
        return collection(p.kind, o);
      }
    }
  }

  private void copyFields(Plan p, Object from, Object to) {
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
    for (long at : p.references) {
      Object v = UNSAFE.getObject(from, at);
      if (v != null) {
        Object c = of(v);
        UNSAFE.putObject(to, at, c);
      }
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
      Object existing = copyOf(o); // a captured object may lead back here
      if (existing != null) {
        return existing;
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
      case ARRAY_LIST -> {
        List<Object> from = (List<Object>) o;
        ArrayList<Object> c = new ArrayList<>(from.size());
        remember(o, c);
        for (int i = 0; i < from.size(); i++) {
          c.add(of(from.get(i)));
        }
        return c;
      }
      case ARRAY_DEQUE -> {
        ArrayDeque<Object> c = new ArrayDeque<>(((Collection<?>) o).size());
        remember(o, c);
        for (Object e : (Collection<?>) o) {
          c.add(of(e));
        }
        return c;
      }
      case HASH_MAP, LINKED_HASH_MAP, IDENTITY_HASH_MAP -> {
        Map<Object, Object> from = (Map<Object, Object>) o;
        Map<Object, Object> c = kind == Kind.HASH_MAP ? new HashMap<>(capacity(from.size()))
            : kind == Kind.LINKED_HASH_MAP ? new LinkedHashMap<>(capacity(from.size()))
            : new IdentityHashMap<>(from.size());
        remember(o, c);
        for (Map.Entry<Object, Object> e : from.entrySet()) {
          c.put(of(e.getKey()), of(e.getValue()));
        }
        return c;
      }
      case TREE_MAP -> {
        TreeMap<Object, Object> from = (TreeMap<Object, Object>) o;
        TreeMap<Object, Object> c = new TreeMap<>((Comparator<Object>) of(from.comparator()));
        remember(o, c);
        for (Map.Entry<Object, Object> e : from.entrySet()) {
          c.put(of(e.getKey()), of(e.getValue()));
        }
        return c;
      }
      case HASH_SET, LINKED_HASH_SET -> {
        Collection<Object> from = (Collection<Object>) o;
        Collection<Object> c = kind == Kind.HASH_SET ? new HashSet<>(capacity(from.size()))
            : new LinkedHashSet<>(capacity(from.size()));
        remember(o, c);
        for (Object e : from) {
          c.add(of(e));
        }
        return c;
      }
      case TREE_SET -> {
        TreeSet<Object> from = (TreeSet<Object>) o;
        TreeSet<Object> c = new TreeSet<>((Comparator<Object>) of(from.comparator()));
        remember(o, c);
        for (Object e : from) {
          c.add(of(e));
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
