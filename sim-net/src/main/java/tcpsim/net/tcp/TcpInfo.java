package tcpsim.net.tcp;

/**
 * A snapshot of a connection, shaped after Linux's struct tcp_info (getsockopt TCP_INFO,
 * tcp_get_info in net/ipv4/tcp.c). Times are microseconds, as tcp_info reports them; windows
 * and cwnd in segments where Linux uses segments.
 */
public record TcpInfo(
    TcpState state,
    CaState caState,
    int retransmits,
    int probes,
    int backoff,
    long rtoMicros,
    long atoMicros,
    int sndMss,
    int rcvMss,
    int unacked,
    int sacked,
    int lost,
    int retrans,
    long rttMicros,
    long rttvarMicros,
    int sndSsthresh,
    int sndCwnd,
    int reordering,
    int totalRetrans,
    int sndWnd,
    int rcvWnd,
    int notsentBytes,
    long bytesAcked,
    long bytesReceived,
    int segsOut,
    int segsIn) {

  /** The value of a tcp_info field by its C name ({@code tcpi_rto}, {@code tcpi_snd_cwnd}, ...). */
  public long field(String name) {
    return switch (name) {
      case "tcpi_state" -> state.code();
      case "tcpi_ca_state" -> caState.linuxValue();
      case "tcpi_retransmits" -> retransmits;
      case "tcpi_probes" -> probes;
      case "tcpi_backoff" -> backoff;
      case "tcpi_rto" -> rtoMicros;
      case "tcpi_ato" -> atoMicros;
      case "tcpi_snd_mss" -> sndMss;
      case "tcpi_rcv_mss" -> rcvMss;
      case "tcpi_unacked" -> unacked;
      case "tcpi_sacked" -> sacked;
      case "tcpi_lost" -> lost;
      case "tcpi_retrans" -> retrans;
      case "tcpi_rtt" -> rttMicros;
      case "tcpi_rttvar" -> rttvarMicros;
      case "tcpi_snd_ssthresh" -> sndSsthresh;
      case "tcpi_snd_cwnd" -> sndCwnd;
      case "tcpi_reordering" -> reordering;
      case "tcpi_total_retrans" -> totalRetrans;
      case "tcpi_snd_wnd" -> sndWnd;
      case "tcpi_rcv_wnd" -> rcvWnd;
      case "tcpi_notsent_bytes" -> notsentBytes;
      case "tcpi_bytes_acked" -> bytesAcked;
      case "tcpi_bytes_received" -> bytesReceived;
      case "tcpi_segs_out" -> segsOut;
      case "tcpi_segs_in" -> segsIn;
      default -> throw new IllegalArgumentException("unknown tcp_info field '" + name + "'");
    };
  }
}
