package tcpsim.lab.fuzz;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.random.SimRandom;

/**
 * A campaign's nearest misses of the stale-segment invariant, by {@link FuzzWorld#staleDistance}:
 * how long before a reconnect an incarnation's last data arrived, whether old data arrived after
 * one, and by how many sequence numbers it missed a later incarnation's window. They are the
 * parents of the campaign's mutants: a targeted search that turns "is an old segment ever taken?"
 * into "how near does one come?" and climbs (targeted property-based testing, Löscher and
 * Sagonas, ISSTA 2017).
 *
 * <p>At most {@link #SIZE} misses are kept, one per distance (the first case to reach it), nearest
 * first; ties and order follow case indices, so the set is the same for any number of jobs.
 */
public final class NearMisses {
  /** How many misses are kept. */
  public static final int SIZE = 16;

  /** A near miss: its distance, the case it came from, and the swarm mask and choices that make it. */
  public record Miss(long gap, int caseIndex, long mask, long[] choices) {}

  private final List<Miss> misses = new ArrayList<>();

  /** Adds a case's miss; cases must come in index order. A case with no reconnect after data is not a miss. */
  void add(long gap, int caseIndex, long mask, long[] choices) {
    if (gap == Long.MAX_VALUE) {
      return;
    }
    int at = 0;
    while (at < misses.size() && misses.get(at).gap() < gap) {
      at++;
    }
    if (at == SIZE || (at < misses.size() && misses.get(at).gap() == gap)) {
      return;
    }
    misses.add(at, new Miss(gap, caseIndex, mask, choices));
    if (misses.size() > SIZE) {
      misses.remove(SIZE);
    }
  }

  public boolean isEmpty() {
    return misses.isEmpty();
  }

  /** The misses, nearest first. */
  public List<Miss> misses() {
    return List.copyOf(misses);
  }

  /** The nearest distance so far, or Long.MAX_VALUE. */
  public long nearest() {
    return misses.isEmpty() ? Long.MAX_VALUE : misses.get(0).gap();
  }

  /** A parent: the nearer a miss, the likelier (rank r of n with probability about (2(n-r)-1)/n²). */
  Miss pick(SimRandom random) {
    int n = misses.size();
    int a = random.nextInt(n);
    int b = random.nextInt(n);
    return misses.get(Math.min(a, b));
  }
}
