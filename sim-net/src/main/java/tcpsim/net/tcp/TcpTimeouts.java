package tcpsim.net.tcp;

/**
 * Linux's give-up rules and timer schedules as pure functions of primitive values: when the
 * retransmission timer, the SYN and SYN-ACK retransmissions, keepalive and the zero-window probe
 * give up, and how far apart their attempts are. All times are nanoseconds of virtual time; the
 * caller owns the state (counters, stamps) and passes it in.
 *
 * <h2>Retransmission give-up (tcp_retries2, orphans, TCP_USER_TIMEOUT)</h2>
 * Linux does not count retransmissions against tcp_retries2; it converts the count into a time
 * budget ({@code tcp_model_timeout}: the time {@code boundary} doublings of a 200 ms RTO would
 * take, the RTO capped at 120 s) and compares the time since {@code tp->retrans_stamp} with it
 * ({@code retransmits_timed_out}, net/ipv4/tcp_timer.c), at each retransmission timeout before
 * retransmitting ({@code tcp_write_timeout}). tcp_retries2 = 15 gives 924.6 s; tcp_retries1 = 3
 * gives 3 s; an orphan's 8 retries give 102.2 s. TCP_USER_TIMEOUT, when set, replaces the budget.
 *
 * <p>What the caller passes as {@code retransStampNanos}: for a synchronized connection, the time
 * the <em>first retransmission</em> of the oldest unacknowledged segment was sent, i.e. the moment
 * the first RTO fired (or a fast retransmit went out), not the original send ({@code
 * tcp_retransmit_skb} stores the segment's transmit time after retransmitting it, and only when the
 * stamp is zero). The stamp is cleared when no retransmitted data remains outstanding
 * ({@code tcp_retrans_stamp_cleanup}, and an ACK advancing snd_una resets {@code icsk_retransmits}
 * to 0, after which {@link #retransmitsTimedOut} is false). A tail loss probe is not a
 * retransmission here: it does not set the stamp. For SYN_SENT the stamp is the time of the first
 * SYN ({@code tcp_connect}). A 6.18 kernel with a 204 ms RTO whose peer went silent sent a tail
 * loss probe, 15 retransmissions and failed with ETIMEDOUT at 939.6 s, as {@link
 * #silentPeerScheduleNanos} predicts once the probe's delay and the timer wheel's slack are added.
 *
 * <h2>SYN retransmission (Linux 6.5+, tcp_syn_linear_timeouts)</h2>
 * In SYN_SENT the first tcp_syn_linear_timeouts retransmissions keep the initial 1 s RTO; later
 * ones double it ({@code tcp_retransmit_timer}). The connection gives up at a timeout when either
 * the count reaches tcp_syn_retries + tcp_syn_linear_timeouts or the time since the first SYN
 * reaches {@code tcp_model_timeout(tcp_syn_retries, 1 s)} ({@code tcp_write_timeout}). With the
 * defaults (6 and 4) SYNs go out at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35 and 67 s (11 SYNs, more than
 * tcp_syn_retries suggests) and connect fails with ETIMEDOUT at 131 s. A 6.18 kernel in a network
 * namespace, its SYNs dropped by a full accept queue, showed exactly these retransmissions and
 * ETIMEDOUT after 134.3 s of wall time (timer slack).
 *
 * <h2>SYN-ACK retransmission</h2>
 * {@code reqsk_timer_handler} (net/ipv4/inet_connection_sock.c): the request's timer fires after
 * {@code min(1 s << num_timeout, 120 s)}; at each firing the request expires if {@code num_timeout
 * >= tcp_synack_retries}, otherwise the SYN-ACK is resent. Defaults (5): SYN-ACKs at 0, 1, 3, 7,
 * 15, 31 s; the request is dropped at 63 s. A 6.18 kernel answering a single raw SYN from an
 * address that never replies sent SYN-ACKs at 0, 1.02, 3.04, 7.07, 15.26 and 31.39 s, then none,
 * and the request was gone at 70 s.
 *
 * <h2>Keepalive and zero-window probes</h2>
 * Keepalive ({@code tcp_keepalive_timer}): probes at idle, idle + intvl, ... (keepcnt probes);
 * at the next firing with {@code probes_out >= keepcnt} the connection is reset with ETIMEDOUT:
 * defaults 7200/75/9 give 7875 s (a 6.18 kernel with 2/1/3 probed at 2.02, 3.04, 4.07 s and
 * failed with ETIMEDOUT at 5.09 s). Persist ({@code tcp_probe_timer}, {@code tcp_send_probe0}):
 * the first probe after {@code max(rto, 200 ms)}, then doubling up to 120 s; a peer that never
 * answers gets tcp_retries2 probes and the connection ends at the next firing (a 6.18 kernel
 * whose zero-window peer fell silent sent its 15th unanswered probe with the backoff held at 15,
 * probes 120 s apart, and failed with ETIMEDOUT 120.8 s later). Any ACK resets the
 * probe count, so a peer that answers keeps the connection open forever (RFC 1122 §4.2.2.17), but
 * not the backoff: while the window stays closed the interval keeps growing to 120 s ({@code
 * tcp_ack_probe} clears it only when the window opens). When the window closes with data still in
 * flight, the retransmission timer probes instead and gives up only when nothing has been received
 * for 240 s ({@link #rtxProbe0TimedOut}).
 *
 * <p>Differences from Linux: times are exact nanoseconds here, where Linux compares
 * {@code retrans_stamp} in milliseconds and arms timers in jiffies (the schedules above are the
 * ideal ones; the timer wheel's lateness is added where a stack arms a timer, {@link
 * #timerWheelDelayNanos}); the SYN-ACK pruning of old requests under SYN-queue
 * pressure and TCP_DEFER_ACCEPT are not modelled; a local transmit failure (Linux's
 * TCP_RESOURCE_PROBE_INTERVAL retry) cannot happen in the simulator.
 */
