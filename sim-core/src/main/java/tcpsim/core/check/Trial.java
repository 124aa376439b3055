package tcpsim.core.check;

/**
 * One case run by {@link ActionChain#trial}: the choices it consumed (replaying them makes the same
 * case) and its shrunk failure, or null when it passed.
 */
public record Trial(long[] choices, PropertyFailure failure) {
  public Trial {
    choices = choices.clone();
  }

  @Override
  public long[] choices() {
    return choices.clone();
  }

  public boolean passed() {
    return failure == null;
  }
}
