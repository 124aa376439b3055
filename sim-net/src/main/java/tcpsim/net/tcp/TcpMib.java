package tcpsim.net.tcp;

/**
 * The counters a stack keeps, spelled as {@code nstat} prints them (the kernel's TCP_MIB_* and
 * LINUX_MIB_* in include/uapi/linux/snmp.h, with their "Tcp" / "TcpExt" prefixes). Counted in a
 * {@code long[]} by ordinal, so counting allocates nothing.
 */
public enum TcpMib {
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
  TcpExtTCPLossProbes,
  TcpExtTCPFastRetrans,
  TcpExtTCPChallengeACK,
  TcpExtTCPSYNChallenge,
  TcpExtTCPACKSkippedChallenge,
  TcpExtTCPOutOfWindow,
  TcpExtPAWSEstab,
  TcpExtDelayedACKs,
  TcpExtDelayedACKLost,
  TcpExtTCPAbortOnClose,
  TcpExtTCPAbortOnData,
  TcpExtTCPAbortOnLinger,
  TcpExtTCPAbortOnTimeout;

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
