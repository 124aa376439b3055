package tcpsim.net.tcp;

import tcpsim.net.wire.SeqNum;

/**
 * The receive side of a connection's data: bytes in order awaiting the application ({@code
 * [copiedSeq, rcvNxt)}), the out-of-order queue as merged sequence ranges, the SACK blocks to
 * advertise, a pending D-SACK, and the receive window as Linux chooses it.
 *
 * <h2>Placing data ({@link #receive}, after {@code tcp_data_queue})</h2>
 * The caller has already checked the segment's acceptability ({@link #isOldSequence}, {@link
 * #isBeyondWindow}: {@code tcp_sequence}) and PAWS. A segment at rcv_nxt is queued (dropped if
 * the window is zero, except a bare FIN); one wholly below rcv_nxt is a duplicate and sets a
 * D-SACK (RFC 2883, {@code tcp_dsack_set}); one starting below rcv_nxt has its old head
 * D-SACKed and the rest queued; one starting at or beyond the window's right edge is dropped; the
 * rest go to the out-of-order queue ({@code tcp_data_queue_ofo}), whose ranges merge when they
 * touch, and whose overlaps with data already held are D-SACKed. When rcv_nxt reaches a queued
 * range it absorbs it ({@code tcp_ofo_queue}). A FIN occupies one sequence number after the data;
 * an out-of-order FIN waits for the gap to fill.
 *
 * <h2>SACK blocks (RFC 2018 §4, as Linux orders them)</h2>
 * At most four ({@code TCP_NUM_SACKS}); the block touched by the most recent out-of-order segment
 * comes first ({@code tcp_sack_new_ofo_skb}: a block the segment extends is rotated to the front
 * and then absorbs any block it now touches, {@code tcp_sack_maybe_coalesce}; otherwise a new
 * block is pushed at the front and the oldest falls off the end); blocks that rcv_nxt has covered
 * are removed ({@code tcp_sack_remove}). The connection writes {@code min(count, 3)} of them when
 * timestamps take option space, after the D-SACK block if one is pending, and then calls {@link
 * #clearDsack()} (a D-SACK is reported once).
 *
 * <h2>Window (tcp_select_window, __tcp_select_window)</h2>
 * Memory is counted as Linux counts it: each segment charges the truesize of the skb it arrived
 * in ({@link #skbTruesize}, sk_rmem_alloc) until the application has read all of it, except a
 * segment copied into the tailroom of the skb before it ({@code tcp_try_coalesce}). Memory is
 * turned into payload by scaling_ratio ({@code tcp_win_from_space}): one half until the first
 * segment longer than the receive MSS re-measures it as len / truesize ({@code
 * tcp_measure_rcv_mss}, 6.x; 1448 / 2304 on Ethernet-sized packets), which also moves
 * window_clamp to the buffer's new worth ({@code tcp_set_window_clamp}). The window can offer
 * {@code tcp_space} = win_from_space(rcvbuf - rmem_alloc). The offer is limited by rcv_ssthresh,
 * which starts at the initial window and grows by {@code max(2 * advmss, 2 * len)} per in-order
 * segment of 128 bytes or more whose truesize fits ({@code tcp_grow_window}, {@code
 * __tcp_grow_window}; out-of-order segments too when SACK is on) up to window_clamp ({@code
 * tcp_init_buffer_space}: full space minus one advmss). With scaling the window is rounded up to
 * the scale unit; without it to a multiple of the MSS. It falls to zero when free space drops below an MSS or a sixteenth of the
 * buffer while less than half is free, and the offered right edge never moves left ({@code
 * tcp_select_window}: "Never shrink the offered window"; tcp_shrink_window = 0). The figures match
 * a 6.18 kernel: SYN window 64240 (44 x 1460) for the default 131072-byte buffer, window_clamp
 * and rcv_ssthresh 64088 after the handshake, first ACK window 64512 at window scale 10.
 *
 * <p>Units: sequence numbers are modulo-2^32 ints ({@link SeqNum}); lengths and windows are bytes.
 * The per-segment methods do not allocate, except the first content byte stored (the ring), the
 * first segment held (the skb list behind sk_rmem_alloc, four int arrays that double when full)
 * and the first out-of-order or duplicate segment (a small holder for the ranges, the SACK blocks
 * and the D-SACK, and their arrays); all are kept while data is held and released when the
 * application has read everything (the holder once its D-SACK is reported too), so an idle
 * connection holds none of it.
 *
 * <p>Differences from Linux: no receive-buffer autotuning (DRS, {@code tcp_rcv_space_adjust}
 * grows sk_rcvbuf and window_clamp towards tcp_rmem[2] as the application reads; here they stay
 * until {@link #setCapacity}; no spec so far needs it); skbs are sized as the tun driver of the
 * witness kernel builds them (a NIC driver with page fragments, GRO or a sender's TSO skb over
 * loopback gives other truesizes and so other ratios), page-fragment coalescing of packets larger
 * than a page is not modelled, and a bare FIN charges nothing; the out-of-order queue keeps at most {@link #MAX_OOO_RANGES} ranges and drops a
 * segment that would need more, where Linux prunes its out-of-order queue from the right under
 * memory pressure; data beyond {@code copiedSeq + rcvbuf} is dropped (Linux drops on sk_rmem_alloc
 * exceeding sk_rcvbuf); no receive-side MSS heuristics for small segments
 * ({@code tcp_measure_rcv_mss} is reduced to "grow to the largest segment seen, up to advmss").
 */
public final class ReceiveBuffer {
  /** TCP_NUM_SACKS, include/net/tcp.h. */
  public static final int MAX_SACK_BLOCKS = 4;
  /** How many disjoint out-of-order ranges are kept before new ones are dropped. */
  public static final int MAX_OOO_RANGES = 64;
  /** tcp_rmem[1]: the default receive buffer, 128 KiB (net/ipv4/tcp.c, since Linux 4.19). */
  public static final int TCP_RMEM_DEFAULT = 131_072;
  /** tcp_rmem[2]: the largest receive buffer autotuning may reach, 6 MiB by default. */
  public static final int TCP_RMEM_MAX_DEFAULT = 6 * 1024 * 1024;
  /** net.core.rmem_max default, 212992 bytes. */
  public static final int CORE_RMEM_MAX_DEFAULT = 212_992;
  /** SOCK_MIN_RCVBUF, include/net/sock.h: 2048 + the aligned size of struct sk_buff on x86-64. */
  public static final int SOCK_MIN_RCVBUF = 2_304;
  /** TCP_MAX_WSCALE, include/net/tcp.h (RFC 7323 §2.3). */
  public static final int MAX_WSCALE = 14;
  /** TCP_MSS_DEFAULT: the receive-MSS guess before segments are seen. */
  public static final int MSS_DEFAULT = 536;
  /** TCP_RMEM_TO_WIN_SCALE, include/net/tcp.h: scaling_ratio is in 1/256ths. */
  static final int RMEM_TO_WIN_SCALE = 8;
  /** TCP_DEFAULT_SCALING_RATIO: half of a buffer's memory is taken for payload until measured. */
  static final int DEFAULT_SCALING_RATIO = 1 << (RMEM_TO_WIN_SCALE - 1);
  /** IPv4 and TCP headers without options: the wire length {@link #receive} assumes by default. */
  private static final int BARE_HEADERS = 40;