public final class TcpTimeouts {
  /** TCP_RTO_MIN: 200 ms, the base of the retries budget for synchronized states. */
  public static final long RTO_MIN_NANOS = RttEstimator.RTO_MIN_NANOS;
  /** TCP_RTO_MAX: 120 s. */
  public static final long RTO_MAX_NANOS = RttEstimator.RTO_MAX_NANOS;
  /** TCP_TIMEOUT_INIT: 1 s, the base of the budget in SYN_SENT / SYN_RECV (tcp_timeout_init). */
  public static final long TIMEOUT_INIT_NANOS = RttEstimator.TIMEOUT_INIT_NANOS;
  /** tcp_orphan_retries' stand-in for 0 when the socket is alive (tcp_orphan_retries()). */
  public static final int ORPHAN_RETRIES_WHEN_ZERO = 8;

  private TcpTimeouts() {}

  // ---------------------------------------------------------------- retransmission budget

  /**
   * {@code tcp_model_timeout}: how long {@code boundary} exponentially backed-off retransmissions
   * take when the first RTO is {@code rtoBaseNanos}, the RTO doubling up to {@code rtoMaxNanos}.
   * Below {@code thresh = ilog2(rtoMax / rtoBase)} doublings it is {@code (2^(boundary+1) - 1) *
   * base}; beyond, each further retransmission adds {@code rtoMax}.
   *
   * @return the budget in nanoseconds; e.g. (15, 200 ms) gives 924.6 s, (6, 1 s) gives 127 s
   */
  public static long modelTimeoutNanos(int boundary, long rtoBaseNanos, long rtoMaxNanos) {
    if (boundary < 0 || rtoBaseNanos <= 0 || rtoMaxNanos < rtoBaseNanos) {
      throw new IllegalArgumentException(
          "bad model timeout arguments: boundary=" + boundary + " base=" + rtoBaseNanos
              + " max=" + rtoMaxNanos);
    }
    int thresh = 63 - Long.numberOfLeadingZeros(rtoMaxNanos / rtoBaseNanos); // ilog2
    if (boundary <= thresh) {
      return ((2L << boundary) - 1) * rtoBaseNanos;
    }
    return ((2L << thresh) - 1) * rtoBaseNanos + (long) (boundary - thresh) * rtoMaxNanos;
  }

