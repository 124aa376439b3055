package tcpsim.net.tcp;

/**
 * Reno congestion control as Linux runs it: the window in whole segments ({@code snd_cwnd}) with
 * a counter of acknowledged segments toward the next increase in congestion avoidance ({@code
 * snd_cwnd_cnt}), slow start and congestion avoidance from {@code tcp_reno_cong_avoid}
 * (net/ipv4/tcp_cong.c, RFC 5681 §3.1), fast recovery with Proportional Rate Reduction ({@code
 * tcp_cwnd_reduction}, RFC 6937, how Linux has shrunk the window in recovery since 3.2), and the
 * retransmission timeout's collapse to one segment ({@code tcp_enter_loss}, RFC 5681 §3.1).
 *
 * <p>The connection owns the congestion-avoidance state machine ({@link CaState}, high_seq, the
 * scoreboard: {@code tcp_fastretrans_alert}); this class owns the window arithmetic. The
 * connection calls it in the order {@code tcp_ack} does: first the state changes ({@link
 * #enterRecovery} when it enters RECOVERY, {@link #endRecovery} when it leaves it, {@link
 * #enterLoss} on a retransmission timeout), then {@link #congControl} with what the ACK
 * delivered and the state it is now in. Counts are segments (packets), as Linux counts cwnd,
 * in-flight and delivered. No method allocates.
 *
 * <p>Invariants: {@code cwnd() >= 1}; {@code ssthresh() >= 2} once set by a loss ({@link
 * #INFINITE_SSTHRESH} before); {@code 0 <= cwndCnt() < cwnd()} after congestion avoidance has run.
 *
 * <h2>Differences from Linux</h2>
 * Linux's default congestion control is CUBIC (RFC 9438), not Reno. Of CUBIC this class takes only
 * the loss response, when asked ({@link #withCubicBeta}; a connection asks while
 * net.ipv4.tcp_congestion_control is cubic, the default): the window is reduced to 0.7 of its
 * value on loss instead of half (beta 717/1024). CUBIC also grows it as a cubic function of the
 * time since the last reduction rather than by one segment per round trip (fast at first, flat
 * near the previous maximum, then probing beyond it), keeps a Reno-equivalent estimate so it is
 * never slower than Reno ("TCP friendliness"), lowers its remembered maximum further when losses
 * come in quick succession (fast convergence), and leaves slow start early on rising delay
 * (HyStart). So on a long fat pipe a Linux sender recovers from a loss much faster than this
 * class, and on short, shallow paths the two behave alike. Also not modelled: the CWR state (no
 * ECN), undo of spurious reductions but a timeout's found spurious by the timestamp echo
 * ({@link #undoReduction}; not D-SACK's or F-RTO's, tcp_frto = 2), the route's initcwnd metric, and
 * snd_cwnd_clamp.
 *
 * <p>Where RFC 5681 and Linux differ, Linux is the default: on a loss Linux sets ssthresh to half
 * of cwnd ({@code tcp_reno_ssthresh}), RFC 5681 §3.1 eq. (4) to half of the flight size; the
 * constructor flag selects the RFC rule.
 */
public final class RenoCongestion {
  /** TCP_INIT_CWND, include/net/tcp.h: 10 segments (RFC 6928). */
  public static final int INIT_CWND = 10;
  /** TCP_INFINITE_SSTHRESH: ssthresh before the first loss. */
  public static final int INFINITE_SSTHRESH = 0x7fffffff;

  /** The initial states connections share until their first change (see {@link #initial}). */
  private static final RenoCongestion INITIAL_LINUX = new RenoCongestion(false, false, true);
  private static final RenoCongestion INITIAL_RFC = new RenoCongestion(true, false, true);
  private static final RenoCongestion INITIAL_CUBIC = new RenoCongestion(false, true, true);

  /** CUBIC's multiplicative decrease (bictcp_recalc_ssthresh): beta = 717/1024. */
  static final int CUBIC_BETA = 717;

  private final boolean rfcFlightSizeSsthresh;
  /** On a loss, CUBIC's ssthresh (0.7 of cwnd) instead of Reno's half. */
  private final boolean cubicBeta;
  /** One of the shared initial states: read-only, every change refused. */
  private final boolean shared;

  private int cwnd = INIT_CWND;
  private int cwndCnt;
  private int ssthresh = INFINITE_SSTHRESH;
  private int priorCwnd;
  /** prior_ssthresh: ssthresh (tcp_current_ssthresh) when the last loss reduction began, 0 before. */
  private int priorSsthresh;
  private int prrDelivered;
  private int prrOut;