  /** What {@link #receive} did with a segment, for the connection's ACK decisions. */
  public enum Outcome {
    /** No data and no FIN: nothing to place. */
    NO_DATA,
    /** rcv_nxt advanced; the ACK may be delayed. */
    IN_ORDER,
    /** rcv_nxt advanced and the out-of-order queue emptied: ACK now (RFC 5681 §4.2). */
    IN_ORDER_GAP_FILLED,
    /** Queued out of order: send a duplicate ACK with SACK now (RFC 5681 §4.2). */
    OUT_OF_ORDER,
    /** Everything was already held: ACK now, with D-SACK (RFC 2883). */
    DUPLICATE,
    /** Starts at or beyond the right edge of the window: dropped, ACK now. */
    DROPPED_OUT_OF_WINDOW,
    /** The window is zero: dropped, ACK now (SKB_DROP_REASON_TCP_ZEROWINDOW). */
    DROPPED_ZERO_WINDOW,
    /** No room in the buffer or the out-of-order queue (SKB_DROP_REASON_PROTO_MEM). */
    DROPPED_NO_MEMORY
  }

  private final boolean carriesContent;
  private int rcvbuf;

  private int copiedSeq;
  private int rcvNxt;
  private boolean finPending;
  private boolean finReceived;
  private int finSeq;

  /**
   * The out-of-order queue, the SACK blocks and the pending D-SACK: {@link OutOfOrder#NONE} until
   * the first segment out of order or duplicate, and again once nothing of them is held.
   */
  private OutOfOrder ofo = OutOfOrder.NONE;

  private int rcvWnd;
  private int rcvWup;
  private int rcvSsthresh;
  private int windowClamp;
  /** 0..{@link #MAX_WSCALE}: a byte, beside the flags. */
  private byte rcvWscale;
  private int advMss = MSS_DEFAULT;
  private int rcvMss = MSS_DEFAULT;
  /** tp->scaling_ratio: payload per 256 bytes of skb memory, measured by tcp_measure_rcv_mss. */
  private byte scalingRatio = (byte) DEFAULT_SCALING_RATIO; // 1..255, unsigned (a u8 in Linux)
  /** tcp_rmem[2], which bounds __tcp_grow_window's search. */
  private int rmemMax = TCP_RMEM_MAX_DEFAULT;
  /** The out-of-order queue grows the window too (tcp_data_queue_ofo, SACK flows only). */
  private boolean sack;
  /** tcp_grow_window raised rcv_ssthresh since {@link #takeWindowGrowth} last looked. */
  private boolean windowGrew;
  /** sk_rmem_alloc: the truesize of every skb held, in order or out of order. */
  private int rmemAlloc;
  /** Pages behind {@link #forwardAlloc}. */
  private int fwdPages;
  /**
   * sk_wmem_queued: the send queue's skbs, which draw on the same forward allocation
   * (sk_wmem_schedule, sk_mem_charge); the connection keeps it up to date ({@link #chargeSendQueue}).
   */
  private int wmemQueued;
  /**
   * The skbs behind {@link #rmemAlloc}: null until the first data arrives, then kept (emptied when
   * everything is read) for the connection's life, about 170 bytes.
   */
  private Skbs skbs;

  /** The content ring's first size (it doubles as more is held), as SendBuffer's. */
  private static final int RING_MIN = 4096;
  /** The content ring; null when nothing is held or only lengths are kept. */
  private Ring ring;

  /**
   * @param irs the peer's initial sequence number: data starts at irs + 1
   * @param rcvbufBytes sk_rcvbuf (tcp_rmem[1] = 131072 by default, or the doubled SO_RCVBUF)
   * @param carriesContent whether to keep the bytes for {@link #read(byte[], int, int)}
   */
  public ReceiveBuffer(int irs, int rcvbufBytes, boolean carriesContent) {
    if (rcvbufBytes < 2) {
      throw new IllegalArgumentException("receive buffer must be >= 2 bytes, got " + rcvbufBytes);
    }
    this.rcvbuf = rcvbufBytes;
    this.carriesContent = carriesContent;
    startAt(irs);
    // Usable before chooseInitialWindow(): offer the full space, unscaled.
    this.rcvWnd = fullSpace();
    this.windowClamp = fullSpace();
    this.rcvSsthresh = fullSpace();
  }

  /**
   * Sets the peer's initial sequence number once it is known (an active opener chooses its SYN's
   * window before the SYN-ACK tells it the peer's ISN).
   *
   * @throws IllegalStateException once anything has been received
   */
  public void startAt(int irs) {
    if (ring != null || ofo.oooCount > 0 || finReceived || rcvNxt != copiedSeq) {
      throw new IllegalStateException("data already received; cannot restart at " + irs);
    }
    copiedSeq = irs + 1;
    rcvNxt = irs + 1;
    rcvWup = irs + 1;
  }

  /**
   * sk_rcvbuf after {@code setsockopt(SO_RCVBUF, value)} ({@code __sock_set_rcvbuf}): capped at
   * net.core.rmem_max, doubled, at least {@link #SOCK_MIN_RCVBUF}. A 6.18 kernel reports 16384 for
   * 8192.
   */
  public static int rcvbufFromSetsockopt(int value, int rmemMax) {
    long v = Math.min(Math.max(value, 0), (long) rmemMax);
    return (int) Math.max(v * 2, SOCK_MIN_RCVBUF);
  }

  // ------------------------------------------------------------------------------ window setup

  /**
   * {@code tcp_select_initial_window} as called from {@code tcp_connect_init} (active open) or
   * {@code tcp_openreq_init_rwin} (passive open): sets rcv_wnd, window_clamp, the window scale we
   * announce and rcv_ssthresh, and returns the window field of our SYN or SYN-ACK (never scaled,
   * RFC 7323 §2.2).
   *
   * @param mss the MSS the window is rounded to: advmss for a SYN (1460 on Ethernet), advmss minus
   *     the 12 bytes of timestamps for a SYN-ACK answering a SYN with timestamps (1448)
   * @param wscaleOk net.ipv4.tcp_window_scaling and, for a SYN-ACK, the peer offered it
   * @param rcvbufLocked SO_RCVBUF was set (SOCK_RCVBUF_LOCK): the scale is sized to the buffer
   * @param tcpRmemMax tcp_rmem[2] (6 MiB by default, giving scale 7)
   * @param coreRmemMax net.core.rmem_max (212992 by default)
   */
  public int chooseInitialWindow(
      int mss, boolean wscaleOk, boolean rcvbufLocked, int tcpRmemMax, int coreRmemMax) {
    if (mss <= 0) {
      throw new IllegalArgumentException("mss must be positive, got " + mss);
    }
    int fullSpace = fullSpace();
    long clamp = rcvbufLocked ? fullSpace : 0; // tcp_connect_init with SOCK_RCVBUF_LOCK
    if (clamp == 0) {
      clamp = 65535L << MAX_WSCALE;
    }
    long space = Math.min(clamp, fullSpace);
    if (space > mss) {
      space = (space / mss) * mss; // quantize to a multiple of the MSS
    }
    rcvWnd = (int) space;
    rcvWscale = 0;
    if (wscaleOk) {
      long scaleSpace = Math.max(space, Math.max(tcpRmemMax, coreRmemMax));
      scaleSpace = Math.min(scaleSpace, clamp);
      int ilog2 = 63 - Long.numberOfLeadingZeros(Math.max(scaleSpace, 1));
      rcvWscale = (byte) Math.max(0, Math.min(ilog2 - 15, MAX_WSCALE));
    }
    windowClamp = (int) Math.min(65535L << rcvWscale, clamp);
    rcvSsthresh = rcvWnd;
    advMss = mss;
    rmemMax = tcpRmemMax;
    return Math.min(rcvWnd, 65535);
  }

