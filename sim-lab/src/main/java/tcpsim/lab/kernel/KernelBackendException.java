package tcpsim.lab.kernel;

/**
 * The kernel backend could not be set up or lost its helper: the machine's fault or the
 * environment's, never the script's. Its message says what failed.
 */
public final class KernelBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KernelBackendException(String message) {
    super(message);
  }

  public KernelBackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
