package tcpsim.core.check;

/**
 * A simulator bug: an always-on invariant of the simulation did not hold. Not a failure of the
 * simulated application (that is an errno) nor misuse of the API (that is an
 * {@link IllegalArgumentException}); it means tcpsim itself is wrong, and the message starts with
 * the line that replays the run.
 *
 * <pre>{@code
 * if (sndUna > sndNxt) {
 *   throw new SimulationFailure("snd_una " + sndUna + " > snd_nxt " + sndNxt, sim.seed());
 * }
 * }</pre>
 */
public final class SimulationFailure extends RuntimeException {
  private final String invariant;
  private final long seed;
  private final String replayCommand;

  /** The invariant that broke, in a run with {@code seed}; replayed with {@code -Dtcpsim.seed=...}. */
  public SimulationFailure(String invariant, long seed) {
    this(invariant, seed, "-D" + Settings.SEED_PROPERTY + "=" + Settings.hex(seed));
  }

  /** The invariant that broke, in a run with {@code seed}, and the command that replays it. */
  public SimulationFailure(String invariant, long seed, String replayCommand) {
    super("replay: " + replayCommand + "\nsimulation invariant broken: " + invariant
        + " (seed " + Settings.hex(seed) + ")");
    if (invariant == null || replayCommand == null) {
      throw new IllegalArgumentException("invariant and replayCommand must not be null");
    }
    this.invariant = invariant;
    this.seed = seed;
    this.replayCommand = replayCommand;
  }

  /** Throws a {@link SimulationFailure} naming {@code invariant} unless {@code holds}. */
  public static void check(boolean holds, String invariant, long seed) {
    if (!holds) {
      throw new SimulationFailure(invariant, seed);
    }
  }

  /** What broke. */
  public String invariant() {
    return invariant;
  }

  /** The run's seed. */
  public long seed() {
    return seed;
  }

  /** The command (or JVM options) that replays the run. */
  public String replayCommand() {
    return replayCommand;
  }
}
