package tcpsim.net.wire;

/**
 * Why a segment was dropped, by the network or by a TCP stack. Spelled as the kernel's
 * {@code SKB_DROP_REASON_*} (include/net/dropreason-core.h) where the kernel has the reason;
 * network faults that only a simulator stages (netem loss, a rule, a partition) have their own.
 */
public enum DropReason {
  // The network's reasons.
  /** netem's random loss on a link. */
  NETEM_LOSS,
  /** The link's queue was full (tail drop; the kernel's QDISC_DROP). */
  QDISC_DROP,
  /** A link rule staged this drop. */
  LINK_RULE,
  /** A partition cut the path. */
  PARTITION,
  /** The segment would have outlived the maximum segment lifetime. */
  MSL_EXPIRED,
  /** The sending or receiving host is crashed. */
  HOST_DOWN,
  /** No link leads to the destination address. */
  NO_ROUTE,
  /** Corrupted on the link; the receiver's checksum check drops it (TCP_CSUM, counted as TcpInCsumErrors). */
  TCP_CSUM,

  // A TCP stack's reasons (tcp_v4_rcv, tcp_validate_incoming, tcp_rcv_state_process, ...).
  /** No socket matched and no RST is sent (e.g. the segment was itself a RST). */
  NO_SOCKET,
  TCP_FLAGS,
  TCP_ZEROWINDOW,
  TCP_OLD_DATA,
  TCP_OVERWINDOW,
  TCP_OFOMERGE,
  TCP_RFC7323_PAWS,
  /** PAWS refused an old pure ACK, which gets no duplicate ACK (Linux 6.14+). */
  TCP_RFC7323_PAWS_ACK,
  /** PAWS rejected a segment for a TIME-WAIT entry (Linux 6.15+; before, TCP_RFC7323_PAWS). */
  TCP_RFC7323_TW_PAWS,
  TCP_OLD_SEQUENCE,
  TCP_INVALID_SEQUENCE,
  TCP_INVALID_ACK_SEQUENCE,
  TCP_RESET,
  TCP_INVALID_SYN,
  TCP_CLOSE,
  TCP_FASTOPEN,
  TCP_OLD_ACK,
  TCP_TOO_OLD_ACK,
  TCP_ACK_UNSENT_DATA,
  TCP_OFO_QUEUE_PRUNE,
  TCP_OFO_DROP,
  TCP_MINTTL,
  TCP_LISTEN_OVERFLOW,
  TCP_REQQFULLDROP,
  TCP_ABORT_ON_DATA,
  SOCKET_RCVBUFF,
  PROTO_MEM,
  /**
   * The kernel's catch-all (SKB_DROP_REASON_NOT_SPECIFIED): e.g. text arriving at or past RCV.NXT
   * after the peer's FIN, which tcp_rcv_state_process discards.
   */
  NOT_SPECIFIED,
  /** A socket-level filter or a simulator rule on the host. */
  SOCKET_FILTER
}