  /** {@link #modelTimeoutNanos(int, long, long)} with the 120 s maximum. */
  public static long modelTimeoutNanos(int boundary, long rtoBaseNanos) {
    return modelTimeoutNanos(boundary, rtoBaseNanos, RTO_MAX_NANOS);
  }

  /**
   * {@code retransmits_timed_out}: whether the connection has used up its retransmission budget.
   * Called at a retransmission timeout, before retransmitting.
   *
   * @param nowNanos the time of the timeout
   * @param retransStampNanos tp->retrans_stamp: see the class comment for what to pass
   * @param retransmits icsk_retransmits: RTO-driven retransmissions since the last ACK that
   *     advanced snd_una (0 means "not timed out", whatever the times say)
   * @param boundary tcp_retries2, tcp_retries1, the orphan retries or tcp_syn_retries
   * @param userTimeoutNanos TCP_USER_TIMEOUT, 0 when unset; when set it is the budget
   * @param rtoBaseNanos {@link #RTO_MIN_NANOS} for synchronized states, {@link
   *     #TIMEOUT_INIT_NANOS} in SYN_SENT / SYN_RECV
   */
  public static boolean retransmitsTimedOut(
      long nowNanos,
      long retransStampNanos,
      int retransmits,
      int boundary,
      long userTimeoutNanos,
      long rtoBaseNanos) {
    if (retransmits == 0) {
      return false;
    }
    long budget =
        userTimeoutNanos != 0 ? userTimeoutNanos : modelTimeoutNanos(boundary, rtoBaseNanos);
    return nowNanos - retransStampNanos >= budget;
  }

  /**
   * {@code tcp_orphan_retries}: the retry boundary of an orphaned socket (closed by the
   * application, still retransmitting). tcp_orphan_retries = 0 means 8 while the socket is alive
   * (its RTO below 120 s); an ICMP soft error on a dead socket means 0.
   *
   * @param sysctlOrphanRetries net.ipv4.tcp_orphan_retries (default 0)
   * @param alive icsk_rto &lt; TCP_RTO_MAX
   * @param softError an ICMP error was recorded (sk_err_soft)
   */
  public static int orphanRetries(int sysctlOrphanRetries, boolean alive, boolean softError) {
    int retries = sysctlOrphanRetries;
    if (softError && !alive) {
      retries = 0;
    }
    if (retries == 0 && alive) {
      retries = ORPHAN_RETRIES_WHEN_ZERO;
    }
    return retries;
  }

  /**
   * {@code tcp_clamp_rto_to_user_timeout}: with TCP_USER_TIMEOUT set, the retransmission timer is
   * armed for no later than the moment the user timeout runs out (one jiffy if it already has).
   *
   * @return the delay to arm the retransmission timer with, nanoseconds
   */
  public static long clampRtoToUserTimeoutNanos(
      long rtoNanos, long nowNanos, long retransStampNanos, long userTimeoutNanos, long jiffyNanos) {
    if (userTimeoutNanos == 0) {
      return rtoNanos;
    }
    long remaining = userTimeoutNanos - (nowNanos - retransStampNanos);
    if (remaining <= 0) {
      return jiffyNanos; // "user timeout has passed; fire ASAP"
    }
    return Math.min(rtoNanos, remaining);
  }

