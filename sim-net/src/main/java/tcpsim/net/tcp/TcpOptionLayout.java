package tcpsim.net.tcp;

import tcpsim.net.wire.TcpOptions;

/**
 * The option lists Linux writes, in its order (tcp_options_write in net/ipv4/tcp_output.c):
 * MSS first; SACK-permitted packed with the timestamp as {@code sackOK,TS} when both are on
 * (else {@code nop,nop,TS} or {@code nop,nop,sackOK}); then {@code nop,wscale}; on later segments
 * {@code nop,nop,TS} and then {@code nop,nop,sack ...}.
 */
public final class TcpOptionLayout {
  private TcpOptionLayout() {}

  /**
   * A SYN's or SYN-ACK's options (tcp_syn_options / tcp_synack_options, both laid out by
   * tcp_options_write): {@code mss 1460,sackOK,TS val X ecr Y,nop,wscale 7} with everything on.
   *
   * @param wscale the shift to offer, or -1 to offer no window scaling
   */
  public static TcpOptions syn(int mss, boolean sack, boolean timestamps, int tsVal, int tsEcr,
      int wscale) {
    TcpOptions.Builder b = TcpOptions.builder().mss(mss);
    if (timestamps) {
      if (sack) {
        b.sackPermitted();
      } else {
        b.nop().nop();
      }
      b.timestamp(tsVal, tsEcr);
    } else if (sack) {
      b.nop().nop().sackPermitted();
    }
    if (wscale >= 0) {
      b.nop().windowScale(wscale);
    }
    return b.build();
  }

  /**
   * Options of a segment after the handshake (tcp_established_options): {@code nop,nop,TS} when
   * timestamps were negotiated, then {@code nop,nop,sack a:b ...} with up to 4 blocks (3 beside a
   * timestamp, which is all 40 bytes allow).
   *
   * @param sackBlocks (start, end) pairs, most recent first; length 0 for none
   */
  public static TcpOptions established(boolean timestamps, int tsVal, int tsEcr, int[] sackBlocks,
      int sackPairs) {
    if (!timestamps && sackPairs == 0) {
      return TcpOptions.NONE;
    }
    TcpOptions.Builder b = TcpOptions.builder();
    if (timestamps) {
      b.nop().nop().timestamp(tsVal, tsEcr);
    }
    int max = timestamps ? 3 : 4;
    int n = Math.min(sackPairs, max);
    if (n > 0) {
      int[] pairs = new int[2 * n];
      System.arraycopy(sackBlocks, 0, pairs, 0, 2 * n);
      b.nop().nop().sack(pairs);
    }
    return b.build();
  }
}
