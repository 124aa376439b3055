package tcpsim.net.tcp;

import tcpsim.net.wire.SeqNum;

/**
 * Round-trip time estimation and the retransmission timeout, computed the way Linux computes them
 * (RFC 6298 as implemented by {@code tcp_rtt_estimator} and {@code tcp_set_rto} in
 * net/ipv4/tcp_input.c).
 *
 * <p>Arithmetic is Linux's, to the microsecond: the smoothed RTT is kept as {@code srtt << 3} in
 * microseconds (three fractional bits), the mean deviation {@code mdev} as {@code 4 * deviation};
 * {@code rttvar} is the maximum of {@code mdev} seen over the last round trip, decaying towards it
 * by a quarter per round trip and never below {@code rtoMin} (200 ms). The RTO is {@code srtt +
 * rttvar}, rounded up to whole jiffies ({@code usecs_to_jiffies}), at most {@code TCP_RTO_MAX}. So
 * in Linux the effective floor is {@code srtt + 200 ms}, not the flat 1 s of RFC 6298 §2.4 nor a
 * flat 200 ms: a loopback connection at HZ=250 shows {@code rto:204} in {@code ss -i}.
 *
 * <p>Invariants: {@code rtoMinNanos <= rtoNanos() <= rtoMaxNanos} once a sample has been taken
 * (before one, {@code rtoNanos() == TIMEOUT_INIT_NANOS}); {@code rtoNanos()} is a whole number of
 * jiffies; {@code backoffCount() >= 0}. No method allocates.
 *
 * <p>Karn's algorithm (RFC 6298 §3): the caller passes no sample for an ACK that covers
 * retransmitted data unless the RTT comes from the timestamp echo ({@code tcp_ack_update_rtt}
 * prefers the ACK-timing sample and falls back to TSecr, which is unambiguous).
 *
 * <p>Backoff: {@link #backoff()} is what {@code tcp_retransmit_timer} does on an RTO (double the
 * RTO up to the maximum, count one backoff). {@link #backedOffRtoNanos()} is {@code
 * inet_csk_rto_backoff}: the un-doubled RTO shifted by the backoff count, used by timers that do
 * not double {@code icsk_rto} themselves. A valid sample recomputes the RTO and clears the backoff
 * (RFC 6298 §5.7's "after a valid sample" and {@code tcp_ack_update_rtt}).
 *
 * <p>Differences from Linux: no per-route RTT metrics cache ({@code tcp_init_metrics} seeding srtt
 * from a previous connection to the same host), no BPF hooks, no {@code tcp_rtt_min} windowed
 * minimum (used by CUBIC/BBR and RACK, not by the RTO).
 */
public final class RttEstimator {
  /** TCP_RTO_MIN, include/net/tcp.h: HZ/5, 200 ms. */
  public static final long RTO_MIN_NANOS = 200_000_000L;
  /** TCP_RTO_MAX, include/net/tcp.h: 120 s (per-socket tcp_rto_max_ms since 6.15, same default). */
  public static final long RTO_MAX_NANOS = 120_000_000_000L;
  /** TCP_TIMEOUT_INIT, include/net/tcp.h: 1 s, the RTO before any sample (RFC 6298 §2.1). */
  public static final long TIMEOUT_INIT_NANOS = 1_000_000_000L;
  /**
   * TCP_TIMEOUT_FALLBACK, include/net/tcp.h: 3 s, the RTO when the handshake gave no sample
   * (RFC 6298 §5.7, {@code tcp_init_metrics}).
   */
  public static final long TIMEOUT_FALLBACK_NANOS = 3_000_000_000L;
  /** CONFIG_HZ of Debian's kernels (and of the machines tcpsim was checked against). */
  public static final int DEFAULT_HZ = 250;

  private static final long NANOS_PER_MICRO = 1_000L;

  /**
   * The estimator's fixed settings, shared by every estimator built with the same ones (most use
   * {@link #DEFAULT_BOUNDS}), so a connection does not carry three constant longs.
   */
  private record Bounds(long jiffyMicros, long rtoMinMicros, long rtoMaxNanos) {}

  private static final Bounds DEFAULT_BOUNDS =
      new Bounds(1_000_000 / DEFAULT_HZ, RTO_MIN_NANOS / NANOS_PER_MICRO, RTO_MAX_NANOS);

  private final Bounds bounds;

  // The four RTT terms and the RTO are ints of microseconds, as the kernel keeps them in u32
  // (srtt_us, mdev_us, mdev_max_us, rttvar_us; icsk_rto in jiffies): a socket carries 16 bytes
  // less. Arithmetic runs in long and is stored saturated, never wrapped.
  /** srtt << 3, microseconds; 0 until the first sample (as tp->srtt_us). */
  private int srtt8Micros;
  /** The smallest sample, microseconds (tp->rtt_min, unwindowed); a 0 sample counts a jiffy. */
  private int minRttMicros = Integer.MAX_VALUE;
  /** Mean deviation, microseconds, scaled as Linux keeps it (about 4 * |error| averaged). */
  private int mdevMicros;
  /** Largest mdev in the current round trip, never below rtoMin. */
  private int mdevMaxMicros;
  /** The variance term used by the RTO, microseconds. */
  private int rttvarMicros;
  /** snd_nxt when the current measuring round trip began (tp->rtt_seq). */
  private int rttSeq;
  /** icsk_rto: the current RTO including doublings by backoff(), microseconds, whole jiffies. */
  private int rtoMicros;
  /** icsk_backoff. */
  private int backoff;