  /**
   * The give-up story of an established connection whose peer went silent, as a list of times
   * relative to the original send: element 0 is the original transmission, then every timer-driven
   * retransmission, and the last element is the moment the connection fails with ETIMEDOUT. The
   * RTO starts at {@code rtoNanos} and doubles up to 120 s; the budget starts at the first
   * retransmission. For checking and documentation; a connection uses {@link
   * #retransmitsTimedOut} step by step.
   */
  public static long[] silentPeerScheduleNanos(long rtoNanos, int boundary, long userTimeoutNanos) {
    long[] times = new long[64];
    int n = 0;
    long now = 0;
    long rto = rtoNanos;
    long stamp = 0;
    int retransmits = 0;
    times[n++] = 0;
    while (true) {
      now += rto;
      if (retransmitsTimedOut(now, stamp, retransmits, boundary, userTimeoutNanos, RTO_MIN_NANOS)) {
        times[n++] = now;
        return java.util.Arrays.copyOf(times, n);
      }
      if (retransmits == 0) {
        stamp = now;
      }
      retransmits++;
      times[n++] = now;
      rto = Math.min(rto << 1, RTO_MAX_NANOS);
      if (userTimeoutNanos != 0) {
        rto = clampRtoToUserTimeoutNanos(rto, now, stamp, userTimeoutNanos, 1);
      }
      if (n == times.length - 1) {
        throw new IllegalStateException("schedule longer than " + n + " steps");
      }
    }
  }

  // ---------------------------------------------------------------- SYN (active open)

  /**
   * The most SYN retransmissions before {@code tcp_write_timeout} gives up on count: tcp_syn_retries
   * (or TCP_SYNCNT) plus, in SYN_SENT, tcp_syn_linear_timeouts (Linux 6.5+).
   */
  public static int synMaxRetransmits(int synRetries, int synLinearTimeouts, boolean synSent) {
    return synSent ? synRetries + synLinearTimeouts : synRetries;
  }

  /**
   * Whether this SYN_SENT retransmission timeout doubles the RTO ({@code tcp_retransmit_timer}):
   * only once more than tcp_syn_linear_timeouts timeouts have happened.
   *
   * @param totalRto the number of retransmission timeouts so far, this one included
   */
  public static boolean synTimeoutBacksOff(int totalRto, int synLinearTimeouts) {
    return totalRto > synLinearTimeouts;
  }

  /**
   * {@code tcp_write_timeout} for SYN_SENT (and SYN_RECV with {@code synSent = false}): gives up
   * when the retransmission count reaches {@link #synMaxRetransmits} or the time since the first
   * SYN reaches the budget of tcp_syn_retries doublings of 1 s (or TCP_USER_TIMEOUT).
   *
   * @param firstSynNanos the time the first SYN was sent (retrans_stamp in tcp_connect)
   * @param retransmits SYN retransmissions so far
   */
  public static boolean synTimedOut(
      long nowNanos,
      long firstSynNanos,
      int retransmits,
      int synRetries,
      int synLinearTimeouts,
      boolean synSent,
      long userTimeoutNanos) {
    if (retransmits >= synMaxRetransmits(synRetries, synLinearTimeouts, synSent)) {
      return true;
    }
    return retransmitsTimedOut(
        nowNanos, firstSynNanos, retransmits, synRetries, userTimeoutNanos, TIMEOUT_INIT_NANOS);
  }

  /**
   * The SYN_SENT story for given settings: the times of every SYN (the first at 0) and, last, the
   * time connect fails with ETIMEDOUT. Defaults (6, 4): 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, then
   * 131 s.
   */
  public static long[] synScheduleNanos(int synRetries, int synLinearTimeouts, long userTimeoutNanos) {
    long[] times = new long[64];
    int n = 0;
    long now = 0;
    long rto = TIMEOUT_INIT_NANOS;
    int retransmits = 0;
    times[n++] = 0;
    while (true) {
      now += rto;
      if (synTimedOut(now, 0, retransmits, synRetries, synLinearTimeouts, true, userTimeoutNanos)) {
        times[n++] = now;
        return java.util.Arrays.copyOf(times, n);
      }
      retransmits++;
      times[n++] = now;
      if (synTimeoutBacksOff(retransmits, synLinearTimeouts)) {
        rto = Math.min(rto << 1, RTO_MAX_NANOS);
      }
      if (userTimeoutNanos != 0) {
        rto = clampRtoToUserTimeoutNanos(rto, now, 0, userTimeoutNanos, 1);
      }
      if (n == times.length - 1) {
        throw new IllegalStateException("schedule longer than " + n + " steps");
      }
    }
  }

