package tcpsim.core.check;

/** Two values, printed as {@code (first, second)}. */
public record Pair<A, B>(A first, B second) {
  @Override
  public String toString() {
    return "(" + first + ", " + second + ")";
  }
}
