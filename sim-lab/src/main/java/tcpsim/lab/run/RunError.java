package tcpsim.lab.run;

/**
 * An experiment that loaded but cannot be run by this version of tcpsim, e.g. a workload kind
 * the library does not have yet. Its message is ready to print, without a stack trace.
 */
public final class RunError extends Exception {
  private static final long serialVersionUID = 1L;

  public RunError(String message) {
    super(message, null, false, false);
  }
}