  // ---------------------------------------------------------------- SYN-ACK (passive open)

  /**
   * {@code reqsk_timeout}: the delay after which a request's timer fires next, given how many
   * times it has fired ({@code req->num_timeout}): {@code min(1 s << numTimeout, 120 s)}.
   */
  public static long synAckTimeoutNanos(int numTimeout) {
    return RttEstimator.shiftCapped(TIMEOUT_INIT_NANOS, numTimeout, RTO_MAX_NANOS);
  }

  /**
   * {@code syn_ack_recalc} without TCP_DEFER_ACCEPT: the request expires at a firing when it has
   * already fired {@code synackRetries} times; otherwise the SYN-ACK is resent.
   */
  public static boolean synAckExpired(int numTimeout, int synackRetries) {
    return numTimeout >= synackRetries;
  }

  /**
   * The SYN-ACK story: the times of every SYN-ACK (the first at 0) and, last, the time the request
   * is dropped. Default 5: 0, 1, 3, 7, 15, 31 s, then 63 s.
   */
  public static long[] synAckScheduleNanos(int synackRetries) {
    long[] times = new long[synackRetries + 2];
    long now = 0;
    int numTimeout = 0;
    times[0] = 0;
    int n = 1;
    while (true) {
      now += synAckTimeoutNanos(numTimeout);
      times[n++] = now;
      if (synAckExpired(numTimeout, synackRetries)) {
        return times;
      }
      numTimeout++;
    }
  }

  // ---------------------------------------------------------------- keepalive

  /**
   * {@code tcp_keepalive_timer}: whether the keepalive timer firing now ends the connection (RST,
   * then ETIMEDOUT) instead of sending another probe.
   *
   * @param idleNanos time since the last segment was received (keepalive_time_elapsed)
   * @param keepIdleNanos TCP_KEEPIDLE / tcp_keepalive_time (default 7200 s)
   * @param probesOut unanswered probes sent so far
   * @param keepCnt TCP_KEEPCNT / tcp_keepalive_probes (default 9)
   * @param userTimeoutNanos TCP_USER_TIMEOUT, 0 when unset; when set it replaces the count
   */
  public static boolean keepaliveExpired(
      long idleNanos, long keepIdleNanos, int probesOut, int keepCnt, long userTimeoutNanos) {
    if (idleNanos < keepIdleNanos) {
      return false;
    }
    if (userTimeoutNanos != 0) {
      return idleNanos >= userTimeoutNanos && probesOut > 0;
    }
    return probesOut >= keepCnt;
  }

  /**
   * When a connection whose peer vanished is reset by keepalive, measured from the last segment
   * received: idle + count * interval (7875 s with the defaults).
   */
  public static long keepaliveGiveUpNanos(long keepIdleNanos, long keepIntvlNanos, int keepCnt) {
    return keepIdleNanos + keepCnt * keepIntvlNanos;
  }

  // ---------------------------------------------------------------- persist (zero window)

  /** {@code tcp_probe0_base}: the first zero-window probe waits max(rto, 200 ms). */
  public static long probe0BaseNanos(long rtoNanos) {
    return Math.max(rtoNanos, RTO_MIN_NANOS);
  }

