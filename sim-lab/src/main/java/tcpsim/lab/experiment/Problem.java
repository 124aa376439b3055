package tcpsim.lab.experiment;

/**
 * One thing wrong with an experiment file, where it is, and what would be right. Printed as
 * {@code file:line:column: key: message}; the message says what is wrong and, after a
 * semicolon, the valid choices or units.
 *
 * @param key the dotted path of the offending key ({@code hosts.client.fd_limit}), or
 *     {@code (yaml)} for a syntax error
 */
public record Problem(String file, int line, int column, String key, String message) {
  /** Keeps a problem on one printable line whatever the file held: control characters escaped. */
  public Problem {
    key = printable(key);
    message = printable(message);
  }

  static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      String escape = switch (ch) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff'
            ? String.format("\\u%04x", (int) ch) : null;
      };
      if (escape != null && b == null) {
        b = new StringBuilder(s.substring(0, i));
      }
      if (b != null) {
        if (escape != null) {
          b.append(escape);
        } else {
          b.append(ch);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + key + ": " + message;
  }
}
