package tcpsim.lab.script;

/**
 * One line of a back-quoted block. tcpsim runs no shell: it understands the vocabulary of
 * packetdrill test suites and names anything else as unsupported.
 */
public sealed interface Command {
  /** The text as written, for messages. */
  String text();

  /** A script named {@code defaults.sh}: packetdrill's standard test settings. */
  record Defaults(String text) implements Command {}

  /** {@code sysctl -q net.ipv4.NAME=value} or {@code set_sysctls.py /proc/sys/net/ipv4/NAME=value}. */
  record SetSysctl(String text, String name, String value) implements Command {}

  /** {@code tc qdisc ... limit 0}: the local queue drops every packet. */
  record QueueDropsAll(String text) implements Command {}

  /**
   * {@code ss -tan state STATE | grep -q ':PORT'}: succeeds when a socket in STATE (ss's spelling,
   * e.g. {@code time-wait}) has PORT as its local or remote port.
   */
  record SocketStateCheck(String text, String state, int port) implements Command {}

  /** Anything else. */
  record Unsupported(String text) implements Command {}
}
