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
  /**
   * After the peer's window closed, data or a FIN still owed to the peer is never sent or
   * retransmitted: no timer is armed, and the orphan stays in FIN_WAIT1 or LAST_ACK for ever.
   * Linux keeps the persist timer (or the RTO, once data is out: tcp_event_new_data_sent) running
   * and an orphan gives up after tcp_orphan_retries (tcp_probe_timer, tcp_write_timeout). Stepped
   * around by letting the leak check pass an orphan in FIN_WAIT1, CLOSING or LAST_ACK when no
   * timer at all is pending.
   */
  public static final String ORPHAN_WITHOUT_TIMER = "orphan-without-timer";

  public static final KnownStackBugs NONE = new KnownStackBugs(Set.of());
  public static final KnownStackBugs ALL = new KnownStackBugs(Set.of(ORPHAN_WITHOUT_TIMER));

  public KnownStackBugs {
    ids = Set.copyOf(new TreeSet<>(ids));
  }

  public boolean has(String id) {
    return ids.contains(id);
  }
}