  /**
   * The peer did not agree to window scaling: neither side scales, the clamp drops to 65535
   * ({@code tcp_rcv_synsent_state_process}).
   */
  public void disableWindowScaling() {
    rcvWscale = 0;
    windowClamp = Math.min(windowClamp, 65535);
  }

  /**
   * The connection is established ({@code tcp_init_buffer_space} with tcp_app_win = 31, then
   * {@code tcp_initialize_rcv_mss}): window_clamp becomes the full space less one advmss,
   * rcv_ssthresh is bounded by it, and the receive-MSS guess is set.
   *
   * @param advMssBytes our advertised MSS less option space (1448 with timestamps on Ethernet)
   * @param sendMss the MSS we send with (tp->mss_cache)
   */
  public void establish(int advMssBytes, int sendMss) {
    if (advMssBytes <= 0 || sendMss <= 0) {
      throw new IllegalArgumentException("MSS must be positive: " + advMssBytes + ", " + sendMss);
    }
    advMss = advMssBytes;
    int maxwin = fullSpace();
    if (windowClamp >= maxwin) {
      windowClamp = maxwin;
    }
    if (windowClamp > 2 * advMss && windowClamp + advMss > maxwin) {
      windowClamp = Math.max(2 * advMss, maxwin - advMss);
    }
    rcvSsthresh = Math.min(rcvSsthresh, windowClamp);
    int hint = Math.min(Math.min(advMss, sendMss), rcvWnd / 2);
    rcvMss = Math.max(Math.min(hint, MSS_DEFAULT), 88); // TCP_MIN_MSS
  }

  /**
   * SACK was negotiated: out-of-order segments grow the window too ({@code tcp_data_queue_ofo}
   * calls {@code tcp_grow_window} only for SACK flows, so that a non-SACK sender gets its
   * duplicate ACKs with an unchanged window).
   */
  public void useSack(boolean sackOk) {
    sack = sackOk;
  }

  /**
   * Whether tcp_grow_window raised rcv_ssthresh since the last call: Linux then grants one quick
   * ACK ({@code icsk_ack.quick |= 1}). Clears the mark.
   */
  public boolean takeWindowGrowth() {
    boolean grew = windowGrew;
    windowGrew = false;
    return grew;
  }

  /**
   * sk_forward_alloc: the whole pages scheduled (sk_rmem_schedule, sk_wmem_schedule) less what the
   * receive queue's and the send queue's skbs are charged. Freed memory goes back at once, down to
   * less than a page (sk_mem_uncharge, sk_mem_reclaim).
   */
  public int forwardAlloc() {
    return fwdPages * PAGE_SIZE - rmemAlloc - wmemQueued;
  }

  /**
   * The send queue's skbs now take {@code truesize} bytes (sk_wmem_queued): more is scheduled in
   * whole pages as tcp_sendmsg's sk_wmem_schedule does, less is uncharged and reclaimed as
   * sk_wmem_free_skb does.
   */
  public void chargeSendQueue(int truesize) {
    if (truesize > wmemQueued) {
      schedule(truesize - wmemQueued);
      wmemQueued = truesize;
    } else if (truesize < wmemQueued) {
      wmemQueued = truesize;
      reclaim();
    }
  }

  /** sk_rmem_schedule: whole pages more when an arriving skb does not fit what is left. */
  private void schedule(int truesize) {
    int fwd = forwardAlloc();
    if (truesize > fwd) {
      fwdPages += (truesize - fwd + PAGE_SIZE - 1) / PAGE_SIZE;
    }
  }

  /** sk_mem_reclaim after an uncharge: whole free pages go back. */
  private void reclaim() {
    int fwd = forwardAlloc();
    if (fwd >= PAGE_SIZE) {
      fwdPages -= fwd / PAGE_SIZE;
    }
  }

  /** sk_rmem_alloc: the truesize of the skbs held (in order and out of order), bytes. */
  public int rmemAlloc() {
    return rmemAlloc;
  }

  /** tp->scaling_ratio: payload bytes per 256 bytes of skb memory, as last measured. */
  public int scalingRatio() {
    return scalingRatio & 0xff;
  }

  // ------------------------------------------------------------------------------ receiving

  /**
   * {@code tcp_sequence}, first half: the segment ends before rcv_wup, i.e. entirely before the
   * window last advertised (an old duplicate: answer with an ACK, SKB_DROP_REASON_TCP_OLD_SEQUENCE).
   *
   * @param endSeq seq + data length + 1 for a FIN
   */
  public boolean isOldSequence(int endSeq) {
    return SeqNum.lt(endSeq, rcvWup);
  }

  /**
   * {@code tcp_sequence}, second half: the segment starts beyond the right edge of the window
   * (SKB_DROP_REASON_TCP_INVALID_SEQUENCE).
   */
  public boolean isBeyondWindow(int seq) {
    return SeqNum.gt(seq, rcvNxt + receiveWindow());
  }

  /**
   * Places a segment's data and FIN ({@code tcp_data_queue}), as a packet of IPv4 and TCP headers
   * without options.
   *
   * @param seq the segment's sequence number
   * @param len payload bytes
   * @param fin whether the FIN bit is set (it occupies sequence number seq + len)
   * @param payload the bytes, or null (length-only); required in content mode when len &gt; 0
   * @param off where the payload starts in {@code payload}
   */
  public Outcome receive(int seq, int len, boolean fin, byte[] payload, int off) {
    return receive(seq, len, fin, payload, off, BARE_HEADERS + len);
  }

  /**
   * Places a segment's data and FIN ({@code tcp_data_queue}).
   *
   * @param wireLength the IPv4 packet's length, headers and payload: it sizes the skb whose
   *     truesize the segment charges to the buffer ({@link #skbTruesize})
   */
  public Outcome receive(int seq, int len, boolean fin, byte[] payload, int off, int wireLength) {
    if (len < 0) {
      throw new IllegalArgumentException("negative segment length " + len);
    }
    if (wireLength < len) {
      throw new IllegalArgumentException("packet of " + wireLength + " bytes for " + len + " of payload");
    }
    if (carriesContent && len > 0 && (payload == null || off < 0 || off + len > payload.length)) {
      throw new IllegalArgumentException("content-mode receive buffer needs the " + len + " bytes");
    }
    int end = seq + len + (fin ? 1 : 0);
    if (end == seq) {
      return Outcome.NO_DATA;
    }
    if (seq == rcvNxt) {
      if (receiveWindow() == 0 && !(len == 0 && fin)) {
        return Outcome.DROPPED_ZERO_WINDOW;
      }
      return queueInOrder(seq, len, fin, payload, off, wireLength, len);
    }
    if (SeqNum.le(end, rcvNxt)) {
      dsackSet(seq, end); // a retransmission of what we hold: report it (RFC 2883)
      return Outcome.DUPLICATE;
    }
    if (SeqNum.ge(seq, rcvNxt + receiveWindow())) {
      return Outcome.DROPPED_OUT_OF_WINDOW;
    }
    if (SeqNum.lt(seq, rcvNxt)) {
      dsackSet(seq, rcvNxt); // partial: the head is a duplicate
      if (receiveWindow() == 0) {
        return Outcome.DROPPED_ZERO_WINDOW;
      }
      // The skb keeps its duplicate head (tcp_recvmsg skips it), so tcp_event_data_recv measures
      // and grows with the whole segment's length.
      int skip = rcvNxt - seq;
      return queueInOrder(rcvNxt, len - skip, fin, payload, off + skip, wireLength, len);
    }
    return queueOutOfOrder(seq, len, fin, payload, off, wireLength);
  }

