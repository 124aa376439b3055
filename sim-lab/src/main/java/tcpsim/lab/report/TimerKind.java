package tcpsim.lab.report;

/**
 * The kinds of per-socket timer the report draws, with the word {@code ss -o} shows for each
 * ({@code timer:(on,...)}, {@code timer:(timewait,...)}, ...).
 */
public enum TimerKind {
  /** Retransmission timer (RFC 6298; kernel {@code tcp_retransmit_timer}); ss: "on". */
  RETRANSMIT("on", "RTO"),
  /** Zero-window probe timer (RFC 9293 §3.8.6.1; kernel {@code tcp_probe_timer}); ss: "persist". */
  PERSIST("persist", "persist"),
  /** Keepalive timer (RFC 1122 §4.2.3.6; kernel {@code tcp_keepalive_timer}); ss: "keepalive". */
  KEEPALIVE("keepalive", "keepalive"),
  /** Orphaned FIN_WAIT2 timeout, {@code net.ipv4.tcp_fin_timeout} (Linux runs it on the keepalive timer). */
  FIN_WAIT2("keepalive", "FIN_WAIT2"),
  /** Delayed acknowledgement (RFC 1122 §4.2.3.2; kernel {@code tcp_delack_timer}). */
  DELAYED_ACK("delack", "delack"),
  /** TIME_WAIT, 2*MSL (RFC 9293 §3.6; Linux TCP_TIMEWAIT_LEN = 60 s); ss: "timewait". */
  TIME_WAIT("timewait", "TIME_WAIT");

  private final String ssName;
  private final String shortName;

  TimerKind(String ssName, String shortName) {
    this.ssName = ssName;
    this.shortName = shortName;
  }

  /** The word in {@code ss -o}'s {@code timer:(...)} column. */
  public String ssName() {
    return ssName;
  }

  /** The word drawn beside the timer's bar. */
  public String shortName() {
    return shortName;
  }
}