  /**
   * {@code tcp_clamp_probe0_to_user_timeout}: with TCP_USER_TIMEOUT set and probing under way, the
   * next zero-window probe timer fires no later than the moment the user timeout runs out, but
   * never sooner than TCP_TIMEOUT_MIN, so that the probe timer itself ends the connection on time.
   *
   * @param whenNanos the delay {@link #probe0WhenNanos} gives
   * @param sinceFirstProbeTimerNanos now minus the first probe timer of this episode
   *     (icsk_probes_tstamp)
   * @param userTimeoutNanos TCP_USER_TIMEOUT, 0 when unset
   * @param timeoutMinNanos TCP_TIMEOUT_MIN, two jiffies
   */
  public static long clampProbe0ToUserTimeoutNanos(long whenNanos, long sinceFirstProbeTimerNanos,
      long userTimeoutNanos, long timeoutMinNanos) {
    if (userTimeoutNanos == 0) {
      return whenNanos;
    }
    long remaining = Math.max(userTimeoutNanos - Math.max(0, sinceFirstProbeTimerNanos), timeoutMinNanos);
    return Math.min(remaining, whenNanos);
  }

  /**
   * {@code tcp_probe0_when}: the delay before the next zero-window probe, {@code probe0Base <<
   * min(backoff, ilog2(120 s / 200 ms) + 1)}, at most {@code maxWhenNanos} (TCP_RTO_MAX).
   */
  public static long probe0WhenNanos(long rtoNanos, int backoff, long maxWhenNanos) {
    int maxShift = (63 - Long.numberOfLeadingZeros(RTO_MAX_NANOS / RTO_MIN_NANOS)) + 1; // 10
    return RttEstimator.shiftCapped(
        probe0BaseNanos(rtoNanos), Math.min(backoff, maxShift), maxWhenNanos);
  }

  /**
   * {@code tcp_probe_timer}: whether the probe timer firing now ends the connection (ETIMEDOUT)
   * instead of sending another probe.
   *
   * @param probesOut unanswered probes (reset by any ACK)
   * @param maxProbes tcp_retries2, or the orphan retries for an orphan
   * @param sinceFirstProbeTimerNanos time since the first probe timer fired (icsk_probes_tstamp)
   * @param userTimeoutNanos TCP_USER_TIMEOUT, 0 when unset
   */
  public static boolean probeTimerExpired(
      int probesOut, int maxProbes, long sinceFirstProbeTimerNanos, long userTimeoutNanos) {
    if (userTimeoutNanos != 0 && sinceFirstProbeTimerNanos >= userTimeoutNanos) {
      return true;
    }
    return probesOut >= maxProbes;
  }

  /**
   * {@code tcp_rtx_probe0_timed_out}: the retransmission timer fired while the peer's window is
   * zero and data is in flight ("receiver dastardly shrinks window"); such retransmissions are
   * window probes and the connection ends only when nothing has been received for twice
   * TCP_RTO_MAX (240 s), or TCP_USER_TIMEOUT if smaller.
   *
   * @param timerDueNanos when the timer was due (icsk_timeout)
   * @param lastReceivedNanos when the last segment was received (rcv_tstamp)
   * @param sinceRetransStartNanos now minus retrans_stamp (or the head segment's send time)
   * @param userTimeoutNanos TCP_USER_TIMEOUT, 0 when unset
   */
  public static boolean rtxProbe0TimedOut(
      long timerDueNanos, long lastReceivedNanos, long sinceRetransStartNanos, long userTimeoutNanos) {
    long timeout = 2 * RTO_MAX_NANOS;
    if (userTimeoutNanos != 0) {
      if (sinceRetransStartNanos > userTimeoutNanos) {
        return true;
      }
      timeout = Math.min(timeout, userTimeoutNanos);
    }
    if (timerDueNanos - lastReceivedNanos <= timeout) {
      return false;
    }
    return sinceRetransStartNanos > timeout;
  }

