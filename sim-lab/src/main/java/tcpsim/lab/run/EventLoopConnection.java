package tcpsim.lab.run;

import static tcpsim.net.socket.PollEvents.EPOLLERR;
import static tcpsim.net.socket.PollEvents.EPOLLHUP;
import static tcpsim.net.socket.PollEvents.EPOLLIN;
import static tcpsim.net.socket.PollEvents.EPOLLOUT;
import static tcpsim.net.socket.PollEvents.EPOLLRDHUP;

import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SysResult;
import tcpsim.net.tcp.TcpState;

/**
 * One non-blocking connection driven as an epoll event loop drives it, the loop of the fuzzer's
 * {@code send-all}, {@code read-to-eof-close} and {@code echo-to-eof-close} (FuzzWorld.pump),
 * so an experiment makes the same calls at the same instants as a fuzz case: an output buffer
 * written as far as the socket takes it (then, if asked, shutdown(SHUT_WR)); every byte that
 * arrives read at once, and with {@code echo} added to the output buffer; close(2) at the end of
 * the stream or on an error, once the output buffer is empty (an echo writes what it owes first).
 * Between passes the loop waits for the next readiness edge ({@link SocketApi#onReady}).
 */
final class EventLoopConnection {
  /** The most one send(2) or recv(2) moves, as FuzzWorld.RECV_MAX. */
  static final int IO_MAX = 1 << 18;

  private final AppProcess process;
  private final AppProcess.Conn conn;
  private final boolean echo;
  private final Runnable closed;
  /** Where reads land (the process's buffer, shared by its connections: a pass reads and is done). */
  private final byte[] in;
  /** Bytes the application still has to write (its output buffer). */
  private long toWrite;
  private boolean shutWrWhenWritten;
  /** recv(2) gave 0 or an error: nothing more is read; close once the output is written. */
  private boolean readDone;
  /** When a non-blocking connect(2) was called, until a pass finds it done; -1: not connecting. */
  private long connectingSinceNanos = -1;

  /**
   * @param in the process's buffer for reads, at least {@link #IO_MAX} bytes (what is written is
   *     {@code conn}'s tag, {@link AppProcess#content})
   * @param closed runs once the loop has closed the connection
   */
  EventLoopConnection(AppProcess process, AppProcess.Conn conn, boolean echo, byte[] in, Runnable closed) {
    if (in.length < IO_MAX) {
      throw new IllegalArgumentException("read buffer must hold " + IO_MAX + " bytes, holds " + in.length);
    }
    this.process = process;
    this.conn = conn;
    this.echo = echo;
    this.in = in;
    this.closed = closed;
  }

  /**
   * The connection was opened by a non-blocking connect(2) at {@code nanos}: the first pass that
   * finds the handshake done records the connect latency; an error before that is connect()'s.
   */
  void connectingSince(long nanos) {
    connectingSinceNanos = nanos;
  }

  /** Queues {@code bytes} to write, then (with {@code thenShutWr}) a half-close, and runs a pass. */
  void write(long bytes, boolean thenShutWr) {
    toWrite += bytes;
    shutWrWhenWritten |= thenShutWr;
    pump();
  }

  /**
   * One pass of the loop: write what the output buffer holds, read what arrived, close at the
   * end; then wait for the next edge if the connection is still open.
   */
  void pump() {
    if (process.stopped || conn.closed) {
      return;
    }
    SocketApi api = process.api;
    if (connectingSinceNanos >= 0) {
      TcpState st = api.socketOf(conn.fd).state();
      if (st != TcpState.SYN_SENT && st != TcpState.CLOSE) {
        process.ctx.recorder().connected(process.tally, process.now() - connectingSinceNanos);
        connectingSinceNanos = -1;
      }
    }
    writeOut(api);
    while (!readDone) {
      SysResult<Integer> r = api.recv(conn.fd, in, 0, IO_MAX);
      if (r.isOk() && r.intValue() > 0) {
        process.ctx.recorder().delivered(process.tally, r.intValue());
        process.checkTag(conn, in, r.intValue());
        if (echo) {
          toWrite += r.intValue();
          writeOut(api);
        }
        continue;
      }
      if (!r.isOk() && r.errno() == Errno.EAGAIN) {
        break;
      }
      if (!r.isOk()) {
        process.errno(connectingSinceNanos >= 0 ? "connect()" : "recv()", r.errno());
        toWrite = 0; // the connection is broken: nothing more can be written
      }
      readDone = true;
    }
    if (readDone && toWrite == 0) {
      process.close(conn);
      closed.run();
      return;
    }
    int mask = (toWrite > 0 ? EPOLLOUT : 0)
        | (readDone ? EPOLLERR | EPOLLHUP : EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP);
    api.onReady(conn.fd, mask, ready -> pump());
  }

  /** Writes what the output buffer holds as far as the socket takes it. */
  private void writeOut(SocketApi api) {
    while (toWrite > 0) {
      int n = (int) Math.min(toWrite, IO_MAX);
      SysResult<Integer> r = api.send(conn.fd, process.content(conn, n), 0, n);
      if (!r.isOk()) {
        if (r.errno() != Errno.EAGAIN) {
          process.errno("send()", r.errno());
          toWrite = 0; // the application gives up on its output buffer
        }
        break;
      }
      toWrite -= r.intValue();
    }
    if (toWrite == 0 && shutWrWhenWritten) {
      shutWrWhenWritten = false;
      SysResult<Integer> r = api.shutdown(conn.fd, SocketApi.SHUT_WR);
      if (!r.isOk()) {
        process.errno("shutdown()", r.errno());
      }
    }
  }
}
