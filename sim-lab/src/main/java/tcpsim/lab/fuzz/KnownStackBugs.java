package tcpsim.lab.fuzz;

import java.util.Set;
import java.util.TreeSet;

/**
 * Stack bugs the fuzzer has found and steps around until sim-net fixes them, so a campaign goes on
 * finding new ones. Each has a failing-case record in FuzzFindingsTest (disabled, with the exact
 * replay and what Linux does); {@link #NONE} runs with no workaround, to reproduce them.
 *
 * @param ids the bugs stepped around, by id
 */
public record KnownStackBugs(Set<String> ids) {
  /** shutdown() in SYN_SENT: the stack answers ENOTCONN (SHUT_RD) or keeps connecting; Linux disconnects and returns 0. */
  public static final String SHUTDOWN_IN_SYN_SENT = "shutdown-in-syn-sent";

  public static final KnownStackBugs NONE = new KnownStackBugs(Set.of());
  public static final KnownStackBugs ALL = new KnownStackBugs(Set.of(SHUTDOWN_IN_SYN_SENT));

  public KnownStackBugs {
    ids = Set.copyOf(new TreeSet<>(ids));
  }

  public boolean has(String id) {
    return ids.contains(id);
  }
}
