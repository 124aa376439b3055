package tcpsim.lab.fuzz;

import java.util.Set;
import java.util.TreeSet;

/**
 * Stack bugs the fuzzer has found and steps around until sim-net fixes them, so a campaign goes on
 * finding new ones. Each has a failing-case record in FuzzFindingsTest (disabled, with the exact
 * replay and what Linux does); {@link #NONE} runs with no workaround, to reproduce them. A fixed
 * bug's id goes, and its record stays as a regression case (specs/fuzz/stack-bugs/).
 *
 * @param ids the bugs stepped around, by id
 */
public record KnownStackBugs(Set<String> ids) {
  public static final KnownStackBugs NONE = new KnownStackBugs(Set.of());
  /**
   * Every bug stepped around by default. Empty now: orphan-without-timer (an orphan owing data or
   * a FIN to a closed window with no timer pending) was fixed in sim-net's persist timer.
   */
  public static final KnownStackBugs ALL = new KnownStackBugs(Set.of());

  public KnownStackBugs {
    ids = Set.copyOf(new TreeSet<>(ids));
  }

  public boolean has(String id) {
    return ids.contains(id);
  }
}
