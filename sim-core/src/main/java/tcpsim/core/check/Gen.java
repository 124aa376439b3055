package tcpsim.core.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import tcpsim.core.random.SimRandom;

/**
 * A generator: turns choices drawn from a {@link Choices} source into a value.
 *
 * <p>Shrinking needs nothing from a generator but this contract: choice 0 gives the simplest
 * value and larger choices give less simple ones. All the factories here keep it (numbers shrink
 * towards zero or their lower bound, booleans towards false, lists towards shorter and towards
 * their first elements' simplest values, alternatives towards the first one), so combinators
 * built from them shrink well without any code of their own.
 *
 * <p>A generator must draw only from its {@code Choices}: no other randomness, no clock, no
 * mutable state shared between calls. That is what makes a case replayable from its seed.
 *
 * <p>Example: a list of up to 20 segment sizes, each 0 to 1460 bytes, or sometimes a jumbo one:
 * <pre>{@code
 * Gen<Integer> size = Gen.frequency(Gen.weighted(9, Gen.ints(0, 1460)), Gen.weighted(1, Gen.constant(9000)));
 * Gen<List<Integer>> sizes = size.list(0, 20);
 * }</pre>
 */
@FunctionalInterface
public interface Gen<T> {
  /** How many times {@link #filter} draws before giving up on the case. */
  int FILTER_ATTEMPTS = 100;

  /** Draws one value. May throw {@link Choices.Rejected} (through {@link Choices#reject}). */
  T generate(Choices choices);

  // ---- combinators -------------------------------------------------------------------------

