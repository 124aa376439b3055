package tcpsim.net.observe;

/**
 * TCP socket states as {@code ss} names them (the {@code sstate_name} table of iproute2's
 * misc/ss.c), with the kernel's state numbers ({@code TCP_ESTABLISHED} = 1 ... {@code
 * TCP_CLOSING} = 11, include/net/tcp_states.h) and the lower-case names {@code ss state NAME}
 * accepts.
 */
public enum SsState {
  ESTABLISHED(1, "ESTAB", "established"),
  SYN_SENT(2, "SYN-SENT", "syn-sent"),
  SYN_RECV(3, "SYN-RECV", "syn-recv"),
  FIN_WAIT1(4, "FIN-WAIT-1", "fin-wait-1"),
  FIN_WAIT2(5, "FIN-WAIT-2", "fin-wait-2"),
  TIME_WAIT(6, "TIME-WAIT", "time-wait"),
  CLOSE(7, "UNCONN", "unconnected"),
  CLOSE_WAIT(8, "CLOSE-WAIT", "close-wait"),
  LAST_ACK(9, "LAST-ACK", "last-ack"),
  LISTEN(10, "LISTEN", "listening"),
  CLOSING(11, "CLOSING", "closing");

  private final int kernelCode;
  private final String ssName;
  private final String filterName;

  SsState(int kernelCode, String ssName, String filterName) {
    this.kernelCode = kernelCode;
    this.ssName = ssName;
    this.filterName = filterName;
  }

  /**
   * The state for a kernel {@code TCP_*} number; 12 ({@code TCP_NEW_SYN_RECV}, a listener's
   * request socket) is shown by ss as SYN-RECV.
   *
   * @throws IllegalArgumentException for a number that is not a TCP state
   */
  public static SsState ofKernelCode(int code) {
    if (code == 12) {
      return SYN_RECV;
    }
    for (SsState s : values()) {
      if (s.kernelCode == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("no TCP state has kernel code " + code
        + " (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12)");
  }

  /** The kernel's {@code TCP_*} state number. */
  public int kernelCode() {
    return kernelCode;
  }

  /** The State column's spelling: {@code ESTAB}, {@code TIME-WAIT}, ... */
  public String ssName() {
    return ssName;
  }

  /** The name {@code ss state NAME} takes: {@code established}, {@code time-wait}, ... */
  public String filterName() {
    return filterName;
  }
}