  /** Reno with Linux's rules. */
  public RenoCongestion() {
    this(false);
  }

  /**
   * @param rfcFlightSizeSsthresh true for RFC 5681 §3.1's ssthresh = max(FlightSize / 2, 2) on a
   *     loss instead of Linux's max(cwnd / 2, 2)
   */
  public RenoCongestion(boolean rfcFlightSizeSsthresh) {
    this(rfcFlightSizeSsthresh, false, false);
  }

  /**
   * @param cubicBeta on a loss set ssthresh to max(cwnd * 717 / 1024, 2), as CUBIC does
   *     (net.ipv4.tcp_congestion_control=cubic, Linux's default), instead of Reno's half
   */
  public static RenoCongestion withCubicBeta() {
    return new RenoCongestion(false, true, false);
  }

  private RenoCongestion(boolean rfcFlightSizeSsthresh, boolean cubicBeta, boolean shared) {
    this.rfcFlightSizeSsthresh = rfcFlightSizeSsthresh;
    this.cubicBeta = cubicBeta;
    this.shared = shared;
  }

  /**
   * The state before any data was sent (cwnd {@link #INIT_CWND}, ssthresh infinite), one instance
   * shared by every connection with the same ssthresh rule, so an idle connection holds no
   * congestion state of its own. It is read-only: the connection takes {@link #owned()} before
   * its first change (its first transmission, or a timeout), and any change to it throws.
   */
  public static RenoCongestion initial(boolean rfcFlightSizeSsthresh) {
    return rfcFlightSizeSsthresh ? INITIAL_RFC : INITIAL_LINUX;
  }

  /**
   * As {@link #initial(boolean)}; {@code cubic}: the connection runs under CUBIC
   * (tcp_congestion_control), whose loss response this class takes ({@link #withCubicBeta}). The
   * RFC 5681 flight-size rule is Reno's and wins.
   */
  public static RenoCongestion initial(boolean rfcFlightSizeSsthresh, boolean cubic) {
    return rfcFlightSizeSsthresh ? INITIAL_RFC : cubic ? INITIAL_CUBIC : INITIAL_LINUX;
  }

  /** This state if it is a connection's own; for a shared initial state, a fresh copy of it. */
  public RenoCongestion owned() {
    return shared ? new RenoCongestion(rfcFlightSizeSsthresh, cubicBeta, false) : this;
  }

  private void checkOwned() {
    if (shared) {
      throw new IllegalStateException("the shared initial congestion state cannot change:"
          + " the connection must take owned() first");
    }
  }

  /**
   * The handshake completed ({@code tcp_init_transfer}): the initial window is {@link #INIT_CWND}
   * segments, or 1 when the SYN or SYN-ACK had to be retransmitted more than once (RFC 5681 §3.1
   * asks for a one-segment initial window after a lost SYN; Linux forgives one retransmission
   * because its initial RTO is the aggressive 1 s of RFC 6298 §2.1).
   *
   * @return the state to keep: this one, or an own copy when this is the shared initial state and
   *     the window changes
   */
  public RenoCongestion onEstablished(int handshakeRetransmits) {
    int initial = handshakeRetransmits > 1 ? 1 : INIT_CWND;
    if (shared && initial == cwnd) {
      return this; // the shared initial state already says so
    }
    RenoCongestion own = owned();
    own.cwnd = initial;
    own.cwndCnt = 0;
    return own;
  }

  /**
   * {@code tcp_cong_control} for an ACK, after the state changes: in RECOVERY the window follows
   * PRR ({@code tcp_in_cwnd_reduction}); otherwise (OPEN, DISORDER, LOSS), if the ACK delivered
   * data in order ({@code tcp_may_raise_cwnd}) and the sender is using its window, it grows
   * ({@code tcp_reno_cong_avoid}), so after a timeout slow start rebuilds it.
   *
   * @param ca the connection's state after this ACK's state changes
   * @param ackedSacked segments newly acknowledged or SACKed by this ACK
   * @param newlyLost segments newly marked lost by this ACK
   * @param sndUnaAdvanced the ACK moved snd_una (FLAG_SND_UNA_ADVANCED)
   * @param mayRaise the ACK acknowledged new data (FLAG_DATA_ACKED)
   * @param cwndLimited {@link #isCwndLimited}: growth only when the window, not the application,
   *     limited sending (RFC 7661)
   * @param packetsInFlight segments in flight after this ACK (tcp_packets_in_flight)
   */
  public void congControl(
      CaState ca,
      int ackedSacked,
      int newlyLost,
      boolean sndUnaAdvanced,
      boolean mayRaise,
      boolean cwndLimited,
      int packetsInFlight) {
    if (ca == CaState.RECOVERY) {
      cwndReduction(ackedSacked, newlyLost, sndUnaAdvanced, packetsInFlight);
    } else if (mayRaise && cwndLimited) {
      congAvoid(ackedSacked);
    }
  }

