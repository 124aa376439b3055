package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;
import static tcpsim.lab.report.Checks.checkTimes;

/**
 * One arming of one timer on one lane, from {@code startNanos} until it fired, was cancelled, or
 * the run ended with it still pending.
 *
 * @param backoff how many times this timer had already expired in a row (the retransmission
 *     count {@code ss} prints last in {@code timer:(on,200ms,2)}); 0 for most timers
 */
public record TimerSpan(String lane, TimerKind kind, long startNanos, long endNanos, Outcome outcome, int backoff) {
  /** How a timer's span ended. */
  public enum Outcome {
    FIRED,
    CANCELLED,
    /** Still armed when the run ended. */
    PENDING
  }

  public TimerSpan {
    checkName("timer lane", lane);
    if (kind == null || outcome == null) {
      throw new IllegalArgumentException("timer on " + lane + ": kind and outcome must not be null");
    }
    checkTimes(kind + " timer on " + lane, startNanos, endNanos);
    if (backoff < 0) {
      throw new IllegalArgumentException(kind + " timer on " + lane + ": backoff " + backoff + " is negative");
    }
  }

  public static TimerSpan fired(String lane, TimerKind kind, long startNanos, long firedNanos) {
    return new TimerSpan(lane, kind, startNanos, firedNanos, Outcome.FIRED, 0);
  }

  public static TimerSpan cancelled(String lane, TimerKind kind, long startNanos, long cancelledNanos) {
    return new TimerSpan(lane, kind, startNanos, cancelledNanos, Outcome.CANCELLED, 0);
  }

  /** The same span with a retransmission count, for the bar's label. */
  public TimerSpan withBackoff(int count) {
    return new TimerSpan(lane, kind, startNanos, endNanos, outcome, count);
  }
}
