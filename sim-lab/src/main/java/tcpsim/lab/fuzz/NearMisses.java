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
 * <p>At most {@link #SIZE} misses are kept per niche, one per distance (the latest case to reach
 * it), nearest first; ties and order follow case indices, so the set is the same for any number of
 * jobs.
 */
public final class NearMisses {
  /** How many misses are kept per niche. */
  public static final int SIZE = 16;

  /**
   * A near miss: its distance, where it came nearest (null below the window tier), the case it
   * came from, and the swarm mask and choices that make it.
   */
  public record Miss(long gap, String where, int caseIndex, long mask, long[] choices) {}

  /**
   * Two niches, the misses at the client's connections and at the server's: the ends give old
   * copies different ACK ranges to hit (a client that only reads takes no ACK but its SND.NXT), so
   * one end's misses can crowd out the other's, nearer to zero but never at it.
   */
  private final List<List<Miss>> niches = List.of(new ArrayList<>(), new ArrayList<>());

  /**
   * Adds a case's miss at {@code niche} (0 client, 1 server); cases must come in index order. A
   * case with no reconnect after data is not a miss.
   */
  void add(int niche, long gap, String where, int caseIndex, long mask, long[] choices) {
    if (gap == Long.MAX_VALUE) {
      return;
    }
    List<Miss> misses = niches.get(niche);
    int at = 0;
    while (at < misses.size() && misses.get(at).gap() < gap) {
      at++;
    }
    if (at == SIZE) {
      return;
    }
    if (at < misses.size() && misses.get(at).gap() == gap) {
      // The later case takes the place: a search on a plateau (the copies fall on whole segments,
      // so many changes leave the distance as it was) drifts instead of standing still.
      misses.set(at, new Miss(gap, where, caseIndex, mask, choices));
      return;
    }
    misses.add(at, new Miss(gap, where, caseIndex, mask, choices));
    if (misses.size() > SIZE) {
      misses.remove(SIZE);
    }
  }

  public boolean isEmpty() {
    return niches.get(0).isEmpty() && niches.get(1).isEmpty();
  }

  /** The nearest miss of all (the client's on a tie), or null. */
  public Miss nearest() {
    Miss best = null;
    for (List<Miss> misses : niches) {
      if (!misses.isEmpty() && (best == null || misses.get(0).gap() < best.gap())) {
        best = misses.get(0);
      }
    }
    return best;
  }

  /**
   * A parent: a niche at random (of those with misses), then the nearest of three of its misses
   * drawn at random, so the nearest is the likeliest.
   */
  Miss pick(SimRandom random) {
    List<Miss> misses = niches.get(niches.get(0).isEmpty() ? 1 : niches.get(1).isEmpty() ? 0 : random.nextInt(2));
    int n = misses.size();
    return misses.get(Math.min(random.nextInt(n), Math.min(random.nextInt(n), random.nextInt(n))));
  }
}
