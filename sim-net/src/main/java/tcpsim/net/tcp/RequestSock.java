package tcpsim.net.tcp;

import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;

/**
 * A pending passive open: Linux's request socket (struct tcp_request_sock, state
 * TCP_NEW_SYN_RECV), kept in the listener's SYN queue until the final ACK makes the child socket.
 * It holds only what the SYN negotiated, not a full control block. Its timer retransmits the
 * SYN-ACK (reqsk_timer_handler) 1 s, 2 s, 4 s ... apart, tcp_synack_retries times.
 */
final class RequestSock implements EventHandler {
  final Listener listener;
  final int remoteAddr;
  final int remotePort;
  final int iss;
  final int irs;
  final int peerMss;
  final int peerWscale;
  final boolean sackOk;
  final boolean tsOk;
  final int tsRecent;
  final int tsOffset;
  final int rcvWnd;
  final int rcvWscale;
  int numTimeout;
  int numRetrans;
  /** The final ACK came while the accept queue was full (inet_rsk(req)->acked). */
  boolean acked;
  long timer = Simulation.NO_EVENT;
  /** When the SYN-ACK last went out, to time the handshake. */
  long synAckSentNanos;
  /**
   * The MSS the child's window is rounded to, or 0 for our MSS less the timestamps
   * (tcp_openreq_init_rwin); a cookie's request uses the MSS the cookie encodes (cookie_v4_check).
   */
  int windowMss;

  RequestSock(Listener listener, int remoteAddr, int remotePort, int iss, int irs, int peerMss,
      int peerWscale, boolean sackOk, boolean tsOk, int tsRecent, int tsOffset, int rcvWnd,
      int rcvWscale) {
    this.listener = listener;
    this.remoteAddr = remoteAddr;
    this.remotePort = remotePort;
    this.iss = iss;
    this.irs = irs;
    this.peerMss = peerMss;
    this.peerWscale = peerWscale;
    this.sackOk = sackOk;
    this.tsOk = tsOk;
    this.tsRecent = tsRecent;
    this.tsOffset = tsOffset;
    this.rcvWnd = rcvWnd;
    this.rcvWscale = rcvWscale;
  }

  /** reqsk_timeout: TCP_TIMEOUT_INIT << num_timeout, at most TCP_RTO_MAX. */
  long timeoutNanos() {
    return TcpTimeouts.synAckTimeoutNanos(numTimeout);
  }

  /** reqsk_queue_hash_req / reqsk_timer_handler: mod_timer(jiffies + timeout), on the wheel. */
  void arm() {
    timer = listener.stack.armTimer(timeoutNanos(), this, 0);
  }

  void cancel(Simulation sim) {
    if (timer != Simulation.NO_EVENT) {
      sim.cancelIfPending(timer);
      timer = Simulation.NO_EVENT;
    }
  }

  @Override
  public void fire(long nowNanos, long arg) {
    timer = Simulation.NO_EVENT;
    listener.synAckTimeout(this);
  }
}
