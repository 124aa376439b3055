package tcpsim.net.wire;

/** TCP header flags as the bits of an {@code int}, in the header's own bit positions (RFC 9293 §3.1). */
public final class TcpFlags {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;

  private TcpFlags() {}

  public static boolean has(int flags, int bit) {
    return (flags & bit) != 0;
  }

  /** packetdrill's spelling: {@code S.} for SYN-ACK, {@code P.} for PSH-ACK, {@code .} for a bare ACK. */
  public static String packetdrill(int flags) {
    StringBuilder b = new StringBuilder(4);
    if (has(flags, SYN)) b.append('S');
    if (has(flags, FIN)) b.append('F');
    if (has(flags, RST)) b.append('R');
    if (has(flags, PSH)) b.append('P');
    if (has(flags, URG)) b.append('U');
    if (has(flags, ECE)) b.append('E');
    if (has(flags, CWR)) b.append('W');
    if (has(flags, ACK)) b.append('.');
    return b.length() == 0 ? "-" : b.toString();
  }

  /**
   * tcpdump's spelling inside {@code Flags [...]}, in tcpdump's bit order F S R P . U E W
   * (print-tcp.c's tcp_flag_values): {@code S.}, {@code P.}, {@code F.}, {@code R}, {@code S.E}.
   */
  public static String tcpdump(int flags) {
    StringBuilder b = new StringBuilder(8);
    if (has(flags, FIN)) b.append('F');
    if (has(flags, SYN)) b.append('S');
    if (has(flags, RST)) b.append('R');
    if (has(flags, PSH)) b.append('P');
    if (has(flags, ACK)) b.append('.');
    if (has(flags, URG)) b.append('U');
    if (has(flags, ECE)) b.append('E');
    if (has(flags, CWR)) b.append('W');
    return b.length() == 0 ? "none" : b.toString();
  }
}
