package tcpsim.core.check;

/** A named invariant of an action chain did not hold (or threw) after an action. */
public final class InvariantViolation extends AssertionError {
  private final String invariant;
  private final int afterAction;

  InvariantViolation(String invariant, int afterAction, String actionName, Throwable thrown) {
    super("invariant \"" + invariant + "\" broken "
        + (afterAction == 0 ? "before any action" : "after action " + afterAction + ". " + actionName)
        + (thrown == null ? "" : " (it threw " + thrown + ")"), thrown);
    this.invariant = invariant;
    this.afterAction = afterAction;
  }

  /** The invariant's name. */
  public String invariant() {
    return invariant;
  }

  /** The 1-based number of the action after which it broke; 0 if it broke on the initial state. */
  public int afterAction() {
    return afterAction;
  }
}
