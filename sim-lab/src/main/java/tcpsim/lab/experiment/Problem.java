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
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + key + ": " + message;
  }
}
