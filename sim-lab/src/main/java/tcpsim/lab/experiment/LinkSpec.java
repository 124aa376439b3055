package tcpsim.lab.experiment;

import tcpsim.net.link.NetemConfig;

/**
 * A link between two hosts with netem's impairments. Written {@code a <-> b: NETEM} (the same
 * impairments each way, each way drawing its own randomness) or {@code a -> b: NETEM} (one way
 * only; the other way then needs its own line).
 */
public record LinkSpec(String from, String to, boolean bothWays, NetemConfig netem) {
  /** The key as the file writes it, {@code client <-> server}; faults name links by it. */
  public String key() {
    return from + (bothWays ? " <-> " : " -> ") + to;
  }

  /** True when this link carries segments from {@code a} to {@code b}. */
  public boolean carries(String a, String b) {
    return (from.equals(a) && to.equals(b)) || (bothWays && from.equals(b) && to.equals(a));
  }

  @Override
  public String toString() {
    return key() + ": " + netem;
  }
}
