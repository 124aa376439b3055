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
  LOSS
}
