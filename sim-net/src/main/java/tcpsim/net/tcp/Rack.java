package tcpsim.net.tcp;

import tcpsim.net.wire.SeqNum;

/**
 * RACK, time-based loss detection (RFC 8985 §6; net/ipv4/tcp_recovery.c), and the reordering
 * a connection has seen (tp->reordering, tp->reord_seen). A segment is lost once a segment sent
 * after it has been delivered (ACKed or SACKed) and the latest RTT plus a reordering window has
 * passed since it was sent. Linux 6.18 uses it on every SACK connection (whatever
 * net.ipv4.tcp_recovery says); duplicate-ACK counting decides only without SACK. Not modelled:
 * the reordering window's growth on D-SACKs (reo_wnd_steps stays 1, as with tcp_recovery bit 2).
 */
final class Rack {
  /** When the most recently sent segment known delivered went out (tp->rack.mstamp). */
  private long xmitNanos = Long.MIN_VALUE;
  /** Its end, which breaks ties between segments sent at the same instant (tp->rack.end_seq). */
  private int endSeq;
  /** The RTT of the segment last delivered (tp->rack.rtt_us). */
  private long rttNanos;
  /** Delivery advanced since the last loss detection (tp->rack.advanced). */
  private boolean advanced;
  /** Reordering was ever seen (tp->reord_seen). */
  private int reordSeen;
  /** The reordering degree, in segments (tp->reordering, from net.ipv4.tcp_reordering). */
  private int reordering;
  /** Retransmissions found lost again by the last {@link #detectLoss} (LINUX_MIB_TCPLOSTRETRANSMIT). */
  private int lostRetransmits;

  Rack(int reordering) {
    this.reordering = reordering;
  }

  int reordering() {
    return reordering;
  }

  /** Whether a segment sent at {@code t1} ending at {@code seq1} went after one at {@code t2}, {@code seq2} (tcp_skb_sent_after). */
  static boolean sentAfter(long t1, long t2, int seq1, int seq2) {
    return t1 > t2 || t1 == t2 && SeqNum.gt(seq1, seq2);
  }

  /**
   * tcp_rack_advance: a segment with {@code marks} ending at {@code end}, sent at {@code sent}, was
   * delivered. One retransmitted and answered faster than the minimum RTT tells nothing: the
   * original may be what arrived.
   */
  void advance(byte marks, int end, long sent, long now, int minRttMicros) {
    long rtt = now - sent;
    if ((marks & (Scoreboard.RETRANS | Scoreboard.EVER_RETRANS)) != 0 && rtt < minRttMicros * 1000L) {
      return;
    }
    advanced = true;
    rttNanos = rtt;
    if (sentAfter(sent, xmitNanos, end, endSeq)) {
      xmitNanos = sent;
      endSeq = end;
    }
  }

  /** tcp_rack_mark_lost's gate: whether anything was delivered since the last look, and forget it. */
  boolean takeAdvanced() {
    boolean was = advanced;
    advanced = false;
    return was;
  }

  /**
   * tcp_rack_reo_wnd: no settling time while nothing was ever reordered and recovery is on or
   * the SACKed segments reach the reordering degree (with {@code dupThresh}, tcp_recovery without
   * bit 4); else a quarter of the minimum RTT, at most the smoothed RTT.
   */
  long reoWndNanos(boolean recovering, int sackedOut, boolean dupThresh, int minRttMicros, long srttNanos) {
    if (reordSeen == 0 && (recovering || dupThresh && sackedOut >= reordering)) {
      return 0;
    }
    return Math.min((minRttMicros >> 2) * 1000L, srttNanos);
  }

  /**
   * tcp_rack_detect_loss: marks lost each segment not SACKed (nor lost and waiting to be resent)
   * sent before the most recently delivered one whose RTT plus {@code reoWnd} has passed; returns
   * the longest any other such segment still has to wait (0: none).
   */
  long detectLoss(Scoreboard sb, long now, long reoWnd) {
    long wait = 0;
    lostRetransmits = 0;
    for (int k = 0; k < sb.count; k++) {
      int i = sb.index(k);
      byte f = sb.flags[i];
      if ((f & Scoreboard.SACKED) != 0 || (f & Scoreboard.LOST) != 0 && (f & Scoreboard.RETRANS) == 0) {
        continue;
      }
      if (!sentAfter(xmitNanos, sb.time[i], endSeq, sb.end[i])) {
        continue;
      }
      long remaining = rttNanos + reoWnd - (now - sb.time[i]);
      if (remaining <= 0) {
        if (sb.markLost(i)) {
          lostRetransmits++;
        }
      } else {
        wait = Math.max(wait, remaining);
      }
    }
    return wait;
  }

  int lostRetransmits() {
    return lostRetransmits;
  }

  /**
   * tcp_check_sack_reordering: data from {@code lowSeq} was delivered below {@code fack}, the
   * highest SACKed sequence before this ACK, without being resent: reordering, and its degree grows
   * to the segments it spans (at most net.ipv4.tcp_max_reordering).
   */
  void reorderingSeen(int lowSeq, int fack, int mss, int maxReordering) {
    if (!SeqNum.lt(lowSeq, fack)) {
      return;
    }
    int metric = SeqNum.distance(lowSeq, fack);
    if (mss > 0 && metric > reordering * mss) {
      reordering = Math.min((metric + mss - 1) / mss, maxReordering);
    }
    reordSeen++;
  }
}