  private Outcome queueInOrder(
      int seq, int len, boolean fin, byte[] payload, int off, int wireLength, int skbLen) {
    if (SeqNum.gt(seq + len, copiedSeq + rcvbuf)) {
      return Outcome.DROPPED_NO_MEMORY;
    }
    if (len > 0) {
      store(seq, len, payload, off);
      int truesize = skbTruesize(wireLength);
      // tcp_queue_rcv: coalesced into the tail skb, or queued and charged; then
      // tcp_event_data_recv measures and grows with the arriving skb either way.
      chargeSkb(seq, seq + len, truesize, wireLength, true);
      measureRcvMss(skbLen, truesize);
      growWindow(skbLen, truesize);
    }
    rcvNxt = seq + len;
    if (fin) {
      finSeq = rcvNxt;
      finReceived = true;
      finPending = false;
      rcvNxt++;
      // tcp_data_queue calls tcp_fin, which purges the out-of-order queue, before tcp_ofo_queue:
      // nothing queued beyond the FIN joins, not even another FIN. The purge is the caller's
      // (purgeOutOfOrder), after the ACK tcp_fin sends in FIN-WAIT, which still carries the SACK blocks.
      return Outcome.IN_ORDER;
    }
    if (ofo.oooCount == 0) {
      return Outcome.IN_ORDER;
    }
    absorbOutOfOrder();
    removeCoveredSacks();
    if (ofo.oooCount == 0) {
      return Outcome.IN_ORDER_GAP_FILLED;
    }
    return Outcome.IN_ORDER;
  }

  /** {@code tcp_ofo_queue}: ranges rcv_nxt has reached join the in-order data. */
  private void absorbOutOfOrder() {
    int dsackHigh = rcvNxt;
    if (skbs != null) {
      joinInOrder();
    }
    int i = 0;
    while (i < ofo.oooCount && SeqNum.le(ofo.oooStart[i], rcvNxt)) {
      if (SeqNum.lt(ofo.oooStart[i], dsackHigh)) {
        int hi = SeqNum.lt(ofo.oooEnd[i], dsackHigh) ? ofo.oooEnd[i] : dsackHigh;
        dsackExtend(ofo.oooStart[i], hi); // queued data the in-order segment also carried
      }
      if (SeqNum.gt(ofo.oooEnd[i], rcvNxt)) {
        rcvNxt = ofo.oooEnd[i];
      }
      i++;
    }
    if (i > 0) {
      System.arraycopy(ofo.oooStart, i, ofo.oooStart, 0, ofo.oooCount - i);
      System.arraycopy(ofo.oooEnd, i, ofo.oooEnd, 0, ofo.oooCount - i);
      ofo.oooCount -= i;
    }
    if (finPending && SeqNum.lt(finSeq, rcvNxt)) {
      finPending = false;
      // A FIN the in-order segment ran past ends at or before rcv_nxt: tcp_ofo_queue drops its
      // skb (SKB_DROP_REASON_TCP_OFO_DROP) with the D-SACK above, and tcp_fin never runs.
      finReceived = !SeqNum.lt(finSeq, dsackHigh);
    }
  }

  private Outcome queueOutOfOrder(
      int seq, int len, boolean fin, byte[] payload, int off, int wireLength) {
    int end = seq + len + (fin ? 1 : 0);
    if (SeqNum.gt(seq + len, copiedSeq + rcvbuf)) {
      return Outcome.DROPPED_NO_MEMORY;
    }
    if (ofo == OutOfOrder.NONE) {
      ofo = new OutOfOrder();
    }
    if (ofo.oooStart == null) {
      ofo.oooStart = new int[8];
      ofo.oooEnd = new int[8];
      ofo.sackStart = new int[MAX_SACK_BLOCKS];
      ofo.sackEnd = new int[MAX_SACK_BLOCKS];
    }
    // Find where [seq, end) goes, D-SACK what overlaps, and merge everything it touches.
    int first = 0;
    while (first < ofo.oooCount && SeqNum.lt(ofo.oooEnd[first], seq)) {
      first++;
    }
    int last = first; // exclusive: ranges [first, last) touch the new one
    boolean covered = false;
    int newStart = seq;
    int newEnd = end;
    while (last < ofo.oooCount && SeqNum.le(ofo.oooStart[last], end)) {
      int os = SeqNum.max(ofo.oooStart[last], seq);
      int oe = SeqNum.min(ofo.oooEnd[last], end);
      if (SeqNum.lt(os, oe)) {
        dsackExtend(os, oe);
        if (os == seq && oe == end) {
          covered = true;
        }
      }
      newStart = SeqNum.min(newStart, ofo.oooStart[last]);
      newEnd = SeqNum.max(newEnd, ofo.oooEnd[last]);
      last++;
    }
    int touched = last - first;
    if (touched == 0 && ofo.oooCount == MAX_OOO_RANGES) {
      return Outcome.DROPPED_NO_MEMORY;
    }
    if (!covered) {
      if (len > 0) {
        store(seq, len, payload, off);
        int truesize = skbTruesize(wireLength);
        chargeSkb(seq, seq + len, truesize, wireLength, false);
        if (sack) {
          // tcp_data_queue_ofo: "For non sack flows, do not grow window to force DUPACK and
          // trigger fast retransmit"; the receive MSS is measured on in-order data only.
          growWindow(len, truesize);
        }
      }
      if (fin) {
        finPending = true;
        finSeq = seq + len;
      }
      if (touched == 0) {
        ensureOooRoom();
        System.arraycopy(ofo.oooStart, first, ofo.oooStart, first + 1, ofo.oooCount - first);
        System.arraycopy(ofo.oooEnd, first, ofo.oooEnd, first + 1, ofo.oooCount - first);
        ofo.oooCount++;
      } else if (touched > 1) {
        System.arraycopy(ofo.oooStart, last, ofo.oooStart, first + 1, ofo.oooCount - last);
        System.arraycopy(ofo.oooEnd, last, ofo.oooEnd, first + 1, ofo.oooCount - last);
        ofo.oooCount -= touched - 1;
      }
      ofo.oooStart[first] = newStart;
      ofo.oooEnd[first] = newEnd;
    }
    sackNewOfo(seq, end);
    return covered ? Outcome.DUPLICATE : Outcome.OUT_OF_ORDER;
  }