  /**
   * The persist story against a peer that advertised a zero window and then fell silent: times of
   * every probe and, last, the time the connection ends. The backoff grows by one per probe while
   * below {@code maxProbes} ({@code tcp_send_probe0}).
   */
  public static long[] silentPeerPersistScheduleNanos(long rtoNanos, int maxProbes) {
    long[] times = new long[maxProbes + 1];
    long now = probe0BaseNanos(rtoNanos);
    int probesOut = 0;
    int backoff = 0;
    int n = 0;
    while (!probeTimerExpired(probesOut, maxProbes, 0, 0)) {
      times[n++] = now;
      probesOut++;
      if (backoff < maxProbes) {
        backoff++;
      }
      now += probe0WhenNanos(rtoNanos, backoff, RTO_MAX_NANOS);
    }
    times[n] = now;
    return times;
  }

  /**
   * {@code jiffies + when} as a time: the expiry a kernel timer armed {@code delayNanos} from
   * {@code nowNanos} holds ({@code timer->expires}, {@code icsk_timeout}, what {@code ss} counts
   * down from). The delay becomes whole jiffies, rounded up as {@code usecs_to_jiffies} and
   * {@code msecs_to_jiffies} round, and is added to the current jiffy ({@code jiffies}, the
   * last tick at or before now). {@code hz} 0 means exact: {@code nowNanos + delayNanos}.
   */
  public static long timerExpiresNanos(long nowNanos, long delayNanos, int hz) {
    if (hz <= 0 || delayNanos < 0) {
      return nowNanos + Math.max(0, delayNanos);
    }
    long jiffy = jiffyNanos(hz);
    long when = delayNanos / jiffy + (delayNanos % jiffy > 0 ? 1 : 0);
    return (nowNanos / jiffy + when) * jiffy;
  }

  /**
   * The delay after which a kernel timer armed {@code delayNanos} from {@code nowNanos} fires on
   * a timer wheel ticking at {@code hz} (kernel/time/timer.c, calc_wheel_index / calc_index): its
   * expiry ({@link #timerExpiresNanos}) is rounded up to the granularity of the level its
   * distance from the current jiffy falls in (8^level jiffies; level n holds distances from 63 *
   * 8^(n-1)), strictly after the expiry, so even a level-0 timer waits one tick past it. At
   * HZ=250 a 60 s timer lands on a 512-jiffy (2.048 s) step: armed at 0 it fires at 61.44 s; a
   * 1 s retransmission timer on an 8-jiffy step (1.024 s); a 204 ms one (51 jiffies, level 0)
   * at 208 ms. {@code hz} 0 means exact. The same arithmetic as sim-core's LinuxTimerWheel,
   * applied per timer so a stack gives its timers the kernel's slack on any event set; unlike
   * that wheel, which rounds a deadline up to a whole jiffy, the delay is counted from the
   * current jiffy as the kernel counts it, so a timer armed mid-jiffy fires up to a jiffy
   * sooner after its arming than one armed on the tick.
   */
  public static long timerWheelDelayNanos(long nowNanos, long delayNanos, int hz) {
    long expiresNanos = timerExpiresNanos(nowNanos, delayNanos, hz);
    if (hz <= 0) {
      return expiresNanos - nowNanos;
    }
    long jiffy = jiffyNanos(hz);
    long clk = nowNanos / jiffy;
    long expires = expiresNanos / jiffy;
    long delta = expires - clk;
    int depth = hz > 100 ? 9 : 8;
    int level = depth - 1;
    for (int n = 0; n < depth - 1; n++) {
      if (delta < (63L << (3 * n))) { // LVL_START(n + 1) = (LVL_SIZE - 1) << (n * LVL_CLK_SHIFT)
        level = n;
        break;
      }
    }
    long fire = ((expires >>> (3 * level)) + 1) << (3 * level);
    return fire * jiffy - nowNanos;
  }

  /** One jiffy at {@code hz} (CONFIG_HZ), nanoseconds; hz must divide 10^9. */
  public static long jiffyNanos(int hz) {
    if (hz <= 0 || 1_000_000_000L % hz != 0) {
      throw new IllegalArgumentException("CONFIG_HZ must divide 10^9, was " + hz);
    }
    return 1_000_000_000L / hz;
  }
}
