package tcpsim.net.tcp;

import static tcpsim.net.tcp.TcpState.*;

import java.util.List;

/**
 * The allowed state transitions of a TCP socket, as data: each pair with the RFC 9293 section that
 * describes it and the kernel function that makes it. {@link TcpConnection#setState} refuses any
 * pair not listed here, so a state-machine bug shows up as a named failure instead of a silent
 * wrong state.
 */
public final class TcpTransitions {
  /** One allowed transition. */
  public record Transition(TcpState from, TcpState to, String rfc, String kernel) {}

  /** Every allowed transition. */
  public static final List<Transition> TABLE = List.of(
      t(CLOSE, SYN_SENT, "§3.10.1 OPEN, active", "tcp_v4_connect"),
      t(CLOSE, LISTEN, "§3.10.1 OPEN, passive", "inet_csk_listen_start"),
      t(CLOSE, SYN_RECV, "§3.10.7.2 SYN in LISTEN (child made at the final ACK)",
          "tcp_create_openreq_child"),
      t(LISTEN, CLOSE, "§3.10.4 CLOSE in LISTEN", "inet_csk_listen_stop"),
      t(SYN_SENT, ESTABLISHED, "§3.10.7.3 SYN-ACK in SYN-SENT", "tcp_finish_connect"),
      t(SYN_SENT, SYN_RECV, "§3.10.7.3 SYN in SYN-SENT (simultaneous open)",
          "tcp_rcv_synsent_state_process"),
      t(SYN_SENT, CLOSE, "§3.10.7.3 RST; §3.10.4 CLOSE; §3.8.3 give-up",
          "tcp_reset / tcp_done / tcp_write_timeout"),
      t(SYN_RECV, ESTABLISHED, "§3.10.7.4 fifth, ACK in SYN-RECEIVED", "tcp_rcv_state_process"),
      t(SYN_RECV, FIN_WAIT1, "§3.10.4 CLOSE in SYN-RECEIVED", "tcp_close"),
      t(SYN_RECV, CLOSE_WAIT, "§3.10.7.4 eighth, FIN in SYN-RECEIVED", "tcp_fin"),
      t(SYN_RECV, CLOSE, "§3.10.7.4 RST in SYN-RECEIVED; give-up", "tcp_reset / tcp_write_timeout"),
      t(ESTABLISHED, FIN_WAIT1, "§3.10.4 CLOSE in ESTABLISHED", "tcp_close_state"),
      t(ESTABLISHED, CLOSE_WAIT, "§3.10.7.4 eighth, FIN in ESTABLISHED", "tcp_fin"),
      t(ESTABLISHED, CLOSE, "§3.10.7.4 RST; §3.10.5 ABORT; §3.8.3 give-up",
          "tcp_reset / tcp_disconnect / tcp_write_err"),
      t(FIN_WAIT1, FIN_WAIT2, "§3.10.7.4 fifth, our FIN acknowledged", "tcp_rcv_state_process"),
      t(FIN_WAIT1, CLOSING, "§3.10.7.4 eighth, FIN in FIN-WAIT-1", "tcp_fin"),
      t(FIN_WAIT1, TIME_WAIT, "§3.10.7.4 eighth, FIN acking our FIN", "tcp_fin / tcp_time_wait"),
      t(FIN_WAIT1, CLOSE, "§3.10.7.4 RST; §3.10.5 ABORT; orphan give-up",
          "tcp_reset / tcp_write_timeout"),
      t(FIN_WAIT2, TIME_WAIT, "§3.10.7.4 eighth, FIN in FIN-WAIT-2", "tcp_fin / tcp_time_wait"),
      t(FIN_WAIT2, CLOSE, "§3.10.7.4 RST; orphan tcp_fin_timeout", "tcp_reset / tcp_keepalive_timer"),
      t(CLOSE_WAIT, LAST_ACK, "§3.10.4 CLOSE in CLOSE-WAIT", "tcp_close_state"),
      t(CLOSE_WAIT, CLOSE, "§3.10.7.4 RST; §3.10.5 ABORT", "tcp_reset / tcp_disconnect"),
      t(LAST_ACK, CLOSE, "§3.10.7.4 fifth, our FIN acknowledged; RST", "tcp_rcv_state_process"),
      t(CLOSING, TIME_WAIT, "§3.10.7.4 fifth, our FIN acknowledged", "tcp_rcv_state_process"),
      t(CLOSING, CLOSE, "§3.10.7.4 RST; orphan give-up", "tcp_reset / tcp_write_timeout"),
      t(TIME_WAIT, CLOSE, "§3.10.8 time-wait timeout; RST under tcp_rfc1337=0",
          "inet_twsk_kill / tcp_timewait_state_process"));

  private static final Transition[][] BY_PAIR = index();

  private TcpTransitions() {}

  private static Transition t(TcpState from, TcpState to, String rfc, String kernel) {
    return new Transition(from, to, "RFC 9293 " + rfc, kernel);
  }

  private static Transition[][] index() {
    int n = TcpState.values().length;
    Transition[][] m = new Transition[n][n];
    for (Transition t : TABLE) {
      m[t.from().ordinal()][t.to().ordinal()] = t;
    }
    return m;
  }

  /** The transition from {@code from} to {@code to}, or null when it is not allowed. */
  public static Transition find(TcpState from, TcpState to) {
    return BY_PAIR[from.ordinal()][to.ordinal()];
  }

  /**
   * The transition, or an {@link IllegalStateException} naming the pair and the cause when it is
   * not in the table (a simulator bug, never an application error).
   */
  public static Transition require(TcpState from, TcpState to, String cause) {
    Transition t = find(from, to);
    if (t == null) {
      throw new IllegalStateException("illegal TCP state transition " + from + " -> " + to
          + " (cause: " + cause + ")");
    }
    return t;
  }
}
