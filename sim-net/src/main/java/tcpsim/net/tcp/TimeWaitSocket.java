package tcpsim.net.tcp;

import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.FIN;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.SeqNum;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * The light entry that stands in for a connection in TIME-WAIT, and for an orphan in FIN-WAIT-2
 * whose tcp_fin_timeout is not longer than TCP_TIMEWAIT_LEN (Linux's inet_timewait_sock /
 * tcp_timewait_sock, made by tcp_time_wait). It keeps only what tcp_timewait_state_process reads:
 * the 4-tuple, SND.NXT, RCV.NXT, the window last advertised, TS.Recent and when it was stored,
 * the timestamp offset and one timer handle. The full {@link TcpConnection} is released: the
 * stack no longer refers to it.
 *
 * <p>Worked example: a client closes first; its FIN-WAIT-2 connection receives the server's FIN,
 * ACKs it and hands over to a {@code TimeWaitSocket} that lives TCP_TIMEWAIT_LEN (60 s, plus the
 * timer wheel's slack: 61.44 s at HZ=250) unless a RST (tcp_rfc1337=0), a new SYN (TCP_TW_SYN)
 * or a tcp_tw_reuse connect ends it sooner.
 *
 * <p>Differences from Linux:
 * <ul>
 *   <li>TS.Recent's age is kept in nanoseconds and compared in whole seconds, as Linux's
 *       ktime_get_seconds() stamps are.</li>
 * </ul>
 */
public final class TimeWaitSocket implements EventHandler {
  /** What tcp_timewait_state_process decides (enum tcp_tw_status). */
  public enum Verdict {
    /** TCP_TW_SUCCESS: consumed (or killed the entry) without a reply. */
    TCP_TW_SUCCESS,
    /** TCP_TW_RST: answer with a RST and kill the entry. */
    TCP_TW_RST,
    /** TCP_TW_ACK: answer with an ACK of SND.NXT / RCV.NXT. */
    TCP_TW_ACK,
    /** TCP_TW_SYN: a new incarnation may start; a listener takes the SYN. */
    TCP_TW_SYN
  }

  private static final int[] NO_SACK = new int[0];

  private final TcpStack stack;
  final int localAddr;
  final int localPort;
  final int remoteAddr;
  final int remotePort;
  /** tw_snd_nxt: one past our FIN. */
  final int sndNxt;
  /** tw_rcv_nxt: one past the peer's FIN (or, in the FIN-WAIT-2 substate, before it). */
  int rcvNxt;
  /** The 16-bit window field of our ACKs (tw_rcv_wnd >> tw_rcv_wscale). */
  final int window;
  /** tw_rcv_wnd: the receive window left when the entry was made, bytes (tcp_receive_window). */
  final int rcvWndBytes;
  final boolean tsOk;
  final int tsOffset;
  int tsRecent;
  /** When TS.Recent was stored, virtual ns; 0 when never (tw_ts_recent_stamp). */
  long tsRecentStampNanos;
  /** SO_REUSEADDR of the socket it came from (tw_reuse). */
  final boolean reuseAddr;
  /** tw_substate: TIME_WAIT, or FIN_WAIT2 for an orphan waiting out tcp_fin_timeout. */
  TcpState substate;
  private long timer = Simulation.NO_EVENT;
  private long expiresAtNanos = -1;
  /** The timer's expiry, jiffies + timeo (tw_timer.expires), which ss counts down from. */
  private long timerExpiresNanos = -1;
  private long lastOowAckNanos;
  private boolean alive = true;
  /** Set by {@link #process} when the segment kills the entry (its "goto kill"). */
  private boolean killRequested;

  TimeWaitSocket(TcpStack stack, int localAddr, int localPort, int remoteAddr, int remotePort,
      int sndNxt, int rcvNxt, int window, int rcvWndBytes, boolean tsOk, int tsOffset, int tsRecent,
      long tsRecentStampNanos, boolean reuseAddr, TcpState substate) {
    if (substate != TcpState.TIME_WAIT && substate != TcpState.FIN_WAIT2) {
      throw new IllegalArgumentException("a timewait socket is TIME_WAIT or FIN_WAIT2, not "
          + substate);
    }
    this.stack = stack;
    this.localAddr = localAddr;
    this.localPort = localPort;
    this.remoteAddr = remoteAddr;
    this.remotePort = remotePort;
    this.sndNxt = sndNxt;
    this.rcvNxt = rcvNxt;
    this.window = window;
    this.rcvWndBytes = rcvWndBytes;
    this.tsOk = tsOk;
    this.tsOffset = tsOffset;
    this.tsRecent = tsRecent;
    this.tsRecentStampNanos = tsRecentStampNanos;
    this.reuseAddr = reuseAddr;
    this.substate = substate;
  }

  public int localAddress() { return localAddr; }
  public int localPort() { return localPort; }
  public int remoteAddress() { return remoteAddr; }
  public int remotePort() { return remotePort; }

  /** TIME_WAIT, FIN_WAIT2 (the orphan substate), or CLOSE once the entry is gone. */
  public TcpState state() {
    return alive ? substate : TcpState.CLOSE;
  }

  public boolean alive() {
    return alive;
  }

  /** The virtual time the entry's timer fires, or -1 when it is gone. */
  public long expiresAtNanos() {
    return alive ? expiresAtNanos : -1;
  }

  /**
   * What ss shows in {@code timer:(timewait,...)} (inet_twsk_diag_fill): from the current jiffy
   * to the timer's expiry as the kernel holds it (tw_timer.expires, jiffies + timeo, before the
   * timer wheel's rounding; the entry goes at {@link #expiresAtNanos}), never negative.
   */
  public long diagTimerRemainingNanos() {
    return alive ? Math.max(0, timerExpiresNanos - stack.jiffiesNanos()) : 0;
  }

  /**
   * inet_twsk_reschedule: (re)arm the entry's one timer {@code delayNanos} from now, rounded as
   * the kernel's timer wheel rounds a timer that long ({@link TcpStack#timerDelayNanos}).
   */
  void schedule(long delayNanos) {
    Simulation sim = stack.sim();
    if (timer != Simulation.NO_EVENT) {
      sim.cancelIfPending(timer);
    }
    long delay = stack.timerDelayNanos(delayNanos);
    timerExpiresNanos = stack.timerExpiresNanos(delayNanos);
    expiresAtNanos = sim.now() + delay;
    timer = sim.scheduleAfter(delay, this, 0);
  }

  /** The timer fired (tw_timer_handler -> inet_twsk_kill): the entry is gone, silently. */
  @Override
  public void fire(long nowNanos, long arg) {
    timer = Simulation.NO_EVENT;
    if (substate == TcpState.TIME_WAIT) {
      stack.count(TcpMib.TcpExtTW); // LINUX_MIB_TIMEWAITED
    }
    stack.killTimeWait(this, substate == TcpState.TIME_WAIT ? "TIME-WAIT timeout"
        : "tcp_fin_timeout in FIN-WAIT-2");
  }

  /** The entry is removed before its time (RST, new SYN, tcp_tw_reuse, reboot). */
  void deschedule() {
    if (timer != Simulation.NO_EVENT) {
      stack.sim().cancelIfPending(timer);
      timer = Simulation.NO_EVENT;
    }
    alive = false;
  }

  private int tsNow() {
    return (int) (stack.sim().now() / Nanos.PER_MILLI) + tsOffset;
  }

  /**
   * tcp_paws_reject: an older timestamp than TS.Recent marks an old duplicate (RFC 7323 §5.3),
   * unless TS.Recent is older than 24 days; a RST is let through only once TS.Recent is
   * TCP_PAWS_MSL (60 s) old, so within 60 s an old-timestamped RST cannot end TIME-WAIT.
   */
  private boolean pawsReject(Segment seg) {
    if (!tsOk || tsRecentStampNanos == 0 || !seg.options().hasTimestamp()) {
      return false;
    }
    int tsVal = seg.options().tsVal();
    if (tsRecent - tsVal <= 0) {
      return false; // tcp_paws_check: not older
    }
    long ageSeconds = stack.sim().now() / Nanos.PER_SECOND - tsRecentStampNanos / Nanos.PER_SECOND;
    if (ageSeconds >= 24L * 24 * 3600) {
      return false; // TCP_PAWS_24DAYS
    }
    // "we can relax time bounds for RST segments to MSL": !time_before32(now, stamp + 60).
    return !(seg.has(RST) && ageSeconds >= 60);
  }

  private void storeTimestamp(Segment seg) {
    if (tsOk && seg.options().hasTimestamp()) {
      tsRecent = seg.options().tsVal();
      long now = stack.sim().now();
      tsRecentStampNanos = now == 0 ? 1 : now;
    }
  }

  /**
   * tcp_timewait_state_process (net/ipv4/tcp_minisocks.c), RFC 9293 §3.10.7.4 for TIME-WAIT with
   * RFC 1122 §4.2.2.13's reopen rule and RFC 7323's PAWS.
   *
   * @return the verdict; for TCP_TW_SYN, {@link #newIncarnationIsn()} gives the ISN to use
   */
  Verdict process(Segment seg) {
    boolean paws = pawsReject(seg);
    int end = seg.end();
    if (substate == TcpState.FIN_WAIT2) {
      // "Just repeat all the checks of tcp_rcv_state_process() for FIN_WAIT2."
      if (paws || !inWindow(seg.seq(), end)) {
        return oowAck(seg);
      }
      if (seg.has(RST)) {
        killRequested = true; // goto kill
        return Verdict.TCP_TW_SUCCESS;
      }
      if (seg.has(SYN) && !SeqNum.lt(seg.seq(), rcvNxt)) {
        return Verdict.TCP_TW_RST;
      }
      if (!seg.has(ACK) || !SeqNum.gt(end, rcvNxt) || end == seg.seq()) {
        return Verdict.TCP_TW_SUCCESS; // a duplicate: drop
      }
      if (!seg.has(FIN) || end != rcvNxt + 1) {
        // New data for a closed socket: RST (TcpExtTCPAbortOnData in tcp_rcv_state_process).
        return Verdict.TCP_TW_RST;
      }
      // The FIN: FIN-WAIT-2 becomes TIME-WAIT for TCP_TIMEWAIT_LEN.
      substate = TcpState.TIME_WAIT;
      rcvNxt = end;
      storeTimestamp(seg);
      schedule(stack.timeWaitLenNanos());
      return Verdict.TCP_TW_ACK;
    }
    if (!paws && seg.seq() == rcvNxt && (seg.seq() == end || seg.has(RST))) {
      // In window: only a RST or a bare ACK may be here.
      if (seg.has(RST)) {
        // TIME-WAIT assassination (RFC 1337): Linux lets it happen unless tcp_rfc1337=1.
        if (!stack.sysctls().rfc1337()) {
          killRequested = true;
          return Verdict.TCP_TW_SUCCESS;
        }
      } else {
        schedule(stack.timeWaitLenNanos());
      }
      storeTimestamp(seg);
      return Verdict.TCP_TW_SUCCESS;
    }
    // Out of window: everything is ACKed, except a new SYN that is no old duplicate.
    if (seg.has(SYN) && !seg.has(RST) && !seg.has(ACK) && !paws
        && (SeqNum.gt(seg.seq(), rcvNxt) || seg.options().hasTimestamp() && tsOk
            && tsRecent - seg.options().tsVal() < 0)) {
      return Verdict.TCP_TW_SYN;
    }
    if (paws) {
      // Linux 6.15+ counts the reject apart from ESTABLISHED's (LINUX_MIB_PAWS_TW_REJECTED, drop
      // reason TCP_RFC7323_TW_PAWS); earlier kernels counted PAWSEstab.
      stack.count(TcpMib.TcpExtPAWSTimewait);
      stack.drop(seg, DropReason.TCP_RFC7323_TW_PAWS);
    }
    if (!seg.has(RST)) {
      // An ACK-less SYN with a lower sequence may be a new SYN with a random ISN: no restart.
      if (paws || seg.has(ACK)) {
        schedule(stack.timeWaitLenNanos());
      }
      return oowAck(seg);
    }
    return Verdict.TCP_TW_SUCCESS;
  }

  /** Whether the last {@link #process} killed the entry; clears the mark. */
  boolean takeKill() {
    boolean k = killRequested;
    killRequested = false;
    return k;
  }

  /** tcp_in_window for the FIN-WAIT-2 substate: [rcv_nxt, rcv_nxt + tw_rcv_wnd], in bytes. */
  private boolean inWindow(int seq, int end) {
    if (seq == rcvNxt) {
      return true;
    }
    int wnd = rcvWndBytes;
    return SeqNum.gt(end, rcvNxt) && SeqNum.le(seq, rcvNxt + wnd);
  }

  /**
   * tcp_timewait_check_oow_rate_limit: one out-of-window ACK per tcp_invalid_ratelimit, but
   * tcp_oow_rate_limited exempts a segment that occupies sequence space without a SYN (data or a
   * FIN): "Data packets without SYNs are not likely part of an ACK loop".
   */
  private Verdict oowAck(Segment seg) {
    long stamp = stack.oowRateLimit(seg, lastOowAckNanos, TcpMib.TcpExtTCPACKSkippedTimeWait);
    if (stamp < 0) {
      return Verdict.TCP_TW_SUCCESS;
    }
    lastOowAckNanos = stamp;
    return Verdict.TCP_TW_ACK;
  }

  /** The ISN of a new incarnation (TCP_TW_SYN, tcp_twsk_unique): tw_snd_nxt + 65535 + 2, never 0. */
  int newIncarnationIsn() {
    int isn = sndNxt + 65535 + 2;
    return isn == 0 ? 1 : isn;
  }

  /** tcp_v4_timewait_ack: ACK with SND.NXT, RCV.NXT, the window and TS val/ecr. */
  void sendAck() {
    TcpOptions o = tsOk ? TcpOptionLayout.established(true, tsNow(), tsRecent, NO_SACK, 0)
        : TcpOptions.NONE;
    stack.transmit(new Segment(localAddr, localPort, remoteAddr, remotePort, sndNxt, rcvNxt, ACK,
        window, 0, o, 0, null));
  }

  @Override
  public String toString() {
    return "TimeWaitSocket[" + tcpsim.net.wire.Ipv4.format(localAddr) + ":" + localPort + " -> "
        + tcpsim.net.wire.Ipv4.format(remoteAddr) + ":" + remotePort + " " + state() + "]";
  }
}
