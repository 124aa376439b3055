package tcpsim.net.link;

import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of one network, past, present and scheduled. Links ask {@link #isCut} for every
 * segment, so the common case (no partition at all) is one size check.
 */
public final class Partitions {
  private final ArrayList<Partition> partitions = new ArrayList<>();

  public void add(Partition partition) {
    partitions.add(partition);
  }

  /** Whether any partition cuts segments from host {@code from} to host {@code to} now. */
  public boolean isCut(String from, String to, long nowNanos) {
    for (int i = 0; i < partitions.size(); i++) {
      if (partitions.get(i).cuts(from, to, nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /** Ends, at {@code nowNanos}, every partition in force; scheduled later windows stay. */
  public void healAll(long nowNanos) {
    for (int i = partitions.size() - 1; i >= 0; i--) {
      if (partitions.get(i).activeAt(nowNanos)) {
        end(i, nowNanos);
      }
    }
  }

  /** Ends, at {@code nowNanos}, the partitions in force that cut between {@code a} and {@code b}. */
  public void heal(String a, String b, long nowNanos) {
    for (int i = partitions.size() - 1; i >= 0; i--) {
      Partition p = partitions.get(i);
      if (p.activeAt(nowNanos) && p.separates(a, b)) {
        end(i, nowNanos);
      }
    }
  }

  private void end(int i, long nowNanos) {
    Partition p = partitions.get(i);
    if (p.fromNanos() == nowNanos) {
      partitions.remove(i); // began this instant: as if it never was
    } else {
      partitions.set(i, p.endingAt(nowNanos));
    }
  }

  public List<Partition> all() {
    return List.copyOf(partitions);
  }
}
