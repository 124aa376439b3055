package tcpsim.lab.script;

/**
 * The time column of an event. Times are microseconds; a relative point ({@code +0.1}) counts
 * from the previous event.
 */
public sealed interface Timing {
  /** One point in time: {@code 0.100} (absolute) or {@code +0.100} (relative). */
  record Point(boolean relative, long usecs) {
    @Override
    public String toString() {
      String s = Long.toString(usecs / 1_000_000) + "." + String.format("%06d", usecs % 1_000_000);
      return relative ? "+" + s : s;
    }
  }

  /** The event happens at {@code at}. */
  record At(Point at) implements Timing {
    @Override
    public String toString() {
      return at.toString();
    }
  }

  /** {@code a~b}: an outbound packet may appear anywhere in [a, b]. */
  record Window(Point from, Point to) implements Timing {
    @Override
    public String toString() {
      return from + "~" + to;
    }
  }

  /** {@code *}: an outbound packet may appear at any time (its order still counts). */
  record Any() implements Timing {
    @Override
    public String toString() {
      return "*";
    }
  }

  /**
   * {@code T...E name(args) = r}: a call that starts at T and must return at E; a relative E
   * ({@code +0...+0.5}) counts from T. Events after it count from T, so they may happen while the
   * call blocks.
   */
  record Blocking(Point start, Point end) implements Timing {
    @Override
    public String toString() {
      return start + "..." + end;
    }
  }

  /** No time column (an init or cleanup block): happens right after the previous event. */
  record Untimed() implements Timing {
    @Override
    public String toString() {
      return "";
    }
  }
}
