package tcpsim.net.tcp;

/** The sender's congestion-avoidance state machine, as Linux's TCP_CA_* (include/net/tcp.h). */
public enum CaState {
  /** Nothing suspicious. */
  OPEN,
  /** Duplicate ACKs or SACKs seen, not yet a loss. */
  DISORDER,
  /** Fast recovery after a fast retransmit (RFC 6675 / RFC 6582). */
  RECOVERY,
  /** After a retransmission timeout: everything outstanding is presumed lost. */
  LOSS;

  /**
   * Linux's number for the state, as tcp_info's tcpi_ca_state reports it (enum tcp_ca_state in
   * include/uapi/linux/tcp.h: Open 0, Disorder 1, CWR 2, Recovery 3, Loss 4; CWR, for ECN, is not
   * modelled).
   */
  public int linuxValue() {
    return switch (this) {
      case OPEN -> 0;
      case DISORDER -> 1;
      case RECOVERY -> 3;
      case LOSS -> 4;
    };
  }
}