  /** An estimator for a kernel with {@link #DEFAULT_HZ} and the default 200 ms minimum RTO. */
  public RttEstimator() {
    this(DEFAULT_HZ, RTO_MIN_NANOS, RTO_MAX_NANOS);
  }

  /**
   * @param hz the kernel tick rate (CONFIG_HZ); must divide 1,000,000 so a jiffy is a whole number
   *     of microseconds (100, 250, 1000 do; 300 does not and is refused)
   * @param rtoMinNanos the minimum RTO (TCP_RTO_MIN, or a route's rto_min / tcp_rto_min_us)
   * @param rtoMaxNanos the maximum RTO (TCP_RTO_MAX, or tcp_rto_max_ms)
   */
  public RttEstimator(int hz, long rtoMinNanos, long rtoMaxNanos) {
    if (hz <= 0 || 1_000_000 % hz != 0) {
      throw new IllegalArgumentException("hz must divide 1000000 (100, 250, 1000), got " + hz);
    }
    if (rtoMinNanos < NANOS_PER_MICRO || rtoMaxNanos < rtoMinNanos
        || rtoMaxNanos / NANOS_PER_MICRO > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("need 1us <= rtoMinNanos <= rtoMaxNanos <= 2^31 us, got "
          + rtoMinNanos + ", " + rtoMaxNanos);
    }
    Bounds b = new Bounds(1_000_000 / hz, rtoMinNanos / NANOS_PER_MICRO, rtoMaxNanos);
    this.bounds = b.equals(DEFAULT_BOUNDS) ? DEFAULT_BOUNDS : b;
    this.rtoMicros = micros(Math.min(TIMEOUT_INIT_NANOS, bounds.rtoMaxNanos()));
  }

  /**
   * Feeds one RTT measurement ({@code tcp_rtt_estimator}, then {@code tcp_set_rto}, then clears the
   * backoff as {@code tcp_ack_update_rtt} does).
   *
   * @param rttNanos the measured round trip; a negative value means "no valid sample" (Karn: the
   *     ACK covered retransmitted data and there was no timestamp echo) and changes nothing. A
   *     sample from the timestamp echo is whole milliseconds in Linux (TCP_TS_HZ = 1000): pass
   *     it rounded down to the millisecond to match
   * @param sndUna snd_una after this ACK was processed
   * @param sndNxt snd_nxt now; marks the end of the round trip in which rttvar may decay
   * @return whether a sample was taken
   */
  public boolean sample(long rttNanos, int sndUna, int sndNxt) {
    if (rttNanos < 0) {
      return false;
    }
    long m = rttNanos / NANOS_PER_MICRO; // mrtt_us: Linux measures in whole microseconds
    // tcp_update_rtt_min: "rtt_us ? rtt_us : jiffies_to_usecs(1)".
    minRttMicros = (int) Math.min(minRttMicros, m > 0 ? m : bounds.jiffyMicros());
    long srtt = srtt8Micros;
    if (srtt != 0) {
      m -= srtt >> 3; // m is now the error in the estimate
      srtt += m; // srtt = 7/8 srtt + 1/8 new
      if (m < 0) {
        m = -m;
        m -= mdevMicros >> 2;
        // RTT fell: a finer gain (1/32) so a drop does not inflate the RTO (tcp_rtt_estimator's
        // "similar to one of Eifel findings").
        if (m > 0) {
          m >>= 3;
        }
      } else {
        m -= mdevMicros >> 2;
      }
      mdevMicros = sat(mdevMicros + m); // mdev = 3/4 mdev + 1/4 new
      if (mdevMicros > mdevMaxMicros) {
        mdevMaxMicros = mdevMicros;
        if (mdevMaxMicros > rttvarMicros) {
          rttvarMicros = mdevMaxMicros;
        }
      }
      if (SeqNum.gt(sndUna, rttSeq)) {
        // One round trip has passed: let rttvar decay a quarter of the way to this round's max.
        if (mdevMaxMicros < rttvarMicros) {
          rttvarMicros -= (rttvarMicros - mdevMaxMicros) >> 2; // stays within int: it shrinks
        }
        rttSeq = sndNxt;
        mdevMaxMicros = sat(bounds.rtoMinMicros());
      }
    } else {
      // First sample: srtt = R, mdev = 2R so that RTO starts near 3R (RFC 6298 §2.2 says
      // RTTVAR = R/2; Linux's mdev is 4x RTTVAR, floored at rto_min).
      srtt = m << 3;
      mdevMicros = sat(m << 1);
      rttvarMicros = sat(Math.max(mdevMicros, bounds.rtoMinMicros()));
      mdevMaxMicros = rttvarMicros;
      rttSeq = sndNxt;
    }
    srtt8Micros = sat(Math.max(1L, srtt));
    setRto();
    backoff = 0;
    return true;
  }

