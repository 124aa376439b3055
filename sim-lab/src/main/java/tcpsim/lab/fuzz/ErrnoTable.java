package tcpsim.lab.fuzz;

import java.util.EnumSet;
import java.util.Set;
import tcpsim.net.socket.Errno;
import tcpsim.net.tcp.TcpState;

/**
 * Which errno values Linux 6.x gives for a socket call, by the socket's state just before the
 * call. The fuzzer checks every failed call against this table; a value outside it is a stack
 * bug (or a gap in the table, which the failing case shows either way).
 *
 * <p>Sources: tcp_sendmsg_locked and sk_stream_wait_connect (send), tcp_recvmsg_locked (recv),
 * inet_shutdown (shutdown), sock_error (a pending sk_err is returned once, by whichever call
 * comes first).
 */
public final class ErrnoTable {
  /** What the fuzzer knew about the socket before the call. */
  public record Before(TcpState state, Errno pendingError, boolean sendShutdown, boolean receiveShutdown) {}

  private static final Set<TcpState> SEND_CAN_WAIT = EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV,
      TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
  private static final Set<TcpState> RECV_CAN_WAIT = EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV,
      TcpState.ESTABLISHED, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2);

  private ErrnoTable() {}

  /** send on a non-blocking socket. */
  public static Set<Errno> send(Before b) {
    Set<Errno> ok = EnumSet.noneOf(Errno.class);
    if (b.pendingError() != null) {
      ok.add(b.pendingError()); // sock_error: sk_err first, once
    }
    // tcp_sendmsg_locked: sk_err or SEND_SHUTDOWN -> EPIPE; sk_stream_wait_connect: a state
    // other than SYN_SENT/SYN_RECV -> EPIPE, no time to wait -> EAGAIN; a full buffer -> EAGAIN.
    if (b.sendShutdown() || !SEND_CAN_WAIT.contains(b.state())) {
      ok.add(Errno.EPIPE);
    }
    if (SEND_CAN_WAIT.contains(b.state()) || b.pendingError() != null) {
      ok.add(Errno.EAGAIN);
      ok.add(Errno.EPIPE); // the state may move to CLOSE inside the call's own processing
    }
    return ok;
  }

  /** recv on a non-blocking socket (0 at end of stream is not an error). */
  public static Set<Errno> recv(Before b) {
    Set<Errno> ok = EnumSet.noneOf(Errno.class);
    if (b.pendingError() != null) {
      ok.add(b.pendingError());
    }
    // tcp_recvmsg_locked: RCV_SHUTDOWN -> 0; CLOSE without SOCK_DONE -> ENOTCONN; else EAGAIN.
    if (!b.receiveShutdown() && RECV_CAN_WAIT.contains(b.state())) {
      ok.add(Errno.EAGAIN);
    }
    if (b.state() == TcpState.CLOSE || b.state() == TcpState.LISTEN) {
      ok.add(Errno.ENOTCONN);
    }
    return ok;
  }

  /**
   * shutdown: inet_shutdown gives ENOTCONN in CLOSE only; in SYN_SENT it disconnects the socket
   * (tcp_disconnect) and returns 0, whatever {@code how} is.
   */
  public static Set<Errno> shutdown(Before b) {
    return b.state() == TcpState.CLOSE ? EnumSet.of(Errno.ENOTCONN) : EnumSet.noneOf(Errno.class);
  }

  /** connect on a fresh socket bound to a fixed port: in progress, or the 4-tuple is taken. */
  public static Set<Errno> connect() {
    return EnumSet.of(Errno.EINPROGRESS, Errno.EADDRNOTAVAIL);
  }

  /** bind of a fixed port with SO_REUSEADDR: taken by a listener or a socket without the option. */
  public static Set<Errno> bind() {
    return EnumSet.of(Errno.EADDRINUSE);
  }
}
