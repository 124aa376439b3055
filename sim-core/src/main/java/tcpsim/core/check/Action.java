package tcpsim.core.check;

import java.util.function.Predicate;

/**
 * One step of an action chain on a state {@code S} (a model, a system under test, or both).
 *
 * <p>{@link #name()} is what a failure report prints for this step, with its parameters, for
 * example {@code send(a, 300 bytes)}; an action with parameters is drawn from a generator:
 * <pre>{@code
 * Gen<Action<Pair>> send = Gen.ints(1, 1460).map(n ->
 *     Action.of("send(a, " + n + " bytes)", s -> s.a().send(n)));
 * }</pre>
 */
public interface Action<S> {
  /** The step as printed: its name and parameters, for example {@code send(a, 300 bytes)}. */
  String name();

  /** Whether this action may run on {@code state}; a chain only draws actions whose precondition holds. */
  default boolean precondition(S state) {
    return true;
  }

  /** Runs the action; an exception (an assertion too) fails the chain. */
  void run(S state) throws Exception;

  /** An action with no precondition. */
  static <S> Action<S> of(String name, Step<? super S> run) {
    return of(name, s -> true, run);
  }

  /** An action that runs only where {@code precondition} holds. */
  static <S> Action<S> of(String name, Predicate<? super S> precondition, Step<? super S> run) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("action name must not be blank, was '" + name + "'");
    }
    if (precondition == null || run == null) {
      throw new IllegalArgumentException("action " + name + ": precondition and run must not be null");
    }
    return new Action<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean precondition(S state) {
        return precondition.test(state);
      }

      @Override
      public void run(S state) throws Exception {
        run.run(state);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** The body of an action. */
  @FunctionalInterface
  interface Step<S> {
    void run(S state) throws Exception;
  }
}
