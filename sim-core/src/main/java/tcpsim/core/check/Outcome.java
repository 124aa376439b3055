package tcpsim.core.check;

import java.util.function.Supplier;

/**
 * How one case went: passed (no failure) or failed with a throwable, and a readable description
 * of its input, made only when a report needs it.
 */
record Outcome(Throwable failure, Supplier<String> description) {
  static Outcome passed() {
    return new Outcome(null, () -> "");
  }

  boolean failed() {
    return failure != null;
  }

  /** What "fails the same way" compares while shrinking: the broken invariant, or the exception class. */
  static String kind(Throwable failure) {
    if (failure instanceof InvariantViolation v) {
      return "invariant " + v.invariant();
    }
    return failure.getClass().getName();
  }
}