  private void ensureOooRoom() {
    if (ofo.oooCount == ofo.oooStart.length) {
      int n = Math.min(ofo.oooStart.length * 2, MAX_OOO_RANGES);
      ofo.oooStart = java.util.Arrays.copyOf(ofo.oooStart, n);
      ofo.oooEnd = java.util.Arrays.copyOf(ofo.oooEnd, n);
    }
  }

  /**
   * {@code tcp_fin}: once the peer's FIN is in order, whatever waits out of order beyond it can
   * never be in order ("It _is_ possible, that we have something out-of-order after FIN"): the
   * out-of-order queue is dropped ({@code skb_rbtree_purge}) with its memory, and so are the SACK
   * blocks ({@code tcp_sack_reset}); a pending D-SACK stays for the next ACK.
   */
  public void purgeOutOfOrder() {
    if (ofo == OutOfOrder.NONE) {
      return;
    }
    if (skbs != null) {
      while (skbs.count > skbs.inOrder) {
        skbs.count--;
        rmemAlloc -= skbs.truesize[skbs.count];
      }
    }
    reclaim();
    ofo.oooCount = 0;
    releaseOutOfOrder();
  }

  private void releaseOutOfOrder() {
    if (!ofo.dsack) {
      ofo = OutOfOrder.NONE;
      return;
    }
    ofo.oooStart = null; // the D-SACK still waits for the next ACK
    ofo.oooEnd = null;
    ofo.sackStart = null;
    ofo.sackEnd = null;
    ofo.sackCount = 0;
  }

  // ------------------------------------------------------------------------------ SACK

  /** {@code tcp_sack_extend}: whether [seq, end) touches block i; if so the block grows to cover it. */
  private boolean sackExtend(int i, int seq, int end) {
    if (SeqNum.le(seq, ofo.sackEnd[i]) && SeqNum.le(ofo.sackStart[i], end)) {
      if (SeqNum.lt(seq, ofo.sackStart[i])) {
        ofo.sackStart[i] = seq;
      }
      if (SeqNum.gt(end, ofo.sackEnd[i])) {
        ofo.sackEnd[i] = end;
      }
      return true;
    }
    return false;
  }

  /** {@code tcp_sack_new_ofo_skb}. */
  private void sackNewOfo(int seq, int end) {
    for (int i = 0; i < ofo.sackCount; i++) {
      if (sackExtend(i, seq, end)) {
        for (; i > 0; i--) { // rotate the extended block to the front
          swapSack(i, i - 1);
        }
        if (ofo.sackCount > 1) {
          sackMaybeCoalesce();
        }
        return;
      }
    }
    int n = ofo.sackCount;
    if (n >= MAX_SACK_BLOCKS) {
      n--; // forget the oldest
    }
    for (int i = n; i > 0; i--) {
      ofo.sackStart[i] = ofo.sackStart[i - 1];
      ofo.sackEnd[i] = ofo.sackEnd[i - 1];
    }
    ofo.sackStart[0] = seq;
    ofo.sackEnd[0] = end;
    ofo.sackCount = n + 1;
  }

  /** {@code tcp_sack_maybe_coalesce}: the first block absorbs any other block it touches. */
  private void sackMaybeCoalesce() {
    int i = 1;
    while (i < ofo.sackCount) {
      if (sackExtend(0, ofo.sackStart[i], ofo.sackEnd[i])) {
        ofo.sackCount--;
        for (int j = i; j < ofo.sackCount; j++) {
          ofo.sackStart[j] = ofo.sackStart[j + 1];
          ofo.sackEnd[j] = ofo.sackEnd[j + 1];
        }
        continue;
      }
      i++;
    }
  }

  /** {@code tcp_sack_remove}: blocks rcv_nxt has reached are gone. */
  private void removeCoveredSacks() {
    if (ofo.oooCount == 0) {
      ofo.sackCount = 0;
      return;
    }
    int i = 0;
    while (i < ofo.sackCount) {
      if (SeqNum.le(ofo.sackStart[i], rcvNxt)) {
        ofo.sackCount--;
        for (int j = i; j < ofo.sackCount; j++) {
          ofo.sackStart[j] = ofo.sackStart[j + 1];
          ofo.sackEnd[j] = ofo.sackEnd[j + 1];
        }
        continue;
      }
      i++;
    }
  }

  private void swapSack(int a, int b) {
    int s = ofo.sackStart[a];
    int e = ofo.sackEnd[a];
    ofo.sackStart[a] = ofo.sackStart[b];
    ofo.sackEnd[a] = ofo.sackEnd[b];
    ofo.sackStart[b] = s;
    ofo.sackEnd[b] = e;
  }

  /**
   * A segment refused before it reached the queue (tcp_sequence, PAWS) that starts below rcv_nxt:
   * tcp_send_dupack reports [seq, min(end, rcv_nxt)) as the D-SACK block.
   */
  public void dsackRefused(int seq, int end) {
    dsackSet(seq, SeqNum.lt(end, rcvNxt) ? end : rcvNxt);
  }

  /** {@code tcp_dsack_set}. */
  private void dsackSet(int seq, int end) {
    if (ofo == OutOfOrder.NONE) {
      ofo = new OutOfOrder();
    }
    ofo.dsack = true;
    ofo.dsackStart = seq;
    ofo.dsackEnd = end;
  }

  /** {@code tcp_dsack_extend}. */
  private void dsackExtend(int seq, int end) {
    if (!ofo.dsack) {
      dsackSet(seq, end);
      return;
    }
    if (SeqNum.le(seq, ofo.dsackEnd) && SeqNum.le(ofo.dsackStart, end)) {
      ofo.dsackStart = SeqNum.min(ofo.dsackStart, seq);
      ofo.dsackEnd = SeqNum.max(ofo.dsackEnd, end);
    }
  }

  /** SACK blocks held (0..4), most recent first. */
  public int sackCount() {
    return ofo.sackCount;
  }

  /** Left edge of SACK block {@code i} (0 is the most recent). */
  public int sackStart(int i) {
    checkSackIndex(i);
    return ofo.sackStart[i];
  }

  /** Right edge (exclusive) of SACK block {@code i}. */
  public int sackEnd(int i) {
    checkSackIndex(i);
    return ofo.sackEnd[i];
  }

  /** Whether a D-SACK block is waiting to be reported in the next ACK. */
  public boolean hasDsack() {
    return ofo.dsack;
  }

  public int dsackStart() {
    return ofo.dsackStart;
  }

  public int dsackEnd() {
    return ofo.dsackEnd;
  }

  /** The D-SACK was written into an ACK; it is reported once. */
  public void clearDsack() {
    if (!ofo.dsack) {
      return; // also keeps the shared NONE unwritten
    }
    ofo.dsack = false;
    if (ofo.oooStart == null) {
      ofo = OutOfOrder.NONE; // it held only the D-SACK
    }
  }

  private void checkSackIndex(int i) {
    if (i < 0 || i >= ofo.sackCount) {
      throw new IllegalArgumentException("SACK block " + i + " of " + ofo.sackCount);
    }
  }

  // ------------------------------------------------------------------------------ reading

  /** Bytes in order waiting for the application. */
  public int readable() {
    int dataEnd = finReceived ? finSeq : rcvNxt;
    return dataEnd - copiedSeq;
  }

  /** The peer's FIN has arrived in order (reads return 0 once {@link #readable()} is 0). */
  public boolean finReceived() {
    return finReceived;
  }

