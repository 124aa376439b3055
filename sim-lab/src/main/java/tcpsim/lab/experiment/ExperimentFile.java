package tcpsim.lab.experiment;

import java.util.List;
import java.util.Optional;

/**
 * A checked experiment file: the experiment as written, its seeds, its sweep axes, and the grid
 * they expand to. Without a sweep the grid has one point per seed.
 *
 * @param source the file name errors and reports name
 */
public record ExperimentFile(String source, Experiment base, List<Long> seeds,
    List<SweepAxis> sweep, List<GridPoint> points) {
  public ExperimentFile {
    seeds = List.copyOf(seeds);
    sweep = List.copyOf(sweep);
    points = List.copyOf(points);
  }

  public Optional<GridPoint> point(String id) {
    for (GridPoint p : points) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
