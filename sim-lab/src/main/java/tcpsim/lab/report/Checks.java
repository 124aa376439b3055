package tcpsim.lab.report;

/** Argument checks shared by the trace records; messages name the broken rule and the bad value. */
final class Checks {
  private Checks() {}

  static void checkName(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be a non-blank string, got "
          + (value == null ? "null" : "\"" + value + "\""));
    }
  }

  static void checkTimes(String what, long startNanos, long endNanos) {
    if (startNanos < 0) {
      throw new IllegalArgumentException(what + ": start time " + startNanos + " ns is negative");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(what + ": end time " + endNanos
          + " ns is before start time " + startNanos + " ns");
    }
  }
}