  /** Length-only read: consumes up to {@code max} bytes, returns how many. */
  public int read(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("negative read length " + max);
    }
    int n = Math.min(max, readable());
    consume(n);
    return n;
  }

  /**
   * Reads up to {@code len} bytes into {@code dst}; in length-only mode only the count moves.
   *
   * @return bytes read
   */
  public int read(byte[] dst, int off, int len) {
    if (off < 0 || len < 0 || off + len > dst.length) {
      throw new IllegalArgumentException(
          "bad range off=" + off + " len=" + len + " for " + dst.length + " bytes");
    }
    int n = Math.min(len, readable());
    if (carriesContent && n > 0) {
      int first = Math.min(n, ring.bytes.length - ring.head);
      System.arraycopy(ring.bytes, ring.head, dst, off, first);
      System.arraycopy(ring.bytes, 0, dst, off + first, n - first);
    }
    consume(n);
    return n;
  }

  private void consume(int n) {
    if (n == 0) {
      return;
    }
    copiedSeq += n;
    if (skbs != null) {
      freeRead();
    }
    if (readable() == 0 && ofo.oooCount == 0) {
      // Nothing held: give back the ring and the out-of-order bookkeeping. They are kept while
      // data is held, so a loss in the middle of a transfer costs no allocation per segment.
      ring = null;
      releaseOutOfOrder();
    } else if (ring != null) {
      ring.head = (ring.head + n) % ring.bytes.length;
    }
  }

  private void store(int seq, int len, byte[] payload, int off) {
    if (!carriesContent) {
      return;
    }
    int end = seq - copiedSeq + len; // how far into the ring this segment reaches
    if (ring == null || end > ring.bytes.length && ring.bytes.length < rcvbuf) {
      growRing(end);
    }
    byte[] bytes = ring.bytes;
    int start = (ring.head + (seq - copiedSeq)) % bytes.length;
    int first = Math.min(len, bytes.length - start);
    System.arraycopy(payload, off, bytes, start, first);
    System.arraycopy(payload, off + first, bytes, 0, len - first);
  }

  /**
   * Makes the ring hold at least {@code needed} bytes from {@code head} (up to rcvbuf), keeping what
   * it holds in order. It starts at 4 KiB and doubles, as SendBuffer's does: zeroing a whole
   * rcvbuf (128 KiB by default) for the first bytes was most of what a short connection cost.
   */
  private void growRing(int needed) {
    int size = ring == null ? RING_MIN : ring.bytes.length;
    while (size < needed && size < rcvbuf) {
      size *= 2;
    }
    byte[] grown = new byte[Math.min(size, rcvbuf)];
    if (ring != null) {
      byte[] old = ring.bytes;
      System.arraycopy(old, ring.head, grown, 0, old.length - ring.head);
      System.arraycopy(old, 0, grown, old.length - ring.head, ring.head);
    }
    ring = new Ring(grown);
  }

  // ------------------------------------------------------------------------------ window

  /** {@code tcp_receive_window}: what is left of the window last advertised, bytes, at least 0. */
  public int receiveWindow() {
    int win = rcvWup + rcvWnd - rcvNxt;
    return Math.max(win, 0);
  }

  /**
   * {@code tcp_select_window}: the window to put in the segment being sent, already shifted by our
   * window scale (the raw 16-bit field). Records it as the window offered at rcv_nxt. Call once per
   * segment sent after the handshake.
   */
  public int selectWindow() {
    int curWin = receiveWindow();
    int newWin = chooseWindow();
    if (newWin < curWin) {
      // Never shrink the offered window (RFC 9293 §3.8.6.2.2 discourages it; Linux refuses).
      newWin = alignUp(curWin, 1 << rcvWscale);
    }
    rcvWnd = newWin;
    rcvWup = rcvNxt;
    long max = 65535L << rcvWscale;
    return (int) (Math.min(newWin, max) >>> rcvWscale);
  }

  /**
   * {@code tcp_cleanup_rbuf}: after the application read, whether the window opened enough to be
   * worth an ACK of its own: the current offer is at most half the clamp and the new one is at
   * least twice it.
   */
  public boolean windowUpdateWorthSending() {
    int now = receiveWindow();
    if (2L * now > windowClamp) {
      return false;
    }
    int newWin = chooseWindow();
    return newWin != 0 && newWin >= 2L * now;
  }

  /**
   * {@code __tcp_select_window} without recording it: what {@code __tcp_ack_snd_check} compares
   * with rcv_wnd to decide that the right edge would advance far enough for an immediate ACK.
   */
  public int selectableWindow() {
    return chooseWindow();
  }

  /** {@code __tcp_select_window}: the window the free space supports, in bytes, before no-shrink. */
  private int chooseWindow() {
    int mss = rcvMss;
    int freeSpace = space();
    int allowed = fullSpace();
    int full = Math.min(windowClamp, allowed);
    if (mss > full) {
      mss = full;
      if (mss <= 0) {
        return 0;
      }
    }
    if (freeSpace < (full >> 1)) {
      freeSpace = (freeSpace >> rcvWscale) << rcvWscale; // round down: scaling must not enlarge it
      if (freeSpace < (allowed >> 4) || freeSpace < mss) {
        return 0;
      }
    }
    if (freeSpace > rcvSsthresh) {
      freeSpace = rcvSsthresh;
    }
    int window;
    if (rcvWscale != 0) {
      window = alignUp(freeSpace, 1 << rcvWscale);
    } else {
      window = rcvWnd;
      // Without scaling, keep a multiple of the MSS; keep the current offer if within one MSS.
      if (window <= freeSpace - mss || window > freeSpace) {
        window = (freeSpace / mss) * mss;
      } else if (mss == full && freeSpace > window + (full >> 1)) {
        window = freeSpace;
      }
    }
    return window;
  }

  /**
   * {@code tcp_grow_window}, for segments of 128 bytes or more: rcv_ssthresh grows by twice the
   * advertised MSS when the skb's truesize, scaled, fits its payload; otherwise {@code
   * __tcp_grow_window} allows twice the receive MSS only while rcv_ssthresh is small against
   * tcp_rmem[2], or nothing.
   */
  private void growWindow(int len, int truesize) {
    if (len < 128) {
      return;
    }
    int room = Math.min(windowClamp, space()) - rcvSsthresh;
    if (room <= 0) {
      return;
    }
    int incr;
    if (winFromSpace(truesize) <= len) {
      incr = 2 * advMss;
    } else {
      incr = 0;
      int scaledTruesize = winFromSpace(truesize) >> 1;
      int window = winFromSpace(rmemMax) >> 1;
      while (rcvSsthresh <= window) {
        if (scaledTruesize <= len) {
          incr = 2 * rcvMss;
          break;
        }
        scaledTruesize >>= 1;
        window >>= 1;
      }
    }
    if (incr != 0) {
      rcvSsthresh += Math.min(room, Math.max(incr, 2 * len));
      windowGrew = true;
    }
  }

  /**
   * {@code tcp_measure_rcv_mss} for a full-sized segment: a length other than the current
   * receive MSS re-measures scaling_ratio as payload over truesize, and a changed ratio moves
   * window_clamp to the buffer's new worth ({@code tcp_set_window_clamp}); the receive MSS follows
   * the largest segment, up to advmss.
   */
  private void measureRcvMss(int len, int truesize) {
    if (len < rcvMss) {
      return;
    }
    if (len != rcvMss) {
      byte oldRatio = scalingRatio;
      scalingRatio = (byte) Math.max(1, Math.min(255, ((long) len << RMEM_TO_WIN_SCALE) / truesize));
      if (scalingRatio != oldRatio) {
        setWindowClamp(winFromSpace(rcvbuf));
      }
    }
    rcvMss = Math.min(len, advMss);
  }

  /**
   * {@code tcp_set_window_clamp} (net/ipv4/tcp.c, 6.15+): at least SOCK_MIN_RCVBUF / 2; a smaller
   * clamp pulls rcv_ssthresh down with it, a larger one lifts rcv_ssthresh to the window last
   * advertised if that is more.
   */
  private void setWindowClamp(int value) {
    int clamp = Math.max(SOCK_MIN_RCVBUF / 2, value);
    if (clamp == windowClamp) {
      return;
    }
    if (clamp < windowClamp) {
      rcvSsthresh = Math.min(rcvSsthresh, clamp);
    } else {
      rcvSsthresh = Math.max(rcvSsthresh, Math.min(rcvWnd, clamp));
    }
    windowClamp = clamp;
  }

  /** {@code tcp_win_from_space}: what {@code space} bytes of memory hold in payload. */
  private int winFromSpace(int space) {
    return (int) (((long) space * scalingRatio()) >> RMEM_TO_WIN_SCALE);
  }

  /** {@code tcp_full_space}: the whole buffer's worth of payload. */
  private int fullSpace() {
    return winFromSpace(rcvbuf);
  }

  /** {@code tcp_space}: the payload the memory not yet charged can hold, at least 0. */
  private int space() {
    return Math.max(0, winFromSpace(rcvbuf - rmemAlloc));
  }

  // ------------------------------------------------------------------------------ skb memory

  /** NET_SKB_PAD on x86-64: headroom tun reserves in front of each packet. */
  private static final int NET_SKB_PAD = 64;
  /** SKB_DATA_ALIGN(sizeof(struct sk_buff)): the part of truesize that is the sk_buff itself. */
  private static final int SKB_STRUCT = 256;
  /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) with MAX_SKB_FRAGS = 17. */
  private static final int SKB_SHARED_INFO = 320;
  /** SKB_SMALL_HEAD_CACHE_SIZE on the witness kernel: heads up to this come from their own cache. */
  private static final int SKB_SMALL_HEAD = 576;
  private static final int PAGE_SIZE = 4096;
  /** KMALLOC_MAX_CACHE_SIZE (SLUB): larger heads are whole pages. */
  private static final int KMALLOC_MAX_CACHE = 8192;
  /** PAGE_ALLOC_COSTLY_ORDER: the largest page chunk alloc_skb_with_frags takes. */
  private static final int COSTLY_ORDER = 3;

  /**
   * The truesize of the skb a packet of {@code wireLength} bytes arrives in, as tun builds it
   * ({@code tun_get_user} without a virtio header): a packet under a page is copied into one
   * kmalloc'ed head of NET_SKB_PAD + the packet + skb_shared_info, rounded up to its slab size
   * ({@code __alloc_skb}, {@code kmalloc_reserve}); a larger one gets a small head and page chunks
   * ({@code alloc_skb_with_frags}). Measured on the witness kernel with {@code ss -m}: 832 bytes
   * for a 10-byte or 100-byte segment with timestamps, 1280 for 200 bytes, 2304 for 1000 or 1448.
   */
  static int skbTruesize(int wireLength) {
    if (NET_SKB_PAD + wireLength < PAGE_SIZE) {
      return headSize(NET_SKB_PAD + wireLength) + SKB_STRUCT;
    }
    int truesize = headSize(NET_SKB_PAD) + SKB_STRUCT;
    int order = COSTLY_ORDER;
    int left = wireLength;
    while (left > 0) {
      int pageAligned = alignUp(left, PAGE_SIZE);
      while (order > 0 && pageAligned < (PAGE_SIZE << order)) {
        order--;
      }
      truesize += PAGE_SIZE << order;
      left -= Math.min(left, PAGE_SIZE << order);
    }
    return truesize;
  }

  /** The bytes a head of {@code size} occupies: SKB_HEAD_ALIGN, then the slab it comes from. */
  private static int headSize(int size) {
    int obj = alignUp(size, 64) + SKB_SHARED_INFO;
    if (obj <= SKB_SMALL_HEAD) {
      return SKB_SMALL_HEAD;
    }
    if (obj <= KMALLOC_MAX_CACHE) {
      return Integer.highestOneBit(obj - 1) << 1; // kmalloc-1k, -2k, -4k, -8k
    }
    return PAGE_SIZE << (32 - Integer.numberOfLeadingZeros((obj - 1) / PAGE_SIZE));
  }

  /** Room left in a linear head after the packet: what a later segment may be copied into. */
  private static int tailroom(int wireLength) {
    if (NET_SKB_PAD + wireLength >= PAGE_SIZE) {
      return 0; // paged: tcp_try_coalesce would move page frags, which is not modelled
    }
    return headSize(NET_SKB_PAD + wireLength) - SKB_SHARED_INFO - NET_SKB_PAD - wireLength;
  }

  /**
   * Charges a segment's skb: in order ({@code tcp_queue_rcv}) it is first offered to the tail
   * skb, which takes its payload by copy when its tailroom holds it ({@code tcp_try_coalesce},
   * {@code skb_try_coalesce}; the arriving skb is freed and nothing is charged); out of order
   * ({@code tcp_data_queue_ofo}) the same is tried with the last queued skb, and skbs the new one
   * covers are freed.
   */
  private void chargeSkb(int start, int end, int truesize, int wireLength, boolean inOrder) {
    if (skbs == null) {
      skbs = new Skbs();
    }
    schedule(truesize); // tcp_try_rmem_schedule, before the coalescing is tried
    Skbs q = skbs;
    int len = end - start;
    if (inOrder) {
      int tail = q.inOrder - 1;
      if (tail >= 0 && q.end[tail] == start && q.room[tail] >= len) {
        q.end[tail] = end;
        q.room[tail] -= len;
        return;
      }
      q.insert(q.inOrder, start, end, truesize, tailroom(wireLength));
      q.inOrder++;
      rmemAlloc += truesize;
      return;
    }
    int last = q.count - 1;
    if (last >= q.inOrder && q.end[last] == start && q.room[last] >= len) {
      q.end[last] = end;
      q.room[last] -= len;
      return;
    }
    int at = q.count;
    while (at > q.inOrder && SeqNum.gt(q.start[at - 1], start)) {
      at--;
    }
    q.insert(at, start, end, truesize, tailroom(wireLength));
    rmemAlloc += truesize;
    int i = q.inOrder;
    while (i < q.count) {
      if (i != at && SeqNum.le(start, q.start[i]) && SeqNum.le(q.end[i], end)) {
        rmemAlloc -= q.truesize[i]; // covered by the new skb: tcp_data_queue_ofo frees it
        q.remove(i);
        if (i < at) {
          at--;
        }
        continue;
      }
      i++;
    }
    reclaim();
  }

  /**
   * {@code tcp_ofo_queue}: out-of-order skbs that rcv_nxt has reached join the receive queue, in
   * order; one wholly below the point already reached is freed, one that starts at the tail's
   * end may be copied into its tailroom ({@code tcp_try_coalesce}).
   */
  private void joinInOrder() {
    Skbs q = skbs;
    int reached = rcvNxt;
    while (q.inOrder < q.count && SeqNum.le(q.start[q.inOrder], reached)) {
      int i = q.inOrder;
      if (SeqNum.le(q.end[i], reached)) {
        rmemAlloc -= q.truesize[i];
        q.remove(i);
        continue;
      }
      int tail = i - 1;
      int len = q.end[i] - q.start[i];
      reached = q.end[i];
      if (tail >= 0 && q.end[tail] == q.start[i] && q.room[tail] >= len) {
        q.end[tail] = q.end[i];
        q.room[tail] -= len;
        rmemAlloc -= q.truesize[i];
        q.remove(i);
        continue;
      }
      q.inOrder++;
    }
    reclaim();
  }

  /** {@code tcp_recvmsg}: an skb is freed once everything in it has been read. */
  private void freeRead() {
    Skbs q = skbs;
    int n = 0;
    while (n < q.inOrder && SeqNum.le(q.end[n], copiedSeq)) {
      rmemAlloc -= q.truesize[n];
      n++;
    }
    if (n == q.count) {
      // Everything read: empty the table but keep it, so a steady reader does not make a new
      // one (five objects) for every segment; it is null only until the first data arrives.
      q.count = 0;
      q.inOrder = 0;
      rmemAlloc = 0;
      reclaim();
      return;
    }
    q.removeFirst(n);
    reclaim();
  }

  private static int alignUp(int value, int unit) {
    return (int) (((long) value + unit - 1) / unit * unit);
  }

  // ------------------------------------------------------------------------------ accessors

  /** rcv_nxt: the next sequence number expected. */
  public int rcvNxt() {
    return rcvNxt;
  }

  /** copied_seq: the next byte the application reads. */
  public int copiedSeq() {
    return copiedSeq;
  }

  /** rcv_wup: rcv_nxt when the window was last advertised. */
  public int rcvWup() {
    return rcvWup;
  }

  /** rcv_wnd: the window last advertised, bytes. */
  public int rcvWnd() {
    return rcvWnd;
  }

  public int rcvSsthresh() {
    return rcvSsthresh;
  }

  public int windowClamp() {
    return windowClamp;
  }

  /** The window scale we announced (RFC 7323 §2.2); 0 when not scaling. */
  public int rcvWscale() {
    return rcvWscale;
  }

  /** icsk_ack.rcv_mss: the receive-MSS estimate, bytes (delayed-ACK decisions use it). */
  public int rcvMss() {
    return rcvMss;
  }

  /** sk_rcvbuf, bytes. */
  public int capacity() {
    return rcvbuf;
  }

  /** Out-of-order ranges held. */
  public int outOfOrderRanges() {
    return ofo.oooCount;
  }

  /** Changes sk_rcvbuf (SO_RCVBUF after connect, or autotuning done by the connection). */
  public void setCapacity(int rcvbufBytes) {
    if (rcvbufBytes < 2) {
      throw new IllegalArgumentException("receive buffer must be >= 2 bytes, got " + rcvbufBytes);
    }
    if (ring != null && ring.bytes.length > rcvbufBytes) { // a smaller one grows to the new size as needed
      int span = rcvNxt - copiedSeq;
      if (ofo.oooCount > 0) {
        span = ofo.oooEnd[ofo.oooCount - 1] - copiedSeq;
      }
      if (span > rcvbufBytes) {
        throw new IllegalStateException(
            "cannot shrink receive buffer to " + rcvbufBytes + " below " + span + " bytes held");
      }
      byte[] moved = new byte[rcvbufBytes];
      byte[] old = ring.bytes;
      int first = Math.min(span, old.length - ring.head);
      System.arraycopy(old, ring.head, moved, 0, first);
      System.arraycopy(old, 0, moved, first, Math.min(span, old.length) - first);
      ring = new Ring(moved);
    }
    rcvbuf = rcvbufBytes;
  }

  public boolean carriesContent() {
    return carriesContent;
  }

  /** Bytes of memory held for content and out-of-order bookkeeping, for memory accounting. */
  public int retainedBytes() {
    int bytes = ring == null ? 0 : ring.bytes.length;
    if (ofo.oooStart != null) {
      bytes += 4 * (ofo.oooStart.length + ofo.oooEnd.length + ofo.sackStart.length
          + ofo.sackEnd.length);
    }
    if (skbs != null) {
      bytes += 4 * 4 * skbs.start.length;
    }
    return bytes;
  }

  /**
   * The skbs held, as parallel arrays sorted by sequence: the receive queue first ({@code
   * inOrder} of them, below rcv_nxt), then the out-of-order queue.
   */
  private static final class Skbs {
    int[] start = new int[8];
    int[] end = new int[8];
    int[] truesize = new int[8];
    /** Tailroom left in each skb's head, for coalescing. */
    int[] room = new int[8];
    int count;
    int inOrder;

    void insert(int at, int s, int e, int size, int tailroom) {
      if (count == start.length) {
        int n = count * 2;
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        truesize = java.util.Arrays.copyOf(truesize, n);
        room = java.util.Arrays.copyOf(room, n);
      }
      int move = count - at;
      System.arraycopy(start, at, start, at + 1, move);
      System.arraycopy(end, at, end, at + 1, move);
      System.arraycopy(truesize, at, truesize, at + 1, move);
      System.arraycopy(room, at, room, at + 1, move);
      start[at] = s;
      end[at] = e;
      truesize[at] = size;
      room[at] = tailroom;
      count++;
    }

    void remove(int at) {
      int move = count - at - 1;
      System.arraycopy(start, at + 1, start, at, move);
      System.arraycopy(end, at + 1, end, at, move);
      System.arraycopy(truesize, at + 1, truesize, at, move);
      System.arraycopy(room, at + 1, room, at, move);
      count--;
      if (at < inOrder) {
        inOrder--;
      }
    }

    void removeFirst(int n) {
      if (n == 0) {
        return;
      }
      System.arraycopy(start, n, start, 0, count - n);
      System.arraycopy(end, n, end, 0, count - n);
      System.arraycopy(truesize, n, truesize, 0, count - n);
      System.arraycopy(room, n, room, 0, count - n);
      count -= n;
      inOrder -= n;
    }
  }

  /** Content ring, 4 KiB doubling up to rcvbuf; the byte at copiedSeq is at {@code head}. */
  private static final class Ring {
    final byte[] bytes;
    int head;

    Ring(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  /**
   * What a connection holds only while data arrives out of order or twice: the out-of-order
   * ranges, the SACK blocks to advertise and a pending D-SACK. {@link #NONE} is shared by every
   * buffer that holds none of it and is never written: the buffer makes its own first.
   */
  private static final class OutOfOrder {
    static final OutOfOrder NONE = new OutOfOrder();

    /** Out-of-order ranges [start, end) sorted by start, disjoint and not touching; null if none. */
    int[] oooStart;
    int[] oooEnd;
    int oooCount;

    int[] sackStart;
    int[] sackEnd;
    int sackCount;

    boolean dsack;
    int dsackStart;
    int dsackEnd;
  }
}
