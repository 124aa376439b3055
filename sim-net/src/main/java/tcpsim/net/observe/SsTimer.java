package tcpsim.net.observe;

/**
 * The socket timer {@code ss -o} shows, as inet_diag reports it in {@code idiag_timer}
 * ({@code inet_sk_diag_fill} in net/ipv4/inet_diag.c) and ss names it ({@code tmr_name}).
 */
public enum SsTimer {
  /** No timer pending: ss prints nothing. */
  OFF(0, "off"),
  /** Retransmission, loss-probe or reordering timer ({@code ICSK_TIME_RETRANS} and kin). */
  ON(1, "on"),
  /** The keepalive timer ({@code sk_timer}). */
  KEEPALIVE(2, "keepalive"),
  /** A TIME_WAIT socket's (or FIN_WAIT2 timewait socket's) lifetime. */
  TIMEWAIT(3, "timewait"),
  /** The zero-window probe timer ({@code ICSK_TIME_PROBE0}). */
  PERSIST(4, "persist");

  private final int diagCode;
  private final String ssName;

  SsTimer(int diagCode, String ssName) {
    this.diagCode = diagCode;
    this.ssName = ssName;
  }

  /** The timer for an {@code idiag_timer} value; ss prints codes above 4 as "unknown". */
  public static SsTimer ofDiagCode(int code) {
    for (SsTimer t : values()) {
      if (t.diagCode == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("no ss timer has idiag_timer code " + code);
  }

  /** {@code idiag_timer}'s value. */
  public int diagCode() {
    return diagCode;
  }

  public String ssName() {
    return ssName;
  }
}
