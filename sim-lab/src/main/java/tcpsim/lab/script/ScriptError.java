package tcpsim.lab.script;

/**
 * A script that cannot be read: what was expected and where. Printed as
 * {@code file:line:col: error: message}, never with a stack trace.
 */
public final class ScriptError extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient SourcePos pos;
  private final String detail;

  public ScriptError(SourcePos pos, String detail) {
    super(pos + ": error: " + detail, null, false, false);
    this.pos = pos;
    this.detail = detail;
  }

  public SourcePos pos() {
    return pos;
  }

  public String file() {
    return pos.file();
  }

  public int line() {
    return pos.line();
  }

  public int column() {
    return pos.column();
  }

  /** The message without the location. */
  public String detail() {
    return detail;
  }
}