  /**
   * {@code tcp_reno_cong_avoid}: slow start below ssthresh (one segment per segment acknowledged,
   * RFC 5681 §3.1; a stretch ACK counts every segment it covers, with the part past ssthresh
   * carried into congestion avoidance), then one segment per window's worth of acknowledged
   * segments ({@code tcp_cong_avoid_ai}).
   */
  private void congAvoid(int acked) {
    checkOwned();
    if (acked <= 0) {
      return;
    }
    if (cwnd < ssthresh) { // tcp_in_slow_start
      acked = slowStart(acked);
      if (acked == 0) {
        return;
      }
    }
    congAvoidAi(cwnd, acked);
  }

  /** {@code tcp_slow_start}: returns the acknowledged segments left over past ssthresh. */
  private int slowStart(int acked) {
    long grown = Math.min((long) cwnd + acked, ssthresh);
    int leftover = acked - (int) (grown - cwnd);
    cwnd = (int) grown;
    return leftover;
  }

  /** {@code tcp_cong_avoid_ai} with w = cwnd: cwnd += 1 per cwnd segments acknowledged. */
  private void congAvoidAi(int w, int acked) {
    if (cwndCnt >= w) { // credits earned at a larger window: apply them gently
      cwndCnt = 0;
      cwnd++;
    }
    cwndCnt += acked;
    if (cwndCnt >= w) {
      int delta = cwndCnt / w;
      cwndCnt -= delta * w;
      cwnd += delta;
    }
  }

  /**
   * Fast retransmit starts fast recovery ({@code tcp_enter_recovery}, {@code
   * tcp_init_cwnd_reduction}, RFC 5681 §3.2 step 2 and RFC 6937): ssthresh = max(cwnd / 2, 2) and
   * the window before the reduction is remembered for PRR. The connection sets RECOVERY and
   * high_seq = snd_nxt. Linux does not reduce again when already in a reduction; neither should
   * the caller call this then.
   *
   * @param flightSize segments outstanding (packets_out), used only with the RFC 5681 ssthresh rule
   */
  public void enterRecovery(int flightSize) {
    checkOwned();
    cwndCnt = 0;
    priorCwnd = cwnd;
    prrDelivered = 0;
    prrOut = 0;
    ssthresh = lossSsthresh(flightSize);
  }

  /**
   * {@code tcp_cwnd_reduction} (RFC 6937): while in flight is above ssthresh, send in proportion
   * ssthresh / prior_cwnd of what is delivered; below it, catch up towards ssthresh no faster than
   * slow start. The first ACK in recovery always allows one segment: the fast retransmission.
   */
  private void cwndReduction(int ackedSacked, int newlyLost, boolean sndUnaAdvanced, int inFlight) {
    checkOwned();
    if (ackedSacked <= 0 || priorCwnd == 0) {
      return;
    }
    int delta = ssthresh - inFlight;
    prrDelivered += ackedSacked;
    int sndcnt;
    if (delta < 0) {
      long dividend = (long) ssthresh * prrDelivered + priorCwnd - 1;
      sndcnt = (int) (dividend / priorCwnd) - prrOut;
    } else {
      sndcnt = Math.max(prrDelivered - prrOut, ackedSacked);
      if (sndUnaAdvanced && newlyLost == 0) {
        sndcnt++;
      }
      sndcnt = Math.min(delta, sndcnt);
    }
    sndcnt = Math.max(sndcnt, prrOut == 0 ? 1 : 0); // force the fast retransmission
    cwnd = Math.max(1, inFlight + sndcnt);
  }

  /** Segments sent (new or retransmitted) while in RECOVERY: PRR's prr_out. */
  public void onSentInRecovery(int segments) {
    checkOwned();
    prrOut += segments;
  }

  /**
   * The connection leaves RECOVERY because snd_una reached high_seq ({@code
   * tcp_end_cwnd_reduction}, RFC 6937's last step): cwnd = ssthresh.
   */
  public void endRecovery() {
    checkOwned();
    if (ssthresh < INFINITE_SSTHRESH) {
      cwnd = ssthresh;
    }
  }

