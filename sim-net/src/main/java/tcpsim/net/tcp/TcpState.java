package tcpsim.net.tcp;

/**
 * TCP connection states (RFC 9293 §3.3.2), with the kernel's numeric codes (include/net/tcp_states.h)
 * and the names {@code ss} prints.
 *
 * <p>{@link #NEW_SYN_RECV} is Linux's light request socket: a listener's pending handshake before
 * the final ACK creates the child socket (tcp_conn_request, inet_reqsk_alloc). RFC 9293 has no such
 * state; its SYN-RECEIVED covers both.
 */
public enum TcpState {
  ESTABLISHED(1, "ESTAB"),
  SYN_SENT(2, "SYN-SENT"),
  SYN_RECV(3, "SYN-RECV"),
  FIN_WAIT1(4, "FIN-WAIT-1"),
  FIN_WAIT2(5, "FIN-WAIT-2"),
  TIME_WAIT(6, "TIME-WAIT"),
  /** Linux's TCP_CLOSE: RFC 9293's CLOSED; {@code ss} shows an unconnected socket as UNCONN. */
  CLOSE(7, "UNCONN"),
  CLOSE_WAIT(8, "CLOSE-WAIT"),
  LAST_ACK(9, "LAST-ACK"),
  LISTEN(10, "LISTEN"),
  CLOSING(11, "CLOSING"),
  /** ss shows request sockets as SYN-RECV too. */
  NEW_SYN_RECV(12, "SYN-RECV");

  private final int code;
  private final String ssName;

  TcpState(int code, String ssName) {
    this.code = code;
    this.ssName = ssName;
  }

  /** The kernel's TCP_* value, as tcpi_state reports it. */
  public int code() {
    return code;
  }

  /** The state's name in {@code ss -tan} output. */
  public String ssName() {
    return ssName;
  }

  /**
   * The name used in {@code ss state <name>} filters: {@code established}, {@code syn-sent}, {@code listening},
   * {@code time-wait}, {@code close-wait}, ... ({@code closed} for CLOSE).
   */
  public String ssFilterName() {
    return switch (this) {
      case CLOSE -> "closed";
      case NEW_SYN_RECV -> "syn-recv";
      case FIN_WAIT1 -> "fin-wait-1";
      case FIN_WAIT2 -> "fin-wait-2";
      case LISTEN -> "listening"; // ss(8)'s filter word; "listen" is not one
      default -> name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    };
  }

  /** RFC 9293's synchronized states: a connection exists in both directions' sequence spaces. */
  public boolean isSynchronized() {
    return switch (this) {
      case ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
      default -> false;
    };
  }

  /** The state with this kernel code. */
  public static TcpState ofCode(int code) {
    for (TcpState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("no TCP state has code " + code);
  }
}
