package tcpsim.lab.experiment;

import java.util.List;

/**
 * One run of a sweep: the swept values, the seed, and the experiment they make.
 *
 * @param index the place in the grid: axes in file order, the first outermost, seeds innermost
 * @param id a name made of the values alone ({@code rate=500-per-s,tcp_tw_reuse=1,seed=1}), so
 *     it stays the same when other values are added to an axis; safe as a file name
 * @param settings the swept values, one per axis, in axis order
 */
public record GridPoint(int index, String id, long seed, List<Setting> settings,
    Experiment experiment) {
  public GridPoint {
    settings = List.copyOf(settings);
  }

  /** A swept parameter set to a value, as the file writes both. */
  public record Setting(String path, String value) {
    @Override
    public String toString() {
      return path + "=" + value;
    }
  }
}