  /**
   * RFC 6298 §5.7 as {@code tcp_init_metrics} applies it: the handshake finished without a valid
   * RTT sample (the SYN or SYN-ACK was retransmitted and there were no timestamps), so the RTO
   * becomes {@link #TIMEOUT_FALLBACK_NANOS} (3 s) instead of staying at 1 s. Does nothing once a
   * sample exists.
   */
  public void handshakeWithoutSample() {
    if (srtt8Micros == 0) {
      rttvarMicros = micros(TIMEOUT_FALLBACK_NANOS);
      mdevMicros = rttvarMicros;
      mdevMaxMicros = rttvarMicros;
      rtoMicros = micros(Math.min(TIMEOUT_FALLBACK_NANOS, bounds.rtoMaxNanos()));
    }
  }

  /**
   * One retransmission timeout with exponential backoff ({@code tcp_retransmit_timer}: {@code
   * icsk_backoff++; icsk_rto = min(icsk_rto << 1, TCP_RTO_MAX)}, RFC 6298 §5.5). A SYN_SENT socket
   * within its tcp_syn_linear_timeouts does not call this (see {@link TcpTimeouts}).
   */
  public void backoff() {
    backoff++;
    rtoMicros = micros(Math.min(rtoNanos() << 1, bounds.rtoMaxNanos()));
  }

  /**
   * Clears the backoff count without touching the RTO, as an ACK of a zero-window probe does
   * ({@code tcp_ack_probe}). A valid sample already clears it.
   */
  public void resetBackoff() {
    backoff = 0;
  }

  /** Increments the backoff count alone, as {@code tcp_send_probe0} does (RTO not doubled). */
  public void countProbeBackoff(int limit) {
    if (backoff < limit) {
      backoff++;
    }
  }

  /** icsk_rto: the current retransmission timeout, nanoseconds (includes doublings by backoff()). */
  public long rtoNanos() {
    return rtoMicros * NANOS_PER_MICRO;
  }

  /** {@code inet_csk_rto_backoff}: min(rto << backoff, maximum), nanoseconds. */
  public long backedOffRtoNanos() {
    return shiftCapped(rtoNanos(), backoff, bounds.rtoMaxNanos());
  }

  /** icsk_backoff: retransmission timeouts (or window probes) since the last valid sample. */
  public int backoffCount() {
    return backoff;
  }

  /** tcp_min_rtt, microseconds; Integer.MAX_VALUE before any sample. */
  public int minRttMicros() {
    return minRttMicros;
  }

  /** Whether any RTT sample has been taken (tp->srtt_us != 0). */
  public boolean hasSample() {
    return srtt8Micros != 0;
  }

  /** Smoothed RTT, nanoseconds, truncated to the microsecond as tcp_info's tcpi_rtt; 0 before a sample. */
  public long srttNanos() {
    return (srtt8Micros >> 3) * NANOS_PER_MICRO;
  }

  /** The variance term added to srtt in the RTO (tp->rttvar_us), nanoseconds. */
  public long rttvarNanos() {
    return rttvarMicros * NANOS_PER_MICRO;
  }

  /**
   * Mean deviation as tcp_info reports it (tcpi_rttvar is {@code mdev_us >> 2}), nanoseconds.
   */
  public long mdevNanos() {
    return (mdevMicros >> 2) * NANOS_PER_MICRO;
  }

  /** The RTO floor this estimator was built with, nanoseconds. */
  public long rtoMinNanos() {
    return bounds.rtoMinMicros() * NANOS_PER_MICRO;
  }

  /** The RTO ceiling this estimator was built with, nanoseconds. */
  public long rtoMaxNanos() {
    return bounds.rtoMaxNanos();
  }

  /** One jiffy, nanoseconds. */
  public long jiffyNanos() {
    return bounds.jiffyMicros() * NANOS_PER_MICRO;
  }

  /** {@code tcp_set_rto}: rto = srtt/8 + rttvar in jiffies rounded up, then {@code tcp_bound_rto}. */
  private void setRto() {
    long micros = (long) (srtt8Micros >> 3) + rttvarMicros;
    long jiffy = bounds.jiffyMicros();
    long jiffies = (micros + jiffy - 1) / jiffy; // usecs_to_jiffies rounds up
    rtoMicros = micros(Math.min(jiffies * jiffy * NANOS_PER_MICRO, bounds.rtoMaxNanos()));
  }

  /** Whole microseconds of {@code nanos} (the RTO is whole jiffies: exact), saturated to int. */
  private static int micros(long nanos) {
    return sat(nanos / NANOS_PER_MICRO);
  }

  /** {@code v} as an int, saturated at its bounds rather than wrapped. */
  private static int sat(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  static long shiftCapped(long value, int shift, long cap) {
    if (shift >= 63 || value > (cap >> Math.min(shift, 62))) {
      return cap;
    }
    return Math.min(value << shift, cap);
  }
}