  /** This generator's values passed through {@code f}; shrinks as this generator does. */
  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return c -> f.apply(generate(c));
  }

  /** A generator chosen by this one's value (for example a list whose size was drawn first). */
  default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
    return c -> f.apply(generate(c)).generate(c);
  }

  /**
   * Only values passing {@code keep}: draws again up to {@link #FILTER_ATTEMPTS} times, then
   * rejects the case (the runner discards it, and gives up when too many are discarded). Prefer
   * a generator that only makes valid values; a filter is for rare exclusions.
   */
  default Gen<T> filter(Predicate<? super T> keep) {
    return c -> {
      for (int i = 0; i < FILTER_ATTEMPTS; i++) {
        T value = generate(c);
        if (keep.test(value)) {
          return value;
        }
      }
      throw c.reject("filter rejected " + FILTER_ATTEMPTS + " values in a row");
    };
  }

  /** Lists of this generator's values, with {@code minSize <= size <= maxSize}, sizes uniform. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    return lists(this, minSize, maxSize);
  }

  // ---- numbers and booleans ----------------------------------------------------------------

  /**
   * Longs in {@code [min, max]}: uniform, except that {@code min}, {@code max}, 0 and -1 (where
   * in range) come more often (see {@link Choices#drawFavouringEnds}); shrinks towards 0 if in
   * range, else towards the bound nearest 0.
   */
  static Gen<Long> longs(long min, long max) {
    if (max < min) {
      throw new IllegalArgumentException("longs: max " + max + " < min " + min);
    }
    return c -> drawLong(c, min, max);
  }

  /** Ints in {@code [min, max]}, drawn and shrunk as {@link #longs(long, long)} draws longs. */
  static Gen<Integer> ints(int min, int max) {
    if (max < min) {
      throw new IllegalArgumentException("ints: max " + max + " < min " + min);
    }
    return c -> (int) drawLong(c, min, max);
  }

  /** True or false, evenly; shrinks towards false. */
  static Gen<Boolean> booleans() {
    return c -> c.draw(1) == 1;
  }

  /** True with probability {@code ppm} parts per million; shrinks towards false. */
  static Gen<Boolean> chancePpm(int ppm) {
    if (ppm < 0 || ppm > SimRandom.PPM) {
      throw new IllegalArgumentException("chancePpm: ppm must be in [0, 1000000], was " + ppm);
    }
    return c -> c.drawChance(ppm);
  }

  /** Always {@code value}; draws nothing. */
  static <T> Gen<T> constant(T value) {
    return c -> value;
  }

  // ---- choosing ----------------------------------------------------------------------------

  /** One of {@code values}, evenly; shrinks towards the first. */
  @SafeVarargs
  static <T> Gen<T> elementOf(T... values) {
    List<T> list = new ArrayList<>(values.length);
    for (T v : values) {
      list.add(v);
    }
    return elementOf(list);
  }

  /** One of {@code values}, evenly; shrinks towards the first. The list is copied. */
  static <T> Gen<T> elementOf(List<? extends T> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("elementOf: no values to choose from");
    }
    List<T> copy = List.copyOf(values);
    return c -> copy.get((int) c.draw(copy.size() - 1));
  }

  /** A value from one of {@code gens}, chosen evenly; shrinks towards the first generator. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    if (gens.length == 0) {
      throw new IllegalArgumentException("oneOf: no generators to choose from");
    }
    List<Gen<? extends T>> copy = new ArrayList<>(gens.length);
    for (Gen<? extends T> g : gens) {
      copy.add(g);
    }
    List<Gen<? extends T>> frozen = List.copyOf(copy);
    return c -> frozen.get((int) c.draw(frozen.size() - 1)).generate(c);
  }

  /** A generator with a relative weight, for {@link #frequency}. */
  static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** A value from one of the generators, chosen in proportion to the weights; shrinks towards the first. */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    if (choices.length == 0) {
      throw new IllegalArgumentException("frequency: no generators to choose from");
    }
    int[] weights = new int[choices.length];
    List<Gen<? extends T>> gens = new ArrayList<>();
    for (int i = 0; i < choices.length; i++) {
      weights[i] = choices[i].weight();
      gens.add(choices[i].gen());
    }
    if (sum(weights) == 0) {
      throw new IllegalArgumentException("frequency: all weights are zero");
    }
    List<Gen<? extends T>> copy = List.copyOf(gens);
    return c -> copy.get(c.drawWeighted(weights)).generate(c);
  }

  // ---- collections -------------------------------------------------------------------------

  /**
   * Lists with {@code minSize <= size <= maxSize}, sizes uniform. Each element past the minimum
   * is preceded by a "one more" choice, so shrinking shortens a list by deleting an element's
   * choices or by ending it early, and never misaligns the remaining elements.
   */
  static <T> Gen<List<T>> lists(Gen<? extends T> element, int minSize, int maxSize) {
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException("lists: need 0 <= minSize <= maxSize, was " + minSize + ".." + maxSize);
    }
    return c -> {
      List<T> out = new ArrayList<>();
      while (out.size() < minSize) {
        out.add(element.generate(c));
      }
      while (out.size() < maxSize && c.drawChance(continuePpm(maxSize - out.size()))) {
        out.add(element.generate(c));
      }
      return Collections.unmodifiableList(out);
    };
  }

  /** The elements of {@code values} in a random order; shrinks towards the given order. */
  static <T> Gen<List<T>> permutation(List<? extends T> values) {
    List<T> copy = List.copyOf(values);
    return c -> {
      // Lehmer code: choice i picks among the values not placed yet, so all zeros is the identity.
      List<T> left = new ArrayList<>(copy);
      List<T> out = new ArrayList<>(copy.size());
      while (!left.isEmpty()) {
        out.add(left.remove((int) c.draw(left.size() - 1)));
      }
      return Collections.unmodifiableList(out);
    };
  }

  // ---- tuples ------------------------------------------------------------------------------

  /** Pairs of one value from each generator, drawn in order. */
  static <A, B> Gen<Pair<A, B>> pairs(Gen<? extends A> first, Gen<? extends B> second) {
    return c -> new Pair<>(first.generate(c), second.generate(c));
  }

  /** {@code f} applied to one value from each generator, drawn in order. */
  static <A, B, R> Gen<R> combine(Gen<? extends A> a, Gen<? extends B> b,
      BiFunction<? super A, ? super B, ? extends R> f) {
    return c -> {
      A x = a.generate(c);
      B y = b.generate(c);
      return f.apply(x, y);
    };
  }

  /** {@code f} applied to one value from each generator, drawn in order. */
  static <A, B, C, R> Gen<R> combine(Gen<? extends A> a, Gen<? extends B> b, Gen<? extends C> c3,
      Function3<? super A, ? super B, ? super C, ? extends R> f) {
    return c -> {
      A x = a.generate(c);
      B y = b.generate(c);
      C z = c3.generate(c);
      return f.apply(x, y, z);
    };
  }

  /** A function of three arguments, for {@link #combine(Gen, Gen, Gen, Function3)}. */
  @FunctionalInterface
  interface Function3<A, B, C, R> {
    R apply(A a, B b, C c);
  }

  /** A generator and its relative weight in {@link #frequency}. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {
    public Weighted {
      if (weight < 0) {
        throw new IllegalArgumentException("weight must be >= 0, was " + weight);
      }
      if (gen == null) {
        throw new IllegalArgumentException("gen must not be null");
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static long sum(int[] weights) {
    long total = 0;
    for (int w : weights) {
      total += w;
    }
    return total;
  }

  /**
   * The chance, in ppm, of one more element when {@code room} more would still fit: stopping
   * with chance 1/(room+1) at each step makes every length from here to the maximum equally likely.
   */
  private static int continuePpm(int room) {
    return (int) ((long) room * SimRandom.PPM / (room + 1L));
  }

  /** A long in [min, max], ordered so that choice 0 is the value nearest zero. */
  private static long drawLong(Choices c, long min, long max) {
    if (min >= 0) {
      return min + c.drawFavouringEnds(max - min);
    }
    if (max <= 0) {
      return max - c.drawFavouringEnds(max - min);
    }
    // The range holds zero: one choice for the sign (0 = non-negative), one for the magnitude.
    // The sign is drawn in proportion to how many values lie on each side.
    long negatives = min == Long.MIN_VALUE ? Long.MAX_VALUE : -min;
    long nonNegatives = max == Long.MAX_VALUE ? Long.MAX_VALUE : max + 1;
    while (negatives > (1L << 40) || nonNegatives > (1L << 40)) {
      negatives = (negatives >>> 1) + 1;
      nonNegatives = (nonNegatives >>> 1) + 1;
    }
    int negativePpm = (int) (negatives * SimRandom.PPM / (negatives + nonNegatives));
    if (c.drawChance(negativePpm)) {
      return -1 - c.drawFavouringEnds(-(min + 1));
    }
    return c.drawFavouringEnds(max);
  }
}
