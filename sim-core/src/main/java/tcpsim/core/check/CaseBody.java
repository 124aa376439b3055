package tcpsim.core.check;

/** One test case as the runner sees it: draw from the choices, run, and say how it went. */
@FunctionalInterface
interface CaseBody {
  /** Runs the case; throws {@link Choices.Rejected} if the choices make no valid case. */
  Outcome run(Choices choices);

  /** Runs {@code body}, turning anything it throws except {@link Choices.Rejected} into a failure. */
  static Outcome execute(CaseBody body, Choices choices) {
    try {
      return body.run(choices);
    } catch (Choices.Rejected r) {
      throw r;
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      return new Outcome(e, () -> "(the case threw outside its checks: " + e + ")");
    }
  }
}
