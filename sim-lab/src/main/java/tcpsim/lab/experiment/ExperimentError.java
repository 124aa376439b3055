package tcpsim.lab.experiment;

import java.util.List;

/**
 * An experiment file that cannot be used, with every problem found (up to
 * {@link #MAX_PROBLEMS}), each located at a file, line and column. The only exception the
 * loader throws: its message is the problems, one a line, ready to print without a stack trace.
 */
public final class ExperimentError extends Exception {
  private static final long serialVersionUID = 1L;

  /** At most this many problems are reported; past it, one more line says how many were left. */
  public static final int MAX_PROBLEMS = 50;

  private final transient List<Problem> problems;
  private final int omitted;

  ExperimentError(List<Problem> problems, int omitted) {
    super(render(problems, omitted), null, false, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an ExperimentError needs at least one problem");
    }
    this.problems = List.copyOf(problems);
    this.omitted = omitted;
  }

  ExperimentError(Problem problem) {
    this(List.of(problem), 0);
  }

  private static String render(List<Problem> problems, int omitted) {
    StringBuilder b = new StringBuilder();
    for (Problem p : problems) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(p);
    }
    if (omitted > 0) {
      b.append('\n').append("(").append(omitted).append(" more problem(s) not shown)");
    }
    return b.toString();
  }

  /** Every problem reported, in the order found (a cause before what it causes, e.g. a misspelt key before the missing one). */
  public List<Problem> problems() {
    return problems;
  }

  /** Problems found beyond {@link #MAX_PROBLEMS} and not listed. */
  public int omitted() {
    return omitted;
  }

  /** The first problem's file. */
  public String file() {
    return problems.get(0).file();
  }

  public int line() {
    return problems.get(0).line();
  }

  public int column() {
    return problems.get(0).column();
  }

  public String key() {
    return problems.get(0).key();
  }

  /** The first problem's message, without its location and key. */
  public String detail() {
    return problems.get(0).message();
  }
}
