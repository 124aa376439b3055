package tcpsim.core.event;

import tcpsim.core.time.Nanos;

/** A run went past one of its limits (event count or virtual time). Names the limit, the time and the seed. */
public final class SimulationLimitException extends RuntimeException {
  private final String limit;
  private final long nowNanos;
  private final long seed;

  public SimulationLimitException(String limit, long nowNanos, long seed) {
    super("simulation limit exceeded: " + limit + " at virtual time " + Nanos.format(nowNanos)
        + " (seed 0x" + Long.toHexString(seed) + ")");
    this.limit = limit;
    this.nowNanos = nowNanos;
    this.seed = seed;
  }

  public String limit() {
    return limit;
  }

  public long nowNanos() {
    return nowNanos;
  }

  public long seed() {
    return seed;
  }
}
