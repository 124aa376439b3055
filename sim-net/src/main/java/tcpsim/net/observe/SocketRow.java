package tcpsim.net.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TimeWaitSocket;

/**
 * One socket as {@code ss -tanoi} shows it. A plain record: the TCP stack fills it from its own
 * state (Recv-Q and Send-Q mean what {@code tcp_diag_get_info} reports: for a listener, the
 * accept queue length and the backlog; otherwise unread bytes and unacknowledged-plus-unsent
 * bytes).
 *
 * @param state the socket state
 * @param recvQ Recv-Q
 * @param sendQ Send-Q
 * @param localAddr local IPv4 address (0 for a wildcard bind)
 * @param localPort local port (0 prints as {@code *})
 * @param peerAddr peer IPv4 address (0 when none)
 * @param peerPort peer port (0 prints as {@code *})
 * @param timer the pending timer ({@link SsTimer#OFF} for none)
 * @param timerRemainingNanos virtual time until the timer fires (negative counts as 0)
 * @param retransmits the third timer field: retransmissions for {@code on}, probes sent for
 *     {@code keepalive} and {@code persist}, 0 for {@code timewait}
 * @param info the {@code -i} text after the tab of the second line (e.g. {@code " ts sack cubic
 *     wscale:7,7 rto:204"}), or null; empty for a TIME_WAIT socket, as ss prints it
 */
public record SocketRow(
    SsState state,
    int recvQ,
    int sendQ,
    int localAddr,
    int localPort,
    int peerAddr,
    int peerPort,
    SsTimer timer,
    long timerRemainingNanos,
    int retransmits,
    String info) {

  public SocketRow {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(timer, "timer");
    if (recvQ < 0 || sendQ < 0) {
      throw new IllegalArgumentException("queues must be >= 0, were Recv-Q " + recvQ
          + ", Send-Q " + sendQ);
    }
    if (localPort < 0 || localPort > 0xffff || peerPort < 0 || peerPort > 0xffff) {
      throw new IllegalArgumentException("ports must be in [0, 65535], were " + localPort
          + " and " + peerPort);
    }
    if (retransmits < 0) {
      throw new IllegalArgumentException("retransmits must be >= 0, was " + retransmits);
    }
  }

  /**
   * A simulated stack's sockets as {@code ss -tano} lists them: each connection and listener
   * with the timer inet_diag reports for it (retransmission {@code on}, {@code keepalive},
   * {@code persist}; never the delayed ACK), then each TIME-WAIT or orphan FIN-WAIT-2 entry
   * with its {@code timewait} timer. Remaining times count from the current jiffy to the
   * kernel's expiry, as inet_diag does.
   */
  public static List<SocketRow> of(TcpStack stack) {
    List<SocketRow> rows = new ArrayList<>();
    for (TcpConnection c : stack.sockets()) {
      SocketRow row = of(SsState.ofKernelCode(c.state().code()), c.readableBytes(),
          c.unackedBytes(), c.localAddress(), c.localPort(), c.remoteAddress(), c.remotePort());
      int timer = c.diagTimer();
      rows.add(timer == 0 ? row : row.withTimer(SsTimer.ofDiagCode(timer),
          c.diagTimerRemainingNanos(), c.diagRetrans()));
    }
    for (TimeWaitSocket tw : stack.timeWaitSockets()) {
      if (tw.alive()) {
        rows.add(of(SsState.ofKernelCode(tw.state().code()), 0, 0, tw.localAddress(),
            tw.localPort(), tw.remoteAddress(), tw.remotePort())
            .withTimer(SsTimer.TIMEWAIT, tw.diagTimerRemainingNanos(), 0));
      }
    }
    return rows;
  }

  /** A row without a timer or {@code -i} text. */
  public static SocketRow of(SsState state, int recvQ, int sendQ, int localAddr, int localPort,
      int peerAddr, int peerPort) {
    return new SocketRow(state, recvQ, sendQ, localAddr, localPort, peerAddr, peerPort,
        SsTimer.OFF, 0, 0, null);
  }

  /** The same row with a timer. */
  public SocketRow withTimer(SsTimer kind, long remainingNanos, int retransmitCount) {
    return new SocketRow(state, recvQ, sendQ, localAddr, localPort, peerAddr, peerPort, kind,
        remainingNanos, retransmitCount, info);
  }

  /** The same row with {@code -i} text. */
  public SocketRow withInfo(String text) {
    return new SocketRow(state, recvQ, sendQ, localAddr, localPort, peerAddr, peerPort, timer,
        timerRemainingNanos, retransmits, text);
  }
}
