package tcpsim.net.tcp;

import static tcpsim.net.tcp.TcpState.*;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.FIN;
import static tcpsim.net.wire.TcpFlags.PSH;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

import java.util.Arrays;
import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.SeqNum;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * A TCP socket and its control block (RFC 9293 §3.3.1's TCB; Linux's struct tcp_sock). It is a
 * socket from creation: CLOSE and unbound, then bound, listening or connecting. The methods are
 * the RFC's events (§3.10): {@link #open}, {@link #send}, {@link #receive}, {@link #close},
 * {@link #abort}, {@link #segmentArrives}, and the timeouts, which fire through the simulation.
 *
 * <p>Timers are simulation handles in {@code long} fields ({@link Simulation#NO_EVENT} when idle);
 * the connection itself is the {@link EventHandler} and the event's argument says which timer
 * fired, so no object is made per timer. Like Linux, one slot carries the retransmission timer,
 * the tail-loss probe and the zero-window probe (ICSK_TIME_RETRANS / LOSS_PROBE / PROBE0).
 *
 * <p>Differences from Linux:
 * <ul>
 *   <li>Congestion control is Reno (tcp_reno_cong_avoid), not CUBIC: after a loss CUBIC keeps 70%
 *       of the window (beta 717/1024) where Reno keeps half, and CUBIC grows the window along a cubic
 *       curve of the time since the loss, independent of RTT, where Reno adds one segment per RTT.
 *       Recovery sends as the RFC 6675 pipe allows instead of Linux's proportional rate reduction
 *       (RFC 6937), so a recovery's retransmissions may be spaced differently.</li>
 *   <li>Loss detection is duplicate ACKs / SACK (three segments) and the RTO, plus one tail loss
 *       probe; RACK's time-based marking (RFC 8985 §6) is not modelled, and no DSACK is sent.</li>
 *   <li>The RTT sample comes from the oldest newly acknowledged segment not retransmitted (as
 *       tcp_clean_rtx_queue does), else from the timestamp echo; the estimator is RFC 6298 with
 *       Linux's bounds, not yet tcp_rtt_estimator's mdev_max smoothing.</li>
 *   <li>Buffers: no receive-buffer auto-tuning (tcp_rcv_space_adjust), so the window tops out at
 *       half of SO_RCVBUF (tcp_rmem[1] = 128 KiB gives 64 KiB); send-buffer auto-tuning is a rough
 *       tcp_sndbuf_expand. Memory is counted in payload bytes, not skb truesize.</li>
 *   <li>PSH is set on a segment that empties the send queue, not per write() as tcp_push does.</li>
 *   <li>No urgent data, no ECN, no TSO/GSO: every segment is at most one MSS.</li>
 * </ul>
 */
public final class TcpConnection implements EventHandler {
  /** Timer kinds: the event argument. */
  static final long TIMER_XMIT = 1;
  static final long TIMER_DELACK = 2;
  static final long TIMER_KEEPALIVE = 3;
  static final long TIMER_TIMEWAIT = 4;

  /** What the xmit timer slot is armed for (Linux's icsk_pending). */
  static final int XMIT_NONE = 0;
  static final int XMIT_RTO = 1;
  static final int XMIT_TLP = 2;
  static final int XMIT_PROBE0 = 3;

  /** TCP_TIMEOUT_INIT, include/net/tcp.h: 1 s before any RTT sample (RFC 6298 §2.1). */
  static final long TIMEOUT_INIT_NANOS = Nanos.seconds(1);
  /** TCP_RTO_MIN, include/net/tcp.h: 200 ms (RFC 6298 says 1 s; Linux departs). */
  static final long RTO_MIN_NANOS = Nanos.millis(200);
  /** TCP_RTO_MAX, include/net/tcp.h: 120 s. */
  static final long RTO_MAX_NANOS = Nanos.seconds(120);
  /** TCP_ATO_MIN, include/net/tcp.h: HZ/25 = 40 ms, the shortest delayed-ACK timeout. */
  static final long ATO_MIN_NANOS = Nanos.millis(40);
  /** TCP_DELACK_MAX, include/net/tcp.h: HZ/5 = 200 ms. */
  static final long DELACK_MAX_NANOS = Nanos.millis(200);
  /** TCP_MAX_QUICKACKS, include/net/tcp.h. */
  static final int MAX_QUICKACKS = 16;
  /** TCP_INIT_CWND, include/net/tcp.h: IW10 (RFC 6928). */
  static final int INIT_CWND = 10;
  /** TCP_INFINITE_SSTHRESH. */
  static final int INFINITE_SSTHRESH = 0x7fffffff;
  /** Bytes of the aligned timestamp option (TCPOLEN_TSTAMP_ALIGNED). */
  static final int TS_ALIGNED = 12;
  /** The MSS a host with a 1500-byte MTU announces: 1500 - 20 (IP) - 20 (TCP). */
  public static final int ETHERNET_MSS = 1460;
  /** Per-segment memory beyond the payload in tcp_sndbuf_expand (skb, shared info, headers). */
  static final int SKB_OVERHEAD_BYTES = 2008;
  /** TCP_MIN_MSS. */
  static final int MIN_MSS = 88;
  /** One tick of a CONFIG_HZ=250 kernel: the least a timer set for "now" waits. */
  static final long JIFFY_NANOS = Nanos.millis(4);
  /** Two ticks of a 250 Hz kernel: TCP_TIMEOUT_MIN, the least delay Linux adds to a probe timer. */
  static final long TIMEOUT_MIN_NANOS = Nanos.millis(8);

  // Segment flags in the retransmission queue's scoreboard (Linux's TCPCB_*).
  private static final byte SACKED = 1;
  private static final byte LOST = 2;
  private static final byte RETRANS = 4;
  private static final byte EVER_RETRANS = 8;

  final TcpStack stack;
  final Simulation sim;

  // ---- identity ----
  TcpState state = CLOSE;
  int localAddr;
  int localPort;
  int remoteAddr;
  int remotePort;
  /** Bound to a local port (by bind or by connect's implicit bind). */
  boolean bound;
  /** Bound by bind() rather than by connect(); such ports are not shared by connect. */
  boolean boundExplicitly;
  /** Hashed in the stack's connection table under its 4-tuple. */
  boolean hashed;
  /** When the last challenge or out-of-window ACK went out (tp->last_oow_ack_time); 0 never. */
  long lastOowAckNanos;

  // ---- socket options ----
  boolean reuseAddr;
  boolean keepAlive;
  boolean noDelay;
  boolean lingerOn;
  int lingerSeconds;
  int userTimeoutMs;
  int keepIdleSeconds;
  int keepIntvlSeconds;
  int keepCnt;
  /** TCP_MAXSEG set by the user, 0 when not. */
  int userMss;
  /** sk_sndbuf in bytes (SO_SNDBUF doubles what it is given); see {@link #sendCapacity}. */
  int sndBuf;
  boolean sndBufLocked;
  /** sk_rcvbuf in bytes. */
  int rcvBuf;
  boolean rcvBufLocked;

  // ---- application-visible status ----
  /** The pending error SO_ERROR returns and clears (sk_err). */
  Errno pendingError;
  /** A reset was received: reads after the first error return 0, writes EPIPE (tcp_reset). */
  boolean wasReset;
  /** The application shut down writing (SEND_SHUTDOWN) or closed. */
  boolean sendShutdown;
  /** No more data will be read: peer FIN received or SHUT_RD (RCV_SHUTDOWN). */
  boolean rcvShutdown;
  /** The peer's FIN arrived (so a read at the end returns 0). */
  boolean peerFin;
  boolean everConnected;
  /** The application closed the socket; the connection, if any, is an orphan (SOCK_DEAD). */
  boolean orphan;
  SocketEvents events;
  /** The listener a not-yet-accepted child belongs to. */
  Listener parent;
  /** Set while listening. */
  Listener listener;

  // ---- send sequence space (RFC 9293 §3.3.1) ----
  int iss;
  int sndUna;
  int sndNxt;
  /** The peer's window in bytes, already scaled. */
  int sndWnd;
  int sndWl1;
  int sndWl2;
  int maxSndWnd;
  /** The sequence number just past the last byte the application queued (Linux write_seq). */
  int writeSeq;
  /** End of the last small (< MSS) segment sent, for Minshall's Nagle (tcp_minshall_update). */
  int sndSml;
  boolean finQueued;
  boolean finSent;
  /** The FIN's sequence number, valid once queued (it follows the last data byte). */
  int finSeq;
  int sndWscale;
  /** Payload bytes per segment (Linux mss_cache): the peer's MSS less our option overhead. */
  int mssCache = ETHERNET_MSS;
  int peerMss = 536;
  boolean wscaleOk;
  boolean sackOk;
  boolean tsOk;
  /** Written and unacknowledged data, [snd_una, write_seq); made at the first write. */
  SendBuffer sendBuf;

  // ---- receive sequence space ----
  int irs;
  int rcvNxt;
  /** The window last advertised, in bytes (Linux rcv_wnd), and where it started (rcv_wup). */
  int rcvWnd;
  int rcvWup;
  int rcvWscale;
  int rcvSsthresh;
  int windowClamp;
  int rcvMss = 536;
  ByteQueue recvQueue;
  /** Out-of-order segments, sorted by start, non-overlapping: starts, ends, contents. */
  int[] ofoStart = NO_INTS;
  int[] ofoEnd = NO_INTS;
  byte[][] ofoData;
  int ofoCount;
  /** SACK blocks to send, most recent first ((start, end) pairs) (tp->selective_acks). */
  int[] sackBlocks = NO_INTS;
  int sackBlockCount;

  // ---- timestamps (RFC 7323) ----
  int tsOffset;
  int tsRecent;

  // ---- RTT and RTO (RFC 6298, tcp_rtt_estimator / tcp_set_rto) ----
  /** SRTT, RTTVAR, the RTO (icsk_rto, doubled by backoff) and the backoff count. */
  final RttEstimator rtt = new RttEstimator();
  /** When the first SYN went out (retrans_stamp in tcp_connect), for the SYN give-up budget. */
  long firstSynNanos;
  /** When the first zero-window probe timer fired without an answer (icsk_probes_tstamp). */
  long probesStampNanos;
  /** Consecutive timeouts without progress (icsk_retransmits). */
  int retransmits;
  /** Timeouts since the connect began, for the SYN schedule (tp->total_rto). */
  int totalRto;
  int totalRetrans;
  /** Send time of the first retransmitted segment still unacknowledged (tp->retrans_stamp); 0 none. */
  long retransStampNanos;
  int probesOut;

  // ---- congestion control ----
  int cwnd = INIT_CWND;
  int ssthresh = INFINITE_SSTHRESH;
  int cwndCnt;
  CaState ca = CaState.OPEN;
  int dupAcks;
  /** snd_nxt when recovery or loss began (tp->high_seq). */
  int highSeq;
  /** TLP in flight: the snd_nxt when the probe went out (tp->tlp_high_seq); 0 none. */
  int tlpHighSeq;
  boolean tlpOutstanding;

  // ---- retransmission queue scoreboard: one entry per segment sent and not acknowledged ----
  int[] txStart = NO_INTS;
  int[] txEnd = NO_INTS;
  long[] txTime = NO_LONGS;
  byte[] txFlags = NO_BYTES;
  int txHead;
  int txCount;

  // ---- delayed ACK (icsk_ack) ----
  boolean ackScheduled;
  int quickAcks;
  boolean pingpong;
  long atoNanos;
  long lastDataRecvNanos;

  // ---- timers ----
  long xmitTimer = Simulation.NO_EVENT;
  int xmitKind = XMIT_NONE;
  long delackTimer = Simulation.NO_EVENT;
  long keepaliveTimer = Simulation.NO_EVENT;
  long timeWaitTimer = Simulation.NO_EVENT;
  /** When the connection last sent or received (for keepalive; tp->rcv_tstamp). */
  long lastRecvNanos;

  // ---- counters for TCP_INFO ----
  long bytesAcked;
  long bytesReceived;
  int segsOut;
  int segsIn;

  private static final int[] NO_INTS = new int[0];
  private static final long[] NO_LONGS = new long[0];
  private static final byte[] NO_BYTES = new byte[0];

  TcpConnection(TcpStack stack) {
    this.stack = stack;
    this.sim = stack.sim();
    this.localAddr = stack.address();
    TcpSysctls s = stack.sysctls();
    this.sndBuf = s.wmemDefault();
    this.rcvBuf = s.rmemDefault();
  }

  // =========================================================================================
  // Public view
  // =========================================================================================

  public TcpState state() {
    return state;
  }

  public int localAddress() {
    return localAddr;
  }

  public int localPort() {
    return localPort;
  }

  public int remoteAddress() {
    return remoteAddr;
  }

  public int remotePort() {
    return remotePort;
  }

  public TcpStack stack() {
    return stack;
  }

  /** The connection reached ESTABLISHED at some point (Linux's SOCK_DONE-like "was connected"). */
  public boolean everConnected() {
    return everConnected;
  }

  public boolean receiveShutdown() {
    return rcvShutdown;
  }

  // ---- socket options (sock_setsockopt / do_tcp_setsockopt) ----

  public boolean reuseAddr() { return reuseAddr; }
  public void setReuseAddr(boolean on) { reuseAddr = on; }
  public boolean keepAlive() { return keepAlive; }

  /** SO_KEEPALIVE: arms or stops the keepalive timer (tcp_set_keepalive). */
  public void setKeepAlive(boolean on) {
    keepAlive = on;
    keepaliveChanged();
  }

  public boolean noDelay() { return noDelay; }

  /** TCP_NODELAY: turning it on pushes what Nagle was holding (tcp_push_pending_frames). */
  public void setNoDelay(boolean on) {
    noDelay = on;
    if (on) {
      pushPendingFrames();
    }
  }

  public int keepIdleSeconds() {
    return keepIdleSeconds > 0 ? keepIdleSeconds : stack.sysctls().keepaliveTimeSeconds();
  }

  public int keepIntvlSeconds() {
    return keepIntvlSeconds > 0 ? keepIntvlSeconds : stack.sysctls().keepaliveIntvlSeconds();
  }

  public int keepCount() {
    return keepCnt > 0 ? keepCnt : stack.sysctls().keepaliveProbes();
  }

  public void setKeepIdleSeconds(int s) {
    keepIdleSeconds = s;
    keepaliveChanged();
  }

  public void setKeepIntvlSeconds(int s) { keepIntvlSeconds = s; }
  public void setKeepCount(int n) { keepCnt = n; }
  public int userTimeoutMs() { return userTimeoutMs; }
  public void setUserTimeoutMs(int ms) { userTimeoutMs = ms; }

  /** TCP_MAXSEG as getsockopt reports it: the user's value before connecting, else mss_cache. */
  public int maxSegment() {
    if (userMss > 0 && (state == CLOSE || state == LISTEN)) {
      return userMss;
    }
    return state == CLOSE || state == LISTEN ? 536 : mssCache;
  }

  public void setUserMss(int mss) { userMss = mss; }

  /** sk_sndbuf (SO_SNDBUF reads back the doubled value). */
  public int sendBufferBytes() {
    return sndBufLocked ? sndBuf : Math.max(sndBuf, sendCapacity());
  }

  /** SO_SNDBUF: Linux doubles the value (room for bookkeeping) and locks the size. */
  public void setSendBufferBytes(int doubled) {
    sndBuf = doubled;
    sndBufLocked = true;
    notifyApp();
  }

  public int receiveBufferBytes() { return rcvBuf; }

  /** SO_RCVBUF: doubled by the caller as Linux does; locks the size (no auto-tuning). */
  public void setReceiveBufferBytes(int doubled) {
    rcvBuf = doubled;
    rcvBufLocked = true;
  }

  public boolean lingerOn() { return lingerOn; }
  public int lingerSeconds() { return lingerSeconds; }

  public void setLinger(boolean on, int seconds) {
    lingerOn = on;
    lingerSeconds = seconds;
  }

  public void setEvents(SocketEvents events) {
    this.events = events;
  }

  /** Bytes ready to read in order (SIOCINQ). */
  public int readableBytes() {
    return recvQueue == null ? 0 : recvQueue.size();
  }

  /** Bytes queued and not yet acknowledged (SIOCOUTQ). */
  public int unackedBytes() {
    return sendBuf == null ? 0 : sendBuf.size();
  }

  /** Free send-buffer space for new data. */
  public int sendSpace() {
    return Math.max(0, sendCapacity() - unackedBytes());
  }

  /** The peer's FIN was received and every byte before it was read. */
  public boolean atEof() {
    return (peerFin || rcvShutdown) && readableBytes() == 0;
  }

  public boolean peerFinReceived() {
    return peerFin;
  }

  public boolean wasReset() {
    return wasReset;
  }

  public boolean sendShutdown() {
    return sendShutdown;
  }

  public Errno pendingError() {
    return pendingError;
  }

  /** SO_ERROR: returns and clears the pending error (sock_error). */
  public Errno takeError() {
    Errno e = pendingError;
    pendingError = null;
    return e;
  }

  public Listener listener() {
    return listener;
  }

  /** The writable test of sk_stream_is_writeable: free space at least a third of what is queued. */
  public boolean writable() {
    if (sendBuf == null) {
      return sendCapacity() > 0;
    }
    sendBuf.setCapacity(sendCapacity());
    return sendBuf.isWritable();
  }

  /** The virtual time in ms on this connection's timestamp clock (tcp_clock_ms + ts_offset). */
  int tsNow() {
    return (int) (sim.now() / Nanos.PER_MILLI) + tsOffset;
  }

  // =========================================================================================
  // Events from the user (RFC 9293 §3.10.1 - §3.10.6)
  // =========================================================================================

  /**
   * OPEN, active (§3.10.1; tcp_v4_connect, tcp_connect): picks the ISN, sends the SYN and arms the
   * SYN retransmission timer. The port must already be bound (the stack binds an ephemeral one).
   */
  void open(int remoteAddress, int remotePortNumber) {
    remoteAddr = remoteAddress;
    remotePort = remotePortNumber;
    TcpSysctls s = stack.sysctls();
    iss = stack.initialSequence(localAddr, localPort, remoteAddr, remotePort);
    tsOffset = stack.tsOffset(localAddr, remoteAddr);
    sndUna = iss;
    sndNxt = iss + 1;
    writeSeq = iss + 1;
    sndSml = iss;
    setupInitialWindow(ETHERNET_MSS, s.windowScaling());
    wscaleOk = s.windowScaling();
    sackOk = s.sack();
    tsOk = s.timestamps();
    setState(SYN_SENT, "connect");
    stack.hash(this);
    totalRto = 0;
    retransmits = 0;
    firstSynNanos = sim.now();
    sendSyn(false);
    resetXmitTimer(XMIT_RTO, rtt.rtoNanos());
  }

  /** Sizes the receive window as tcp_select_initial_window does. */
  void setupInitialWindow(int mss, boolean scaling) {
    int fullSpace = fullSpace();
    int clamp = rcvBufLocked ? fullSpace : 65535 << 14;
    int space = Math.min(fullSpace, clamp);
    if (space > mss) {
      space = space / mss * mss; // quantize to whole segments
    }
    rcvWnd = Math.min(space, 65535);
    rcvWscale = 0;
    if (scaling) {
      long wsSpace = rcvBufLocked ? fullSpace
          : Math.max(fullSpace, Math.max(stack.sysctls().rmemMax(), stack.sysctls().coreRmemMax()));
      wsSpace = Math.min(wsSpace, clamp);
      rcvWscale = Math.max(0, Math.min(14, 63 - Long.numberOfLeadingZeros(wsSpace) - 15));
    }
    windowClamp = rcvBufLocked ? fullSpace : Math.max(fullSpace, 65535);
    rcvSsthresh = rcvWnd;
  }

  /** tcp_full_space: the window a full receive buffer allows (half of sk_rcvbuf, scaling_ratio). */
  int fullSpace() {
    return rcvBuf / 2;
  }

  /**
   * SEND (§3.10.2; tcp_sendmsg): queues up to the free buffer space and transmits what windows
   * and Nagle allow. Returns the bytes taken (0 when the buffer is full), or -1 with
   * {@link #pendingError} / the errno the socket layer decides.
   */
  public int send(byte[] data, int offset, int length) {
    int n = Math.min(length, sendSpace());
    if (n <= 0) {
      return 0;
    }
    ensureBuffers();
    if (sendBuf == null) {
      sendBuf = new SendBuffer(writeSeq, sendCapacity(), stack.keepPayload());
    }
    sendBuf.setCapacity(sendCapacity());
    if (data == null && sendBuf.carriesContent()) {
      data = new byte[n]; // a write without content carries zeros
      offset = 0;
    }
    n = data == null ? sendBuf.write(n) : sendBuf.write(data, offset, n);
    writeSeq = sendBuf.writeEnd();
    pushPendingFrames();
    return n;
  }

  /**
   * RECEIVE (§3.10.3; tcp_recvmsg): takes up to {@code length} in-order bytes. Reading may open
   * the window enough to warrant an update (tcp_cleanup_rbuf).
   */
  public int receive(byte[] into, int offset, int length) {
    int n = Math.min(length, readableBytes());
    if (n <= 0) {
      return 0;
    }
    recvQueue.take(n, into, offset);
    cleanupRbuf();
    return n;
  }

  /**
   * tcp_cleanup_rbuf: after the application read, send a window update when the window the peer
   * sees could at least double, or a delayed ACK is owed for more than a segment.
   */
  private void cleanupRbuf() {
    if (!state.isSynchronized() || rcvShutdown) {
      return;
    }
    // "Once-per-two-segments ACK was not sent by tcp_input.c": send it now.
    boolean timeToAck = ackScheduled && SeqNum.distance(rcvWup, rcvNxt) > rcvMss;
    int rcvWindowNow = currentReceiveWindow();
    if (!timeToAck && 2L * rcvWindowNow <= windowClamp) {
      int newWindow = selectWindowRaw();
      if (newWindow != 0 && newWindow >= 2 * rcvWindowNow) {
        timeToAck = true;
      }
    }
    if (timeToAck) {
      sendAck();
    }
  }

  /**
   * CLOSE (§3.10.4; tcp_close / tcp_shutdown): queue a FIN after the data, moving ESTABLISHED to
   * FIN-WAIT-1 and CLOSE-WAIT to LAST-ACK. Closing with unread data resets instead (tcp_close:
   * RFC 2525 §2.17), as does SO_LINGER with a zero timeout.
   *
   * @param shutdownOnly true for shutdown(SHUT_WR): the socket stays open for reading
   */
  void close(boolean shutdownOnly) {
    if (!shutdownOnly) {
      orphan = true;
      rcvShutdown = true;
    }
    if (sendShutdown && shutdownOnly) {
      return;
    }
    boolean hadSendShutdown = sendShutdown;
    sendShutdown = true;
    switch (state) {
      case CLOSE -> {
        if (!shutdownOnly) {
          stack.release(this);
        }
      }
      case LISTEN -> {
        if (!shutdownOnly) {
          listener.closeAll();
          setState(CLOSE, "close in LISTEN");
          stack.release(this);
        }
      }
      case SYN_SENT -> {
        if (!shutdownOnly) {
          destroy("close in SYN-SENT", null);
        }
      }
      default -> {
        if (!shutdownOnly && readableBytes() > 0) {
          // tcp_close: unread data means the application lost data: RST, not FIN
          // (RFC 2525 §2.17; counted as TcpExtTCPAbortOnClose).
          stack.count("TcpExtTCPAbortOnClose");
          sendActiveReset();
          destroy("close with unread data", null);
          return;
        }
        if (!shutdownOnly && lingerOn && lingerSeconds == 0) {
          // SO_LINGER {1, 0}: abortive close (tcp_close -> tcp_disconnect).
          stack.count("TcpExtTCPAbortOnLinger");
          abort();
          return;
        }
        if (hadSendShutdown) {
          maybeOrphanFinWait2();
          return;
        }
        switch (state) {
          case SYN_RECV, ESTABLISHED -> setState(FIN_WAIT1, "close");
          case CLOSE_WAIT -> setState(LAST_ACK, "close");
          default -> {
            return;
          }
        }
        queueFin();
      }
    }
  }

  /** close(): the application lets go of the socket. */
  public void close() {
    close(false);
  }

  /** shutdown(SHUT_WR): FIN after the queued data; reading goes on. */
  public void shutdownWrite() {
    close(true);
  }

  /** An orphan already in FIN-WAIT-2 gets the tcp_fin_timeout timer (tcp_close). */
  private void maybeOrphanFinWait2() {
    if (orphan && state == FIN_WAIT2) {
      armFinWait2Timer();
    }
  }

  /** SHUT_RD (tcp_shutdown): nothing is sent; reads return 0 from now on. */
  public void shutdownRead() {
    rcvShutdown = true;
  }

  /**
   * ABORT (§3.10.5; tcp_disconnect): RST to the peer in a synchronized state, then CLOSED at once,
   * without TIME-WAIT.
   */
  public void abort() {
    if (state == SYN_RECV || state.isSynchronized() && state != TIME_WAIT) {
      sendActiveReset();
    }
    destroy("abort", null);
  }

  // =========================================================================================
  // SEGMENT ARRIVES (§3.10.7)
  // =========================================================================================

  /** A segment for this connection's 4-tuple arrived (tcp_v4_rcv found this socket). */
  void segmentArrives(Segment seg) {
    segsIn++;
    lastRecvNanos = sim.now();
    switch (state) {
      case CLOSE -> stack.replyToClosed(seg, DropReason.TCP_CLOSE);
      case SYN_SENT -> synSentArrives(seg);
      case TIME_WAIT -> timeWaitArrives(seg);
      default -> synchronizedArrives(seg);
    }
  }

  /** §3.10.7.3 SYN-SENT STATE (tcp_rcv_synsent_state_process). */
  private void synSentArrives(Segment seg) {
    boolean hasAck = seg.has(ACK);
    if (hasAck && (SeqNum.le(seg.ack(), iss) || SeqNum.gt(seg.ack(), sndNxt))) {
      // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set)."
      if (!seg.has(RST)) {
        stack.sendReset(seg);
      }
      stack.drop(seg, DropReason.TCP_INVALID_ACK_SEQUENCE);
      return;
    }
    if (seg.has(RST)) {
      if (hasAck) {
        // "If the ACK was acceptable, signal "error: connection reset"" - ECONNREFUSED (tcp_reset).
        pendingError = Errno.ECONNREFUSED;
        wasReset = true;
        destroy("RST in SYN-SENT", Errno.ECONNREFUSED);
      } else {
        stack.drop(seg, DropReason.TCP_RESET);
      }
      return;
    }
    if (!seg.has(SYN)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    irs = seg.seq();
    rcvNxt = irs + 1;
    rcvWup = rcvNxt;
    negotiateOptions(seg.options());
    if (tsOk && seg.options().hasTimestamp()) {
      tsRecent = seg.options().tsVal();
    }
    if (hasAck) {
      // Our SYN is acknowledged: ESTABLISHED (tcp_finish_connect). SYN windows are never scaled.
      sndUna = seg.ack();
      sndWnd = seg.window();
      maxSndWnd = sndWnd;
      sndWl1 = seg.seq();
      sndWl2 = seg.ack();
      sampleRttFromHandshake(seg);
      clearXmitTimer();
      retransmits = 0;
      retransStampNanos = 0;
      setState(ESTABLISHED, "SYN-ACK in SYN-SENT");
      initTransfer();
      // tcp_rcv_synsent_state_process ACKs at once (no data pending to piggyback on).
      sendAck();
      notifyApp();
      pushPendingFrames();
    } else {
      // Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment and send it".
      sndWnd = seg.window();
      sndWl1 = seg.seq();
      setState(SYN_RECV, "SYN in SYN-SENT (simultaneous open)");
      sendSyn(true);
      resetXmitTimer(XMIT_RTO, rtt.rtoNanos());
    }
  }

  /** The states from SYN-RECEIVED on (§3.10.7.4; tcp_rcv_state_process / tcp_rcv_established). */
  private void synchronizedArrives(Segment seg) {
    if (!checkSequence(seg)) {
      return;
    }
    if (!checkReset(seg)) {
      return;
    }
    if (!checkSyn(seg)) {
      return;
    }
    if (!checkAck(seg)) {
      return;
    }
    if (state == CLOSE) {
      return; // LAST-ACK ended
    }
    if (seg.has(SYN)) {
      // The simultaneous-open SYN-ACK lies below RCV.NXT: tcp_data_queue treats it as a
      // retransmission and ACKs at once (quick-ACK mode).
      enterQuickAck();
      ackScheduled = true;
    }
    processText(seg);
    checkFin(seg);
    if (state == CLOSE || state == TIME_WAIT) {
      return;
    }
    pushPendingFrames();
    ackSndCheck();
  }

  /**
   * First, check sequence number (§3.10.7.4 "first"; tcp_sequence, tcp_paws_discard). An
   * unacceptable segment gets an ACK (tcp_send_dupack) unless it is a RST, and is dropped.
   */
  private boolean checkSequence(Segment seg) {
    if (tsOk && seg.options().hasTimestamp() && !seg.has(RST)
        && SeqNum.lt(seg.options().tsVal(), tsRecent)) {
      // PAWS (RFC 7323 §5): an older timestamp marks an old duplicate.
      stack.drop(seg, DropReason.TCP_RFC7323_PAWS);
      stack.count("TcpExtPAWSEstab");
      sendAck();
      return false;
    }
    int wnd = currentReceiveWindow();
    // tcp_sequence: !before(end_seq, rcv_wup) && !after(seq, rcv_nxt + window)
    boolean acceptable = !SeqNum.lt(seg.end(), rcvWup)
        && !SeqNum.gt(seg.seq(), rcvNxt + wnd);
    if (!acceptable) {
      if (!seg.has(RST)) {
        stack.count("TcpExtTCPOutOfWindow");
        enterQuickAck();
        sendAck();
      }
      stack.drop(seg, SeqNum.lt(seg.end(), rcvWup) ? DropReason.TCP_OLD_SEQUENCE
          : DropReason.TCP_INVALID_SEQUENCE);
      return false;
    }
    if (tsOk && seg.options().hasTimestamp() && SeqNum.le(seg.seq(), rcvWup)) {
      tsRecent = seg.options().tsVal(); // tcp_store_ts_recent (RFC 7323 §4.3)
    }
    return true;
  }

  /**
   * Second, check the RST bit (§3.10.7.4 "second"; tcp_validate_incoming, RFC 5961 §3): a RST is
   * acted on only when its sequence number is exactly RCV.NXT; another in-window RST draws a
   * challenge ACK.
   */
  private boolean checkReset(Segment seg) {
    if (!seg.has(RST)) {
      return true;
    }
    if (seg.seq() != rcvNxt) {
      sendChallengeAck();
      stack.drop(seg, DropReason.TCP_RESET);
      return false;
    }
    resetArrived();
    return false;
  }

  /** tcp_reset: the error by state (ECONNREFUSED in SYN-SENT, EPIPE in CLOSE-WAIT, else ECONNRESET). */
  private void resetArrived() {
    Errno err = switch (state) {
      case SYN_SENT -> Errno.ECONNREFUSED;
      case CLOSE_WAIT -> Errno.EPIPE;
      default -> Errno.ECONNRESET;
    };
    if (state == SYN_RECV && parent != null) {
      // A child not yet accepted just disappears (inet_csk_destroy_sock via the listener).
      parent.forgetChild(this);
    }
    wasReset = true;
    pendingError = err;
    destroy("RST", err);
  }

  /**
   * Fourth, check the SYN bit (§3.10.7.4 "fourth"; tcp_validate_incoming, RFC 5961 §4): a SYN in a
   * synchronized state draws a challenge ACK and is dropped (RFC 793 reset the connection).
   * The SYN-ACK of a simultaneous open is let through.
   */
  private boolean checkSyn(Segment seg) {
    if (!seg.has(SYN)) {
      return true;
    }
    if (state == SYN_RECV && seg.has(ACK) && seg.seq() + 1 == rcvNxt && seg.ack() == sndNxt) {
      return true;
    }
    stack.count("TcpExtTCPSYNChallenge");
    sendChallengeAck();
    stack.drop(seg, DropReason.TCP_INVALID_SYN);
    return false;
  }

  /**
   * Fifth, check the ACK field (§3.10.7.4 "fifth"; tcp_ack, and the per-state branches of
   * tcp_rcv_state_process).
   */
  private boolean checkAck(Segment seg) {
    if (!seg.has(ACK)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return false;
    }
    if (state == SYN_RECV) {
      // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state"; else send a reset.
      if (SeqNum.lt(sndUna, seg.ack()) && SeqNum.le(seg.ack(), sndNxt)) {
        sndWnd = seg.window() << sndWscale;
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq();
        sndWl2 = seg.ack();
        setState(ESTABLISHED, "ACK in SYN-RECEIVED");
        sampleRttFromHandshake(seg);
        initTransfer();
        if (parent != null) {
          parent.childEstablished(this);
        }
        notifyApp();
      } else {
        stack.sendReset(seg);
        stack.drop(seg, DropReason.TCP_INVALID_ACK_SEQUENCE);
        return false;
      }
    }
    if (SeqNum.gt(seg.ack(), sndNxt)) {
      // Acknowledges something not yet sent: "send an ACK, drop the segment" (tcp_ack,
      // answered with a rate-limited challenge ACK per RFC 5961 §5.2).
      sendChallengeAck();
      stack.drop(seg, DropReason.TCP_ACK_UNSENT_DATA);
      return false;
    }
    processAck(seg);
    switch (state) {
      case FIN_WAIT1 -> {
        if (finAcked()) {
          setState(FIN_WAIT2, "our FIN acknowledged");
          maybeOrphanFinWait2();
          notifyApp();
        }
      }
      case CLOSING -> {
        if (finAcked()) {
          enterTimeWait("our FIN acknowledged in CLOSING");
          return false;
        }
      }
      case LAST_ACK -> {
        if (finAcked()) {
          destroy("our FIN acknowledged in LAST-ACK", null);
          return false;
        }
      }
      default -> {}
    }
    return true;
  }

  private boolean finAcked() {
    return finSent && SeqNum.gt(sndUna, finSeq);
  }

  /**
   * Seventh, process the segment text (§3.10.7.4 "seventh"; tcp_data_queue). Only ESTABLISHED,
   * FIN-WAIT-1 and FIN-WAIT-2 take data; after the peer's FIN, text is ignored.
   */
  private void processText(Segment seg) {
    if (seg.payloadLength() == 0) {
      return;
    }
    if (state != ESTABLISHED && state != FIN_WAIT1 && state != FIN_WAIT2) {
      return;
    }
    if (orphan && SeqNum.gt(seg.seq() + seg.payloadLength(), rcvNxt)) {
      // tcp_rcv_state_process: new data for a socket the application closed: RST
      // (TcpExtTCPAbortOnData).
      stack.count("TcpExtTCPAbortOnData");
      sendActiveReset();
      destroy("data after close", null);
      return;
    }
    ensureBuffers();
    dataQueue(seg);
  }

  /**
   * Eighth, check the FIN bit (§3.10.7.4 "eighth"; tcp_fin). Only a FIN at RCV.NXT counts; one
   * past a hole waits in the out-of-order queue with its data.
   */
  private void checkFin(Segment seg) {
    if (!seg.has(FIN) || state == CLOSE) {
      return;
    }
    int finAt = seg.seq() + seg.payloadLength();
    if (finAt != rcvNxt) {
      if (SeqNum.gt(finAt, rcvNxt) && seg.payloadLength() == 0) {
        stashOfo(finAt, finAt, null, true);
      }
      return;
    }
    finArrived();
  }

  /** tcp_fin: the FIN is in order. */
  private void finArrived() {
    if (peerFin) {
      return;
    }
    rcvNxt += 1;
    peerFin = true;
    rcvShutdown = true;
    ackScheduled = true;
    switch (state) {
      case SYN_RECV, ESTABLISHED -> {
        setState(CLOSE_WAIT, "FIN");
        // tcp_fin: "Move to CLOSE_WAIT" and enter pingpong mode, so the ACK is delayed in the
        // hope of riding on the application's reply or FIN.
        pingpong = true;
      }
      case FIN_WAIT1 -> {
        sendAck();
        if (finAcked()) {
          enterTimeWait("FIN in FIN-WAIT-1 acking our FIN");
        } else {
          setState(CLOSING, "FIN in FIN-WAIT-1 (simultaneous close)");
        }
      }
      case FIN_WAIT2 -> {
        sendAck();
        enterTimeWait("FIN in FIN-WAIT-2");
      }
      default -> {}
    }
    notifyApp();
  }

  /**
   * TIME-WAIT (§3.10.7.4; tcp_timewait_state_process): a retransmitted FIN is ACKed again and the
   * 2MSL timer restarts; a RST ends TIME-WAIT under tcp_rfc1337=0 (RFC 1337's hazard); anything
   * else in window gets an ACK.
   */
  private void timeWaitArrives(Segment seg) {
    if (seg.has(RST)) {
      if (!stack.sysctls().rfc1337() && seg.seq() == rcvNxt) {
        destroy("RST in TIME-WAIT", null);
      } else {
        stack.drop(seg, DropReason.TCP_RESET);
      }
      return;
    }
    if (seg.has(FIN) && seg.end() == rcvNxt) {
      sendAck();
      armTimeWaitTimer();
      return;
    }
    if (seg.has(SYN) && !seg.has(ACK) && SeqNum.gt(seg.seq(), rcvNxt)) {
      // TCP_TW_SYN: a new incarnation may start; the teardown work models it fully.
      destroy("SYN reopens TIME-WAIT", null);
      stack.input(seg);
      return;
    }
    if (seg.seqLength() > 0 || seg.has(SYN)) {
      sendAck();
    }
    stack.drop(seg, DropReason.TCP_OLD_SEQUENCE);
  }

  // =========================================================================================
  // ACK processing (tcp_ack, tcp_clean_rtx_queue, tcp_fastretrans_alert)
  // =========================================================================================

  private void processAck(Segment seg) {
    int ack = seg.ack();
    int priorUna = sndUna;
    int priorInFlight = packetsInFlight();
    if (SeqNum.lt(ack, sndUna)) {
      // An old ACK: ignore it (RFC 9293 "If the ACK is a duplicate, it can be ignored").
      return;
    }
    boolean windowChanged = maybeUpdateWindow(seg);
    if (sackOk && seg.options().sackBlockCount() > 0) {
      processSackBlocks(seg.options());
    }
    if (tsOk && seg.options().hasTimestamp()) {
      // keep tsRecent as checkSequence recorded it
    }
    if (SeqNum.gt(ack, sndUna)) {
      int acked = SeqNum.distance(sndUna, ack);
      boolean finNowAcked = finSent && SeqNum.gt(ack, finSeq);
      int dataAcked = acked - (finNowAcked ? 1 : 0)
          - (SeqNum.le(sndUna, iss) ? 1 : 0); // our SYN, when a SYN-RECV child's ACK lands here
      cleanRtxQueue(ack, seg);
      if (sendBuf != null && dataAcked > 0) {
        sendBuf.ack(finNowAcked ? ack - 1 : ack);
      }
      bytesAcked += Math.max(0, dataAcked);
      sndUna = ack;
      if (SeqNum.lt(sndSml, sndUna)) {
        sndSml = sndUna;
      }
      retransmits = 0; // icsk_retransmits: progress (the backoff clears with a valid sample)
      probesOut = 0;
      if (tlpHighSeq != 0 && SeqNum.ge(ack, tlpHighSeq)) {
        tlpHighSeq = 0;
      }
      if (retransStampNanos != 0 && !hasRetransmittedInFlight()) {
        retransStampNanos = 0;
      }
      congestionOnAck(priorUna, ack, priorInFlight);
      dupAcks = 0;
      if (txCount == 0) {
        clearXmitTimer();
      } else {
        // tcp_set_xmit_timer: a loss probe if one is allowed, else the RTO, from now.
        scheduleLossProbeOrRto(true);
      }
      notifyApp();
    } else if (ack == sndUna && seg.payloadLength() == 0 && !windowChanged
        && !seg.has(FIN) && txCount > 0) {
      // A duplicate ACK (RFC 5681 §2 definition).
      duplicateAck();
    } else if (windowChanged && xmitKind == XMIT_PROBE0 && sndWnd > 0) {
      clearXmitTimer(); // tcp_ack_probe: the window opened
      rtt.resetBackoff();
      probesOut = 0;
    }
    if (sndWnd == 0 && txCount == 0 && SeqNum.lt(sndNxt, writeSeq)) {
      armProbeTimer();
    }
  }

  /** tcp_may_update_window / tcp_ack_update_window (RFC 9293 §3.10.7.4 SND.WL1/WL2 rule). */
  private boolean maybeUpdateWindow(Segment seg) {
    int nwin = seg.window() << sndWscale;
    if (SeqNum.lt(sndUna, seg.ack()) || SeqNum.lt(sndWl1, seg.seq())
        || (sndWl1 == seg.seq() && nwin != sndWnd)) {
      boolean changed = nwin != sndWnd;
      sndWnd = nwin;
      sndWl1 = seg.seq();
      sndWl2 = seg.ack();
      if (nwin > maxSndWnd) {
        maxSndWnd = nwin;
      }
      return changed;
    }
    return false;
  }

  /** Removes acknowledged segments from the scoreboard and takes an RTT sample (tcp_clean_rtx_queue). */
  private void cleanRtxQueue(int ack, Segment seg) {
    long oldestSent = -1;
    boolean retransAcked = false;
    while (txCount > 0) {
      int i = txHead;
      if (SeqNum.le(txEnd[i], ack)) {
        if ((txFlags[i] & EVER_RETRANS) != 0) {
          retransAcked = true;
        } else if (oldestSent < 0) {
          oldestSent = txTime[i];
        }
        txHead = (txHead + 1) % txStart.length;
        txCount--;
      } else {
        if (SeqNum.lt(txStart[i], ack)) {
          txStart[i] = ack; // partly acknowledged
        }
        break;
      }
    }
    if (oldestSent >= 0 && !retransAcked) {
      rtt.sample(sim.now() - oldestSent, ack, sndNxt);
    } else if (tsOk && seg.options().hasTimestamp() && seg.options().tsEcr() != 0) {
      // tcp_rtt_tsopt_us: with retransmissions acknowledged, the echo still times the round trip.
      long ms = tsNow() - seg.options().tsEcr();
      if (ms >= 0) {
        rtt.sample(Math.max(ms, 1) * Nanos.PER_MILLI, ack, sndNxt);
      }
    }
  }

  /**
   * The handshake's RTT sample (tcp_synack_rtt_meas / tcp_ack_update_rtt): the SYN's (or
   * SYN-ACK's) round trip unless it was retransmitted (Karn), else the timestamp echo; with
   * neither, the RTO becomes 3 s (RFC 6298 §5.7).
   */
  private void sampleRttFromHandshake(Segment seg) {
    boolean sampled = false;
    if (synSentNanos >= 0) {
      sampled = rtt.sample(sim.now() - synSentNanos, seg.ack(), sndNxt);
    } else if (tsOk && seg.options().hasTimestamp() && seg.options().tsEcr() != 0) {
      long ms = tsNow() - seg.options().tsEcr();
      if (ms >= 0) {
        sampled = rtt.sample(Math.max(ms, 1) * Nanos.PER_MILLI, seg.ack(), sndNxt);
      }
    }
    if (!sampled) {
      rtt.handshakeWithoutSample();
    }
  }

  /** When our SYN or SYN-ACK was (last) sent, to time the handshake. */
  long synSentNanos = -1;

  /** The retransmission timeout now: icsk_rto, already doubled by each backoff. */
  long currentRto() {
    return rtt.rtoNanos();
  }

  private void congestionOnAck(int priorUna, int ack, int priorInFlight) {
    int ackedSegs = Math.max(1, (SeqNum.distance(priorUna, ack) + mssCache - 1) / mssCache);
    if (ca == CaState.RECOVERY || ca == CaState.LOSS) {
      if (SeqNum.ge(ack, highSeq)) {
        // Recovery is over (tcp_end_cwnd_reduction / tcp_try_undo_recovery).
        if (ca == CaState.RECOVERY) {
          cwnd = Math.max(ssthresh, 2);
        }
        ca = CaState.OPEN;
        clearScoreboardMarks();
      } else {
        if (!sackOk && ca == CaState.RECOVERY) {
          // NewReno partial ACK (RFC 6582 §3.2): the next hole is lost too.
          markHeadLost();
        }
        if (ca == CaState.LOSS) {
          renoCongAvoid(ackedSegs, priorInFlight);
        }
        return;
      }
    }
    if (ca == CaState.DISORDER) {
      ca = CaState.OPEN;
    }
    renoCongAvoid(ackedSegs, priorInFlight);
  }

  /** tcp_reno_cong_avoid: slow start below ssthresh, then one segment per window of ACKs. */
  private void renoCongAvoid(int ackedSegs, int priorInFlight) {
    if (!cwndLimited(priorInFlight)) {
      return;
    }
    if (cwnd < ssthresh) {
      int grow = Math.min(ackedSegs, ssthresh - cwnd);
      cwnd += grow;
      ackedSegs -= grow;
      if (ackedSegs == 0) {
        return;
      }
    }
    cwndCnt += ackedSegs;
    if (cwndCnt >= cwnd) {
      cwndCnt -= cwnd;
      cwnd++;
    }
  }

  /** tcp_is_cwnd_limited: grow only when the window was the limit (twice the flight in slow start). */
  private boolean cwndLimited(int priorInFlight) {
    if (cwnd < ssthresh) {
      return cwnd < 2 * Math.max(priorInFlight, 1);
    }
    return priorInFlight >= cwnd - 1;
  }

  private void duplicateAck() {
    dupAcks++;
    if (ca == CaState.OPEN) {
      ca = CaState.DISORDER;
    }
    if (ca == CaState.DISORDER && (dupAcks >= stack.sysctls().value(Sysctl.TCP_REORDERING)
        || sackedSegments() >= stack.sysctls().value(Sysctl.TCP_REORDERING))) {
      enterRecovery();
    } else if (ca == CaState.RECOVERY || ca == CaState.LOSS) {
      if (!sackOk && ca == CaState.RECOVERY) {
        markRenoSacked();
      }
      xmitRetransmitQueue(false);
      pushPendingFrames();
    } else if (ca == CaState.DISORDER && !sackOk) {
      markRenoSacked();
    }
  }

  /**
   * Fast retransmit and fast recovery (RFC 5681 §3.2, RFC 6675; tcp_enter_recovery): halve the
   * window (Reno's beta), mark the holes lost and retransmit the first one at once.
   */
  private void enterRecovery() {
    stack.count("TcpExtTCPFastRetrans");
    ssthresh = Math.max(cwnd >> 1, 2);
    cwnd = ssthresh;
    cwndCnt = 0;
    ca = CaState.RECOVERY;
    highSeq = sndNxt;
    if (!sackOk) {
      markRenoSacked();
    }
    markHeadLost();
    if (sackOk) {
      markHolesLost();
    }
    xmitRetransmitQueue(true);
    pushPendingFrames();
  }

  /** tcp_retransmit_timer's window side (tcp_enter_loss): cwnd 1, everything un-SACKed lost. */
  private void enterLoss() {
    if (ca != CaState.LOSS || SeqNum.ge(sndUna, highSeq)) {
      ssthresh = Math.max(cwnd >> 1, 2);
    }
    cwnd = 1;
    cwndCnt = 0;
    ca = CaState.LOSS;
    highSeq = sndNxt;
    dupAcks = 0;
    tlpHighSeq = 0;
    for (int k = 0; k < txCount; k++) {
      int i = (txHead + k) % txStart.length;
      if ((txFlags[i] & SACKED) == 0) {
        txFlags[i] = (byte) ((txFlags[i] | LOST) & ~RETRANS);
      }
    }
  }

  // =========================================================================================
  // Scoreboard (retransmission queue)
  // =========================================================================================

  private void txAppend(int start, int end, long now) {
    if (txCount == txStart.length) {
      int cap = Math.max(16, txStart.length * 2);
      int[] s = new int[cap];
      int[] e = new int[cap];
      long[] t = new long[cap];
      byte[] f = new byte[cap];
      for (int k = 0; k < txCount; k++) {
        int i = (txHead + k) % Math.max(1, txStart.length);
        s[k] = txStart[i];
        e[k] = txEnd[i];
        t[k] = txTime[i];
        f[k] = txFlags[i];
      }
      txStart = s;
      txEnd = e;
      txTime = t;
      txFlags = f;
      txHead = 0;
    }
    int i = (txHead + txCount) % txStart.length;
    txStart[i] = start;
    txEnd[i] = end;
    txTime[i] = now;
    txFlags[i] = 0;
    txCount++;
  }

  private int txIndex(int k) {
    return (txHead + k) % txStart.length;
  }

  /** tcp_packets_in_flight: packets_out - (sacked_out + lost_out) + retrans_out. */
  int packetsInFlight() {
    int n = 0;
    for (int k = 0; k < txCount; k++) {
      byte f = txFlags[txIndex(k)];
      if ((f & SACKED) != 0) {
        continue;
      }
      if ((f & LOST) != 0) {
        if ((f & RETRANS) != 0) {
          n++;
        }
        continue;
      }
      n++;
      if ((f & RETRANS) != 0) {
        n++;
      }
    }
    return n;
  }

  private int sackedSegments() {
    int n = 0;
    for (int k = 0; k < txCount; k++) {
      if ((txFlags[txIndex(k)] & SACKED) != 0) {
        n++;
      }
    }
    return n;
  }

  private int countFlag(byte flag) {
    int n = 0;
    for (int k = 0; k < txCount; k++) {
      if ((txFlags[txIndex(k)] & flag) != 0) {
        n++;
      }
    }
    return n;
  }

  private boolean hasRetransmittedInFlight() {
    return countFlag(EVER_RETRANS) > 0;
  }

  /** tcp_sacktag_write_queue: segments wholly inside a SACK block are SACKED. */
  private void processSackBlocks(TcpOptions o) {
    for (int b = 0; b < o.sackBlockCount(); b++) {
      int s = o.sackStart(b);
      int e = o.sackEnd(b);
      if (!SeqNum.lt(s, e) || SeqNum.le(e, sndUna) || SeqNum.gt(e, sndNxt)) {
        continue; // invalid or DSACK: ignored (tcp_is_sackblock_valid)
      }
      for (int k = 0; k < txCount; k++) {
        int i = txIndex(k);
        if (SeqNum.ge(txStart[i], s) && SeqNum.le(txEnd[i], e)) {
          txFlags[i] = (byte) ((txFlags[i] | SACKED) & ~LOST);
        }
      }
    }
    if (ca == CaState.RECOVERY) {
      markHolesLost();
    }
  }

  /** Without SACK, each duplicate ACK stands for one segment that left the network (tcp_add_reno_sack). */
  private void markRenoSacked() {
    int sacked = sackedSegments();
    for (int k = txCount - 1; k > 0 && sacked < dupAcks; k--) {
      int i = txIndex(k);
      if ((txFlags[i] & SACKED) == 0) {
        txFlags[i] |= SACKED;
        sacked++;
      }
    }
  }

  /** tcp_mark_head_lost: the first unacknowledged segment is lost. */
  private void markHeadLost() {
    if (txCount > 0) {
      int i = txHead;
      if ((txFlags[i] & (SACKED | LOST)) == 0) {
        txFlags[i] |= LOST;
      }
    }
  }

  /** Every un-SACKed segment below the highest SACKed one is lost (RFC 6675 IsLost, simplified). */
  private void markHolesLost() {
    int last = -1;
    for (int k = 0; k < txCount; k++) {
      if ((txFlags[txIndex(k)] & SACKED) != 0) {
        last = k;
      }
    }
    for (int k = 0; k < last; k++) {
      int i = txIndex(k);
      if ((txFlags[i] & (SACKED | LOST)) == 0) {
        txFlags[i] |= LOST;
      }
    }
  }

  private void clearScoreboardMarks() {
    for (int k = 0; k < txCount; k++) {
      int i = txIndex(k);
      txFlags[i] &= EVER_RETRANS;
    }
  }

  /**
   * tcp_xmit_retransmit_queue: retransmit lost segments while the pipe allows (the first one of a
   * fast retransmit goes regardless, RFC 6675 §5 step 4.3).
   */
  private void xmitRetransmitQueue(boolean forceFirst) {
    boolean force = forceFirst;
    for (int k = 0; k < txCount; k++) {
      int i = txIndex(k);
      byte f = txFlags[i];
      if ((f & LOST) == 0 || (f & (RETRANS | SACKED)) != 0) {
        continue;
      }
      if (!force && packetsInFlight() >= cwnd) {
        return;
      }
      force = false;
      retransmitEntry(i, true);
    }
  }

  /**
   * tcp_retransmit_skb: resend one scoreboard entry. The first retransmission starts the give-up
   * clock (tp->retrans_stamp); a loss probe does not.
   */
  private void retransmitEntry(int i, boolean stamp) {
    int start = txStart[i];
    int end = txEnd[i];
    boolean fin = finSent && end == finSeq + 1;
    int len = SeqNum.distance(start, end) - (fin ? 1 : 0);
    if (stamp && retransStampNanos == 0) {
      retransStampNanos = sim.now();
    }
    txFlags[i] |= RETRANS | EVER_RETRANS;
    txTime[i] = sim.now();
    totalRetrans++;
    stack.count("TcpRetransSegs");
    transmitData(start, len, fin);
  }

  // =========================================================================================
  // Output (tcp_write_xmit, tcp_transmit_skb)
  // =========================================================================================

  /** Segment payload size now: the MSS less options (tcp_current_mss). */
  int currentMss() {
    return mssCache;
  }

  /**
   * tcp_push_pending_frames / tcp_write_xmit: send new data as the congestion window, the peer's
   * window and Nagle allow, then the FIN once everything before it has gone.
   */
  void pushPendingFrames() {
    switch (state) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT1, CLOSING, LAST_ACK -> {}
      default -> {
        return;
      }
    }
    if (ca == CaState.RECOVERY || ca == CaState.LOSS) {
      xmitRetransmitQueue(false);
    }
    boolean sentNew = false;
    int mss = currentMss();
    while (true) {
      int avail = SeqNum.distance(sndNxt, writeSeq);
      boolean finPending = finQueued && !finSent;
      if (avail <= 0 && !finPending) {
        break;
      }
      int len = Math.min(mss, Math.max(avail, 0));
      boolean withFin = finPending && len == avail;
      boolean finOnly = len == 0 && withFin;
      if (!finOnly && packetsInFlight() >= cwnd) {
        break; // tcp_cwnd_test; a lone FIN goes regardless
      }
      if (len > 0 && SeqNum.gt(sndNxt + len, sndUna + sndWnd)) {
        // tcp_snd_wnd_test: the segment must fit the peer's window whole.
        if (txCount == 0) {
          armProbeTimer();
        }
        break;
      }
      if (len > 0 && len < mss && !withFin && nagleHolds()) {
        break;
      }
      transmitNew(len, withFin);
      sentNew = true;
    }
    if (sentNew) {
      scheduleLossProbeOrRto(false);
    }
  }

  /**
   * Nagle (RFC 896) with Minshall's refinement, as tcp_nagle_check: a small segment waits while an
   * earlier small segment is unacknowledged, unless TCP_NODELAY.
   */
  private boolean nagleHolds() {
    return !noDelay && txCount > 0 && SeqNum.gt(sndSml, sndUna) && SeqNum.le(sndSml, sndNxt);
  }

  private void transmitNew(int len, boolean fin) {
    int start = sndNxt;
    if (len > 0 && len < currentMss()) {
      sndSml = start + len;
    }
    if (fin) {
      finSent = true;
      finSeq = start + len;
    }
    int end = start + len + (fin ? 1 : 0);
    boolean wasIdle = txCount == 0;
    txAppend(start, end, sim.now());
    sndNxt = end;
    transmitData(start, len, fin);
    if (wasIdle && xmitKind != XMIT_RTO) {
      resetXmitTimer(XMIT_RTO, currentRto());
    }
    if (sim.now() - lastDataRecvNanos < atoNanos && lastDataRecvNanos != 0) {
      pingpong = true; // tcp_event_data_sent: a reply within ato: interactive
    }
  }

  /** Builds and sends a data (or FIN) segment for [start, start+len) of the send queue. */
  private void transmitData(int start, int len, boolean fin) {
    byte[] payload = null;
    if (len > 0 && sendBuf != null && sendBuf.carriesContent()) {
      payload = sendBuf.payload(start, len);
    }
    int flags = ACK;
    if (len > 0 && start + len == writeSeq) {
      flags |= PSH;
    }
    if (fin) {
      flags |= FIN;
    }
    output(start, flags, len, payload);
  }

  /** Sends a bare ACK now (tcp_send_ack). */
  void sendAck() {
    if (state == CLOSE || state == SYN_SENT || state == LISTEN) {
      return;
    }
    output(sndNxt, ACK, 0, null);
  }

  /** RFC 5961 challenge ACK (tcp_send_challenge_ack), rate-limited per socket and per host. */
  private void sendChallengeAck() {
    if (stack.allowChallengeAck(this)) {
      stack.count("TcpExtTCPChallengeACK");
      sendAck();
    }
  }

  /** A RST from a synchronized connection (tcp_send_active_reset): seq SND.NXT, with ACK. */
  private void sendActiveReset() {
    stack.count("TcpOutRsts");
    Segment rst = new Segment(localAddr, localPort, remoteAddr, remotePort, sndNxt, rcvNxt,
        RST | ACK, 0, 0, TcpOptions.NONE, 0, null);
    stack.transmit(rst);
  }

  /** Sends our SYN (or, in a simultaneous open, SYN-ACK) with Linux's option layout. */
  private void sendSyn(boolean withAck) {
    int flags = withAck ? SYN | ACK : SYN;
    TcpOptions o = TcpOptionLayout.syn(advertisedMss(), sackOk, tsOk, tsNow(),
        withAck && tsOk ? tsRecent : 0, wscaleOk ? rcvWscale : -1);
    synSentNanos = sim.now();
    Segment s = new Segment(localAddr, localPort, remoteAddr, remotePort, iss,
        withAck ? rcvNxt : 0, flags, Math.min(rcvWnd, 65535), 0, o, 0, null);
    segsOut++;
    stack.transmit(s);
  }

  int advertisedMss() {
    return userMss > 0 ? Math.min(userMss, ETHERNET_MSS) : ETHERNET_MSS;
  }

  /**
   * tcp_transmit_skb for an established connection: stamps ACK, window and options; every
   * segment carries an ACK, so a pending delayed ACK is satisfied (tcp_event_ack_sent).
   */
  private void output(int seq, int flags, int len, byte[] payload) {
    int window = selectWindow();
    TcpOptions o = TcpOptionLayout.established(tsOk, tsNow(), tsRecent, sackBlocks, sackBlockCount);
    Segment s = new Segment(localAddr, localPort, remoteAddr, remotePort, seq, rcvNxt, flags,
        window, 0, o, len, payload);
    segsOut++;
    ackSent();
    stack.transmit(s);
  }

  /** tcp_event_ack_sent: the pending ACK is done; a quick ACK is used up. */
  private void ackSent() {
    if (quickAcks > 0) {
      quickAcks--;
      if (quickAcks == 0) {
        atoNanos = ATO_MIN_NANOS;
      }
    }
    ackScheduled = false;
    if (delackTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(delackTimer);
      delackTimer = Simulation.NO_EVENT;
    }
  }

  // =========================================================================================
  // Receive window (tcp_select_window, __tcp_select_window)
  // =========================================================================================

  /** What is left of the window last advertised (tcp_receive_window). */
  int currentReceiveWindow() {
    int w = SeqNum.distance(rcvNxt, rcvWup + rcvWnd);
    return Math.max(w, 0);
  }

  private int bufferedBytes() {
    int n = readableBytes();
    for (int i = 0; i < ofoCount; i++) {
      n += SeqNum.distance(ofoStart[i], ofoEnd[i]);
    }
    return n;
  }

  /** __tcp_select_window: the window to offer now, in bytes, before the no-shrink rule. */
  int selectWindowRaw() {
    int mss = Math.max(rcvMss, MIN_MSS);
    int allowed = fullSpace();
    int free = Math.max(0, allowed - bufferedBytes());
    if (free < allowed / 2) {
      if (rcvWscale > 0) {
        free = free >> rcvWscale << rcvWscale;
      }
      if (free < mss) {
        return 0; // receiver-side silly window avoidance (RFC 1122 §4.2.3.3)
      }
    }
    if (free > rcvSsthresh) {
      free = rcvSsthresh;
    }
    int window;
    if (rcvWscale > 0) {
      int unit = 1 << rcvWscale;
      window = (free + unit - 1) / unit * unit; // ALIGN: never scaled away to zero
    } else {
      window = free;
      if (window > mss) {
        window = window / mss * mss;
      }
    }
    return window;
  }

  /** tcp_select_window: never shrink what was offered; record rcv_wnd/rcv_wup; return the field. */
  int selectWindow() {
    int cur = currentReceiveWindow();
    int win = selectWindowRaw();
    if (win < cur) {
      int unit = 1 << rcvWscale;
      win = (cur + unit - 1) / unit * unit;
    }
    int max = 65535 << rcvWscale;
    if (win > max) {
      win = max;
    }
    rcvWnd = win;
    rcvWup = rcvNxt;
    return win >> rcvWscale;
  }

  /** tcp_grow_window: a well-behaved sender earns a larger window, two segments at a time. */
  private void growWindow(int len) {
    if (rcvSsthresh < windowClamp && len >= Math.min(rcvMss, 536)) {
      rcvSsthresh = Math.min(rcvSsthresh + 2 * rcvMss, Math.min(windowClamp, fullSpace()));
    }
  }

  // =========================================================================================
  // Receiving data (tcp_data_queue, out-of-order queue, SACK blocks)
  // =========================================================================================

  private void dataQueue(Segment seg) {
    int seq = seg.seq();
    int len = seg.payloadLength();
    int end = seq + len;
    byte[] payload = seg.payload();
    if (len > rcvMss) {
      rcvMss = Math.min(len, ETHERNET_MSS); // tcp_measure_rcv_mss
    }
    if (SeqNum.le(end, rcvNxt)) {
      // A full duplicate: ACK at once (tcp_send_dupack, with quick ACKs re-armed).
      stack.count("TcpExtDelayedACKLost");
      enterQuickAck();
      sendAck();
      return;
    }
    if (SeqNum.gt(seq, rcvNxt)) {
      stashOfo(seq, end, payload, false);
      addSackBlock(seq, end);
      // An out-of-order segment is ACKed at once with SACK (tcp_data_queue_ofo, __tcp_ack_snd_check).
      enterQuickAck();
      ackScheduled = true;
      return;
    }
    // In order (possibly overlapping what we have): trim the old part.
    int skip = SeqNum.distance(seq, rcvNxt);
    int fresh = len - skip;
    // In-window data is taken while the buffer (twice the window, sk_rcvbuf) has room; what
    // does not fit is dropped (tcp_try_rmem_schedule failing).
    int room = rcvBuf - bufferedBytes();
    if (fresh > room) {
      if (room <= 0) {
        stack.drop(seg, DropReason.TCP_ZEROWINDOW);
        sendAck();
        return;
      }
      fresh = room;
    }
    recvQueue.append(payload, skip, fresh);
    rcvNxt += fresh;
    bytesReceived += fresh;
    growWindow(fresh);
    eventDataRecv();
    pullOfo();
    trimSackBlocks();
    ackScheduled = true;
    notifyApp();
  }

  /**
   * tcp_event_data_recv: the first data starts the delayed-ACK engine with quick ACKs
   * (tcp_incr_quickack), and the ACK timeout adapts to the gaps between arrivals.
   */
  private void eventDataRecv() {
    long now = sim.now();
    if (atoNanos == 0) {
      enterQuickAckCount();
      atoNanos = ATO_MIN_NANOS;
    } else {
      long m = now - lastDataRecvNanos;
      if (m <= ATO_MIN_NANOS / 2) {
        atoNanos = atoNanos / 2 + ATO_MIN_NANOS / 2;
      } else if (m < atoNanos) {
        atoNanos = atoNanos / 2 + m;
        if (atoNanos > rtt.rtoNanos()) {
          atoNanos = rtt.rtoNanos();
        }
      } else if (m > rtt.rtoNanos()) {
        enterQuickAckCount();
      }
    }
    lastDataRecvNanos = now;
  }

  /** tcp_incr_quickack: up to rcv_wnd / (2 rcv_mss) quick ACKs, at most 16. */
  private void enterQuickAckCount() {
    int quick = Math.max(2, rcvWnd / (2 * Math.max(rcvMss, MIN_MSS)));
    quickAcks = Math.max(quickAcks, Math.min(quick, MAX_QUICKACKS));
  }

  /** tcp_enter_quickack_mode: quick ACKs and out of pingpong. */
  private void enterQuickAck() {
    enterQuickAckCount();
    pingpong = false;
    atoNanos = ATO_MIN_NANOS;
  }

  private void stashOfo(int seq, int end, byte[] payload, boolean finOnly) {
    if (finOnly) {
      return; // a bare FIN beyond a hole: the peer retransmits it with the hole filled
    }
    // Merge into the sorted, non-overlapping ofo list (tcp_data_queue_ofo coalescing).
    int room = rcvBuf - bufferedBytes();
    if (SeqNum.distance(seq, end) > room) {
      stack.drop(null, DropReason.TCP_OFO_DROP);
      return;
    }
    if (ofoData == null) {
      ofoData = new byte[4][];
      ofoStart = new int[4];
      ofoEnd = new int[4];
    }
    // Build the new range's content by merging with overlapping neighbours.
    int s = seq;
    int e = end;
    byte[] data = payload;
    int first = 0;
    while (first < ofoCount && SeqNum.lt(ofoEnd[first], s)) {
      first++;
    }
    int last = first;
    while (last < ofoCount && SeqNum.le(ofoStart[last], e)) {
      last++;
    }
    if (last > first) {
      int ns = SeqNum.min(s, ofoStart[first]);
      int ne = SeqNum.max(e, ofoEnd[last - 1]);
      byte[] merged = null;
      if (recvQueue.keepsContent()) {
        merged = new byte[SeqNum.distance(ns, ne)];
        for (int k = first; k < last; k++) {
          if (ofoData[k] != null) {
            System.arraycopy(ofoData[k], 0, merged, SeqNum.distance(ns, ofoStart[k]),
                ofoData[k].length);
          }
        }
        if (data != null) {
          System.arraycopy(data, 0, merged, SeqNum.distance(ns, s), data.length);
        }
      }
      s = ns;
      e = ne;
      data = merged;
      int removed = last - first;
      System.arraycopy(ofoStart, last, ofoStart, first + 1, ofoCount - last);
      System.arraycopy(ofoEnd, last, ofoEnd, first + 1, ofoCount - last);
      System.arraycopy(ofoData, last, ofoData, first + 1, ofoCount - last);
      ofoCount -= removed - 1;
      ofoStart[first] = s;
      ofoEnd[first] = e;
      ofoData[first] = data;
      return;
    }
    if (ofoCount == ofoStart.length) {
      ofoStart = Arrays.copyOf(ofoStart, ofoCount * 2);
      ofoEnd = Arrays.copyOf(ofoEnd, ofoCount * 2);
      ofoData = Arrays.copyOf(ofoData, ofoCount * 2);
    }
    System.arraycopy(ofoStart, first, ofoStart, first + 1, ofoCount - first);
    System.arraycopy(ofoEnd, first, ofoEnd, first + 1, ofoCount - first);
    System.arraycopy(ofoData, first, ofoData, first + 1, ofoCount - first);
    ofoStart[first] = s;
    ofoEnd[first] = e;
    ofoData[first] = recvQueue.keepsContent() ? (data == null ? new byte[SeqNum.distance(s, e)] : data)
        : null;
    ofoCount++;
  }

  /** tcp_ofo_queue: move what the hole-filling segment made contiguous into the receive queue. */
  private void pullOfo() {
    while (ofoCount > 0 && SeqNum.le(ofoStart[0], rcvNxt)) {
      if (SeqNum.gt(ofoEnd[0], rcvNxt)) {
        int skip = SeqNum.distance(ofoStart[0], rcvNxt);
        int n = SeqNum.distance(rcvNxt, ofoEnd[0]);
        recvQueue.append(ofoData[0], skip, n);
        rcvNxt += n;
        bytesReceived += n;
      }
      System.arraycopy(ofoStart, 1, ofoStart, 0, ofoCount - 1);
      System.arraycopy(ofoEnd, 1, ofoEnd, 0, ofoCount - 1);
      System.arraycopy(ofoData, 1, ofoData, 0, ofoCount - 1);
      ofoCount--;
      ofoData[ofoCount] = null;
    }
  }

  /** tcp_sack_new_ofo_skb: the block holding the newest segment goes first; at most 4 kept. */
  private void addSackBlock(int s, int e) {
    if (!sackOk) {
      return;
    }
    if (sackBlocks.length == 0) {
      sackBlocks = new int[8];
    }
    // Merge with any block it touches, then move to the front.
    int ns = s;
    int ne = e;
    int[] kept = new int[8];
    int keptCount = 0;
    for (int b = 0; b < sackBlockCount; b++) {
      int bs = sackBlocks[2 * b];
      int be = sackBlocks[2 * b + 1];
      if (SeqNum.le(bs, ne) && SeqNum.ge(be, ns)) {
        ns = SeqNum.min(ns, bs);
        ne = SeqNum.max(ne, be);
      } else if (keptCount < 3) {
        kept[2 * keptCount] = bs;
        kept[2 * keptCount + 1] = be;
        keptCount++;
      }
    }
    sackBlocks[0] = ns;
    sackBlocks[1] = ne;
    System.arraycopy(kept, 0, sackBlocks, 2, 2 * keptCount);
    sackBlockCount = 1 + keptCount;
  }

  /** tcp_sack_remove: blocks at or below RCV.NXT are gone. */
  private void trimSackBlocks() {
    int n = 0;
    for (int b = 0; b < sackBlockCount; b++) {
      int bs = sackBlocks[2 * b];
      int be = sackBlocks[2 * b + 1];
      if (SeqNum.gt(be, rcvNxt)) {
        sackBlocks[2 * n] = SeqNum.max(bs, rcvNxt);
        sackBlocks[2 * n + 1] = be;
        n++;
      }
    }
    sackBlockCount = n;
  }

  /**
   * __tcp_ack_snd_check: ACK now when more than one full segment is unacknowledged and the window
   * would not shrink, in quick-ACK mode, or with out-of-order data; otherwise delay it.
   */
  private void ackSndCheck() {
    if (!ackScheduled) {
      return;
    }
    boolean moreThanOneMss = SeqNum.distance(rcvWup, rcvNxt) > rcvMss
        && selectWindowRaw() >= rcvWnd;
    boolean quick = quickAcks > 0 && !pingpong;
    if (moreThanOneMss || quick || ofoCount > 0) {
      sendAck();
      return;
    }
    sendDelayedAck();
  }

  /**
   * tcp_send_delayed_ack: arm the delayed-ACK timer for ato, bounded by 200 ms in pingpong mode
   * (else 500 ms) and by the smoothed RTT (at least 40 ms). Before any data arrived ato is 0 and
   * the timer fires at the next tick (one jiffy, 4 ms at CONFIG_HZ=250), as for the ACK of a
   * FIN on a connection that never carried data. An earlier pending deadline stands.
   */
  private void sendDelayedAck() {
    long ato = atoNanos;
    if (ato > ATO_MIN_NANOS) {
      long maxAto = pingpong ? DELACK_MAX_NANOS : Nanos.millis(500);
      if (rtt.hasSample()) {
        maxAto = Math.min(maxAto, Math.max(rtt.srttNanos(), ATO_MIN_NANOS));
      }
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, DELACK_MAX_NANOS);
    if (ato < JIFFY_NANOS) {
      ato = JIFFY_NANOS;
    }
    if (sim.isPending(delackTimer)) {
      return;
    }
    delackTimer = sim.scheduleAfter(ato, this, TIMER_DELACK);
  }

  // =========================================================================================
  // Timers
  // =========================================================================================

  @Override
  public void fire(long nowNanos, long arg) {
    if (arg == TIMER_XMIT) {
      xmitTimer = Simulation.NO_EVENT;
      int kind = xmitKind;
      xmitKind = XMIT_NONE;
      switch (kind) {
        case XMIT_RTO -> retransmitTimeout();
        case XMIT_TLP -> lossProbeTimeout();
        case XMIT_PROBE0 -> probeTimeout();
        default -> {}
      }
    } else if (arg == TIMER_DELACK) {
      delackTimer = Simulation.NO_EVENT;
      delayedAckTimeout();
    } else if (arg == TIMER_KEEPALIVE) {
      keepaliveTimer = Simulation.NO_EVENT;
      keepaliveTimeout();
    } else if (arg == TIMER_TIMEWAIT) {
      timeWaitTimer = Simulation.NO_EVENT;
      timeWaitTimeout();
    }
  }

  private void resetXmitTimer(int kind, long delayNanos) {
    if (xmitTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(xmitTimer);
    }
    xmitKind = kind;
    xmitTimer = sim.scheduleAfter(Math.max(0, delayNanos), this, TIMER_XMIT);
  }

  private void clearXmitTimer() {
    if (xmitTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(xmitTimer);
      xmitTimer = Simulation.NO_EVENT;
    }
    xmitKind = XMIT_NONE;
  }

  /**
   * tcp_schedule_loss_probe (RFC 8985 §7.2): with SACK, in the Open state, arm a probe timeout of
   * 2 SRTT (plus 200 ms with one segment out, else 2 jiffies), never later than the RTO.
   */
  private void scheduleLossProbeOrRto(boolean advancingRto) {
    if (txCount == 0) {
      return;
    }
    int early = stack.sysctls().earlyRetrans();
    boolean tlp = (early == 3 || early == 4) && sackOk && ca == CaState.OPEN
        && tlpHighSeq == 0 && rtt.hasSample();
    if (!tlp) {
      if (advancingRto || xmitKind != XMIT_RTO) {
        resetXmitTimer(XMIT_RTO, currentRto());
      }
      return;
    }
    long pto = 2 * rtt.srttNanos() + (txCount == 1 ? RTO_MIN_NANOS : TIMEOUT_MIN_NANOS);
    long rtoDelta = advancingRto ? currentRto() : txTime[txHead] + currentRto() - sim.now();
    if (rtoDelta > 0) {
      pto = Math.min(pto, rtoDelta);
    }
    resetXmitTimer(XMIT_TLP, pto);
  }

  /**
   * tcp_send_loss_probe (RFC 8985 §7.3): send one new segment if the windows allow, else
   * retransmit the last one; then the RTO takes over.
   */
  private void lossProbeTimeout() {
    if (txCount == 0) {
      return;
    }
    int avail = SeqNum.distance(sndNxt, writeSeq);
    int mss = currentMss();
    int len = Math.min(avail, mss);
    if (len > 0 && SeqNum.le(sndNxt + len, sndUna + sndWnd)) {
      transmitNew(len, finQueued && !finSent && len == avail);
    } else {
      int i = txIndex(txCount - 1);
      if ((txFlags[i] & SACKED) == 0) {
        retransmitEntry(i, false); // __tcp_retransmit_skb: no retrans_stamp for a probe
      }
    }
    stack.count("TcpExtTCPLossProbes");
    tlpHighSeq = sndNxt;
    resetXmitTimer(XMIT_RTO, currentRto());
  }

  /**
   * The retransmission timeout (§3.8.1, RFC 6298 §5; tcp_retransmit_timer): give up when the time
   * budget runs out (tcp_write_timeout), else retransmit the head, back off and re-arm.
   */
  void retransmitTimeout() {
    if (state == SYN_SENT || state == SYN_RECV && parent == null) {
      synRetransmitTimeout();
      return;
    }
    if (txCount == 0) {
      return;
    }
    if (writeTimedOut()) {
      timedOut();
      return;
    }
    stack.count("TcpExtTCPTimeouts");
    enterLoss();
    int i = txHead;
    retransmitEntry(i, true);
    retransmits++;
    totalRto++;
    rtt.backoff();
    resetXmitTimer(XMIT_RTO, TcpTimeouts.clampRtoToUserTimeoutNanos(rtt.rtoNanos(), sim.now(),
        retransStampNanos, Nanos.millis(userTimeoutMs), JIFFY_NANOS));
  }

  /**
   * SYN (or simultaneous-open SYN-ACK) retransmission, as Linux 6.x schedules it
   * (tcp_retransmit_timer, tcp_write_timeout): the first tcp_syn_linear_timeouts retries keep the
   * 1 s timeout, later ones double; connect gives up once tcp_syn_retries + tcp_syn_linear_timeouts
   * retransmissions have timed out.
   */
  private void synRetransmitTimeout() {
    TcpSysctls s = stack.sysctls();
    boolean synSent = state == SYN_SENT;
    if (TcpTimeouts.synTimedOut(sim.now(), firstSynNanos, retransmits, s.synRetries(),
        s.synLinearTimeouts(), synSent, Nanos.millis(userTimeoutMs))) {
      timedOut();
      return;
    }
    sendSyn(state == SYN_RECV);
    retransmits++;
    totalRto++;
    totalRetrans++;
    if (!synSent || TcpTimeouts.synTimeoutBacksOff(totalRto, s.synLinearTimeouts())) {
      rtt.backoff();
    }
    synSentNanos = -1; // Karn: no RTT sample from a retransmitted SYN
    resetXmitTimer(XMIT_RTO, rtt.rtoNanos());
  }

  /**
   * tcp_write_timeout for a synchronized connection: the retransmission budget of tcp_retries2
   * (or of the orphan retries, or TCP_USER_TIMEOUT) counted from the first retransmission.
   */
  private boolean writeTimedOut() {
    int boundary = orphan ? orphanRetries() : stack.sysctls().retries2();
    return TcpTimeouts.retransmitsTimedOut(sim.now(), retransStampNanos, retransmits, boundary,
        Nanos.millis(userTimeoutMs), TcpTimeouts.RTO_MIN_NANOS);
  }

  /** tcp_orphan_retries: 0 means 8 while the RTO is below its maximum. */
  private int orphanRetries() {
    return TcpTimeouts.orphanRetries(stack.sysctls().orphanRetries(),
        rtt.rtoNanos() < RTO_MAX_NANOS, false);
  }

  /** tcp_write_err: the connection timed out (ETIMEDOUT, or the soft error seen before). */
  private void timedOut() {
    Errno err = Errno.ETIMEDOUT;
    pendingError = err;
    stack.count("TcpExtTCPAbortOnTimeout");
    destroy("retransmission give-up", err);
  }

  /**
   * The zero-window probe (§3.8.6.1; tcp_probe_timer, tcp_send_probe0): send what fits a small
   * window, else an ACK with SND.UNA-1 that forces the peer to answer with its window; back off.
   */
  private void probeTimeout() {
    if (txCount > 0 || SeqNum.ge(sndNxt, writeSeq) && !(finQueued && !finSent)) {
      probesOut = 0;
      return;
    }
    int maxProbes = orphan ? orphanRetries() : stack.sysctls().retries2();
    if (probesOut == 0) {
      probesStampNanos = sim.now();
    }
    if (TcpTimeouts.probeTimerExpired(probesOut, maxProbes, sim.now() - probesStampNanos,
        Nanos.millis(userTimeoutMs))) {
      timedOut();
      return;
    }
    probesOut++;
    int room = SeqNum.distance(sndNxt, sndUna + sndWnd);
    if (room > 0) {
      int len = Math.min(Math.min(room, currentMss()), SeqNum.distance(sndNxt, writeSeq));
      transmitNew(len, false);
    } else {
      output(sndUna - 1, ACK, 0, null);
    }
    rtt.countProbeBackoff(maxProbes); // tcp_send_probe0
    armProbeTimer();
  }

  /** tcp_check_probe_timer / tcp_probe0_when: RTO << backoff, at most 120 s. */
  private void armProbeTimer() {
    if (xmitKind == XMIT_PROBE0 && sim.isPending(xmitTimer)) {
      return;
    }
    resetXmitTimer(XMIT_PROBE0,
        TcpTimeouts.probe0WhenNanos(rtt.rtoNanos(), rtt.backoffCount(), RTO_MAX_NANOS));
  }

  /**
   * tcp_delack_timer_handler: send the owed ACK; a missed delayed ACK outside pingpong doubles
   * ato (up to the RTO), in pingpong it leaves pingpong mode.
   */
  private void delayedAckTimeout() {
    if (!ackScheduled || !state.isSynchronized() && state != SYN_RECV) {
      return;
    }
    if (!pingpong) {
      atoNanos = Math.min(atoNanos << 1, rtt.rtoNanos());
    } else {
      pingpong = false;
      atoNanos = ATO_MIN_NANOS;
    }
    stack.count("TcpExtDelayedACKs");
    sendAck();
  }

  /** Keepalive (RFC 1122 §4.2.3.6; tcp_keepalive_timer), and the orphan FIN-WAIT-2 timeout. */
  private void keepaliveTimeout() {
    if (state == FIN_WAIT2 && orphan) {
      // tcp_keepalive_timer: an orphan's FIN-WAIT-2 ends after tcp_fin_timeout, without a segment.
      destroy("tcp_fin_timeout in FIN-WAIT-2", null);
      return;
    }
    if (!keepAlive || state != ESTABLISHED && state != CLOSE_WAIT && state != FIN_WAIT2) {
      return;
    }
    long idle = sim.now() - lastRecvNanos;
    long keepIdle = Nanos.seconds(keepIdleSeconds > 0 ? keepIdleSeconds
        : stack.sysctls().keepaliveTimeSeconds());
    long keepIntvl = Nanos.seconds(keepIntvlSeconds > 0 ? keepIntvlSeconds
        : stack.sysctls().keepaliveIntvlSeconds());
    int cnt = keepCnt > 0 ? keepCnt : stack.sysctls().keepaliveProbes();
    if (txCount > 0 || SeqNum.lt(sndNxt, writeSeq)) {
      keepaliveTimer = sim.scheduleAfter(keepIdle, this, TIMER_KEEPALIVE);
      return;
    }
    if (idle >= keepIdle) {
      if (TcpTimeouts.keepaliveExpired(idle, keepIdle, probesOut, cnt, Nanos.millis(userTimeoutMs))) {
        timedOut();
        return;
      }
      output(sndUna - 1, ACK, 0, null); // tcp_write_wakeup -> tcp_xmit_probe_skb
      probesOut++;
      keepaliveTimer = sim.scheduleAfter(keepIntvl, this, TIMER_KEEPALIVE);
    } else {
      probesOut = 0;
      keepaliveTimer = sim.scheduleAfter(keepIdle - idle, this, TIMER_KEEPALIVE);
    }
  }

  /** SO_KEEPALIVE turned on or its times changed: (re)arm the keepalive timer (tcp_set_keepalive). */
  void keepaliveChanged() {
    if (keepaliveTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(keepaliveTimer);
      keepaliveTimer = Simulation.NO_EVENT;
    }
    if (keepAlive && state.isSynchronized() && state != TIME_WAIT) {
      long keepIdle = Nanos.seconds(keepIdleSeconds > 0 ? keepIdleSeconds
          : stack.sysctls().keepaliveTimeSeconds());
      keepaliveTimer = sim.scheduleAfter(keepIdle, this, TIMER_KEEPALIVE);
    }
  }

  private void armFinWait2Timer() {
    if (keepaliveTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(keepaliveTimer);
    }
    keepaliveTimer = sim.scheduleAfter(Nanos.seconds(stack.sysctls().finTimeoutSeconds()), this,
        TIMER_KEEPALIVE);
  }

  private void timeWaitTimeout() {
    destroy("TIME-WAIT timeout", null);
  }

  private void armTimeWaitTimer() {
    if (timeWaitTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(timeWaitTimer);
    }
    timeWaitTimer = sim.scheduleAfter(Nanos.seconds(stack.sysctls().timeWaitLenSeconds()), this,
        TIMER_TIMEWAIT);
  }

  /** tcp_time_wait: TIME-WAIT for TCP_TIMEWAIT_LEN (60 s in Linux; RFC 9293 says 2 MSL). */
  private void enterTimeWait(String cause) {
    setState(TIME_WAIT, cause);
    cancelAllTimers();
    releaseBuffers();
    armTimeWaitTimer();
    notifyApp();
  }

  // =========================================================================================
  // Setup and teardown helpers
  // =========================================================================================

  /** Options from the peer's SYN or SYN-ACK (tcp_parse_options, tcp_synsent/openreq paths). */
  void negotiateOptions(TcpOptions o) {
    peerMss = o.mss() > 0 ? o.mss() : 536; // RFC 9293 §3.7.1: 536 when absent
    wscaleOk = wscaleOk && o.windowScale() >= 0;
    if (wscaleOk) {
      sndWscale = Math.min(o.windowScale(), 14);
    } else {
      sndWscale = 0;
      rcvWscale = 0;
    }
    sackOk = sackOk && o.sackPermitted();
    tsOk = tsOk && o.hasTimestamp();
    int mss = Math.min(peerMss, advertisedMss());
    if (userMss > 0) {
      mss = Math.min(mss, userMss);
    }
    mssCache = Math.max(MIN_MSS, mss - (tsOk ? TS_ALIGNED : 0));
    rcvMss = Math.min(mssCache, Math.max(rcvWnd / 2, MIN_MSS)); // tcp_initialize_rcv_mss
  }

  /** The options a request socket negotiated, applied to its child (tcp_create_openreq_child). */
  void negotiateFromRequest(int peerMssValue) {
    peerMss = peerMssValue;
    int mss = Math.min(peerMss, advertisedMss());
    if (userMss > 0) {
      mss = Math.min(mss, userMss);
    }
    mssCache = Math.max(MIN_MSS, mss - (tsOk ? TS_ALIGNED : 0));
    rcvMss = Math.min(mssCache, Math.max(rcvWnd / 2, MIN_MSS));
  }

  /** tcp_init_transfer: buffers sized, delayed-ACK engine idle until the first data, keepalive armed. */
  void initTransfer() {
    everConnected = true;
    lastRecvNanos = sim.now();
    if (keepAlive) {
      keepaliveChanged();
    }
  }

  private void ensureBuffers() {
    boolean keep = stack.keepPayload();

    if (recvQueue == null) {
      recvQueue = new ByteQueue(keep);
    }
  }

  private void releaseBuffers() {
    if (sendBuf != null && sendBuf.size() == 0) {
      sendBuf = null;
    }
    ofoStart = NO_INTS;
    ofoEnd = NO_INTS;
    ofoData = null;
    ofoCount = 0;
    txStart = NO_INTS;
    txEnd = NO_INTS;
    txTime = NO_LONGS;
    txFlags = NO_BYTES;
    txCount = 0;
    txHead = 0;
  }

  /**
   * sk_sndbuf, the payload the send buffer may hold: SO_SNDBUF's doubled value when set;
   * otherwise tcp_wmem[1] grown as tcp_sndbuf_expand does once the window is known (2 x
   * max(IW10, cwnd) x per-segment memory, MSS + ~2 KB of skb overhead: 69120 bytes at MSS 1448),
   * at most tcp_wmem[2].
   */
  int sendCapacity() {
    if (sndBufLocked) {
      return sndBuf;
    }
    if (!everConnected) {
      return sndBuf;
    }
    long perMss = Math.max(mssCache, MIN_MSS) + SKB_OVERHEAD_BYTES;
    long expand = 2L * Math.max(cwnd, INIT_CWND) * perMss;
    return (int) Math.min(Math.max(sndBuf, expand), stack.sysctls().wmemMax());
  }

  private void queueFin() {
    finQueued = true;
    pushPendingFrames();
    if (!finSent) {
      // Nothing could go yet (window or cwnd); the FIN follows the queued data.
    }
  }

  /**
   * tcp_done: to CLOSE, timers off, unhashed, both directions shut (SHUTDOWN_MASK); the socket
   * survives while the application holds it.
   */
  void destroy(String cause, Errno err) {
    if (state != CLOSE) {
      setState(CLOSE, cause);
    }
    rcvShutdown = true;
    sendShutdown = true;
    cancelAllTimers();
    releaseBuffers();
    stack.unhash(this);
    if (orphan) {
      stack.release(this);
    }
    notifyApp();
  }

  private void cancelAllTimers() {
    clearXmitTimer();
    if (delackTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(delackTimer);
      delackTimer = Simulation.NO_EVENT;
    }
    if (keepaliveTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(keepaliveTimer);
      keepaliveTimer = Simulation.NO_EVENT;
    }
    if (timeWaitTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(timeWaitTimer);
      timeWaitTimer = Simulation.NO_EVENT;
    }
    ackScheduled = false;
  }

  /** The host rebooted: forget everything without a segment. */
  void vanish() {
    cancelAllTimers();
    if (state != CLOSE) {
      state = CLOSE;
    }
  }

  /**
   * The only writer of {@link #state}: refuses a pair not in {@link TcpTransitions#TABLE} and
   * tells the stack (for ss, counters and traces).
   */
  void setState(TcpState next, String cause) {
    TcpTransitions.require(state, next, cause);
    TcpState prev = state;
    state = next;
    stack.stateChanged(this, prev, next, cause);
  }

  void notifyApp() {
    SocketEvents e = events;
    if (e != null) {
      e.socketChanged(this);
    }
    if (parent != null && parent.owner.events != null && state == CLOSE) {
      parent.owner.notifyApp();
    }
  }

  /** A TCP_INFO snapshot (tcp_get_info). */
  public TcpInfo info() {
    int unacked = txCount;
    return new TcpInfo(state, ca, retransmits, probesOut, rtt.backoffCount(),
        rtt.rtoNanos() / 1000,
        atoNanos / 1000, mssCache, rcvMss, unacked, countFlag(SACKED), countFlag(LOST),
        countFlag(RETRANS), rtt.srttNanos() / 1000, rtt.rttvarNanos() / 1000,
        ssthresh, cwnd, stack.sysctls().value(Sysctl.TCP_REORDERING), totalRetrans, sndWnd,
        rcvWnd, Math.max(0, SeqNum.distance(sndNxt, writeSeq)), bytesAcked, bytesReceived,
        segsOut, segsIn);
  }

  @Override
  public String toString() {
    return "TcpConnection[" + tcpsim.net.wire.Ipv4.format(localAddr) + ":" + localPort + " -> "
        + tcpsim.net.wire.Ipv4.format(remoteAddr) + ":" + remotePort + " " + state + "]";
  }
}