  /**
   * A retransmission timeout ({@code tcp_enter_loss}, RFC 5681 §3.1 eq. (4) and "LW = 1 segment"):
   * ssthresh is reduced unless this episode already reduced it (a repeated timeout, or a timeout
   * during recovery for the same data), and the window becomes what is still in flight plus one
   * (one segment once everything outstanding is marked lost). The connection then sets LOSS and
   * high_seq = snd_nxt.
   *
   * @param ca the connection's state before the timeout
   * @param highSeqAfterUna high_seq is after snd_una (an episode is still covering unacked data)
   * @param retransmits icsk_retransmits before this timeout (0 for the first timeout)
   * @param packetsInFlight in flight after marking the outstanding segments lost (usually 0)
   * @param flightSize packets_out, used only with the RFC 5681 ssthresh rule
   */
  public void enterLoss(
      CaState ca, boolean highSeqAfterUna, int retransmits, int packetsInFlight, int flightSize) {
    checkOwned();
    boolean reduce =
        ca == CaState.OPEN
            || ca == CaState.DISORDER
            || !highSeqAfterUna
            || (ca == CaState.LOSS && retransmits == 0);
    if (reduce) {
      priorCwnd = cwnd;
      priorSsthresh = currentSsthresh(ca);
      ssthresh = lossSsthresh(flightSize);
    }
    cwnd = packetsInFlight + 1;
    cwndCnt = 0;
  }

  /**
   * {@code tcp_undo_cwnd_reduction}: a reduction found spurious is taken back: the window at least
   * what it was ({@code tcp_reno_undo_cwnd}), ssthresh back up to what it was.
   */
  public void undoReduction() {
    checkOwned();
    if (priorSsthresh == 0) {
      return;
    }
    cwnd = Math.max(cwnd, priorCwnd);
    ssthresh = Math.max(ssthresh, priorSsthresh);
  }

  /**
   * {@code tcp_cwnd_restart} (RFC 7661 / RFC 2861, tcp_slow_start_after_idle = 1): sending after an
   * idle period longer than the RTO halves the window once per RTO idle, down to the initial
   * window, and remembers three quarters of the old window in ssthresh.
   *
   * @param ca the connection's state
   * @param idleNanos time since the last transmission
   * @param rtoNanos the current RTO
   */
  public void restartAfterIdle(CaState ca, long idleNanos, long rtoNanos) {
    if (idleNanos <= rtoNanos || rtoNanos <= 0) {
      return;
    }
    checkOwned();
    ssthresh = currentSsthresh(ca);
    int restart = Math.min(INIT_CWND, cwnd);
    int w = cwnd;
    long delta = idleNanos;
    while ((delta -= rtoNanos) > 0 && w > restart) {
      w >>= 1;
    }
    cwnd = Math.max(w, restart);
  }

  /**
   * {@code tcp_is_cwnd_limited}: growth is allowed when the last flight was limited by cwnd, or,
   * in slow start, while cwnd is less than twice the most segments recently in flight.
   *
   * @param cwndLimitedFlag tp->is_cwnd_limited: the sender had data and was stopped by cwnd
   * @param maxPacketsOut the most segments in flight during the last window
   */
  public boolean isCwndLimited(boolean cwndLimitedFlag, int maxPacketsOut) {
    if (cwndLimitedFlag) {
      return true;
    }
    return cwnd < ssthresh && cwnd < 2L * maxPacketsOut;
  }

  /** {@code tcp_current_ssthresh}: outside a reduction, at least 3/4 of the current window. */
  private int currentSsthresh(CaState ca) {
    if (ca == CaState.RECOVERY) {
      return ssthresh;
    }
    return Math.max(ssthresh, (cwnd >> 1) + (cwnd >> 2));
  }

  private int lossSsthresh(int flightSize) {
    if (cubicBeta) {
      return Math.max((int) ((long) cwnd * CUBIC_BETA / 1024), 2); // bictcp_recalc_ssthresh
    }
    int base = rfcFlightSizeSsthresh ? flightSize : cwnd; // tcp_reno_ssthresh uses cwnd
    return Math.max(base >> 1, 2);
  }

  /** snd_cwnd, segments. */
  public int cwnd() {
    return cwnd;
  }

  /** snd_cwnd_cnt: segments acknowledged toward the next increase in congestion avoidance. */
  public int cwndCnt() {
    return cwndCnt;
  }

  /** snd_ssthresh, segments ({@link #INFINITE_SSTHRESH} until the first loss). */
  public int ssthresh() {
    return ssthresh;
  }

  /** prior_cwnd: the window when the last reduction began. */
  public int priorCwnd() {
    return priorCwnd;
  }

  /** Whether slow start applies (cwnd below ssthresh). */
  public boolean inSlowStart() {
    return cwnd < ssthresh;
  }
}
