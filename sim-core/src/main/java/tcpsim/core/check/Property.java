package tcpsim.core.check;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A property: "for all values of this generator, this holds". Tries {@link #DEFAULT_CASES}
 * cases (or {@link #cases(int)}, or {@code -Dtcpsim.cases=N}); on the first failure shrinks it
 * and throws a {@link PropertyFailure} whose message starts with the replay line.
 *
 * <pre>{@code
 * Property.forAll(Gen.ints(0, 10_000).list(0, 50))
 *     .named("sum stays below 1000")
 *     .check(xs -> xs.stream().mapToInt(Integer::intValue).sum() < 1000);
 * }</pre>
 *
 * <p>Seeds: the run seed is {@link #seed(long)} if the test pins one, else {@code -Dtcpsim.seed}
 * (hex {@code 0x5eed} or decimal), else {@link #DEFAULT_SEED}; so every run is reproducible, and
 * a suite can be run with another seed without moving pinned tests. {@code -Dtcpsim.case=i} runs
 * only case {@code i}; with the printed seed it replays a failure. A property
 * and its generators must draw all randomness from the generated values: a simulation inside a
 * property takes its seed from a generated long, keeping the property's seed the only seed.
 *
 * <p>The builder methods change this object and return it; a {@code Property} is meant to be
 * built and checked in one expression, on one thread.
 */
public final class Property<T> {
  /** The run seed when neither {@code -Dtcpsim.seed} nor {@link #seed(long)} gives one. */
  public static final long DEFAULT_SEED = 0x5eedL;
  /** Cases tried when neither {@code -Dtcpsim.cases} nor {@link #cases(int)} says otherwise. */
  public static final int DEFAULT_CASES = 200;
  /** Replays the shrinker may spend, unless {@code -Dtcpsim.shrinks} or {@link #shrinkBudget(int)} says otherwise. */
  public static final int DEFAULT_SHRINK_BUDGET = 5_000;

  private final Gen<T> gen;
  private String name = "property";
  private Long seed;
  private Integer cases;
  private Integer onlyCase;
  private Integer shrinkBudget;
  private Function<? super T, String> show = Property::show;

  private Property(Gen<T> gen) {
    this.gen = gen;
  }

  /** A property over the values of {@code gen}. */
  public static <T> Property<T> forAll(Gen<T> gen) {
    if (gen == null) {
      throw new IllegalArgumentException("gen must not be null");
    }
    return new Property<>(gen);
  }

  /** The name printed in a failure. */
  public Property<T> named(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** Pins the run seed (it wins over {@code -Dtcpsim.seed}). */
  public Property<T> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** How many cases must pass, unless {@code -Dtcpsim.cases} is given. */
  public Property<T> cases(int cases) {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be >= 1, was " + cases);
    }
    this.cases = cases;
    return this;
  }

  /** Runs only case {@code caseIndex} of the run (what {@code -Dtcpsim.case} does). */
  public Property<T> onlyCase(int caseIndex) {
    if (caseIndex < 0) {
      throw new IllegalArgumentException("caseIndex must be >= 0, was " + caseIndex);
    }
    this.onlyCase = caseIndex;
    return this;
  }

  /** How many replays the shrinker may spend (0: report the original case unshrunk). */
  public Property<T> shrinkBudget(int replays) {
    if (replays < 0) {
      throw new IllegalArgumentException("shrink budget must be >= 0, was " + replays);
    }
    this.shrinkBudget = replays;
    return this;
  }

  /** How a counterexample is printed; the default is {@code String.valueOf}, arrays printed deeply. */
  public Property<T> show(Function<? super T, String> show) {
    if (show == null) {
      throw new IllegalArgumentException("show must not be null");
    }
    this.show = show;
    return this;
  }

  /** Checks that {@code holds} is true for every case; false or a thrown exception fails it. */
  public CheckResult check(Predicate<? super T> holds) {
    return run(value -> {
      if (!holds.test(value)) {
        throw new Falsified();
      }
    });
  }

  /** Checks that {@code body} returns normally for every case (asserts inside it fail the case). */
  public CheckResult verify(Check<? super T> body) {
    return run(body);
  }

  private CheckResult run(Check<? super T> body) {
    Settings settings = Settings.resolve(seed, cases, onlyCase, shrinkBudget);
    return Runner.run(name, "counterexample", settings, choices -> {
      T value;
      try {
        value = gen.generate(choices);
      } catch (Choices.Rejected r) {
        throw r;
      } catch (Throwable t) {
        return new Outcome(t, () -> "(the generator threw)");
      }
      try {
        body.accept(value);
        return Outcome.passed();
      } catch (Choices.Rejected r) {
        throw r;
      } catch (VirtualMachineError e) {
        if (!(e instanceof StackOverflowError)) {
          throw e; // out of memory is not a counterexample
        }
        return new Outcome(e, () -> show.apply(value));
      } catch (Throwable t) {
        return new Outcome(t, () -> show.apply(value));
      }
    });
  }

  static String show(Object value) {
    if (value instanceof Object[] a) {
      return Arrays.deepToString(a);
    }
    if (value instanceof long[] a) {
      return Arrays.toString(a);
    }
    if (value instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (value instanceof byte[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(value);
  }

  /** A check on one value that may throw (an assertion, or any exception). */
  @FunctionalInterface
  public interface Check<T> {
    void accept(T value) throws Exception;
  }
}
