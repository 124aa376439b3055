package tcpsim.net.link;

import java.util.List;
import tcpsim.core.time.Nanos;

/**
 * A cut between two sets of hosts during the time window [{@code fromNanos}, {@code untilNanos}):
 * every segment from a host in {@code sideA} to a host in {@code sideB} (and back, unless
 * {@code oneWay}) is dropped with {@code PARTITION}.
 *
 * <pre>{@code
 * Partition.between("client", "server").during(Nanos.seconds(1), Nanos.seconds(3))
 * Partition.oneWay("server", "client")                // from now on, until healed
 * }</pre>
 *
 * <p>A partition cuts segments already on the wire too: a link checks when it takes a segment
 * and again when it would deliver it.
 */
public record Partition(List<String> sideA, List<String> sideB, boolean oneWay, long fromNanos,
    long untilNanos) {

  /** For ever, as far as a window goes. */
  public static final long FOREVER = Long.MAX_VALUE;

  public Partition {
    sideA = List.copyOf(sideA);
    sideB = List.copyOf(sideB);
    if (sideA.isEmpty() || sideB.isEmpty()) {
      throw new IllegalArgumentException("a partition needs hosts on both sides, got " + sideA
          + " and " + sideB);
    }
    for (String a : sideA) {
      if (sideB.contains(a)) {
        throw new IllegalArgumentException("host '" + a + "' is on both sides of the partition");
      }
    }
    if (fromNanos < 0 || untilNanos <= fromNanos) {
      throw new IllegalArgumentException("partition window [" + fromNanos + ", " + untilNanos
          + ") ns is empty or negative");
    }
  }

  /** Both directions between {@code a} and {@code b}, from time 0 for ever. */
  public static Partition between(String a, String b) {
    return new Partition(List.of(a), List.of(b), false, 0, FOREVER);
  }

  /** Both directions between every host of {@code sideA} and every host of {@code sideB}. */
  public static Partition between(List<String> sideA, List<String> sideB) {
    return new Partition(sideA, sideB, false, 0, FOREVER);
  }

  /** Only segments from {@code from} to {@code to}; the other way still works. */
  public static Partition oneWay(String from, String to) {
    return new Partition(List.of(from), List.of(to), true, 0, FOREVER);
  }

  /** Only segments from hosts in {@code from} to hosts in {@code to}. */
  public static Partition oneWay(List<String> from, List<String> to) {
    return new Partition(from, to, true, 0, FOREVER);
  }

  /** The same cut, in force during [{@code fromNanos}, {@code untilNanos}). */
  public Partition during(long fromNanos, long untilNanos) {
    return new Partition(sideA, sideB, oneWay, fromNanos, untilNanos);
  }

  /** The same cut, in force from {@code fromNanos} until healed. */
  public Partition from(long fromNanos) {
    return new Partition(sideA, sideB, oneWay, fromNanos, FOREVER);
  }

  public boolean activeAt(long nowNanos) {
    return nowNanos >= fromNanos && nowNanos < untilNanos;
  }

  /** Whether this partition, at {@code nowNanos}, cuts segments from host {@code from} to {@code to}. */
  public boolean cuts(String from, String to, long nowNanos) {
    if (!activeAt(nowNanos)) {
      return false;
    }
    return (sideA.contains(from) && sideB.contains(to))
        || (!oneWay && sideB.contains(from) && sideA.contains(to));
  }

  /** Whether the cut is between exactly these hosts (in either order unless one-way). */
  boolean separates(String a, String b) {
    return cutsNames(a, b) || cutsNames(b, a);
  }

  private boolean cutsNames(String from, String to) {
    return (sideA.contains(from) && sideB.contains(to))
        || (!oneWay && sideB.contains(from) && sideA.contains(to));
  }

  Partition endingAt(long nowNanos) {
    return new Partition(sideA, sideB, oneWay, fromNanos, nowNanos);
  }

  @Override
  public String toString() {
    return sideA + (oneWay ? " -/-> " : " <-/-> ") + sideB + " during [" + Nanos.format(fromNanos)
        + ", " + (untilNanos == FOREVER ? "healed" : Nanos.format(untilNanos)) + ")";
  }
}
