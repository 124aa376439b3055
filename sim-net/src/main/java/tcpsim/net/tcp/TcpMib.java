package tcpsim.net.tcp;

/**
 * The counters a stack keeps, spelled as {@code nstat} prints them (the kernel's TCP_MIB_* and
 * LINUX_MIB_* in include/uapi/linux/snmp.h, with their "Tcp" / "TcpExt" prefixes). Counted in a
 * {@code long[]} by ordinal, so counting allocates nothing.
 */
public enum TcpMib {
  /** tcp_connect: one per connect() that sends its first SYN. */
  TcpActiveOpens,
  /** tcp_create_openreq_child: one per child the final ACK (or a valid cookie) creates. */
  TcpPassiveOpens,
  /** tcp_set_state: a move to CLOSE from ESTABLISHED or CLOSE_WAIT. */
  TcpEstabResets,
  TcpInSegs,
  TcpOutSegs,
  TcpRetransSegs,
  TcpOutRsts,
  TcpExtListenOverflows,
  TcpExtListenDrops,
  TcpExtTCPReqQFullDrop,
  TcpExtSyncookiesSent,
  TcpExtSyncookiesRecv,
  TcpExtSyncookiesFailed,
  TcpExtTCPSynAckTimeouts,
  TcpExtTCPTimeouts,
  /** A loss recovery undone (tcp_try_undo_loss: LINUX_MIB_TCPLOSSUNDO). */
  TcpExtTCPLossUndo,
  TcpExtTCPLossProbes,
  TcpExtTCPFastRetrans,
  /** tcp_mark_skb_lost: a retransmission in flight found lost again (LINUX_MIB_TCPLOSTRETRANSMIT). */
  TcpExtTCPLostRetransmit,
  TcpExtTCPChallengeACK,
  TcpExtTCPSYNChallenge,
  TcpExtTCPACKSkippedChallenge,
  /** LINUX_MIB_TCPACKSKIPPEDSEQ: rate-limited duplicate ACKs to out-of-window segments. */
  TcpExtTCPACKSkippedSeq,
  /** LINUX_MIB_TCPACKSKIPPEDPAWS: rate-limited duplicate ACKs to segments PAWS refused. */
  TcpExtTCPACKSkippedPAWS,
  TcpExtTCPOutOfWindow,
  TcpExtPAWSEstab,
  /** LINUX_MIB_PAWSACTIVEREJECTED: SYN-ACKs whose TS ecr no SYN of the connection carried. */
  TcpExtPAWSActive,
  /** LINUX_MIB_PAWS_OLD_ACK (Linux 6.14+): old pure ACKs PAWS refused, without a duplicate ACK. */
  TcpExtPAWSOldAck,
  /**
   * LINUX_MIB_PAWS_TW_REJECTED (Linux 6.15+): segments TIME-WAIT dropped as old duplicates by
   * PAWS (tcp_timewait_state_process); earlier kernels counted them as PAWSEstab.
   */
  TcpExtPAWSTimewait,
  TcpExtDelayedACKs,
  TcpExtDelayedACKLost,
  TcpExtTCPAbortOnClose,
  TcpExtTCPAbortOnData,
  TcpExtTCPAbortOnLinger,
  TcpExtTCPAbortOnTimeout,
  /** tcp_keepalive_timer -> tcp_write_wakeup: one per keepalive probe sent. */
  TcpExtTCPKeepAlive,
  /** LINUX_MIB_TCPSYNRETRANS: SYN and SYN-ACK retransmissions (__tcp_retransmit_skb). */
  TcpExtTCPSynRetrans,
  /** LINUX_MIB_TIMEWAITED: TIME-WAIT entries that ran their full time (tw_timer_handler). */
  TcpExtTW,
  /** LINUX_MIB_TIMEWAITRECYCLED: TIME-WAIT entries taken over by connect (tcp_tw_reuse). */
  TcpExtTWRecycled,
  /** LINUX_MIB_TCPTIMEWAITOVERFLOW: sockets that skipped TIME-WAIT (tcp_max_tw_buckets). */
  TcpExtTCPTimeWaitOverflow,
  /** LINUX_MIB_TCPACKSKIPPEDTIMEWAIT: rate-limited out-of-window ACKs from TIME-WAIT. */
  TcpExtTCPACKSkippedTimeWait,
  /** TCP_MIB_ATTEMPTFAILS: handshakes that failed (a RST or SYN to a request, tcp_check_req). */
  TcpAttemptFails,
  /** LINUX_MIB_EMBRYONICRSTS: requests dropped by an in-window RST (tcp_check_req). */
  TcpExtEmbryonicRsts;

  /** The counter named {@code name}, or null. */
  public static TcpMib byName(String name) {
    for (TcpMib m : values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
