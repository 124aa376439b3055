package tcpsim.net.tcp;

import tcpsim.net.wire.SeqNum;

/**
 * The retransmission queue's scoreboard: one entry per segment sent and not yet acknowledged,
 * with its sequence range, when it was last sent, and Linux's per-skb marks (TCPCB_SACKED_ACKED,
 * TCPCB_LOST, TCPCB_SACKED_RETRANS, TCPCB_EVER_RETRANS). Kept in primitive ring arrays that grow
 * by doubling and are dropped when the connection goes idle for good, so an idle connection holds
 * none. A connection that never sent data holds no scoreboard of its own either: it shares
 * {@link #EMPTY}, which only reads, and makes its own at its first transmission.
 *
 * <p>Invariants: entries are in sequence order, contiguous ({@code end[k] == start[k+1]}) and
 * non-empty; {@code 0 <= count <= capacity}; a SACKED entry is neither LOST nor RETRANS (as
 * tcp_sacktag_one clears them); the per-mark totals (Linux's sacked_out, lost_out, retrans_out)
 * always equal the marks set, because every change of marks goes through {@link #setFlags}, so
 * {@link #inFlight} is O(1).
 */
final class Scoreboard {
  /** The segment was SACKed (TCPCB_SACKED_ACKED). */
  static final byte SACKED = 1;
  /** The segment is presumed lost (TCPCB_LOST). */
  static final byte LOST = 2;
  /** The segment was retransmitted and that copy is in flight (TCPCB_SACKED_RETRANS). */
  static final byte RETRANS = 4;
  /** The segment was ever retransmitted (TCPCB_EVER_RETRANS): no RTT sample from it (Karn). */
  static final byte EVER_RETRANS = 8;
  /** The segment went out with PSH (the end of a write, or of a TSO chunk): where a TSO skb ended. */
  static final byte PUSH = 16;
  /**
   * The skb itself carries PSH (tcp_mark_push at the end of a write), so a retransmission sends
   * it again; a TSO chunk's PSH came from segmenting the skb and does not come back.
   */
  static final byte WRITE_PUSH = 32;

  private static final int[] NO_INTS = new int[0];
  private static final long[] NO_LONGS = new long[0];
  private static final byte[] NO_BYTES = new byte[0];

  /**
   * The scoreboard of every connection that has not sent data yet: no entries, so every read
   * answers "nothing in flight", every marking loop finds nothing, and {@link #release} leaves it
   * as it is; {@link #append} refuses it (the connection must make its own first).
   */
  static final Scoreboard EMPTY = new Scoreboard();

  int[] start = NO_INTS;
  int[] end = NO_INTS;
  long[] time = NO_LONGS;
  byte[] flags = NO_BYTES;
  int head;
  int count;
  private int sackedOut;
  private int lostOut;
  private int retransOut;
  private int everRetransOut;

  /** The ring index of the k-th entry from the oldest. */
  int index(int k) {
    return (head + k) % start.length;
  }

  /** A segment [s, e) went out at {@code now} for the first time, with PSH if {@code push}. */
  void append(int s, int e, long now, boolean push) {
    append(s, e, now, push, false);
  }

  /** As {@link #append(int, int, long, boolean)}; {@code writePush}: it ended a write ({@link #WRITE_PUSH}). */
  void append(int s, int e, long now, boolean push, boolean writePush) {
    if (this == EMPTY) {
      throw new IllegalStateException("the shared empty scoreboard cannot take segment " + s
          + ".." + e + ": the connection must make its own");
    }
    if (count == start.length) {
      grow();
    }
    int i = (head + count) % start.length;
    start[i] = s;
    end[i] = e;
    time[i] = now;
    flags[i] = (byte) ((push ? PUSH : 0) | (writePush ? WRITE_PUSH : 0));
    count++;
  }

  private void grow() {
    int cap = Math.max(16, start.length * 2);
    int[] s = new int[cap];
    int[] e = new int[cap];
    long[] t = new long[cap];
    byte[] f = new byte[cap];
    for (int k = 0; k < count; k++) {
      int i = index(k);
      s[k] = start[i];
      e[k] = end[i];
      t[k] = time[i];
      f[k] = flags[i];
    }
    start = s;
    end = e;
    time = t;
    flags = f;
    head = 0;
  }

