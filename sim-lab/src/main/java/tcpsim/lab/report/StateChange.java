package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;
import static tcpsim.lab.report.Checks.checkTimes;

/**
 * An endpoint's TCP state changed at {@code atNanos} (e.g. ESTABLISHED to FIN_WAIT1 because the
 * application called {@code close()}). States are names, spelled as the kernel spells them.
 *
 * @param cause why, in a few words ("close()", "FIN received", "TIME_WAIT timer")
 */
public record StateChange(long atNanos, String lane, String from, String to, String cause) {
  public StateChange {
    checkTimes("state change of " + lane, atNanos, atNanos);
    checkName("state change lane", lane);
    checkName("state change from-state", from);
    checkName("state change to-state", to);
    if (cause == null) {
      throw new IllegalArgumentException("state change cause must not be null (use \"\" for none)");
    }
  }
}
