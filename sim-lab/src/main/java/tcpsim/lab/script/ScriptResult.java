package tcpsim.lab.script;

import tcpsim.core.time.Nanos;

/** How a script ended: PASS, FAIL at a line and virtual time, or UNSUPPORTED naming the feature. */
public sealed interface ScriptResult {
  String file();

  /** One line for a report. */
  String describe();

  record Pass(String file) implements ScriptResult {
    @Override
    public String describe() {
      return "PASS         " + file;
    }
  }

  /**
   * {@code line} is 0 when the failure belongs to no line; {@code atNanos} is virtual time since
   * the script's time 0.
   */
  record Fail(String file, int line, String message, long atNanos) implements ScriptResult {
    @Override
    public String describe() {
      return "FAIL         " + file + (line > 0 ? ":" + line : "") + ": " + message + " (at "
          + Nanos.format(atNanos) + ")";
    }
  }

  /** {@code line} is 0 for a script-wide feature (a header option, the lack of a backend). */
  record Unsupported(String file, int line, String feature) implements ScriptResult {
    @Override
    public String describe() {
      return "UNSUPPORTED  " + file + (line > 0 ? ":" + line : "") + ": " + feature;
    }
  }
}
