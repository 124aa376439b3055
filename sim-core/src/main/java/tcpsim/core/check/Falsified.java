package tcpsim.core.check;

/** A property's predicate returned false. */
final class Falsified extends AssertionError {
  Falsified() {
    super("the property returned false");
  }
}