  /** The position from the oldest of the entry at ring index {@code i}. */
  int position(int i) {
    return (i - head + start.length) % start.length;
  }

  /**
   * tcp_collapse_retrans: the entry at position {@code k + 1} joins the one at {@code k}, which
   * now ends where it ended; of its marks only EVER_RETRANS stays (tcp_adjust_pcount takes the
   * rest out of the totals).
   */
  void mergeNext(int k) {
    int i = index(k);
    int j = index(k + 1);
    end[i] = end[j];
    byte kept = (byte) (flags[j] & (EVER_RETRANS | PUSH | WRITE_PUSH)); // tcp_flags are ORed: PSH comes along
    setFlags(j, (byte) 0);
    setFlags(i, (byte) (flags[i] | kept));
    for (int m = k + 1; m < count - 1; m++) {
      int a = index(m);
      int b = index(m + 1);
      start[a] = start[b];
      end[a] = end[b];
      time[a] = time[b];
      flags[a] = flags[b];
    }
    count--;
  }

  /**
   * tcp_fragment of a TSO skb on retransmission: the entry at position {@code k} takes
   * {@code bytes} more from the front of the one after it (both from the same skb); the one after
   * goes if nothing is left of it.
   */
  void takeFromNext(int k, int bytes) {
    int i = index(k);
    int j = index(k + 1);
    end[i] += bytes;
    start[j] += bytes;
    if (start[j] == end[j]) {
      mergeNext(k);
    }
  }

  /**
   * tcp_fragment: the entry at position {@code k} is cut at {@code seq}; the part from there is a
   * new entry after it with the same marks (tcp_fragment copies sacked, and the counts follow) and
   * time, and with the PSH, which stays with the end.
   */
  void splitAt(int k, int seq) {
    if (count == start.length) {
      grow();
    }
    for (int m = count; m > k + 1; m--) {
      int a = index(m);
      int b = index(m - 1);
      start[a] = start[b];
      end[a] = end[b];
      time[a] = time[b];
      flags[a] = flags[b];
    }
    count++;
    int i = index(k);
    int j = index(k + 1);
    start[j] = seq;
    end[j] = end[i];
    time[j] = time[i];
    flags[j] = 0;
    setFlags(j, flags[i]);
    end[i] = seq;
    setFlags(i, (byte) (flags[i] & ~(PUSH | WRITE_PUSH)));
  }

  /** The oldest entry was acknowledged in full. */
  void removeHead() {
    setFlags(head, (byte) 0);
    head = (head + 1) % start.length;
    count--;
  }

  /** Changes an entry's marks, keeping the totals. */
  private void setFlags(int i, byte f) {
    byte old = flags[i];
    if (old == f) {
      return;
    }
    sackedOut += bit(f, SACKED) - bit(old, SACKED);
    lostOut += bit(f, LOST) - bit(old, LOST);
    retransOut += bit(f, RETRANS) - bit(old, RETRANS);
    everRetransOut += bit(f, EVER_RETRANS) - bit(old, EVER_RETRANS);
    flags[i] = f;
  }

  private static int bit(byte f, byte mark) {
    return (f & mark) != 0 ? 1 : 0;
  }

  /**
   * SACKed: no longer lost, and no retransmitted copy counts as in flight (tcp_sacktag_one; the
   * connection walks the SACK blocks, TcpConnection.processSackBlocks).
   */
  void sack(int i) {
    setFlags(i, (byte) ((flags[i] | SACKED) & ~(LOST | RETRANS)));
  }

  /** Forgets everything and gives the arrays back (the connection is done sending). */
  void release() {
    if (this == EMPTY) {
      return; // shared by connections that never sent: never written
    }
    start = NO_INTS;
    end = NO_INTS;
    time = NO_LONGS;
    flags = NO_BYTES;
    head = 0;
    count = 0;
    sackedOut = 0;
    lostOut = 0;
    retransOut = 0;
    everRetransOut = 0;
  }

  /** tcp_packets_in_flight: packets_out - (sacked_out + lost_out) + retrans_out. */
  int inFlight() {
    return count - (sackedOut + lostOut) + retransOut;
  }

