package tcpsim.net.tcp;

import static com.google.common.base.Preconditions.checkState;

import static tcpsim.net.tcp.TcpState.*;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.FIN;
import static tcpsim.net.wire.TcpFlags.PSH;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

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
 * <p>The pure parts come from their own classes: {@link RttEstimator} (tcp_rtt_estimator,
 * tcp_set_rto), {@link RenoCongestion} (window arithmetic with PRR), {@link SendBuffer} and
 * {@link ReceiveBuffer} (data, out-of-order queue, SACK blocks, receive window) and
 * {@link TcpTimeouts} (give-up budgets and retry schedules). This class owns the state machine,
 * the congestion state (tcp_fastretrans_alert) and the scoreboard.
 *
 * <p>Differences from Linux:
 * <ul>
 *   <li>Congestion control is Reno's window growth with the configured algorithm's loss response
 *       (see {@link RenoCongestion}): under CUBIC, the default, a loss keeps 70% of the window as
 *       Linux does, but the window then grows by one segment per round trip, not along CUBIC's
 *       cubic curve of the time since the loss (nor does HyStart end slow start early).</li>
 *   <li>Loss detection is RACK on SACK connections ({@link Rack}, RFC 8985 §6, without the
 *       reordering window's growth on D-SACKs), duplicate ACKs without SACK (tcp_reordering = 3
 *       segments), the RTO, and one tail loss probe; of the undos only a timeout's by the
 *       timestamp echo (Eifel, {@link #undoLoss}), not F-RTO's or D-SACK's.</li>
 *   <li>The RTT sample comes from the oldest newly acknowledged segment not retransmitted (as
 *       tcp_clean_rtx_queue does), else from the timestamp echo.</li>
 *   <li>No receive-buffer auto-tuning (tcp_rcv_space_adjust): the window tops out at half of
 *       sk_rcvbuf (64 KiB by default). Send-buffer growth follows tcp_sndbuf_expand roughly.</li>
 *   <li>PSH is set on a segment that ends a write or ends a TSO skb as tcp_tso_autosize would
 *       group the segments ({@link #tsoSegs}: from the pacing rate and min_rtt, two segments at a
 *       10 ms RTT or more), not on every window probe that carries data (tcp_write_wakeup sets
 *       it); a retransmission carries it only where a write ended (the skb's own PSH).</li>
 *   <li>No urgent data, no ECN, no TSO/GSO, no TCP Fast Open: every segment is at most one
 *       MSS, and the retransmission queue keeps one entry per segment; a TSO skb is told only by
 *       where PSH went ({@link #refillFromTsoSkb}), so where the kernel's skb boundaries fall
 *       otherwise (cut by cwnd or the window) a retransmission may be cut differently.</li>
 *   <li>Header prediction is modelled only where it changes the outcome: data at RCV.NXT whose
 *       ACK is too old (RFC 5961 §5.2) is taken when the fast path would take it
 *       ({@link #headerPredicted}); every other segment takes tcp_rcv_established's slow path,
 *       which does the same with it. The forward allocation it needs counts both queues' skbs,
 *       the send queue's as one per segment in flight ({@link #chargeSendQueue}).</li>
 *   <li>TIME-WAIT (and an orphan's FIN-WAIT-2) is handed to a light {@link TimeWaitSocket}
 *       and this control block is let go, as tcp_time_wait does; {@link #state()} reports CLOSE
 *       from then on, as the kernel's socket does after tcp_done. State observers still see this
 *       socket's move into TIME-WAIT, then the entry's own changes.</li>
 *   <li>Every timer of the socket is a kernel timer_list (retransmission, loss probe, zero-window
 *       probe, delayed ACK, keepalive, FIN-WAIT-2; SYN-ACK and TIME-WAIT elsewhere): each is
 *       armed through {@link TcpStack#armTimer} for {@code jiffies + when}, the delay rounded up
 *       to whole jiffies, and fires where the timer wheel puts it at tcpsim.config_hz (a 1 s SYN
 *       timer at 1.024 s, a 204 ms RTO at 208 ms at HZ=250). What stays exact, and why: jiffies
 *       tick at multiples of 1/HZ from virtual time 0 (a kernel's phase is arbitrary); a timer
 *       fires on its tick, without softirq latency; ato's inter-arrival arithmetic
 *       (tcp_event_data_recv) runs in nanoseconds, rounded to jiffies only when the timer is
 *       armed; a timer re-armed from its own callback measures its wheel level from the current
 *       jiffy, where the kernel's clock is one ahead (one level apart at a level's boundary).
 *       Linux's hrtimer-based timers (pacing, compressed SACK) are not timer_list timers and
 *       would not be rounded; tcpsim models neither. tcpsim.config_hz 0 makes every timer exact
 *       (jiffy arithmetic such as the RTO's then uses 250 Hz).</li>
 * </ul>
 */
public final class TcpConnection implements EventHandler {
  /** Timer kinds: the event argument. */
  static final long TIMER_XMIT = 1;
  static final long TIMER_DELACK = 2;
  static final long TIMER_KEEPALIVE = 3;

  /** What the xmit timer slot is armed for (Linux's icsk_pending). */
  static final int XMIT_NONE = 0;
  static final int XMIT_RTO = 1;
  static final int XMIT_TLP = 2;
  static final int XMIT_PROBE0 = 3;
  /** RACK's reordering timer (ICSK_TIME_REO_TIMEOUT). */
  static final int XMIT_REO = 4;

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
  /** probesStampNanos when no round of zero-window probing is under way (icsk_probes_tstamp 0). */
  private static final long NOT_PROBING = -1;
  /** TCP_TIMEOUT_MIN_US, include/net/tcp.h: 2 ms, what a loss probe adds to 2 SRTT. */
  static final long TIMEOUT_MIN_US_NANOS = Nanos.millis(2);

  private static final byte SACKED = Scoreboard.SACKED;
  private static final byte LOST = Scoreboard.LOST;
  private static final byte RETRANS = Scoreboard.RETRANS;
  private static final byte EVER_RETRANS = Scoreboard.EVER_RETRANS;

  final TcpStack stack;
  final Simulation sim;

  /**
   * The control block's yes/no state, one bit per constant below ({@link #BOUND}, {@link #ORPHAN},
   * {@link #TS_OK}, ...; each documents its meaning where it is declared), read with {@link #has}:
   * 24 booleans in one int keep an idle socket 20 bytes smaller.
   */
  int flags;

  // ---- identity ----
  TcpState state = CLOSE;
  // The local address is the stack's (one per host): localAddress(), not a field.
  int localPort;
  int remoteAddr;
  int remotePort;
  /** Bound to a local port (by bind or by connect's implicit bind). */
  static final int BOUND = 1 << 0;
  /**
   * Bound by bind() (or a child of a listener that was) rather than by connect(): the port stays
   * when the connection closes (SOCK_BINDPORT_LOCK), and connect does not share it.
   */
  static final int BOUND_EXPLICITLY = 1 << 1;
  /** Hashed in the stack's connection table under its 4-tuple. */
  static final int HASHED = 1 << 2;
  /** When the last challenge or out-of-window ACK went out (tp->last_oow_ack_time); 0 never. */
  long lastOowAckNanos;

  // ---- socket options ----
  /** SO_REUSEADDR. */
  static final int REUSE_ADDR = 1 << 3;
  /** SO_KEEPALIVE: the keepalive timer runs while synchronized. */
  static final int KEEP_ALIVE = 1 << 4;
  /** TCP_NODELAY: Nagle's algorithm is off. */
  static final int NO_DELAY = 1 << 5;
  /**
   * SO_LINGER, TCP_USER_TIMEOUT, TCP_KEEPIDLE/KEEPINTVL/KEEPCNT and TCP_MAXSEG: the shared
   * {@link UserOptions#UNSET} until the application sets one (see {@link #ownOptions}).
   */
  UserOptions opts = UserOptions.UNSET;
  /** sk_sndbuf in bytes (SO_SNDBUF doubles what it is given); see {@link #sendCapacity}. */
  int sndBuf;
  /** SO_SNDBUF was set: sk_sndbuf no longer grows (SOCK_SNDBUF_LOCK). */
  static final int SND_BUF_LOCKED = 1 << 6;
  /** sk_rcvbuf in bytes. */
  int rcvBuf;
  /** SO_RCVBUF was set: sk_rcvbuf is the user's (SOCK_RCVBUF_LOCK). */
  static final int RCV_BUF_LOCKED = 1 << 7;

  // ---- application-visible status ----
  /** The pending error SO_ERROR returns and clears (sk_err). */
  Errno pendingError;
  /** A reset was received: reads after the first error return 0, writes EPIPE (tcp_reset). */
  static final int WAS_RESET = 1 << 8;
  /** The application shut down writing (SEND_SHUTDOWN) or closed. */
  static final int SEND_SHUTDOWN = 1 << 9;
  /** No more data will be read: peer FIN received or SHUT_RD (RCV_SHUTDOWN). */
  static final int RCV_SHUTDOWN = 1 << 10;
  /** The peer's FIN arrived (so a read at the end returns 0). */
  static final int PEER_FIN = 1 << 11;
  /** The connection reached ESTABLISHED at some point. */
  static final int EVER_CONNECTED = 1 << 12;
  /** The application closed the socket; the connection, if any, is an orphan (SOCK_DEAD). */
  static final int ORPHAN = 1 << 13;
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
  /** The application's FIN is queued after the data; {@link #finSeq} is valid. */
  static final int FIN_QUEUED = 1 << 14;
  /** The FIN went out at least once. */
  static final int FIN_SENT = 1 << 15;
  /** The FIN's sequence number, valid once queued (it follows the last data byte). */
  int finSeq;
  int sndWscale;
  /** Payload bytes per segment (Linux mss_cache): the peer's MSS less our option overhead. */
  int mssCache = ETHERNET_MSS;
  int peerMss = 536;
  /** Window scaling offered (before the handshake) or agreed (after it), RFC 7323 §2. */
  static final int WSCALE_OK = 1 << 16;
  /** SACK-permitted offered or agreed (RFC 2018). */
  static final int SACK_OK = 1 << 17;
  /** Timestamps offered or agreed (RFC 7323 §3). */
  static final int TS_OK = 1 << 18;
  /** Written and unacknowledged data, [snd_una, write_seq); made at the first write. */
  SendBuffer sendBuf;

  // ---- receive sequence space (IRS is kept by the receive buffer: rcv_nxt starts at IRS + 1) ----
  /**
   * The receive side: data in order and out of order, SACK and D-SACK blocks, and the receive
   * window (rcv_nxt, rcv_wup, rcv_wnd, rcv_ssthresh, window_clamp, the window scale, rcv_mss).
   */
  ReceiveBuffer rcv;
  /** The window field of our SYN (tcp_select_initial_window), unscaled. */
  int synWindow;
  /** The gap in the out-of-order queue was just filled: ACK now (RFC 5681 §4.2, ICSK_ACK_NOW). */
  static final int ACK_NOW = 1 << 19;

  // ---- timestamps (RFC 7323) ----
  int tsOffset;
  int tsRecent;
  /** When TS.Recent was last stored, virtual ns; 0 when never (ts_recent_stamp). */
  long tsRecentStampNanos;
  /** The TIME-WAIT (or orphan FIN-WAIT-2) entry this connection handed over to, if any. */
  TimeWaitSocket timeWait;
  /** An ISN chosen before connect (tcp_twsk_unique: TIME-WAIT's SND.NXT + 65537); 0 = none. */
  int presetIss;

  // ---- RTT and RTO (RFC 6298, tcp_rtt_estimator / tcp_set_rto) ----
  /** SRTT, RTTVAR, the RTO (icsk_rto, doubled by backoff) and the backoff count. */
  final RttEstimator rtt;
  /**
   * When the persist timer first fired in this round of probing (icsk_probes_tstamp), or
   * {@link #NOT_PROBING}; unlike probesOut, an answered probe does not clear it, so
   * TCP_USER_TIMEOUT ends probing of a peer that answers with a zero window for ever.
   */
  long probesStampNanos = NOT_PROBING;
  /** Consecutive timeouts without progress (icsk_retransmits). */
  int retransmits;
  /** Timeouts since the connect began, for the SYN schedule (tp->total_rto). */
  int totalRto;
  int totalRetrans;
  /**
   * tp->retrans_stamp: in SYN-SENT (and a simultaneous open's SYN-RECEIVED) when the first SYN
   * went out, for the SYN give-up budget; once synchronized, the send time of the first
   * retransmitted segment still unacknowledged; 0 none.
   */
  long retransStampNanos;
  int probesOut;

  // ---- congestion control ----
  /**
   * The window arithmetic: cwnd, ssthresh, slow start, congestion avoidance, PRR. The shared
   * {@link RenoCongestion#initial} state until the first transmission of data or FIN (or an
   * initial window reduced by a lost SYN) makes it this connection's own.
   */
  RenoCongestion cc;
  /** The congestion state machine (icsk_ca_state); the connection owns it, as tcp_input.c does. */
  CaState ca = CaState.OPEN;
  /** tcp_cwnd_validate's record: the last flight was limited by cwnd, its size, and until when. */
  static final int CWND_LIMITED = 1 << 20;
  int maxPacketsOut;
  int cwndUsageSeq;
  int dupAcks;
  /** snd_nxt when recovery or loss began (tp->high_seq). */
  int highSeq;
  /** TLP in flight: the snd_nxt when the probe went out (tp->tlp_high_seq); 0 none. */
  int tlpHighSeq;
  /** A tail loss probe is in flight. */
  static final int TLP_OUTSTANDING = 1 << 21;

  /** RACK loss detection and the reordering seen (tcp_recovery.c). */
  final Rack rack;
  /** Segments the last ACK acknowledged that no SACK had covered (cleanRtxQueue). */
  private int ackedUnsacked;
  /** RACK armed its reordering timer during this ACK, so tcp_set_xmit_timer is skipped. */
  private boolean reoArmedByThisAck;

  // ---- retransmission queue scoreboard: one entry per segment sent and not acknowledged ----
  /** The shared {@link Scoreboard#EMPTY} until the first transmission of data or FIN. */
  Scoreboard sb = Scoreboard.EMPTY;

  // ---- delayed ACK (icsk_ack) ----
  /** An ACK is owed (ICSK_ACK_SCHED): sent now or by the delayed-ACK timer. */
  static final int ACK_SCHEDULED = 1 << 22;
  int quickAcks;
  /** Interactive mode (icsk_ack.pingpong): ACKs wait for data to ride on. */
  static final int PINGPONG = 1 << 23;
  /**
   * Header prediction is off (tp->pred_flags = 0) until the next tcp_fast_path_check: so an active
   * open leaves it when it agreed window scaling (tcp_finish_connect), and the first window change or
   * in-order data turns it on.
   */
  static final int NO_PREDICTION = 1 << 24;
  long atoNanos;
  long lastDataRecvNanos;

  // ---- timers ----
  long xmitTimer = Simulation.NO_EVENT;
  int xmitKind = XMIT_NONE;
  /** The xmit timer's expiry, jiffies + when (icsk_timeout), before the wheel's rounding. */
  long xmitExpiresNanos;
  long delackTimer = Simulation.NO_EVENT;
  long keepaliveTimer = Simulation.NO_EVENT;
  /** The keepalive (or FIN-WAIT-2) timer's expiry (sk_timer.expires). */
  long keepaliveExpiresNanos;
  /** When the connection last sent or received (for keepalive; tp->rcv_tstamp). */
  long lastRecvNanos;

  // ---- counters for TCP_INFO ----
  long bytesAcked;
  long bytesReceived;
  int segsOut;
  int segsIn;

  private static final int[] NO_INTS = new int[0];

  TcpConnection(TcpStack stack) {
    this.stack = stack;
    this.sim = stack.sim();
    TcpSysctls s = stack.sysctls();
    this.sndBuf = s.wmemDefault();
    this.rcvBuf = s.rmemDefault();
    // tcp_assign_congestion_control: the algorithm is the namespace's default when the socket is made.
    this.cc = RenoCongestion.initial(s.value(Sysctl.TCP_RFC5681_SSTHRESH) != 0,
        "cubic".equals(s.congestionControl()));
    this.rtt = new RttEstimator(stack.jiffyHz(), RTO_MIN_NANOS, RTO_MAX_NANOS);
    this.rack = new Rack(s.value(Sysctl.TCP_REORDERING));
  }

  /** Whether flag bit {@code flag} (one of the constants such as {@link #ORPHAN}) is set. */
  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Sets or clears flag bit {@code flag}. */
  void setFlag(int flag, boolean on) {
    flags = on ? flags | flag : flags & ~flag;
  }

  /**
   * A stand-in for observers of a timewait entry's state changes: same 4-tuple, the entry's
   * state as shown. Not hashed, bound or able to send.
   */
  static TcpConnection timeWaitView(TcpStack stack, TimeWaitSocket tw, TcpState shown) {
    TcpConnection v = new TcpConnection(stack);
    v.localPort = tw.localPort;
    v.remoteAddr = tw.remoteAddr;
    v.remotePort = tw.remotePort;
    v.state = shown; // a view, never a live socket: it goes through no transition
    return v;
  }

  // =========================================================================================
  // Public view
  // =========================================================================================

  /**
   * The socket's state, as getsockopt(TCP_INFO) and ss report it. After the hand-over to a
   * {@link TimeWaitSocket} (tcp_time_wait ends with tcp_done) the socket is CLOSE at once, while
   * its TIME_WAIT (or orphan FIN_WAIT2) lives on in the entry: see {@link #timeWaitSocket()}.
   */
  public TcpState state() {
    return timeWait != null ? CLOSE : state;
  }

  /** The light TIME-WAIT (or orphan FIN_WAIT2) entry this socket handed over to, or null. */
  public TimeWaitSocket timeWaitSocket() {
    return timeWait;
  }

  public int localAddress() {
    return stack.address();
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
    return has(EVER_CONNECTED);
  }

  public boolean receiveShutdown() {
    return has(RCV_SHUTDOWN);
  }

  // ---- socket options (sock_setsockopt / do_tcp_setsockopt) ----

  public boolean reuseAddr() { return has(REUSE_ADDR); }
  public void setReuseAddr(boolean on) { setFlag(REUSE_ADDR, on); }
  public boolean keepAlive() { return has(KEEP_ALIVE); }

  /** SO_KEEPALIVE: arms or stops the keepalive timer (tcp_set_keepalive). */
  public void setKeepAlive(boolean on) {
    setFlag(KEEP_ALIVE, on);
    keepaliveChanged();
  }

  public boolean noDelay() { return has(NO_DELAY); }

  /** TCP_NODELAY: turning it on pushes what Nagle was holding (tcp_push_pending_frames). */
  public void setNoDelay(boolean on) {
    setFlag(NO_DELAY, on);
    if (on) {
      pushPendingFrames();
    }
  }

  public int keepIdleSeconds() {
    return opts.keepIdleSeconds > 0 ? opts.keepIdleSeconds : stack.sysctls().keepaliveTimeSeconds();
  }

  public int keepIntvlSeconds() {
    return opts.keepIntvlSeconds > 0 ? opts.keepIntvlSeconds
        : stack.sysctls().keepaliveIntvlSeconds();
  }

  public int keepCount() {
    return opts.keepCnt > 0 ? opts.keepCnt : stack.sysctls().keepaliveProbes();
  }

  public void setKeepIdleSeconds(int s) {
    ownOptions().keepIdleSeconds = s;
    keepaliveChanged();
  }

  public void setKeepIntvlSeconds(int s) { ownOptions().keepIntvlSeconds = s; }
  public void setKeepCount(int n) { ownOptions().keepCnt = n; }
  public int userTimeoutMs() { return opts.userTimeoutMs; }
  public void setUserTimeoutMs(int ms) { ownOptions().userTimeoutMs = ms; }

  /**
   * TCP_LINGER2 (do_tcp_setsockopt): a negative value forbids an orphaned FIN-WAIT-2, 0 falls
   * back to tcp_fin_timeout, and a value is capped at TCP_FIN_TIMEOUT_MAX (120 s).
   */
  public void setLinger2Seconds(int seconds) {
    ownOptions().linger2Seconds = seconds < 0 ? -1 : Math.min(seconds, 120);
  }

  /** TCP_LINGER2 as getsockopt reports it: tcp_fin_timeout while unset, -1 when negative. */
  public int linger2Seconds() {
    return opts.linger2Seconds != 0 ? opts.linger2Seconds : stack.sysctls().finTimeoutSeconds();
  }

  /** TCP_MAXSEG as getsockopt reports it: the user's value before connecting, else mss_cache. */
  public int maxSegment() {
    if (opts.userMss > 0 && (state == CLOSE || state == LISTEN)) {
      return opts.userMss;
    }
    return state == CLOSE || state == LISTEN ? 536 : mssCache;
  }

  public void setUserMss(int mss) { ownOptions().userMss = mss; }

  /** This socket's own options, made when the application first sets one. */
  UserOptions ownOptions() {
    if (opts == UserOptions.UNSET) {
      opts = new UserOptions();
    }
    return opts;
  }

  /** sk_sndbuf (SO_SNDBUF reads back the doubled value). */
  public int sendBufferBytes() {
    return has(SND_BUF_LOCKED) ? sndBuf : Math.max(sndBuf, sendCapacity());
  }

  /** SO_SNDBUF: Linux doubles the value (room for bookkeeping) and locks the size. */
  public void setSendBufferBytes(int doubled) {
    sndBuf = doubled;
    flags |= SND_BUF_LOCKED;
    notifyApp();
  }

  public int receiveBufferBytes() { return rcvBuf; }

  /** SO_RCVBUF: doubled by the caller as Linux does; locks the size (no auto-tuning). */
  public void setReceiveBufferBytes(int doubled) {
    rcvBuf = doubled;
    flags |= RCV_BUF_LOCKED;
  }

  public boolean lingerOn() { return opts.lingerOn; }
  public int lingerSeconds() { return opts.lingerSeconds; }

  public void setLinger(boolean on, int seconds) {
    UserOptions o = ownOptions();
    o.lingerOn = on;
    o.lingerSeconds = seconds;
  }

  public void setEvents(SocketEvents events) {
    this.events = events;
  }

  /** Bytes ready to read in order (SIOCINQ). */
  public int readableBytes() {
    return rcv == null ? 0 : rcv.readable();
  }

  /** Bytes queued and not yet acknowledged. */
  public int unackedBytes() {
    return sendBuf == null ? 0 : sendBuf.size();
  }

  /**
   * SIOCOUTQ: write_seq - snd_una (tcp_ioctl), so our FIN counts one from shutdown or close (when
   * tcp_send_fin advances write_seq) until it is acknowledged.
   */
  public int outqBytes() {
    return unackedBytes() + (has(FIN_QUEUED) && !finAcked() ? 1 : 0);
  }

  /**
   * How many sequence numbers a data segment falls short of putting new text into this
   * connection, by the two checks a synchronized connection makes on every segment: its text must
   * reach past RCV.NXT and start inside the window (tcp_sequence, tcp_data_queue), and its ACK
   * must lie in [SND.UNA - min(MAX.SND.WND, bytes acknowledged), SND.NXT] (tcp_ack, RFC 5961
   * §5.2). 0 when both pass. Not the stack's decision (PAWS, flags and state are not looked at):
   * a measure for search tools steering towards a segment being taken. Long.MAX_VALUE before the
   * connection is synchronized.
   */
  public long acceptanceGap(Segment seg) {
    if (rcv == null || state == SYN_SENT || state == LISTEN || state == CLOSE) {
      return Long.MAX_VALUE;
    }
    int nxt = rcv.rcvNxt();
    int right = nxt + Math.max(rcv.receiveWindow(), 1);
    long gap = 0;
    if (SeqNum.le(seg.end(), nxt)) {
      gap += SeqNum.distance(seg.end(), nxt) + 1L;
    } else if (SeqNum.ge(seg.seq(), right)) {
      gap += SeqNum.distance(right, seg.seq()) + 1L;
    }
    if (seg.has(ACK)) {
      int low = sndUna - (int) Math.min(maxSndWnd, bytesAcked);
      if (SeqNum.gt(seg.ack(), sndNxt)) {
        gap += SeqNum.distance(sndNxt, seg.ack());
      } else if (SeqNum.lt(seg.ack(), low)) {
        gap += SeqNum.distance(seg.ack(), low);
      }
    }
    return gap;
  }

  /** The ranges {@link #acceptanceGap} measures against, in words (for reports). */
  public String acceptanceWindows() {
    if (rcv == null) {
      return "not synchronized";
    }
    int low = sndUna - (int) Math.min(maxSndWnd, bytesAcked);
    return "text must reach past " + Integer.toUnsignedString(rcv.rcvNxt()) + " and start below "
        + Integer.toUnsignedString(rcv.rcvNxt() + Math.max(rcv.receiveWindow(), 1)) + ", ACK in ["
        + Integer.toUnsignedString(low) + ", " + Integer.toUnsignedString(sndNxt) + "]";
  }

  /** Free send-buffer space for new data. */
  public int sendSpace() {
    return Math.max(0, sendCapacity() - unackedBytes());
  }

  /** The peer's FIN was received and every byte before it was read. */
  public boolean atEof() {
    return (has(PEER_FIN) || has(RCV_SHUTDOWN)) && readableBytes() == 0;
  }

  public boolean peerFinReceived() {
    return has(PEER_FIN);
  }

  public boolean wasReset() {
    return has(WAS_RESET);
  }

  public boolean sendShutdown() {
    return has(SEND_SHUTDOWN);
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

  /** tcp_store_ts_recent: TS.Recent and when it was stored (RFC 7323 §4.3). */
  void storeTsRecent(int tsVal) {
    tsRecent = tsVal;
    long now = sim.now();
    tsRecentStampNanos = now == 0 ? 1 : now;
  }

  /**
   * Whether a SYN-ACK's TS ecr (if any, and not 0) lies between this connection's first SYN and
   * now on its timestamp clock (tcp_rcv_synsent_state_process: between(rcv_tsecr - tsoffset,
   * retrans_stamp, tcp_time_stamp_ts)).
   */
  private boolean echoesOurSyn(Segment seg) {
    if (!has(TS_OK) || !seg.options().hasTimestamp() || seg.options().tsEcr() == 0) {
      return true;
    }
    int sent = (int) (retransStampNanos / Nanos.PER_MILLI);
    int now = (int) (sim.now() / Nanos.PER_MILLI);
    return Integer.compareUnsigned(seg.options().tsEcr() - tsOffset - sent, now - sent) <= 0;
  }

  /** The virtual time in ms on this connection's timestamp clock (tcp_clock_ms + ts_offset). */
  int tsNow() {
    return tsAt(sim.now());
  }

  /** The TS value this socket stamps at {@code nanos}. */
  private int tsAt(long nanos) {
    return (int) (nanos / Nanos.PER_MILLI) + tsOffset;
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
    iss = presetIss != 0 ? presetIss
        : stack.initialSequence(localAddress(), localPort, remoteAddr, remotePort);
    presetIss = 0;
    pendingError = null; // tcp_connect_init: sk->sk_err = 0
    tsOffset = stack.tsOffset(localAddress(), localPort, remoteAddr, remotePort);
    sndUna = iss;
    sndNxt = iss + 1;
    writeSeq = iss + 1;
    sndSml = iss;
    rcv = new ReceiveBuffer(0, rcvBuf, stack.keepPayload()); // the peer's ISN comes with its SYN
    synWindow = rcv.chooseInitialWindow(advertisedMss(), s.windowScaling(), has(RCV_BUF_LOCKED),
        s.rmemMax(), s.coreRmemMax());
    setFlag(WSCALE_OK, s.windowScaling());
    setFlag(SACK_OK, s.sack());
    setFlag(TS_OK, s.timestamps());
    setState(SYN_SENT, "connect");
    stack.hash(this);
    totalRto = 0;
    retransmits = 0;
    retransStampNanos = sim.now(); // tcp_connect: the SYN give-up budget counts from here
    sendSyn(false);
    resetXmitTimer(XMIT_RTO, rtt.rtoNanos());
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
    chargeSendQueue();
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
    if (into == null) {
      rcv.read(n);
    } else {
      rcv.read(into, offset, n);
    }
    cleanupRbuf();
    return n;
  }

  /**
   * tcp_cleanup_rbuf: after the application read, send a window update when the window the peer
   * sees could at least double, or a delayed ACK is owed for more than a segment.
   */
  private void cleanupRbuf() {
    if (!state.isSynchronized() || has(RCV_SHUTDOWN)) {
      return;
    }
    // "Once-per-two-segments ACK was not sent by tcp_input.c": send it now.
    boolean timeToAck =
        has(ACK_SCHEDULED) && SeqNum.distance(rcv.rcvWup(), rcv.rcvNxt()) > rcv.rcvMss();
    if (!timeToAck && rcv.windowUpdateWorthSending()) {
      timeToAck = true;
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
    close(shutdownOnly, !shutdownOnly);
  }

  /**
   * @param orphanNow whether the socket is orphaned (sock_orphan) at once; false while a
   *     blocking close waits under SO_LINGER, see {@link #closeLingering}
   */
  private void close(boolean shutdownOnly, boolean orphanNow) {
    if (timeWait != null) {
      // tcp_time_wait already ended this socket (tcp_done: TCP_CLOSE); tcp_close on a closed
      // socket sends nothing, unread data or not.
      if (orphanNow) {
        flags |= ORPHAN;
      }
      flags |= shutdownOnly ? 0 : RCV_SHUTDOWN;
      flags |= SEND_SHUTDOWN;
      return;
    }
    if (!shutdownOnly) {
      setFlag(ORPHAN, orphanNow);
      flags |= RCV_SHUTDOWN;
    }
    if (has(SEND_SHUTDOWN) && shutdownOnly) {
      return;
    }
    boolean hadSendShutdown = has(SEND_SHUTDOWN);
    flags |= SEND_SHUTDOWN;
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
          stack.count(TcpMib.TcpExtTCPAbortOnClose);
          sendActiveReset();
          destroy("close with unread data", null);
          return;
        }
        if (!shutdownOnly && opts.lingerOn && opts.lingerSeconds == 0) {
          // SO_LINGER {1, 0}: abortive close (__tcp_close -> tcp_disconnect), which Linux counts
          // as TcpExtTCPAbortOnData (sic; AbortOnLinger is the orphan FIN-WAIT-2 with linger2 < 0).
          stack.count(TcpMib.TcpExtTCPAbortOnData);
          abort();
          return;
        }
        if (hadSendShutdown) {
          if (state == FIN_WAIT2 && opts.linger2Seconds < 0) {
            // tcp_close in FIN-WAIT-2 with TCP_LINGER2 < 0: no orphan may wait there, so RST
            // (TcpExtTCPAbortOnLinger).
            stack.count(TcpMib.TcpExtTCPAbortOnLinger);
            sendActiveReset();
            destroy("close in FIN-WAIT-2 with TCP_LINGER2 < 0", null);
            return;
          }
          maybeOrphanFinWait2(false);
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

  /**
   * close() under SO_LINGER {1, N}, N &gt; 0, up to its wait (__tcp_close before
   * sk_stream_wait_close): both directions shut and the FIN queued (or the RST sent) as
   * {@link #close()} does, but the socket is not an orphan while the application waits: its
   * retransmissions and probes count against tcp_retries2, not tcp_orphan_retries, and a
   * FIN-WAIT-2 reached meanwhile has no tcp_fin_timeout yet. {@link #lingerOver()} ends the wait.
   */
  public void closeLingering() {
    close(false, false);
  }

  /**
   * The SO_LINGER wait is over (the FIN acknowledged, the connection gone, or N seconds passed):
   * the rest of __tcp_close, sock_orphan and then an orphan's FIN-WAIT-2 timer, or the release of
   * a socket that is already closed.
   */
  public void lingerOver() {
    flags |= ORPHAN;
    if (timeWait != null) {
      return;
    }
    if (state == CLOSE) {
      stack.release(this);
      return;
    }
    maybeOrphanFinWait2(false);
  }

  /** shutdown(SHUT_WR): FIN after the queued data; reading goes on. */
  public void shutdownWrite() {
    close(true);
  }

  /**
   * An orphan in FIN-WAIT-2 waits tcp_fin_timeout for the peer's FIN (tcp_close, and
   * tcp_rcv_state_process when our FIN is acked after close): when that time is not longer than
   * TCP_TIMEWAIT_LEN it waits in a light timewait entry in the FIN_WAIT2 substate
   * (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)); otherwise, or when the segment that acked our FIN
   * also carries the peer's FIN, on the keepalive timer. A FIN-WAIT-2 reached by shutdown(SHUT_WR)
   * has no such timer: the application may still read.
   */
  private void maybeOrphanFinWait2(boolean segmentHasFin) {
    if (!has(ORPHAN) || state != FIN_WAIT2) {
      return;
    }
    long tmo = finTimeNanos();
    long twLen = stack.timeWaitLenNanos();
    if (tmo > twLen) {
      armFinWait2Timer(tmo - twLen);
    } else if (segmentHasFin) {
      armFinWait2Timer(tmo);
    } else {
      cancelAllTimers();
      handOffToTimeWait(FIN_WAIT2, tmo);
    }
  }

  /**
   * tcp_fin_time: TCP_LINGER2, else tcp_fin_timeout, but at least 3.5 RTO
   * ((rto << 2) - (rto >> 1)).
   */
  private long finTimeNanos() {
    long finTimeout = Nanos.seconds(opts.linger2Seconds > 0 ? opts.linger2Seconds
        : stack.sysctls().finTimeoutSeconds());
    long rto = rtt.rtoNanos();
    return Math.max(finTimeout, (rto << 2) - (rto >> 1));
  }

  /** SHUT_RD (tcp_shutdown): nothing is sent; reads return 0 from now on. */
  public void shutdownRead() {
    flags |= RCV_SHUTDOWN;
  }

  /**
   * shutdown(SHUT_RD or SHUT_RDWR) on a listener (inet_shutdown, case TCP_LISTEN, ->
   * tcp_disconnect -> inet_csk_listen_stop): it stops listening as close() would, pending
   * requests vanish and queued children are reset, but the descriptor stays open and the port it
   * was bound to stays held (SOCK_BINDPORT_LOCK).
   */
  public void disconnectListener() {
    checkState(state == LISTEN, "disconnectListener in %s", state);
    listener.closeAll();
    setState(CLOSE, "shutdown(SHUT_RD) in LISTEN");
    stack.stopListening(this);
  }

  /**
   * shutdown() while SYN-SENT (inet_shutdown -> tcp_disconnect), whatever {@code how}: the
   * attempt ends quietly (tcp_need_reset is false in SYN-SENT, so no RST) and a pending connect
   * sees ECONNRESET.
   */
  public void disconnectSynSent() {
    checkState(state == SYN_SENT, "disconnectSynSent in %s", state);
    pendingError = Errno.ECONNRESET;
    destroy("shutdown in SYN-SENT", Errno.ECONNRESET);
    disconnected();
  }

  /**
   * tcp_disconnect's leftovers on a closed socket that may connect again (after shutdown in
   * SYN-SENT, or once connect() has reported a failure: __inet_stream_connect's sock_error path):
   * the next ISN is write_seq + max_window + 2, not the clock's, and rx_opt is cleared, so a
   * TS.Recent taken over from a TIME-WAIT entry is gone.
   */
  public void disconnected() {
    checkState(state == CLOSE, "disconnected in %s", state);
    int seq = writeSeq + maxSndWnd + 2;
    presetIss = seq == 0 ? 1 : seq;
    tsRecent = 0;
    tsRecentStampNanos = 0;
    // sk_shutdown = 0 and the connection's own marks gone; the socket's options stay.
    flags &= ~(WAS_RESET | SEND_SHUTDOWN | RCV_SHUTDOWN | PEER_FIN | FIN_QUEUED | FIN_SENT | ACK_NOW
        | CWND_LIMITED | TLP_OUTSTANDING | ACK_SCHEDULED | PINGPONG | NO_PREDICTION);
  }

  /**
   * ABORT (§3.10.5; tcp_disconnect): RST to the peer in a synchronized state, then CLOSED at once,
   * without TIME-WAIT.
   */
  public void abort() {
    if (timeWait != null) {
      return; // already closed by tcp_time_wait; the entry lives on
    }
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
      // Linux also brings the SYN's retransmission forward to TCP_TIMEOUT_MIN while it has not
      // been resent: the peer may have ignored our earlier reset or FIN (the "Previous FIN/ACK or
      // RST/ACK might be ignored" case of tcp_rcv_synsent_state_process).
      if (retransmits == 0) {
        resetXmitTimer(XMIT_RTO, 2 * jiffyNanos());
      }
      if (!seg.has(RST)) {
        stack.sendReset(seg);
      }
      stack.drop(seg, DropReason.TCP_INVALID_ACK_SEQUENCE);
      return;
    }
    if (hasAck && !echoesOurSyn(seg)) {
      // RFC 7323 §5 applied to the handshake (tcp_rcv_synsent_state_process, PAWSActive): a
      // SYN-ACK whose TS ecr is not a value this connection's SYN could have carried answers an
      // older connection of the 4-tuple: reset it, as for an unacceptable ACK, and keep waiting.
      stack.count(TcpMib.TcpExtPAWSActive);
      if (!seg.has(RST)) {
        stack.sendReset(seg);
      }
      stack.drop(seg, DropReason.TCP_RFC7323_PAWS);
      return;
    }
    if (seg.has(RST)) {
      if (hasAck) {
        // "If the ACK was acceptable, signal "error: connection reset"" - ECONNREFUSED (tcp_reset).
        pendingError = Errno.ECONNREFUSED;
        flags |= WAS_RESET;
        done("RST in SYN-SENT", Errno.ECONNREFUSED);
      } else {
        stack.drop(seg, DropReason.TCP_RESET);
      }
      return;
    }
    if (!seg.has(SYN)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    if (!hasAck && tsRecentStampNanos != 0 && has(TS_OK) && seg.options().hasTimestamp()
        && tsRecent != 0 && tsRecent - seg.options().tsVal() > 0) {
      // A simultaneous-open SYN older than the TS.Recent this connection took over from a
      // TIME-WAIT entry is an old duplicate (tcp_rcv_synsent_state_process: tcp_paws_reject).
      stack.drop(seg, DropReason.TCP_RFC7323_PAWS);
      return;
    }
    rcv.startAt(seg.seq()); // IRS
    negotiateOptions(seg.options());
    if (has(TS_OK) && seg.options().hasTimestamp()) {
      storeTsRecent(seg.options().tsVal());
    }
    if (hasAck) {
      // Our SYN is acknowledged: ESTABLISHED (tcp_finish_connect). SYN windows are never scaled.
      // tcp_ack's tcp_snd_una_update counts the SYN in bytes_acked (a passive child starts past
      // its SYN-ACK's SYN: tcp_create_openreq_child).
      sndUna = seg.ack();
      bytesAcked = 1;
      sndWnd = seg.window();
      maxSndWnd = sndWnd;
      sndWl1 = seg.seq();
      sndWl2 = seg.ack();
      sampleRttFromHandshake(seg);
      clearXmitTimer();
      int synRetransmits = retransmits;
      retransmits = 0;
      retransStampNanos = 0;
      setState(ESTABLISHED, "SYN-ACK in SYN-SENT");
      if (sndWscale != 0) {
        flags |= NO_PREDICTION;
      }
      initTransfer(synRetransmits);
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
    if (!seg.has(ACK) && !seg.has(RST) && !seg.has(SYN)) {
      // tcp_rcv_state_process (and tcp_rcv_established's slow path) drop a segment with none of
      // ACK, RST or SYN before any check (SKB_DROP_REASON_TCP_FLAGS): no duplicate ACK even when
      // it lies outside the window. RFC 9293 §3.10.7.4 ("fifth, if the ACK bit is off drop the
      // segment") comes after the sequence check, which would answer it.
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
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
      flags |= ACK_SCHEDULED;
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
  /** TCP_PAWS_WINDOW (include/net/tcp.h): ticks a timestamp may lag TS.Recent and pass PAWS. */
  private static final int PAWS_WINDOW = 1;

  /**
   * tcp_validate_incoming: the duplicate ACK to a segment refused by PAWS or tcp_sequence goes
   * out unless tcp_oow_rate_limited holds it back (one per tcp_invalid_ratelimit for a segment
   * without data, counted in {@code skipped}); RFC 9293 §3.10.7.4 asks for an ACK to each, Linux
   * limits them so that two peers cannot ACK each other in a loop.
   */
  private void sendOowAck(Segment seg, TcpMib skipped) {
    long stamp = stack.oowRateLimit(seg, lastOowAckNanos, skipped);
    if (stamp < 0) {
      return;
    }
    lastOowAckNanos = stamp;
    sendDupAck(seg);
  }

  /**
   * tcp_send_dupack: the ACK to a refused segment. One that takes sequence space (data or a FIN)
   * and starts below RCV.NXT repeats what we hold: quick ACKs again (tcp_enter_quickack_mode), and
   * with SACK the ACK reports it as a D-SACK block, cut at RCV.NXT (RFC 2883 §4). A bare ACK gets
   * a plain ACK and leaves the ACK mode alone.
   */
  private void sendDupAck(Segment seg) {
    if (seg.end() != seg.seq() && SeqNum.lt(seg.seq(), rcv.rcvNxt())) {
      enterQuickAck();
      if (has(SACK_OK)) {
        rcv.dsackRefused(seg.seq(), seg.end());
      }
    }
    sendAck();
  }

  private boolean checkSequence(Segment seg) {
    if (has(TS_OK) && seg.options().hasTimestamp() && !seg.has(RST)
        && tsRecent - seg.options().tsVal() > PAWS_WINDOW) {
      // PAWS (RFC 7323 §5): an older timestamp marks an old duplicate. tcp_paws_discard allows
      // TCP_PAWS_WINDOW (one tick) of slack; a RST is taken even when it fails PAWS.
      if (isDisorderedAck(seg)) {
        return checkWindow(seg); // tcp_disordered_ack_check: not an old duplicate after all
      }
      if (seg.has(SYN)) {
        return synChallenge(seg); // tcp_validate_incoming: "goto syn_challenge"
      }
      if (seg.has(ACK) && seg.end() == seg.seq() && SeqNum.lt(seg.seq(), rcv.rcvNxt())) {
        // tcp_disordered_ack_check: a pure ACK from before RCV.NXT is an old ACK, common enough
        // that tcp_validate_incoming drops it without the duplicate ACK (Linux 6.14+; RFC 7323
        // §5.3 asks for one).
        stack.drop(seg, DropReason.TCP_RFC7323_PAWS_ACK);
        stack.count(TcpMib.TcpExtPAWSOldAck);
        return false;
      }
      stack.drop(seg, DropReason.TCP_RFC7323_PAWS);
      stack.count(TcpMib.TcpExtPAWSEstab);
      sendOowAck(seg, TcpMib.TcpExtTCPACKSkippedPAWS);
      return false;
    }
    return checkWindow(seg);
  }

  /**
   * tcp_disordered_ack_check (RFC 7323 §5.3's exception, after Van Jacobson): a pure duplicate ACK
   * at RCV.NXT that acknowledges nothing new, moves no window and whose timestamp lags TS.Recent
   * by no more than the replay window (1.2 RTO in timestamp ticks, tcp_tsval_replay) may have been
   * reordered behind later segments: it passes PAWS.
   */
  private boolean isDisorderedAck(Segment seg) {
    if (!seg.has(ACK) || seg.end() != seg.seq() || seg.seq() != rcv.rcvNxt()
        || seg.ack() != sndUna) {
      return false;
    }
    int nwin = seg.window() << sndWscale;
    if (SeqNum.gt(seg.seq(), sndWl1) || seg.seq() == sndWl1 && (nwin > sndWnd || nwin == 0)) {
      return false; // tcp_may_update_window: it would update the window
    }
    long replayTicks = currentRto() / 1_000_000 * 1200 / 1000; // tcp_tsval_replay, ms ticks
    return tsRecent - seg.options().tsVal() <= replayTicks;
  }

  /** tcp_validate_incoming's syn_challenge: a SYN refused by PAWS or the window check. */
  private boolean synChallenge(Segment seg) {
    stack.count(TcpMib.TcpExtTCPSYNChallenge);
    sendChallengeAck();
    stack.drop(seg, DropReason.TCP_INVALID_SYN);
    return false;
  }

  /** tcp_sequence: !before(end_seq, rcv_wup) && !after(seq, rcv_nxt + window). */
  private boolean checkWindow(Segment seg) {
    boolean old = rcv.isOldSequence(seg.end());
    boolean acceptable = !old && !rcv.isBeyondWindow(seg.seq());
    if (!acceptable) {
      if (seg.has(SYN) && !seg.has(RST)) {
        return synChallenge(seg); // tcp_validate_incoming: "goto syn_challenge"
      }
      if (!seg.has(RST)) {
        stack.count(TcpMib.TcpExtTCPOutOfWindow);
        sendOowAck(seg, TcpMib.TcpExtTCPACKSkippedSeq);
      } else if (isResetAfterPeerFin(seg)) {
        resetArrived(); // tcp_validate_incoming: tcp_reset_check, even outside the window
        return false;
      }
      stack.drop(seg, old ? DropReason.TCP_OLD_SEQUENCE : DropReason.TCP_INVALID_SEQUENCE);
      return false;
    }
    return true;
  }

  /**
   * tcp_replace_ts_recent (RFC 7323 §4.3), from tcp_ack once the ACK is acceptable: a segment
   * that the RST, SYN or ACK checks threw away leaves TS.Recent alone. Only a value that is not
   * older is stored (tcp_paws_check with window 0), so a segment let through by TCP_PAWS_WINDOW
   * does not lower TS.Recent.
   */
  private void replaceTsRecent(Segment seg) {
    if (has(TS_OK) && seg.options().hasTimestamp() && SeqNum.le(seg.seq(), rcv.rcvWup())
        && seg.options().tsVal() - tsRecent >= 0) {
      storeTsRecent(seg.options().tsVal());
    }
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
    if (seg.seq() != rcv.rcvNxt() && !isResetAfterPeerFin(seg) && !isResetAtSackEdge(seg)
        && stack.sysctls().value(Sysctl.TCP_RFC5961) != 0) {
      sendChallengeAck();
      stack.drop(seg, DropReason.TCP_RESET);
      return false;
    }
    resetArrived(); // (RFC 793 without RFC 5961: any RST that passed checkSequence resets)
    return false;
  }

  /**
   * tcp_reset_check: after the peer's FIN (CLOSE-WAIT, LAST-ACK, CLOSING) a RST numbered like
   * that FIN, RCV.NXT - 1, resets too: a peer that sends FIN then RST (macOS on ^C) numbers the
   * RST so, and its challenge ACK would find the peer gone.
   */
  private boolean isResetAfterPeerFin(Segment seg) {
    return seg.seq() == rcv.rcvNxt() - 1
        && (state == CLOSE_WAIT || state == LAST_ACK || state == CLOSING);
  }

  /**
   * tcp_validate_incoming (RFC 5961 §3.2 extended): with SACK, a RST numbered at the right edge of
   * the highest block we announce resets too, since the peer may have sent everything up to
   * there.
   */
  private boolean isResetAtSackEdge(Segment seg) {
    if (!has(SACK_OK) || rcv.sackCount() == 0) {
      return false;
    }
    int max = rcv.sackEnd(0);
    for (int i = 1; i < rcv.sackCount(); i++) {
      if (SeqNum.gt(rcv.sackEnd(i), max)) {
        max = rcv.sackEnd(i);
      }
    }
    return seg.seq() == max;
  }

  /** tcp_reset: the error by state (ECONNREFUSED in SYN-SENT, EPIPE in CLOSE-WAIT, else ECONNRESET). */
  private void resetArrived() {
    resetArrived("RST");
  }

  private void resetArrived(String cause) {
    Errno err = switch (state) {
      case SYN_SENT -> Errno.ECONNREFUSED;
      case CLOSE_WAIT -> Errno.EPIPE;
      default -> Errno.ECONNRESET;
    };
    if (state == SYN_RECV && parent != null) {
      // A child not yet accepted just disappears (inet_csk_destroy_sock via the listener).
      parent.forgetChild(this);
    }
    flags |= WAS_RESET;
    pendingError = err;
    done(cause, err);
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
    if (state == SYN_RECV && seg.has(ACK) && seg.seq() + 1 == rcv.rcvNxt() && seg.ack() == sndNxt) {
      return true;
    }
    if (stack.sysctls().value(Sysctl.TCP_RFC5961) == 0) {
      // RFC 793 / RFC 9293 without RFC 5961: an in-window SYN is an error: reset both ends.
      sendActiveReset();
      resetArrived();
      return false;
    }
    stack.count(TcpMib.TcpExtTCPSYNChallenge);
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
        initTransfer(handshakeRetransmits + retransmits);
        retransmits = 0;
        retransStampNanos = 0; // tcp_rcv_state_process, TCP_SYN_RECV
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
    if (SeqNum.lt(seg.ack(), sndUna - (int) Math.min(maxSndWnd, bytesAcked))) {
      // RFC 5961 §5.2 (blind data injection): an ACK older than SND.UNA - MAX.SND.WND is not
      // ours to take; challenge ACK, drop the whole segment, its text too (tcp_ack,
      // SKB_DROP_REASON_TCP_TOO_OLD_ACK). Linux caps the allowance at the bytes acknowledged so
      // far ("do not accept ACK for bytes we never sent"), so a connection that has had nothing
      // acknowledged takes no ACK below SND.UNA. This is what keeps a delayed copy from an
      // earlier incarnation out, whatever its sequence number, unless its ACK lines up too.
      if (seg.payloadLength() > 0 && headerPredicted(seg)) {
        // ... unless the fast path takes it first: the data is queued before tcp_ack looks at
        // the ACK, which then only draws the challenge ACK.
        fastPathDataWithTooOldAck(seg);
        return false;
      }
      if (headerPredicted(seg)) {
        storeTsRecentOnFastPath(seg); // the fast path's pure ACK: stored before tcp_ack
      }
      sendChallengeAck();
      stack.drop(seg, DropReason.TCP_TOO_OLD_ACK);
      return false;
    }
    if (SeqNum.lt(seg.ack(), sndUna)) {
      // tcp_ack takes an ACK older than SND.UNA to old_ack, past tcp_replace_ts_recent: TS.Recent
      // stays, unless the fast path stored it before calling tcp_ack (tcp_rcv_established).
      if (headerPredicted(seg)) {
        storeTsRecentOnFastPath(seg);
      }
    } else {
      replaceTsRecent(seg);
    }
    processAck(seg);
    switch (state) {
      case FIN_WAIT1 -> {
        if (finAcked()) {
          setState(FIN_WAIT2, "our FIN acknowledged");
          if (has(ORPHAN) && opts.linger2Seconds < 0) {
            // tcp_rcv_state_process, TCP_FIN_WAIT1: an orphan with TCP_LINGER2 < 0 may not wait
            // in FIN-WAIT-2: tcp_done, and the caller answers this segment with a RST.
            stack.count(TcpMib.TcpExtTCPAbortOnData);
            stack.sendReset(seg);
            destroy("TCP_LINGER2 < 0: no orphaned FIN-WAIT-2", null);
            return false;
          }
          if (has(ORPHAN) && newTextAfterClose(seg)) {
            // tcp_rcv_state_process, TCP_FIN_WAIT1 ("Receive out of order FIN after close()"):
            // the segment that acknowledges an orphan's FIN brings data, or a FIN beyond RCV.NXT,
            // that nobody will read: tcp_done, and the caller answers with a RST formed from the
            // segment (TcpExtTCPAbortOnData), before the connection could go to FIN-WAIT-2's
            // light entry.
            stack.count(TcpMib.TcpExtTCPAbortOnData);
            stack.sendReset(seg);
            destroy("data or a FIN out of order after close", null);
            return false;
          }
          maybeOrphanFinWait2(seg.has(FIN));
          if (timeWait != null) {
            notifyApp();
            return false; // the light entry has the connection now
          }
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

  /**
   * tcp_rcv_established's header prediction: the connection is in ESTABLISHED with the fast path
   * on (no out-of-order data, an open receive window, receive memory under SO_RCVBUF:
   * tcp_fast_path_check; not left off since an active open, {@link #NO_PREDICTION}), and the
   * segment is what pred_flags foresee: ACK (PSH aside) and nothing else, the header of an
   * established segment (the aligned timestamp option alone, or no option without timestamps),
   * the window field as last advertised, the next sequence number, an ACK not beyond SND.NXT, a TS
   * value not below TS.Recent, and for data an skb that fits the forward allocation (else the slow
   * path, step5). The fast path stores TS.Recent and queues data before tcp_ack sees the ACK;
   * elsewhere it does what the slow path does, so only a segment whose ACK is older than SND.UNA is
   * told apart (RFC 9293 §3.10.7.4 has no fast path; header prediction is Van Jacobson's, RFC
   * 1323's appendix).
   */
  private boolean headerPredicted(Segment seg) {
    if (state != ESTABLISHED || has(NO_PREDICTION) || (seg.flags() & ~PSH) != ACK
        || seg.seq() != rcv.rcvNxt() || SeqNum.gt(seg.ack(), sndNxt)
        || seg.window() != sndWnd >>> sndWscale) {
      return false;
    }
    if (rcv.outOfOrderRanges() > 0 || rcv.rcvWnd() == 0 || rcv.rmemAlloc() >= rcvBuf) {
      return false; // tcp_fast_path_check would leave pred_flags at 0
    }
    TcpOptions o = seg.options();
    if (has(TS_OK)) {
      boolean aligned = o.count() == 3 && o.kind(0) == TcpOptions.NOP && o.kind(1) == TcpOptions.NOP
          && o.kind(2) == TcpOptions.TIMESTAMP;
      if (!aligned || o.tsVal() - tsRecent < 0) {
        return false;
      }
    } else if (!o.isEmpty()) {
      return false;
    }
    return seg.payloadLength() == 0 || ReceiveBuffer.skbTruesize(seg.wireLength()) <= rcv.forwardAlloc();
  }

  /**
   * The fast path's data branch when the ACK turns out too old: TS.Recent is stored as the data
   * is queued (tcp_store_ts_recent), tcp_ack(FLAG_DATA) answers the ACK with a challenge ACK
   * (rate-limited) and returns, and the data's own ACK follows unless that one carried it
   * (__tcp_ack_snd_check).
   */
  /**
   * tcp_rcv_established's tcp_store_ts_recent, done before tcp_ack sees the ACK: a predicted
   * segment at RCV.NXT with nothing unacknowledged received (seq <= rcv_wup) takes TS.Recent.
   */
  private void storeTsRecentOnFastPath(Segment seg) {
    if (has(TS_OK) && rcv.rcvNxt() == rcv.rcvWup()) {
      storeTsRecent(seg.options().tsVal());
    }
  }

  private void fastPathDataWithTooOldAck(Segment seg) {
    storeTsRecentOnFastPath(seg);
    processText(seg);
    sendChallengeAck();
    pushPendingFrames();
    ackSndCheck();
  }

  /**
   * Whether {@code seg} takes sequence space that ends, FIN aside, beyond RCV.NXT: new data, or a
   * FIN that does not come next (tcp_rcv_state_process's "end_seq != seq && after(end_seq - fin,
   * rcv_nxt)"). After close() or SHUT_RD nobody will read it.
   */
  private boolean newTextAfterClose(Segment seg) {
    return seg.end() != seg.seq()
        && SeqNum.gt(seg.end() - (seg.has(FIN) ? 1 : 0), rcv.rcvNxt());
  }

  private boolean finAcked() {
    return has(FIN_SENT) && SeqNum.gt(sndUna, finSeq);
  }

  /**
   * Seventh, process the segment text (§3.10.7.4 "seventh"; tcp_data_queue), with the FIN's
   * place in the sequence space. Only ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 take data; after the
   * peer's FIN, text is ignored (a retransmitted FIN is ACKed).
   */
  private void processText(Segment seg) {
    int len = seg.payloadLength();
    if (len == 0 && !seg.has(FIN)) {
      return;
    }
    if (state != ESTABLISHED && state != FIN_WAIT1 && state != FIN_WAIT2
        && state != SYN_RECV) {
      // tcp_rcv_state_process, CLOSE_WAIT/CLOSING/LAST_ACK: a segment at or beyond RCV.NXT comes
      // after the peer's FIN and is discarded without an ACK (RFC 9293 §3.10.7.4 "ignore the
      // segment text").
      if (SeqNum.ge(seg.seq(), rcv.rcvNxt())) {
        stack.drop(seg, DropReason.NOT_SPECIFIED);
        return;
      }
      // One from before it falls through to FIN-WAIT's check: the FIN set RCV_SHUTDOWN, so text
      // past RCV.NXT is data lost (RFC 1122 §4.2.2.13): tcp_reset (EPIPE in CLOSE_WAIT) and a RST
      // formed from the segment (TcpExtTCPAbortOnData).
      if (SeqNum.gt(seg.seq() + len, rcv.rcvNxt())) {
        stack.count(TcpMib.TcpExtTCPAbortOnData);
        stack.sendReset(seg);
        stack.drop(seg, DropReason.TCP_ABORT_ON_DATA);
        resetArrived("data after the peer's FIN");
        return;
      }
      // The rest goes on to tcp_data_queue: a retransmission of what we hold is ACKed at once
      // with a D-SACK.
      rcv.receive(seg.seq(), len, seg.has(FIN), seg.payload(), 0, seg.wireLength());
      stack.count(TcpMib.TcpExtDelayedACKLost);
      enterQuickAck();
      sendAck();
      return;
    }
    if (has(RCV_SHUTDOWN) && (state == FIN_WAIT1 || state == FIN_WAIT2)
        && newTextAfterClose(seg)) {
      // tcp_rcv_state_process: new data, or a FIN out of order, in FIN-WAIT-1/2 after reading
      // was shut (close, even while SO_LINGER waits, or SHUT_RD): tcp_reset (RFC 1122
      // §4.2.2.13), and the caller answers with tcp_v4_send_reset, a RST formed from the
      // segment (TcpExtTCPAbortOnData).
      stack.count(TcpMib.TcpExtTCPAbortOnData);
      stack.sendReset(seg);
      // tcp_reset, not just tcp_done: a socket still open (SHUT_RD, or a lingering close) has
      // its read and write fail with ECONNRESET once.
      resetArrived("data after close");
      return;
    }
    int before = rcv.rcvNxt();
    ReceiveBuffer.Outcome out =
        rcv.receive(seg.seq(), len, seg.has(FIN), seg.payload(), 0, seg.wireLength());
    if (rcv.takeWindowGrowth()) {
      quickAcks |= 1; // tcp_grow_window: icsk_ack.quick |= 1
    }
    int advanced =
        SeqNum.distance(before, rcv.rcvNxt()) - (rcv.finReceived() && !has(PEER_FIN) ? 1 : 0);
    switch (out) {
      case NO_DATA -> {}
      case IN_ORDER, IN_ORDER_GAP_FILLED -> {
        flags &= ~NO_PREDICTION; // tcp_data_queue: tcp_fast_path_check
        // tcp_data_queue calls tcp_event_data_recv for skb->len, duplicate head and all: a FIN
        // behind one old byte starts the delayed-ACK engine as data would.
        if (len > 0) {
          eventDataRecv();
        }
        if (advanced > 0) {
          bytesReceived += advanced;
          notifyApp();
        }
        flags |= ACK_SCHEDULED;
        if (out == ReceiveBuffer.Outcome.IN_ORDER_GAP_FILLED) {
          flags |= ACK_NOW; // RFC 5681 §4.2: the gap is filled
        }
      }
      case OUT_OF_ORDER -> {
        // tcp_data_queue_ofo: ACK at once, with SACK (RFC 5681 §4.2, RFC 2018), through
        // __tcp_ack_snd_check's out-of-order branch; the ACK mode (quick ACKs, ato, pingpong)
        // is left as it was, so a FIN after only out-of-order data is still ACKed at the next tick.
        flags |= ACK_SCHEDULED;
      }
      case DUPLICATE -> {
        // tcp_data_queue: a retransmission of data held: immediate ACK with D-SACK.
        stack.count(TcpMib.TcpExtDelayedACKLost);
        enterQuickAck();
        sendAck();
      }
      case DROPPED_OUT_OF_WINDOW -> {
        stack.drop(seg, DropReason.TCP_OVERWINDOW);
        sendAck();
      }
      case DROPPED_ZERO_WINDOW -> {
        stack.drop(seg, DropReason.TCP_ZEROWINDOW);
        sendAck();
      }
      case DROPPED_NO_MEMORY -> {
        stack.drop(seg, DropReason.PROTO_MEM);
        sendAck();
      }
    }
  }

  /**
   * Eighth, check the FIN bit (§3.10.7.4 "eighth"; tcp_fin). A FIN counts once RCV.NXT reaches
   * it; one past a hole waits in the out-of-order queue with its data.
   */
  private void checkFin(Segment seg) {
    if (state == CLOSE || has(PEER_FIN) || !rcv.finReceived()) {
      return;
    }
    finArrived();
  }

  /** tcp_fin: the FIN is in order. */
  private void finArrived() {
    if (has(PEER_FIN)) {
      return;
    }
    flags |= PEER_FIN;
    flags |= RCV_SHUTDOWN;
    flags |= ACK_SCHEDULED;
    switch (state) {
      case SYN_RECV, ESTABLISHED -> {
        setState(CLOSE_WAIT, "FIN");
        // tcp_fin: "Move to CLOSE_WAIT" and enter pingpong mode, so the ACK is delayed in the
        // hope of riding on the application's reply or FIN.
        flags |= PINGPONG;
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
    // Only after the switch, so the ACK sent in FIN-WAIT above still carries SACK and D-SACK:
    // data beyond the FIN can never be in order (skb_rbtree_purge), and tcp_sack_reset, so a
    // D-SACK the FIN's own segment set goes unsent later.
    rcv.purgeOutOfOrder();
    rcv.clearDsack();
    notifyApp();
  }

  /** TIME-WAIT is handled by the light {@link TimeWaitSocket}; this socket no longer is hashed. */
  private void timeWaitArrives(Segment seg) {
    stack.drop(seg, DropReason.TCP_OLD_SEQUENCE);
  }

  // =========================================================================================
  // ACK processing (tcp_ack, tcp_clean_rtx_queue, tcp_fastretrans_alert)
  // =========================================================================================

  /**
   * tcp_ack: the window update, SACK tagging and cleaning of the retransmission queue, then the
   * congestion state machine (tcp_fastretrans_alert), then the window arithmetic
   * (tcp_cong_control, {@link RenoCongestion}), then the timers.
   */
  private void processAck(Segment seg) {
    int ack = seg.ack();
    if (SeqNum.lt(ack, sndUna)) {
      // An old ACK: ignored (RFC 9293 "If the ACK is a duplicate, it can be ignored"), but for
      // its SACK blocks, which tcp_ack's old_ack still tags, then runs tcp_fastretrans_alert (so
      // RACK may find a loss or arm its timer) and tcp_xmit_recovery.
      if (has(SACK_OK) && seg.options().sackBlockCount() > 0 && sb.count > 0) {
        reoArmedByThisAck = false;
        processSackBlocks(seg.options());
        fastRetransAlert(false, false, true);
      }
      return;
    }
    int priorInFlight = sb.count;
    int priorFack = sb.highestSackEnd(sndUna);
    reoArmedByThisAck = false;
    // Any ACK not older than SND.UNA shows the peer alive: the persist timer's count of
    // unanswered probes starts again (tcp_ack: icsk_probes_out = 0; RFC 1122 §4.2.2.17).
    probesOut = 0;
    boolean windowUpdated = mayUpdateWindow(seg); // FLAG_WIN_UPDATE
    boolean windowChanged = maybeUpdateWindow(seg);
    int newlySacked = 0;
    if (has(SACK_OK) && seg.options().sackBlockCount() > 0) {
      newlySacked = processSackBlocks(seg.options());
    }
    boolean advanced = SeqNum.gt(ack, sndUna);
    // tcp_packet_delayed, read before the ACK can clear retrans_stamp: the echo is older than our
    // first retransmission, so an original transmission is what arrived.
    boolean originalAcked = retransStampNanos != 0 && has(TS_OK) && seg.options().hasTimestamp()
        && seg.options().tsEcr() != 0 && seg.options().tsEcr() - tsAt(retransStampNanos) < 0;
    int ackedSegs = 0;
    if (advanced) {
      int acked = SeqNum.distance(sndUna, ack);
      boolean finNowAcked = has(FIN_SENT) && SeqNum.gt(ack, finSeq);
      int dataAcked = acked - (finNowAcked ? 1 : 0)
          - (SeqNum.le(sndUna, iss) ? 1 : 0); // our SYN, when a SYN-RECV child's ACK lands here
      ackedSegs = cleanRtxQueue(ack, seg, priorFack);
      if (sendBuf != null && dataAcked > 0) {
        sendBuf.ack(finNowAcked ? ack - 1 : ack);
      }
      chargeSendQueue(ack); // tcp_clean_rtx_queue frees the acknowledged skbs
      // tcp_snd_una_update: bytes_acked counts every sequence number acknowledged, our FIN too.
      bytesAcked += Math.max(0, dataAcked) + (finNowAcked ? 1 : 0);
      sndUna = ack;
      if (SeqNum.lt(sndSml, sndUna)) {
        sndSml = sndUna;
      }
      retransmits = 0; // icsk_retransmits: progress (the backoff clears with a valid sample)
      if (tlpHighSeq != 0 && SeqNum.ge(ack, tlpHighSeq)) {
        tlpHighSeq = 0;
      }
      if (retransStampNanos != 0 && !hasRetransmittedInFlight()) {
        retransStampNanos = 0;
      }
    }
    boolean dupAck = !advanced && ack == sndUna && seg.payloadLength() == 0 && !windowChanged
        && !seg.has(FIN) && sb.count > 0; // RFC 5681 §2's duplicate ACK
    if (ca == CaState.LOSS && advanced && originalAcked) {
      undoLoss();
    }
    // tcp_ack_is_dubious: not a plain forward step (no data, window update or new ACK), or SACK
    // news, or a state other than Open.
    boolean dubious = !(advanced || windowUpdated || seg.payloadLength() > 0 || seg.has(FIN))
        || newlySacked > 0 || ca != CaState.OPEN;
    int newlyLost = fastRetransAlert(advanced, dupAck, dubious);
    // Without SACK a duplicate ACK stands for one segment delivered (tcp_add_reno_sack).
    // tp->delivered: a segment counts when first SACKed or, if never SACKed, when ACKed.
    int ackedSacked = ackedUnsacked + newlySacked + (dupAck && !has(SACK_OK) ? 1 : 0);
    cc.congControl(ca, ackedSacked, newlyLost, advanced, ackedSegs > 0,
        cc.isCwndLimited(has(CWND_LIMITED), maxPacketsOut), packetsInFlight());
    if (advanced) {
      if (sb.count == 0) {
        clearXmitTimer();
      } else if (!reoArmedByThisAck) {
        // tcp_set_xmit_timer: a loss probe if one is allowed, else the RTO, from now (unless RACK
        // armed its reordering timer: FLAG_SET_XMIT_TIMER cleared).
        scheduleLossProbeOrRto(true);
      }
      notifyApp();
    } else if (priorInFlight == 0 && sendHeadPending()) {
      ackProbe();
    }
  }

  /**
   * tcp_ack_probe: an ACK while nothing was in flight and something waits to be sent. If the
   * window now takes the next segment, stop probing (the push that follows sends it); if not,
   * restart the persist timer with the current backoff.
   */
  private void ackProbe() {
    int avail = SeqNum.distance(sndNxt, writeSeq);
    int len = Math.min(currentMss(), avail);
    boolean withFin = has(FIN_QUEUED) && !has(FIN_SENT) && len == avail;
    if (SeqNum.le(sndNxt + len + (withFin ? 1 : 0), sndUna + sndWnd)) {
      rtt.resetBackoff();
      probesStampNanos = NOT_PROBING;
      if (xmitKind == XMIT_PROBE0) {
        clearXmitTimer();
      }
    } else {
      resetXmitTimer(XMIT_PROBE0, probe0WhenNanos());
    }
  }

  /**
   * tcp_fastretrans_alert, reduced to Reno with SACK: leave RECOVERY or LOSS when SND.UNA reaches
   * high_seq; in RECOVERY a partial ACK marks the next hole lost (NewReno, RFC 6582 §3.2); count
   * duplicate ACKs (or SACKed segments) and enter fast recovery at tcp_reordering (3) of them
   * (RFC 5681 §3.2, RFC 6675 §5). Returns the segments newly marked lost.
   */
  private int fastRetransAlert(boolean advanced, boolean dupAck, boolean dubious) {
    int reordering = rack.reordering();
    int lostBefore = countFlag(LOST);
    if (advanced) {
      dupAcks = 0;
    } else if (dupAck) {
      dupAcks++;
    }
    if ((ca == CaState.RECOVERY || ca == CaState.LOSS) && SeqNum.ge(sndUna, highSeq)) {
      if (ca == CaState.RECOVERY) {
        cc.endRecovery(); // tcp_end_cwnd_reduction: cwnd = ssthresh
      }
      ca = CaState.OPEN;
      clearScoreboardMarks();
    }
    switch (ca) {
      case RECOVERY -> {
        if (!has(SACK_OK)) {
          if (dupAck) {
            markRenoSacked();
          }
          if (advanced) {
            markHeadLost(); // a partial ACK: the next hole is lost too
          }
        } else if (rackOn()) {
          rackMarkLost(); // tcp_identify_packet_loss
        } else {
          markHolesLost();
          markHeadLost();
        }
      }
      case LOSS -> {}
      default -> {
        if (dupAck && !has(SACK_OK)) {
          markRenoSacked();
        }
        if (rackOn() && dubious) {
          rackMarkLost(); // tcp_identify_packet_loss
        }
        int sacked = sackedSegments();
        ca = dupAcks > 0 || sacked > 0 ? CaState.DISORDER : CaState.OPEN;
        // tcp_time_to_recover: with RACK a loss must be proven (lost_out); without it, the
        // duplicate ACKs or SACKed segments reach the reordering degree.
        if (rackOn() ? countFlag(LOST) > 0 : dupAcks >= reordering || sacked >= reordering) {
          enterRecovery();
        }
      }
    }
    return Math.max(0, countFlag(LOST) - lostBefore);
  }

  /**
   * tcp_may_update_window / tcp_ack_update_window (RFC 9293 §3.10.7.4 SND.WL1/WL2 rule): a
   * segment that acknowledges nothing new from the same SND.WL1 updates the window only when it
   * grows it or closes it (a smaller non-zero window there is not taken).
   */
  private boolean maybeUpdateWindow(Segment seg) {
    int nwin = seg.window() << sndWscale;
    if (mayUpdateWindow(seg)) {
      boolean changed = nwin != sndWnd;
      if (changed) {
        flags &= ~NO_PREDICTION; // tcp_ack_update_window: tcp_fast_path_check
      }
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

  /** tcp_may_update_window: whether the segment's window is taken (FLAG_WIN_UPDATE), changed or not. */
  private boolean mayUpdateWindow(Segment seg) {
    int nwin = seg.window() << sndWscale;
    return SeqNum.lt(sndUna, seg.ack()) || SeqNum.lt(sndWl1, seg.seq())
        || (sndWl1 == seg.seq() && (nwin > sndWnd || nwin == 0));
  }

  /** Removes acknowledged segments from the scoreboard and takes an RTT sample (tcp_clean_rtx_queue). */
  private int cleanRtxQueue(int ack, Segment seg, int priorFack) {
    int removed = 0;
    ackedUnsacked = 0;
    long oldestSent = -1;
    boolean retransAcked = false;
    int reord = sndNxt;
    while (sb.count > 0) {
      int i = sb.head;
      if (SeqNum.le(sb.end[i], ack)) {
        byte f = sb.flags[i];
        if ((f & EVER_RETRANS) != 0) {
          retransAcked = true;
        } else if (oldestSent < 0) {
          oldestSent = sb.time[i];
        }
        if ((f & (EVER_RETRANS | SACKED)) == 0 && SeqNum.lt(sb.start[i], reord)) {
          reord = sb.start[i];
        }
        if (has(SACK_OK) && (f & SACKED) == 0 && !spuriousRetransmission(f, sb.time[i], seg)) {
          rack.advance(f, sb.end[i], sb.time[i], sim.now(), rtt.minRttMicros());
        }
        if ((f & SACKED) == 0) {
          ackedUnsacked++; // tcp_count_delivered: a SACKed one was counted when it was SACKed
        }
        sb.removeHead();
        removed++;
      } else {
        if (SeqNum.lt(sb.start[i], ack)) {
          sb.start[i] = ack; // partly acknowledged
        }
        break;
      }
    }
    if (has(SACK_OK) && SeqNum.lt(reord, priorFack)) {
      rack.reorderingSeen(reord, Math.max(priorFack, sb.highestSackEnd(ack)), mssCache, MAX_REORDERING);
    }
    if (oldestSent >= 0 && !retransAcked) {
      rtt.sample(sim.now() - oldestSent, ack, sndNxt);
    } else if (has(TS_OK) && seg.options().hasTimestamp() && seg.options().tsEcr() != 0) {
      // tcp_rtt_tsopt_us: with retransmissions acknowledged, the echo still times the round trip.
      long ms = tsNow() - seg.options().tsEcr();
      if (ms >= 0) {
        rtt.sample(Math.max(ms, 1) * Nanos.PER_MILLI, ack, sndNxt);
      }
    }
    return removed;
  }

  /**
   * tcp_skb_spurious_retrans: a resent segment whose ACK echoes a timestamp from before the resend
   * was delivered by an earlier copy.
   */
  private boolean spuriousRetransmission(byte marks, long sentNanos, Segment seg) {
    return (marks & (RETRANS | EVER_RETRANS)) != 0 && has(TS_OK) && seg.options().hasTimestamp()
        && seg.options().tsEcr() != 0 && seg.options().tsEcr() - tsAt(sentNanos) < 0;
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
    } else if (has(TS_OK) && seg.options().hasTimestamp() && seg.options().tsEcr() != 0) {
      long ms = tsNow() - seg.options().tsEcr();
      if (ms >= 0) {
        sampled = rtt.sample(Math.max(ms, 1) * Nanos.PER_MILLI, seg.ack(), sndNxt);
      }
    }
    if (!sampled) {
      rtt.handshakeWithoutSample();
    }
  }

  /** SYN-ACK retransmissions of the request this child came from (req->num_retrans). */
  int handshakeRetransmits;
  /** When our SYN or SYN-ACK was (last) sent, to time the handshake. */
  long synSentNanos = -1;

  /** The retransmission timeout now: icsk_rto, already doubled by each backoff. */
  long currentRto() {
    return rtt.rtoNanos();
  }

  /**
   * Fast retransmit starts fast recovery (RFC 5681 §3.2, RFC 6675; tcp_enter_recovery): the
   * window reduction is RenoCongestion's (ssthresh = cwnd / 2, then PRR); the head and the holes
   * below the highest SACK are marked lost for tcp_xmit_retransmit_queue.
   */
  private void enterRecovery() {
    stack.count(TcpMib.TcpExtTCPFastRetrans);
    cc.enterRecovery(sb.count);
    ca = CaState.RECOVERY;
    highSeq = sndNxt;
    if (rackOn()) {
      return; // RACK marked what is lost (tcp_fastretrans_alert: no tcp_update_scoreboard)
    }
    markHeadLost();
    if (has(SACK_OK)) {
      markHolesLost();
    }
  }

  /**
   * RACK decides losses on every SACK connection: Linux 6.18 does so even with
   * net.ipv4.tcp_recovery at 0, which once turned it off for RFC 6675's duplicate-ACK count
   * (checked: specs/pkt/retransmit/rack-stays-on-with-tcp-recovery-0.pkt).
   */
  private boolean rackOn() {
    return has(SACK_OK);
  }

  /** tcp_rack_reo_wnd for this connection's state. */
  private long rackReoWnd() {
    boolean dupThresh = (stack.sysctls().value(Sysctl.TCP_RECOVERY) & 4) == 0; // TCP_RACK_NO_DUPTHRESH
    return rack.reoWndNanos(ca == CaState.RECOVERY || ca == CaState.LOSS, sackedSegments(), dupThresh,
        rtt.minRttMicros(), rtt.srttNanos());
  }

  /** tcp_rack_detect_loss, counting retransmissions found lost again (LINUX_MIB_TCPLOSTRETRANSMIT). */
  private long rackDetectLoss() {
    long wait = rack.detectLoss(sb, sim.now(), rackReoWnd());
    for (int n = rack.lostRetransmits(); n > 0; n--) {
      stack.count(TcpMib.TcpExtTCPLostRetransmit);
    }
    return wait;
  }

  /**
   * tcp_rack_mark_lost (RFC 8985 §6.2): once something was delivered since the last look, mark
   * what RACK finds lost; for segments still within their reordering window, arm the reordering
   * timer for the longest wait plus TCP_TIMEOUT_MIN_US, at most the RTO.
   */
  private void rackMarkLost() {
    if (!rack.takeAdvanced()) {
      return;
    }
    long wait = rackDetectLoss();
    if (wait > 0) {
      resetXmitTimer(XMIT_REO, Math.min(wait + TIMEOUT_MIN_US_NANOS, currentRto()));
      reoArmedByThisAck = true;
    }
  }

  /**
   * tcp_rack_reo_timeout: the reordering window of some segment ran out. If RACK now finds a loss,
   * fast recovery starts (with one PRR step) unless it is on, and the lost segments go again;
   * then the RTO is re-armed from the oldest segment's transmission (tcp_rearm_rto).
   */
  private void rackReoTimeout() {
    if (sb.count == 0) {
      return;
    }
    int inFlightBefore = packetsInFlight();
    int lostBefore = countFlag(LOST);
    rackDetectLoss();
    if (inFlightBefore != packetsInFlight()) {
      if (ca != CaState.RECOVERY) {
        enterRecovery();
        cc.congControl(CaState.RECOVERY, 1, countFlag(LOST) - lostBefore, false, false, false,
            packetsInFlight()); // tcp_cwnd_reduction(sk, 1, newly lost, 0)
      }
      xmitRetransmitQueue();
    }
    if (xmitKind != XMIT_RTO && sb.count > 0) {
      // tcp_rearm_rto while the REO timer is the pending one: the RTO counts from the head's send.
      resetXmitTimer(XMIT_RTO, Math.max(sb.time[sb.head] + currentRto() - sim.now(), 1000));
    }
  }

  /** tcp_retransmit_timer's window side (tcp_enter_loss): cwnd 1, everything un-SACKed lost. */
  /**
   * tcp_try_undo_loss (RFC 3522, Eifel detection): an ACK of new data in LOSS whose timestamp echo
   * is older than the first retransmission acknowledges an original transmission, so the timeout
   * was spurious: the window and ssthresh go back to what they were (tcp_undo_cwnd_reduction),
   * nothing stays marked lost, the timeout count is cleared, and a SACK connection is OPEN again
   * (a Reno one stays in LOSS with its window restored). F-RTO and D-SACK undo are not modelled.
   */
  private void undoLoss() {
    stack.count(TcpMib.TcpExtTCPLossUndo);
    cc.undoReduction();
    sb.clearLost();
    retransmits = 0;
    if (has(SACK_OK)) {
      ca = CaState.OPEN;
    }
  }

  private void enterLoss() {
    CaState before = ca;
    dupAcks = 0;
    tlpHighSeq = 0;
    if (!has(SACK_OK)) {
      sb.clearRenoSacked(); // tcp_timeout_mark_lost: tcp_reset_reno_sack, then every skb is lost
    }
    sb.markAllLost();
    cc.enterLoss(before, SeqNum.gt(highSeq, sndUna), retransmits, packetsInFlight(), sb.count);
    ca = CaState.LOSS;
    highSeq = sndNxt;
  }

  // =========================================================================================
  // Scoreboard (retransmission queue)
  // =========================================================================================

  /** tcp_packets_in_flight: packets_out - (sacked_out + lost_out) + retrans_out. */
  int packetsInFlight() {
    return sb.inFlight();
  }

  private int sackedSegments() {
    return sb.countFlag(SACKED);
  }

  private int countFlag(byte flag) {
    return sb.countFlag(flag);
  }

  private boolean hasRetransmittedInFlight() {
    return sb.countFlag(EVER_RETRANS) > 0;
  }

  /**
   * tcp_sacktag_write_queue: segments wholly inside a SACK block are SACKED, the blocks taken in
   * sequence order. Each newly SACKed segment advances RACK (tcp_sacktag_one: tcp_rack_advance),
   * and one never resent that lies below the highest SACKed before it shows reordering
   * (tcp_check_sack_reordering).
   */
  private int processSackBlocks(TcpOptions o) {
    int newly = 0;
    int reord = sndNxt;
    int highest = sb.highestSackEnd(sndUna);
    int done = 0; // blocks taken, a bit each
    for (int round = 0; round < o.sackBlockCount(); round++) {
      int b = -1;
      for (int c = 0; c < o.sackBlockCount(); c++) {
        if ((done & (1 << c)) == 0 && (b < 0 || SeqNum.lt(o.sackStart(c), o.sackStart(b)))) {
          b = c;
        }
      }
      done |= 1 << b;
      int s = o.sackStart(b);
      int e = o.sackEnd(b);
      if (!SeqNum.lt(s, e) || SeqNum.le(e, sndUna) || SeqNum.gt(e, sndNxt)) {
        continue; // invalid or DSACK: ignored (tcp_is_sackblock_valid)
      }
      for (int k = 0; k < sb.count; k++) {
        int i = sb.index(k);
        byte before = sb.flags[i];
        if (!SeqNum.ge(sb.start[i], s) || !SeqNum.le(sb.end[i], e) || (before & SACKED) != 0) {
          continue;
        }
        if ((before & (RETRANS | EVER_RETRANS)) == 0 && SeqNum.lt(sb.start[i], highest)
            && SeqNum.lt(sb.start[i], reord)) {
          reord = sb.start[i];
        }
        sb.sack(i);
        newly++;
        rack.advance(before, sb.end[i], sb.time[i], sim.now(), rtt.minRttMicros());
        if (SeqNum.gt(sb.end[i], highest)) {
          highest = sb.end[i];
        }
      }
    }
    rack.reorderingSeen(reord, sb.highestSackEnd(sndUna), mssCache, MAX_REORDERING);
    return newly;
  }

  /** net.ipv4.tcp_max_reordering's default (tcp_sk_init). */
  private static final int MAX_REORDERING = 300;

  /** Without SACK, each duplicate ACK stands for one segment that left the network (tcp_add_reno_sack). */
  private void markRenoSacked() {
    sb.markRenoSacked(dupAcks);
  }

  private void markHeadLost() {
    sb.markHeadLost();
  }

  private void markHolesLost() {
    sb.markHolesLost();
  }

  private void clearScoreboardMarks() {
    sb.clearMarks();
  }

  /**
   * tcp_xmit_retransmit_queue: retransmit lost segments while the pipe allows (the first one of a
   * fast retransmit goes regardless, RFC 6675 §5 step 4.3).
   */
  private void xmitRetransmitQueue() {
    for (int k = 0; k < sb.count; k++) {
      int i = sb.index(k);
      byte f = sb.flags[i];
      if ((f & LOST) == 0 || (f & (RETRANS | SACKED)) != 0) {
        continue;
      }
      if (packetsInFlight() >= cc.cwnd()) {
        return;
      }
      retransmitEntry(i, true);
      cc.onSentInRecovery(1);
    }
  }

  /**
   * tcp_retransmit_skb: resend one scoreboard entry. The first retransmission starts the give-up
   * clock (tp->retrans_stamp): tcp_retransmit_skb reads the segment's timestamp after
   * __tcp_retransmit_skb has sent it again, so the clock starts now, at the first RTO (or fast
   * retransmit), not at a tail loss probe before it; a loss probe itself does not start it.
   * Checked on a 6.18 kernel: specs/pkt/retransmit/user-timeout-counts-from-first-rto.pkt and
   * specs/pkt/close/orphan-fin-wait-1-retransmits-then-dies.pkt.
   */
  private void retransmitEntry(int i, boolean stamp) {
    int mss = currentMss();
    if (entryDataLength(i) > mss) {
      // __tcp_retransmit_skb: tcp_fragment at cur_mss, which SACK blocks on the segment shorten.
      int k = sb.position(i);
      sb.splitAt(k, sb.start[i] + mss);
      i = sb.index(k); // the ring may have grown
    }
    refillFromTsoSkb(i);
    if (collapseRetransmission(i)) {
      chargeSendQueue(); // the skbs taken along are freed
    }
    int start = sb.start[i];
    int len = entryDataLength(i);
    boolean fin = SeqNum.distance(start, sb.end[i]) > len;
    if (stamp && retransStampNanos == 0) {
      retransStampNanos = sim.now();
    }
    sb.retransmitted(i, sim.now());
    totalRetrans++;
    stack.count(TcpMib.TcpRetransSegs);
    // The skb goes again with its own flags: PSH where a write ended (tcp_mark_push), not where
    // segmenting a TSO skb put it.
    transmitData(start, len, fin, len > 0 && (sb.flags[i] & Scoreboard.WRITE_PUSH) != 0);
  }

  /**
   * tcp_retrans_try_collapse, from __tcp_retransmit_skb: a retransmission with less data than the
   * MSS and the window allow takes the entries after it along while their data still fits, none
   * SACKed and none ending past the window, so a small segment and the FIN sent after it go again
   * as one segment with the FIN. (The kernel also skips an skb still cloned for the device, which a
   * retransmission, coming a timeout later, does not meet.) tcp_retrans_collapse=0 turns it off.
   * Returns whether any entry was taken along.
   */
  private boolean collapseRetransmission(int i) {
    // Without SACK the SACKED marks are duplicate ACKs counted (tcp_add_reno_sack), not skbs
    // tagged TCPCB_SACKED_ACKED, so they keep no skb from being taken along.
    byte sackedTag = has(SACK_OK) ? SACKED : 0;
    if (stack.sysctls().value(Sysctl.TCP_RETRANS_COLLAPSE) == 0 || (sb.flags[i] & sackedTag) != 0) {
      return false;
    }
    int mss = currentMss();
    int wndEnd = sndUna + sndWnd;
    int avail = SeqNum.distance(sb.start[i], wndEnd);
    avail = avail <= 0 ? mss : Math.min(avail, mss);
    int space = avail - entryDataLength(i);
    if (space <= 0) {
      return false;
    }
    int k = sb.position(i);
    boolean merged = false;
    while (k + 1 < sb.count) {
      int j = sb.index(k + 1);
      space -= entryDataLength(j);
      if ((sb.flags[j] & sackedTag) != 0 || space < 0 || SeqNum.gt(sb.end[j], wndEnd)) {
        break;
      }
      sb.mergeNext(k);
      merged = true;
    }
    return merged;
  }

  /**
   * A segment now shorter than the MSS (partly acknowledged, or sent while SACK blocks shortened
   * it) that was not the last of its TSO skb ({@link #tsoSegs}: it went without PSH, with more of
   * the skb after it) is resent as the kernel resends the rest of that skb: a whole MSS from its
   * start (__tcp_retransmit_skb's tcp_fragment at cur_mss), the bytes taken from the entry after.
   */
  private void refillFromTsoSkb(int i) {
    int k = sb.position(i);
    if (k + 1 >= sb.count || (sb.flags[i] & (Scoreboard.PUSH | SACKED)) != 0) {
      return;
    }
    int j = sb.index(k + 1);
    int room = currentMss() - entryDataLength(i);
    if (room <= 0 || sb.end[i] != sb.start[j] || (sb.flags[j] & SACKED) != 0) {
      return;
    }
    int bytes = Math.min(room, entryDataLength(j));
    if (bytes > 0 && SeqNum.le(sb.end[i] + bytes, sndUna + sndWnd)) {
      sb.takeFromNext(k, bytes);
    }
  }

  /** The data bytes of scoreboard entry {@code i} (skb->len: its FIN takes no byte). */
  private int entryDataLength(int i) {
    boolean fin = has(FIN_SENT) && sb.end[i] == finSeq + 1;
    return SeqNum.distance(sb.start[i], sb.end[i]) - (fin ? 1 : 0);
  }

  // =========================================================================================
  // Output (tcp_write_xmit, tcp_transmit_skb)
  // =========================================================================================

  /** Segment payload size now: the MSS less options (tcp_current_mss). */
  int currentMss() {
    // tcp_current_mss: less the option bytes the SACK blocks of the next segment take
    // (tcp_established_options: TCPOLEN_SACK_BASE_ALIGNED, 4, and 8 a block, as many blocks as
    // the 40 option bytes left by the timestamp hold), so that a data segment carrying them
    // still fits the path MTU.
    if (!has(SACK_OK) || rcv == null) {
      return mssCache;
    }
    boolean dsack = rcv.hasDsack() && stack.sysctls().value(Sysctl.TCP_DSACK) != 0;
    int blocks = rcv.sackCount() + (dsack ? 1 : 0);
    if (blocks == 0) {
      return mssCache;
    }
    int room = (MAX_OPTION_BYTES - (has(TS_OK) ? 12 : 0) - 4) / 8;
    return mssCache - 4 - 8 * Math.min(blocks, room);
  }

  /** MAX_TCP_OPTION_SPACE, include/net/tcp.h. */
  private static final int MAX_OPTION_BYTES = 40;

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
      xmitRetransmitQueue();
    }
    boolean sentNew = false;
    boolean cwndLimitedNow = false;
    int mss = currentMss();
    int chunk = tsoSegs(mss);
    int inChunk = 0;
    while (true) {
      int avail = SeqNum.distance(sndNxt, writeSeq);
      boolean finPending = has(FIN_QUEUED) && !has(FIN_SENT);
      if (avail <= 0 && !finPending) {
        break;
      }
      int len = Math.min(mss, Math.max(avail, 0));
      boolean withFin = finPending && len == avail;
      if (packetsInFlight() >= cc.cwnd()) {
        // tcp_cwnd_test, a lone FIN included: Linux 6.10 dropped its exception for the final FIN
        // (commit 22555032c513), so after a timeout the FIN waits behind the retransmission.
        cwndLimitedNow = true;
        break;
      }
      if (SeqNum.gt(sndNxt + len + (withFin ? 1 : 0), sndUna + sndWnd)) {
        // tcp_snd_wnd_test: the segment must fit the peer's window whole, its FIN included (a
        // lone FIN waits for the window too).
        break;
      }
      if (len > 0 && len < mss && !withFin && nagleHolds()) {
        break;
      }
      inChunk = inChunk + 1 == chunk ? 0 : inChunk + 1;
      transmitNew(len, withFin, inChunk == 0);
      cc.onSentInRecovery(1);
      sentNew = true;
    }
    // tcp_write_xmit's end: the flight is cwnd-limited when it fills cwnd, with or without more
    // to send; tcp_cwnd_validate remembers that for the window (RFC 7661 growth).
    cwndLimitedNow |= packetsInFlight() >= cc.cwnd();
    if ((sentNew || cwndLimitedNow) && (!SeqNum.lt(sndUna, cwndUsageSeq) || cwndLimitedNow
        || !has(CWND_LIMITED) && sb.count > maxPacketsOut)) {
      setFlag(CWND_LIMITED, cwndLimitedNow);
      maxPacketsOut = sb.count;
      cwndUsageSeq = sndNxt;
    }
    if (sentNew) {
      scheduleLossProbeOrRto(false);
      chargeSendQueue();
    }
    if (sb.count == 0 && sendHeadPending()) {
      checkProbeTimer(); // tcp_push_pending_frames: nothing in flight and the window holds the rest
    }
  }

  /** The truesize of a send skb's head (SKB_TRUESIZE of tcp_stream_alloc_skb's), as ss -m shows it. */
  private static final int SEND_SKB_HEAD = 832;
  /** The most payload tcp_sendmsg puts in one skb (its size goal under GSO's 64 KB). */
  private static final int SEND_SKB_GOAL = 65536 - 1 - 320;

  private void chargeSendQueue() {
    chargeSendQueue(sndUna);
  }

  /**
   * sk_wmem_queued, brought up to date with SND.UNA at {@code una}: an skb per segment sent and not
   * acknowledged (the kernel's may hold two or more segments until TSO autosizing splits them), and
   * the unsent bytes in skbs of up to 64 KB, each a head of {@link #SEND_SKB_HEAD} plus its
   * payload; a FIN of its own takes a head. Charged to the forward allocation the receive side
   * draws on too, which the fast path looks at ({@link #headerPredicted}).
   */
  private void chargeSendQueue(int una) {
    if (rcv == null) {
      return;
    }
    int finInFlight = has(FIN_SENT) && SeqNum.gt(sndNxt, finSeq) && !SeqNum.gt(una, finSeq) ? 1 : 0;
    int inFlight = sb.count == 0 ? 0 : sb.count * SEND_SKB_HEAD + SeqNum.distance(una, sndNxt) - finInFlight;
    int unsent = Math.max(0, SeqNum.distance(sndNxt, writeSeq));
    int queued = unsent > 0 ? (unsent + SEND_SKB_GOAL - 1) / SEND_SKB_GOAL * SEND_SKB_HEAD + unsent
        : has(FIN_QUEUED) && !has(FIN_SENT) ? SEND_SKB_HEAD : 0;
    rcv.chargeSendQueue(inFlight + queued);
  }

  /** Data or a FIN is queued and not yet sent (tcp_send_head is not null). */
  private boolean sendHeadPending() {
    return SeqNum.lt(sndNxt, writeSeq) || has(FIN_QUEUED) && !has(FIN_SENT);
  }

  /**
   * Nagle (RFC 896) with Minshall's refinement, as tcp_nagle_check: a small segment waits while an
   * earlier small segment is unacknowledged, unless TCP_NODELAY.
   */
  private boolean nagleHolds() {
    return !has(NO_DELAY) && sb.count > 0 && SeqNum.gt(sndSml, sndUna)
        && SeqNum.le(sndSml, sndNxt);
  }

  /**
   * tcp_tso_autosize: how many segments the kernel puts in one TSO skb, each skb sent with PSH on
   * its last segment (as seen on a 6.18 kernel through tun: two segments at a 10 ms RTT or more,
   * more below): the bytes the pacing rate sends in 1/1024 s (tcp_update_pacing_rate: 200 % of
   * cwnd * mss / srtt in slow start, 120 % after; sk_pacing_shift 10), plus 64 KB halved for each
   * doubling of min_rtt past 512 us (tcp_tso_rtt_log 9), at most 64 KB (gso_max_size), at least two.
   */
  private int tsoSegs(int mss) {
    long srttUs = rtt.srttNanos() / Nanos.PER_MICRO;
    long cwnd = Math.max(cc.cwnd(), sb.count);
    long percent = cc.cwnd() < cc.ssthresh() / 2 ? 200 : 120;
    long rate = srttUs > 0 ? (long) mssCache * cwnd * percent * 10_000 / srttUs
        : (long) mssCache * cwnd * percent * 80_000; // tp->srtt_us of 1: an eighth of a microsecond
    long bytes = rate >> 10;
    int r = rtt.minRttMicros() >> 9;
    if (r < 32) {
      bytes += GSO_MAX_SIZE >> r;
    }
    return (int) Math.max(Math.min(bytes, GSO_MAX_SIZE) / Math.max(mss, 1), 2);
  }

  /** gso_max_size of the device (GSO_LEGACY_MAX_SIZE). */
  private static final int GSO_MAX_SIZE = 65536;

  private void transmitNew(int len, boolean fin) {
    transmitNew(len, fin, false);
  }

  /** @param chunkEnd the segment ends a TSO skb ({@link #tsoSegs}): PSH, as at the end of a write */
  private void transmitNew(int len, boolean fin, boolean chunkEnd) {
    int start = sndNxt;
    if (len > 0 && len < currentMss()) {
      sndSml = start + len;
    }
    if (fin) {
      flags |= FIN_SENT;
      finSeq = start + len;
    }
    int end = start + len + (fin ? 1 : 0);
    boolean wasIdle = sb.count == 0;
    if (sb == Scoreboard.EMPTY) {
      sb = new Scoreboard(); // made at the first transmission: idle connections hold none
      cc = cc.owned(); // likewise the congestion state, which changes from the first ACK of data
    }
    boolean writeEnd = len > 0 && start + len == writeSeq;
    boolean push = writeEnd || len > 0 && chunkEnd;
    sb.append(start, end, sim.now(), push, writeEnd);
    sndNxt = end;
    transmitData(start, len, fin, push);
    if (wasIdle && xmitKind != XMIT_RTO) {
      resetXmitTimer(XMIT_RTO, currentRto());
    }
    if (len > 0 && sim.now() - lastDataRecvNanos < atoNanos) {
      // tcp_event_data_sent: a reply within ato makes the connection interactive. Only a
      // segment that carries data counts (__tcp_transmit_skb calls it when skb->len exceeds the
      // header): a bare FIN after the peer's data leaves quick ACKs on.
      flags |= PINGPONG;
    }
  }

  /** Builds and sends a data (or FIN) segment for [start, start+len) of the send queue, PSH if {@code push}. */
  private void transmitData(int start, int len, boolean fin, boolean push) {
    byte[] payload = null;
    if (len > 0 && sendBuf != null && sendBuf.carriesContent()) {
      payload = sendBuf.payload(start, len);
    }
    int flags = ACK;
    if (push) {
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
    output(acceptableSeq(), ACK, 0, null);
  }

  /**
   * tcp_acceptable_seq: a segment without data goes out at SND.NXT, unless the peer's window
   * shrank so that SND.NXT lies beyond its right edge by a scaling unit or more; then at the edge
   * (SND.UNA + SND.WND), which the peer still finds acceptable (RFC 9293 §3.10.7.4 checks SEG.SEQ
   * against its window).
   */
  private int acceptableSeq() {
    int wndEnd = sndUna + sndWnd;
    if (!SeqNum.lt(wndEnd, sndNxt)
        || has(WSCALE_OK) && SeqNum.distance(wndEnd, sndNxt) < (1 << rcv.rcvWscale())) {
      return sndNxt;
    }
    return wndEnd;
  }

  /** RFC 5961 challenge ACK (tcp_send_challenge_ack), rate-limited per socket and per host. */
  private void sendChallengeAck() {
    if (stack.allowChallengeAck(this)) {
      stack.count(TcpMib.TcpExtTCPChallengeACK);
      sendAck();
    }
  }

  /**
   * A RST from a synchronized connection (tcp_send_active_reset): with ACK, at the sequence number
   * an ACK would carry ({@link #acceptableSeq}). It goes
   * out through tcp_transmit_skb like any segment of the connection, so it carries the
   * established options (nop,nop,TS) and the window tcp_select_window offers; only a reset for a
   * segment that matched no socket (tcp_v4_send_reset) has window 0 and no options.
   */
  private void sendActiveReset() {
    stack.count(TcpMib.TcpOutRsts);
    int[] sack = sackBlocksToSend();
    TcpOptions o = TcpOptionLayout.established(has(TS_OK), tsNow(), tsRecent, sack, sackPairs);
    Segment rst = new Segment(localAddress(), localPort, remoteAddr, remotePort, acceptableSeq(),
        rcv.rcvNxt(), RST | ACK, rcv.selectWindow(), 0, o, 0, null);
    stack.transmit(rst);
  }

  /** Sends our SYN (or, in a simultaneous open, SYN-ACK) with Linux's option layout. */
  private void sendSyn(boolean withAck) {
    int flags = withAck ? SYN | ACK : SYN;
    // tcp_syn_options echoes TS.Recent: 0 on a fresh socket, the old entry's value in a SYN that
    // took over a TIME-WAIT entry (tcp_twsk_unique).
    TcpOptions o = TcpOptionLayout.syn(advertisedMss(), has(SACK_OK), has(TS_OK), tsNow(),
        has(TS_OK) ? tsRecent : 0, has(WSCALE_OK) ? rcv.rcvWscale() : -1);
    synSentNanos = sim.now();
    Segment s = new Segment(localAddress(), localPort, remoteAddr, remotePort, iss,
        withAck ? rcv.rcvNxt() : 0, flags, synWindow, 0, o, 0, null);
    segsOut++;
    stack.transmit(s);
  }

  int advertisedMss() {
    return opts.userMss > 0 ? Math.min(opts.userMss, ETHERNET_MSS) : ETHERNET_MSS;
  }

  /**
   * tcp_transmit_skb for an established connection: stamps ACK, window and options; every
   * segment carries an ACK, so a pending delayed ACK is satisfied (tcp_event_ack_sent).
   */
  private void output(int seq, int flags, int len, byte[] payload) {
    int window = rcv.selectWindow();
    int[] sack = sackBlocksToSend();
    TcpOptions o;
    if (sackPairs == 0 && has(TS_OK)) {
      // The common case, nop,nop,TS: restamp one shared layout instead of building anew.
      o = TS_ONLY.withTimestamp(tsNow(), tsRecent);
    } else {
      o = TcpOptionLayout.established(has(TS_OK), tsNow(), tsRecent, sack, sackPairs);
    }
    Segment s = new Segment(localAddress(), localPort, remoteAddr, remotePort, seq, rcv.rcvNxt(),
        flags, window, 0, o, len, payload);
    segsOut++;
    ackSent();
    stack.transmit(s);
  }

  private int sackPairs;
  private static final TcpOptions TS_ONLY = TcpOptionLayout.established(true, 0, 0, NO_INTS, 0);

  /**
   * The SACK blocks for the next segment (tcp_established_options): a pending D-SACK first
   * (RFC 2883, reported once, when tcp_dsack is on), then the receiver's blocks, most recent first.
   */
  private int[] sackBlocksToSend() {
    sackPairs = 0;
    if (!has(SACK_OK)) {
      return NO_INTS;
    }
    boolean dsack = rcv.hasDsack() && stack.sysctls().value(Sysctl.TCP_DSACK) != 0;
    int n = rcv.sackCount() + (dsack ? 1 : 0);
    if (n == 0) {
      return NO_INTS;
    }
    int[] pairs = new int[2 * n];
    int k = 0;
    if (dsack) {
      pairs[k++] = rcv.dsackStart();
      pairs[k++] = rcv.dsackEnd();
    }
    rcv.clearDsack();
    for (int i = 0; i < rcv.sackCount(); i++) {
      pairs[k++] = rcv.sackStart(i);
      pairs[k++] = rcv.sackEnd(i);
    }
    sackPairs = n;
    return pairs;
  }

  /** tcp_event_ack_sent: the pending ACK is done; a quick ACK is used up. */
  private void ackSent() {
    if (quickAcks > 0) {
      quickAcks--;
      if (quickAcks == 0) {
        atoNanos = ATO_MIN_NANOS;
      }
    }
    flags &= ~ACK_SCHEDULED;
    flags &= ~ACK_NOW;
    if (delackTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(delackTimer);
      delackTimer = Simulation.NO_EVENT;
    }
  }

  // =========================================================================================
  // Receiving data (tcp_data_queue, out-of-order queue, SACK blocks)
  // =========================================================================================

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
    int quick = Math.max(2, rcv.rcvWnd() / (2 * Math.max(rcv.rcvMss(), MIN_MSS)));
    quickAcks = Math.max(quickAcks, Math.min(quick, MAX_QUICKACKS));
  }

  /** tcp_enter_quickack_mode: quick ACKs and out of pingpong. */
  private void enterQuickAck() {
    enterQuickAckCount();
    flags &= ~PINGPONG;
    atoNanos = ATO_MIN_NANOS;
  }

  /**
   * __tcp_ack_snd_check: ACK now when more than one full segment is unacknowledged and the window
   * would not shrink, in quick-ACK mode, or with out-of-order data; otherwise delay it.
   */
  private void ackSndCheck() {
    if (!has(ACK_SCHEDULED)) {
      return;
    }
    boolean moreThanOneMss = SeqNum.distance(rcv.rcvWup(), rcv.rcvNxt()) > rcv.rcvMss()
        && rcv.selectableWindow() >= rcv.rcvWnd();
    boolean quick = quickAcks > 0 && !has(PINGPONG);
    if (moreThanOneMss || quick || has(ACK_NOW) || rcv.outOfOrderRanges() > 0) {
      sendAck();
      return;
    }
    sendDelayedAck();
  }

  /**
   * tcp_send_delayed_ack: arm the delayed-ACK timer for ato, bounded by 200 ms in pingpong mode
   * (else 500 ms) and by the smoothed RTT (at least 40 ms). Before any data arrived ato is 0 and
   * the timer, armed for {@code jiffies + 0}, fires at the next tick (within 4 ms at
   * CONFIG_HZ=250), as for the ACK of a FIN on a connection that never carried data. An earlier
   * pending deadline stands.
   */
  private void sendDelayedAck() {
    long ato = atoNanos;
    if (ato > ATO_MIN_NANOS) {
      long maxAto = has(PINGPONG) ? DELACK_MAX_NANOS : Nanos.millis(500);
      if (rtt.hasSample()) {
        maxAto = Math.min(maxAto, Math.max(rtt.srttNanos(), ATO_MIN_NANOS));
      }
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, DELACK_MAX_NANOS);
    if (sim.isPending(delackTimer)) {
      return;
    }
    delackTimer = stack.armTimer(ato, this, TIMER_DELACK);
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
        case XMIT_REO -> rackReoTimeout();
        default -> {}
      }
    } else if (arg == TIMER_DELACK) {
      delackTimer = Simulation.NO_EVENT;
      delayedAckTimeout();
    } else if (arg == TIMER_KEEPALIVE) {
      keepaliveTimer = Simulation.NO_EVENT;
      keepaliveTimeout();
    }
  }

  /** One jiffy of the stack's tick rate; TCP_TIMEOUT_MIN is two. */
  private long jiffyNanos() {
    return TcpTimeouts.jiffyNanos(stack.jiffyHz());
  }

  private void resetXmitTimer(int kind, long delayNanos) {
    if (xmitTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(xmitTimer);
    }
    xmitKind = kind;
    long delay = Math.max(0, delayNanos);
    xmitExpiresNanos = stack.timerExpiresNanos(delay);
    xmitTimer = stack.armTimer(delay, this, TIMER_XMIT); // inet_csk_reset_xmit_timer
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
   * 2 SRTT (plus 200 ms with one segment out, else TCP_TIMEOUT_MIN_US, 2 ms), in whole jiffies
   * (usecs_to_jiffies, done by the timer's arming), never later than the RTO.
   */
  private void scheduleLossProbeOrRto(boolean advancingRto) {
    if (sb.count == 0) {
      return;
    }
    int early = stack.sysctls().earlyRetrans();
    boolean tlp = (early == 3 || early == 4) && has(SACK_OK) && ca == CaState.OPEN
        && tlpHighSeq == 0 && rtt.hasSample();
    if (!tlp) {
      if (!advancingRto && xmitKind == XMIT_REO) {
        return; // tcp_event_new_data_sent re-arms only when nothing was out or a probe was pending
      }
      if (advancingRto || xmitKind != XMIT_RTO) {
        resetXmitTimer(XMIT_RTO, currentRto());
      }
      return;
    }
    long pto = 2 * rtt.srttNanos() + (sb.count == 1 ? RTO_MIN_NANOS : TIMEOUT_MIN_US_NANOS);
    long rtoDelta = advancingRto ? currentRto() : sb.time[sb.head] + currentRto() - sim.now();
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
    if (sb.count == 0) {
      return;
    }
    int avail = SeqNum.distance(sndNxt, writeSeq);
    int mss = currentMss();
    int len = Math.min(avail, mss);
    if (len > 0 && SeqNum.le(sndNxt + len, sndUna + sndWnd)) {
      transmitNew(len, has(FIN_QUEUED) && !has(FIN_SENT) && len == avail);
    } else {
      int i = sb.index(sb.count - 1);
      if ((sb.flags[i] & SACKED) == 0) {
        retransmitEntry(i, false); // __tcp_retransmit_skb: no retrans_stamp for a probe
      }
    }
    stack.count(TcpMib.TcpExtTCPLossProbes);
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
    if (sb.count == 0) {
      return;
    }
    if (writeTimedOut()) {
      timedOut();
      return;
    }
    stack.count(TcpMib.TcpExtTCPTimeouts);
    enterLoss();
    int i = sb.head;
    retransmitEntry(i, true);
    retransmits++;
    totalRto++;
    rtt.backoff();
    resetXmitTimer(XMIT_RTO, TcpTimeouts.clampRtoToUserTimeoutNanos(rtt.rtoNanos(), sim.now(),
        retransStampNanos, Nanos.millis(opts.userTimeoutMs), jiffyNanos()));
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
    if (TcpTimeouts.synTimedOut(sim.now(), retransStampNanos, retransmits, s.synRetries(),
        s.synLinearTimeouts(), synSent, Nanos.millis(opts.userTimeoutMs))) {
      timedOut();
      return;
    }
    sendSyn(state == SYN_RECV);
    // __tcp_retransmit_skb counts a SYN like any retransmission (TCP_MIB_RETRANSSEGS) and also
    // as LINUX_MIB_TCPSYNRETRANS.
    stack.count(TcpMib.TcpRetransSegs);
    stack.count(TcpMib.TcpExtTCPSynRetrans);
    retransmits++;
    totalRto++;
    totalRetrans++;
    if (!synSent || TcpTimeouts.synTimeoutBacksOff(totalRto, s.synLinearTimeouts())) {
      rtt.backoff();
    }
    synSentNanos = -1; // Karn: no RTT sample from a retransmitted SYN
    // tcp_retransmit_timer re-arms through tcp_clamp_rto_to_user_timeout in every state, so
    // TCP_USER_TIMEOUT ends a connect() on time, counted from the first SYN (retrans_stamp).
    resetXmitTimer(XMIT_RTO, TcpTimeouts.clampRtoToUserTimeoutNanos(rtt.rtoNanos(), sim.now(),
        retransStampNanos, Nanos.millis(opts.userTimeoutMs), jiffyNanos()));
  }

  /**
   * tcp_write_timeout for a synchronized connection: the retransmission budget of tcp_retries2
   * (or of the orphan retries, or TCP_USER_TIMEOUT) counted from the first retransmission.
   */
  private boolean writeTimedOut() {
    int boundary = has(ORPHAN) ? orphanRetries() : stack.sysctls().retries2();
    return TcpTimeouts.retransmitsTimedOut(sim.now(), retransStampNanos, retransmits, boundary,
        Nanos.millis(opts.userTimeoutMs), TcpTimeouts.RTO_MIN_NANOS);
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
    stack.count(TcpMib.TcpExtTCPAbortOnTimeout);
    done("retransmission give-up", err);
  }

  /**
   * The persist timer (§3.8.6.1; tcp_probe_timer): with nothing in flight and data or a FIN held
   * back by the peer's window, probe it; give up after tcp_retries2 unanswered probes, or for an
   * orphan after tcp_orphan_retries (at once when the backed-off RTO has reached TCP_RTO_MAX and
   * the backoff is past them). The give-up sends nothing (tcp_write_err; only
   * tcp_out_of_resources, not modelled, resets).
   */
  private void probeTimeout() {
    if (sb.count > 0 || !sendHeadPending()) {
      probesOut = 0;
      probesStampNanos = NOT_PROBING;
      return;
    }
    if (probesStampNanos == NOT_PROBING) {
      probesStampNanos = sim.now();
    }
    int maxProbes = stack.sysctls().retries2();
    if (has(ORPHAN)) {
      boolean alive = rtt.backedOffRtoNanos() < RTO_MAX_NANOS; // inet_csk_rto_backoff
      maxProbes = TcpTimeouts.orphanRetries(stack.sysctls().orphanRetries(), alive, false);
      if (!alive && rtt.backoffCount() >= maxProbes) {
        timedOut();
        return;
      }
    }
    if (TcpTimeouts.probeTimerExpired(probesOut, maxProbes, sim.now() - probesStampNanos,
        Nanos.millis(opts.userTimeoutMs))) {
      timedOut();
      return;
    }
    sendProbe0();
  }

  /**
   * tcp_send_probe0: probe with tcp_write_wakeup; once data went out (the window had room), the
   * RTO that sending it armed (tcp_event_new_data_sent -> tcp_rearm_rto) takes over and the
   * persist state clears; otherwise count the probe, back off and re-arm.
   */
  private void sendProbe0() {
    writeWakeup();
    if (sb.count > 0 || !sendHeadPending()) {
      probesOut = 0;
      probesStampNanos = NOT_PROBING;
      rtt.resetBackoff();
      return;
    }
    probesOut++;
    rtt.countProbeBackoff(stack.sysctls().retries2());
    resetXmitTimer(XMIT_PROBE0, probe0WhenNanos());
  }

  /**
   * tcp_probe0_when (RTO << backoff, at most 120 s), and once probing has started no later than
   * TCP_USER_TIMEOUT allows (tcp_clamp_probe0_to_user_timeout, called by tcp_send_probe0 and
   * tcp_ack_probe), so that the probe timer itself ends the connection on time.
   */
  private long probe0WhenNanos() {
    long when = TcpTimeouts.probe0WhenNanos(rtt.rtoNanos(), rtt.backoffCount(), RTO_MAX_NANOS);
    if (probesStampNanos == NOT_PROBING) {
      return when;
    }
    return TcpTimeouts.clampProbe0ToUserTimeoutNanos(when, sim.now() - probesStampNanos,
        Nanos.millis(opts.userTimeoutMs), 2 * jiffyNanos());
  }

  /**
   * tcp_write_wakeup: when the window has room, send what fits (the whole next segment with its
   * FIN when it all fits, else as many bytes as the window takes, up to one MSS); when it has
   * none, an ACK with SND.UNA-1, which the peer must answer with its window.
   */
  private void writeWakeup() {
    int room = SeqNum.distance(sndNxt, sndUna + sndWnd);
    if (room <= 0) {
      output(sndUna - 1, ACK, 0, null);
      return;
    }
    int avail = SeqNum.distance(sndNxt, writeSeq);
    boolean fin = has(FIN_QUEUED) && !has(FIN_SENT);
    if (fin && avail <= currentMss() && avail + 1 <= room) {
      transmitNew(avail, true);
    } else {
      transmitNew(Math.min(Math.min(room, currentMss()), avail), false);
    }
  }

  /**
   * tcp_check_probe_timer: with nothing in flight and no retransmission-slot timer pending, arm
   * the persist timer for tcp_probe0_base (the RTO, at least 200 ms).
   */
  private void checkProbeTimer() {
    if (xmitTimer != Simulation.NO_EVENT && sim.isPending(xmitTimer)) {
      return;
    }
    resetXmitTimer(XMIT_PROBE0, TcpTimeouts.probe0BaseNanos(rtt.rtoNanos()));
  }

  /**
   * tcp_delack_timer_handler: send the owed ACK; a missed delayed ACK outside pingpong doubles
   * ato (up to the RTO), in pingpong it leaves pingpong mode.
   */
  private void delayedAckTimeout() {
    if (!has(ACK_SCHEDULED) || !state.isSynchronized() && state != SYN_RECV) {
      return;
    }
    if (!has(PINGPONG)) {
      atoNanos = Math.min(atoNanos << 1, rtt.rtoNanos());
    } else {
      flags &= ~PINGPONG;
      atoNanos = ATO_MIN_NANOS;
    }
    stack.count(TcpMib.TcpExtDelayedACKs);
    sendAck();
  }

  /** Keepalive (RFC 1122 §4.2.3.6; tcp_keepalive_timer), and the orphan FIN-WAIT-2 timeout. */
  private void keepaliveTimeout() {
    if (state == FIN_WAIT2 && has(ORPHAN)) {
      // tcp_keepalive_timer: what is left of tcp_fin_time beyond TCP_TIMEWAIT_LEN is waited out
      // in a timewait entry; with nothing left, RST and gone.
      long rest = finTimeNanos() - stack.timeWaitLenNanos();
      if (rest > 0) {
        cancelAllTimers();
        handOffToTimeWait(FIN_WAIT2, rest);
        return;
      }
      sendActiveReset();
      destroy("tcp_fin_timeout in FIN-WAIT-2", null);
      return;
    }
    if (!has(KEEP_ALIVE) || state != ESTABLISHED && state != CLOSE_WAIT && state != FIN_WAIT2) {
      return;
    }
    long idle = sim.now() - lastRecvNanos;
    long keepIdle = Nanos.seconds(opts.keepIdleSeconds > 0 ? opts.keepIdleSeconds
        : stack.sysctls().keepaliveTimeSeconds());
    long keepIntvl = Nanos.seconds(opts.keepIntvlSeconds > 0 ? opts.keepIntvlSeconds
        : stack.sysctls().keepaliveIntvlSeconds());
    int cnt = opts.keepCnt > 0 ? opts.keepCnt : stack.sysctls().keepaliveProbes();
    if (sb.count > 0 || SeqNum.lt(sndNxt, writeSeq)) {
      armKeepaliveTimer(keepIdle);
      return;
    }
    if (idle >= keepIdle) {
      if (TcpTimeouts.keepaliveExpired(idle, keepIdle, probesOut, cnt,
          Nanos.millis(opts.userTimeoutMs))) {
        // tcp_keepalive_timer: the peer is gone: RST (in case it is not) and ETIMEDOUT.
        sendActiveReset();
        timedOut();
        return;
      }
      output(sndUna - 1, ACK, 0, null); // tcp_write_wakeup -> tcp_xmit_probe_skb
      stack.count(TcpMib.TcpExtTCPKeepAlive);
      probesOut++;
      armKeepaliveTimer(keepIntvl);
    } else {
      probesOut = 0;
      armKeepaliveTimer(keepIdle - idle);
    }
  }

  /** SO_KEEPALIVE turned on or its times changed: (re)arm the keepalive timer (tcp_set_keepalive). */
  void keepaliveChanged() {
    if (keepaliveTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(keepaliveTimer);
      keepaliveTimer = Simulation.NO_EVENT;
    }
    if (has(KEEP_ALIVE) && state.isSynchronized() && state != TIME_WAIT) {
      long keepIdle = Nanos.seconds(opts.keepIdleSeconds > 0 ? opts.keepIdleSeconds
          : stack.sysctls().keepaliveTimeSeconds());
      armKeepaliveTimer(keepIdle);
    }
  }

  private void armFinWait2Timer(long delayNanos) {
    if (keepaliveTimer != Simulation.NO_EVENT) {
      sim.cancelIfPending(keepaliveTimer);
    }
    armKeepaliveTimer(delayNanos);
  }

  /** inet_csk_reset_keepalive_timer: sk_timer at jiffies + delay, on the kernel's timer wheel. */
  private void armKeepaliveTimer(long delayNanos) {
    keepaliveExpiresNanos = stack.timerExpiresNanos(delayNanos);
    keepaliveTimer = stack.armTimer(delayNanos, this, TIMER_KEEPALIVE);
  }

  /**
   * tcp_time_wait: TIME-WAIT for TCP_TIMEWAIT_LEN (60 s in Linux; RFC 9293 §3.10.8 says 2 MSL),
   * kept by a light {@link TimeWaitSocket}; beyond tcp_max_tw_buckets the socket skips TIME-WAIT
   * (inet_twsk_alloc fails, TcpExtTCPTimeWaitOverflow) and simply closes.
   */
  private void enterTimeWait(String cause) {
    if (timeWait != null) {
      return;
    }
    if (stack.timeWaitFull()) {
      // tcp_time_wait: inet_twsk_alloc failed: no TIME-WAIT at all, just tcp_done.
      stack.count(TcpMib.TcpExtTCPTimeWaitOverflow);
      destroy("tcp_max_tw_buckets: TIME-WAIT skipped", null);
      return;
    }
    setState(TIME_WAIT, cause);
    cancelAllTimers();
    handOffToTimeWait(TIME_WAIT, stack.timeWaitLenNanos());
    notifyApp();
  }

  /**
   * tcp_time_wait(sk, substate, timeo): make the light entry, hand it the 4-tuple, the port and
   * the sequence state, and let go of this control block (tcp_done).
   */
  private void handOffToTimeWait(TcpState substate, long lenNanos) {
    if (substate == FIN_WAIT2) {
      long rto = rtt.rtoNanos();
      lenNanos = Math.max(lenNanos, (rto << 2) - (rto >> 1)); // tcp_time_wait: at least 3.5 RTO
    }
    int window = Math.min(65535, rcv.rcvWnd() >> rcv.rcvWscale());
    TimeWaitSocket tw = stack.admitTimeWait(this, substate, sndNxt, rcv.rcvNxt(), window,
        lenNanos);
    if (tw == null) {
      destroy("tcp_max_tw_buckets: TIME-WAIT skipped", null);
      return;
    }
    timeWait = tw;
    sb.release();
    if (sendBuf != null && sendBuf.size() == 0) {
      sendBuf = null;
    }
  }

  // =========================================================================================
  // Setup and teardown helpers
  // =========================================================================================

  /** Options from the peer's SYN or SYN-ACK (tcp_parse_options, tcp_synsent/openreq paths). */
  void negotiateOptions(TcpOptions o) {
    peerMss = o.mss() > 0 ? o.mss() : 536; // RFC 9293 §3.7.1: 536 when absent
    setFlag(WSCALE_OK, has(WSCALE_OK) && o.windowScale() >= 0);
    if (has(WSCALE_OK)) {
      sndWscale = Math.min(o.windowScale(), 14);
    } else {
      sndWscale = 0;
      rcv.disableWindowScaling();
    }
    setFlag(SACK_OK, has(SACK_OK) && o.sackPermitted());
    setFlag(TS_OK, has(TS_OK) && o.hasTimestamp());
    int mss = Math.min(peerMss, advertisedMss());
    if (opts.userMss > 0) {
      mss = Math.min(mss, opts.userMss);
    }
    mssCache = Math.max(MIN_MSS, mss - (has(TS_OK) ? TS_ALIGNED : 0));
    rcv.establish(advertisedMss() - (has(TS_OK) ? TS_ALIGNED : 0), mssCache);
    rcv.useSack(has(SACK_OK));
  }

  /** The options a request socket negotiated, applied to its child (tcp_create_openreq_child). */
  void negotiateFromRequest(int peerMssValue) {
    peerMss = peerMssValue;
    int mss = Math.min(peerMss, advertisedMss());
    if (opts.userMss > 0) {
      mss = Math.min(mss, opts.userMss);
    }
    mssCache = Math.max(MIN_MSS, mss - (has(TS_OK) ? TS_ALIGNED : 0));
    rcv.establish(advertisedMss() - (has(TS_OK) ? TS_ALIGNED : 0), mssCache);
    rcv.useSack(has(SACK_OK));
  }

  /** tcp_init_transfer: buffers sized, delayed-ACK engine idle until the first data, keepalive armed. */
  void initTransfer(int handshakeRetransmits) {
    cc = cc.onEstablished(handshakeRetransmits);
    flags |= EVER_CONNECTED;
    lastRecvNanos = sim.now();
    // icsk_ack.lrcvtime starts at establishment (tcp_finish_connect, tcp_create_openreq_child), so
    // data sent within ato of it counts as a reply once ato is set (tcp_event_data_sent).
    lastDataRecvNanos = sim.now();
    if (has(KEEP_ALIVE)) {
      keepaliveChanged();
    }
  }

  private void ensureBuffers() {
    boolean keep = stack.keepPayload();


  }

  private void releaseBuffers() {
    if (sendBuf != null && sendBuf.size() == 0) {
      sendBuf = null;
    }
    sb.release();
    chargeSendQueue();
  }

  /**
   * sk_sndbuf, the payload the send buffer may hold: SO_SNDBUF's doubled value when set;
   * otherwise tcp_wmem[1] grown as tcp_sndbuf_expand does once the window is known (2 x
   * max(IW10, cwnd) x per-segment memory, MSS + ~2 KB of skb overhead: 69120 bytes at MSS 1448),
   * at most tcp_wmem[2].
   */
  int sendCapacity() {
    if (has(SND_BUF_LOCKED)) {
      return sndBuf;
    }
    if (!has(EVER_CONNECTED)) {
      return sndBuf;
    }
    long perMss = Math.max(mssCache, MIN_MSS) + SKB_OVERHEAD_BYTES;
    long expand = 2L * Math.max(cc.cwnd(), INIT_CWND) * perMss;
    return (int) Math.min(Math.max(sndBuf, expand), stack.sysctls().wmemMax());
  }

  private void queueFin() {
    flags |= FIN_QUEUED;
    pushPendingFrames();
    if (!has(FIN_SENT)) {
      // Nothing could go yet (window or cwnd); the FIN follows the queued data.
    }
  }

  /**
   * tcp_done: to CLOSE, timers off, unhashed, both directions shut (SHUTDOWN_MASK); the socket
   * survives while the application holds it.
   */
  /** tcp_done: a reset or a timeout ends the connection; a failed open counts as an attempt fail. */
  private void done(String cause, Errno err) {
    if (state == SYN_SENT || state == SYN_RECV) {
      stack.count(TcpMib.TcpAttemptFails);
    }
    destroy(cause, err);
  }

  void destroy(String cause, Errno err) {
    if (state != CLOSE) {
      setState(CLOSE, cause);
    }
    flags |= RCV_SHUTDOWN;
    flags |= SEND_SHUTDOWN;
    cancelAllTimers();
    releaseBuffers();
    stack.unhash(this);
    if (has(ORPHAN) || !has(BOUND_EXPLICITLY)) {
      // tcp_set_state(TCP_CLOSE): a port connect() picked goes back at once (inet_put_port
      // unless SOCK_BINDPORT_LOCK); a bound one stays until close().
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
    flags &= ~ACK_SCHEDULED;
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
    if (next == CLOSE && (prev == ESTABLISHED || prev == CLOSE_WAIT)) {
      stack.count(TcpMib.TcpEstabResets); // tcp_set_state
    }
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

  /**
   * The timer inet_diag reports for this socket ({@code idiag_timer}, inet_sk_diag_fill in
   * net/ipv4/inet_diag.c): 1 while the xmit timer is armed for a retransmission or a loss probe
   * (ICSK_TIME_RETRANS, ICSK_TIME_LOSS_PROBE), 4 for a zero-window probe (ICSK_TIME_PROBE0),
   * else 2 while sk_timer (keepalive, or an orphan's FIN-WAIT-2) is pending, else 0. The
   * delayed-ACK timer has no code: ss never shows it.
   */
  public int diagTimer() {
    if (xmitKind != XMIT_NONE && sim.isPending(xmitTimer)) {
      return xmitKind == XMIT_PROBE0 ? 4 : 1;
    }
    return sim.isPending(keepaliveTimer) ? 2 : 0;
  }

  /**
   * {@code idiag_expires}: how long until the timer of {@link #diagTimer} expires, counted as the
   * kernel counts it, from the current jiffy to the expiry before the timer wheel's rounding
   * (jiffies_delta_to_msecs(icsk_timeout - jiffies)), never negative; 0 without a timer.
   */
  public long diagTimerRemainingNanos() {
    int timer = diagTimer();
    if (timer == 0) {
      return 0;
    }
    long expires = timer == 2 ? keepaliveExpiresNanos : xmitExpiresNanos;
    return Math.max(0, expires - stack.jiffiesNanos());
  }

  /**
   * {@code idiag_retrans}, ss's third timer field: icsk_retransmits for a retransmission timer,
   * icsk_probes_out for a zero-window probe or keepalive timer, 0 without a timer.
   */
  public int diagRetrans() {
    int timer = diagTimer();
    return timer == 0 ? 0 : timer == 1 ? retransmits : probesOut;
  }

  /** A TCP_INFO snapshot (tcp_get_info). */
  public TcpInfo info() {
    int unacked = sb.count;
    return new TcpInfo(state(), ca, retransmits, probesOut, rtt.backoffCount(),
        rtt.rtoNanos() / 1000,
        atoNanos / 1000, mssCache, rcv == null ? 536 : rcv.rcvMss(), unacked, countFlag(SACKED), countFlag(LOST),
        countFlag(RETRANS), rtt.srttNanos() / 1000, rtt.rttvarNanos() / 1000,
        cc.ssthresh(), cc.cwnd(), rack.reordering(), totalRetrans, sndWnd,
        rcv == null ? 0 : rcv.rcvWnd(), Math.max(0, SeqNum.distance(sndNxt, writeSeq)), bytesAcked, bytesReceived,
        segsOut, segsIn);
  }

  @Override
  public String toString() {
    return "TcpConnection[" + tcpsim.net.wire.Ipv4.format(localAddress()) + ":" + localPort + " -> "
        + tcpsim.net.wire.Ipv4.format(remoteAddr) + ":" + remotePort + " " + state + "]";
  }
}
