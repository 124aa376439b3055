package tcpsim.core.check;

import java.util.function.Predicate;

/** A named condition on the state of an action chain, checked before the first action and after every action. */
public record Invariant<S>(String name, Predicate<? super S> holds) {
  public Invariant {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("invariant name must not be blank, was '" + name + "'");
    }
    if (holds == null) {
      throw new IllegalArgumentException("invariant " + name + ": holds must not be null");
    }
  }

  /** The invariant {@code name}, true where {@code holds} is. */
  public static <S> Invariant<S> of(String name, Predicate<? super S> holds) {
    return new Invariant<>(name, holds);
  }
}