  /** Entries carrying {@code flag} (one of the marks). */
  int countFlag(byte flag) {
    return switch (flag) {
      case SACKED -> sackedOut;
      case LOST -> lostOut;
      case RETRANS -> retransOut;
      case EVER_RETRANS -> everRetransOut;
      default -> throw new IllegalArgumentException("not a scoreboard mark: " + flag);
    };
  }

  /**
   * tcp_add_reno_sack: without SACK, each duplicate ACK stands for one segment that left the
   * network; the newest un-SACKed entries are marked, never the head.
   */
  void markRenoSacked(int dupAcks) {
    int sacked = countFlag(SACKED);
    for (int k = count - 1; k > 0 && sacked < dupAcks; k--) {
      int i = index(k);
      if ((flags[i] & SACKED) == 0) {
        sack(i);
        sacked++;
      }
    }
  }

  /** tcp_undo_cwnd_reduction with unmark_loss: no segment is lost any more (lost_out = 0). */
  void clearLost() {
    for (int k = 0; k < count; k++) {
      int i = index(k);
      if ((flags[i] & LOST) != 0) {
        setFlags(i, (byte) (flags[i] & ~LOST));
      }
    }
  }

  /** tcp_reset_reno_sack: the duplicate ACKs counted as SACKed segments count no more. */
  void clearRenoSacked() {
    for (int k = 0; k < count; k++) {
      int i = index(k);
      if ((flags[i] & SACKED) != 0) {
        setFlags(i, (byte) (flags[i] & ~SACKED));
      }
    }
  }

  /**
   * tcp_mark_skb_lost: entry {@code i} is lost; if it already was and its retransmission is in
   * flight, that retransmission is lost too (no longer counted in flight). Returns whether a
   * retransmission was lost. A SACKed entry is left alone.
   */
  boolean markLost(int i) {
    byte f = flags[i];
    if ((f & SACKED) != 0) {
      return false;
    }
    if ((f & LOST) == 0) {
      setFlags(i, (byte) (f | LOST));
      return false;
    }
    if ((f & RETRANS) != 0) {
      setFlags(i, (byte) (f & ~RETRANS));
      return true;
    }
    return false;
  }

  /** tcp_highest_sack_seq: the end of the highest SACKed entry, {@code sndUna} when none is. */
  int highestSackEnd(int sndUna) {
    for (int k = count - 1; k >= 0 && sackedOut > 0; k--) {
      int i = index(k);
      if ((flags[i] & SACKED) != 0) {
        return end[i];
      }
    }
    return sndUna;
  }

  /** tcp_mark_head_lost: the first unacknowledged segment is lost. */
  void markHeadLost() {
    if (count > 0 && (flags[head] & (SACKED | LOST)) == 0) {
      setFlags(head, (byte) (flags[head] | LOST));
    }
  }

  /** Every un-SACKed segment below the highest SACKed one is lost (RFC 6675 IsLost, simplified). */
  void markHolesLost() {
    int last = -1;
    for (int k = 0; k < count; k++) {
      if ((flags[index(k)] & SACKED) != 0) {
        last = k;
      }
    }
    for (int k = 0; k < last; k++) {
      int i = index(k);
      if ((flags[i] & (SACKED | LOST)) == 0) {
        setFlags(i, (byte) (flags[i] | LOST));
      }
    }
  }

  /** tcp_enter_loss: everything not SACKed is lost, and no retransmitted copy counts as in flight. */
  void markAllLost() {
    for (int k = 0; k < count; k++) {
      int i = index(k);
      if ((flags[i] & SACKED) == 0) {
        setFlags(i, (byte) ((flags[i] | LOST) & ~RETRANS));
      }
    }
  }

  /** Recovery is over: only the Karn mark survives (and PSH, which is no mark). */
  void clearMarks() {
    for (int k = 0; k < count; k++) {
      int i = index(k);
      setFlags(i, (byte) (flags[i] & (EVER_RETRANS | PUSH | WRITE_PUSH)));
    }
  }

  /** The entry at ring index {@code i} was retransmitted at {@code now}. */
  void retransmitted(int i, long now) {
    setFlags(i, (byte) (flags[i] | RETRANS | EVER_RETRANS));
    time[i] = now;
  }
}
