package tcpsim.net.tcp;

import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.SeqNum;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * A listening socket's queues (struct inet_connection_sock's icsk_accept_queue): the SYN queue of
 * request sockets awaiting their final ACK, and the accept queue of established children awaiting
 * accept(). The passive open of RFC 9293 §3.10.7.2, as tcp_conn_request and tcp_check_req do it.
 *
 * <p>When the SYN queue is full (its limit is the listen backlog, as inet_csk_reqsk_queue_is_full
 * has it), SYN cookies answer instead (tcp_syncookies = 1), or every SYN gets one (= 2).
 *
 * <p>Differences from Linux: the SYN-ACK retry budget is not cut for a young queue under load
 * (the "young" heuristic of reqsk_timer_handler); the cookie hash is the simulator's keyed mixer,
 * not siphash, with Linux's layout (minute counter in the top 8 bits, MSS index from msstab);
 * tcp_max_syn_backlog's early drop without cookies is not modelled.
 */
public final class Listener {
  final TcpConnection owner;
  final TcpStack stack;
  /** sk_max_ack_backlog: listen()'s backlog capped by net.core.somaxconn. */
  int maxAckBacklog;
  final Map<Long, RequestSock> synQueue = new LinkedHashMap<>();
  final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();

  Listener(TcpConnection owner, int backlog) {
    this.owner = owner;
    this.stack = owner.stack;
    setBacklog(backlog);
  }

  void setBacklog(int backlog) {
    // inet_listen / __sys_listen: min(backlog, somaxconn); a negative backlog means somaxconn.
    int somax = stack.sysctls().somaxconn();
    this.maxAckBacklog = backlog < 0 || backlog > somax ? somax : backlog;
  }

  public int acceptQueueLength() {
    return acceptQueue.size();
  }

  public int synQueueLength() {
    return synQueue.size();
  }

  /** sk_acceptq_is_full: strictly more than the backlog (a backlog of N holds N+1). */
  boolean acceptQueueFull() {
    return acceptQueue.size() > maxAckBacklog;
  }

  /** Takes the oldest established child (inet_csk_accept), or null. */
  TcpConnection poll() {
    TcpConnection c = acceptQueue.poll();
    if (c != null) {
      c.parent = null;
    }
    return c;
  }

  /** A segment for the listener's port with no connection of its own (tcp_v4_do_rcv, LISTEN). */
  void segmentArrives(Segment seg) {
    long key = TcpStack.key(seg.srcAddr(), seg.dstPort(), seg.srcPort());
    RequestSock req = synQueue.get(key);
    if (req != null) {
      checkReq(req, key, seg);
      return;
    }
    // §3.10.7.2 LISTEN: first check for a RST (ignore it), then an ACK (reset it), then a SYN.
    if (seg.has(RST)) {
      stack.drop(seg, DropReason.TCP_RESET);
      return;
    }
    if (seg.has(ACK)) {
      if (cookieCheck(seg)) {
        return;
      }
      stack.sendReset(seg);
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    if (!seg.has(SYN)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    connRequest(seg, key);
  }

  /** tcp_conn_request: make a request socket and answer with a SYN-ACK. */
  private void connRequest(Segment seg, long key) {
    TcpSysctls s = stack.sysctls();
    boolean wantCookie = false;
    if (s.syncookies() == 2 || synQueue.size() > maxAckBacklog) {
      // inet_csk_reqsk_queue_is_full (qlen > sk_max_ack_backlog in 6.x, as for the accept queue)
      // / tcp_syn_flood_action: a SYN cookie instead of a request under tcp_syncookies (1: on
      // overflow, 2: always), else the SYN is dropped.
      if (s.syncookies() == 0) {
        stack.count(TcpMib.TcpExtTCPReqQFullDrop);
        stack.drop(seg, DropReason.TCP_REQQFULLDROP);
        return;
      }
      wantCookie = true;
    }
    if (acceptQueueFull()) {
      stack.count(TcpMib.TcpExtListenOverflows);
      stack.count(TcpMib.TcpExtListenDrops);
      stack.drop(seg, DropReason.TCP_LISTEN_OVERFLOW);
      return;
    }
    if (wantCookie) {
      sendCookieSynAck(seg);
      return;
    }
    TcpOptions o = seg.options();
    boolean sack = s.sack() && o.sackPermitted();
    boolean ts = s.timestamps() && o.hasTimestamp();
    boolean ws = s.windowScaling() && o.windowScale() >= 0;
    int iss = stack.initialSequence(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort());
    int tsOffset = stack.tsOffset(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort());
    // tcp_openreq_init_rwin: the window as for a SYN, on the MSS less the timestamp option.
    ReceiveBuffer window = new ReceiveBuffer(seg.seq(), owner.rcvBuf, false);
    int rcvWnd = window.chooseInitialWindow(
        owner.advertisedMss() - (ts ? TcpConnection.TS_ALIGNED : 0), ws,
        owner.has(TcpConnection.RCV_BUF_LOCKED),
        s.rmemMax(), s.coreRmemMax());
    int rcvWscale = window.rcvWscale();
    RequestSock req = new RequestSock(this, seg.srcAddr(), seg.srcPort(), iss, seg.seq(),
        o.mss() > 0 ? o.mss() : 536, ws ? Math.min(o.windowScale(), 14) : -1, sack, ts,
        ts ? o.tsVal() : 0, tsOffset, rcvWnd, ws ? rcvWscale : 0);
    synQueue.put(key, req);
    sendSynAck(req);
    req.arm();
  }

  // ---------------------------------------------------------------------------------------
  // SYN cookies (RFC 4987 §3.6; net/ipv4/syncookies.c)
  // ---------------------------------------------------------------------------------------

  /** msstab in syncookies.c: the MSS values a cookie can encode in two bits. */
  private static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
  /** COOKIEBITS: the low 24 bits carry the hashed data. */
  private static final int COOKIE_MASK = 0xffffff;
  /** MAX_SYNCOOKIE_AGE: a cookie is good for this many minutes after the one it was made in. */
  private static final int MAX_COOKIE_AGE = 2;
  /** TSBITS: the low 6 bits of a cookie SYN-ACK's TS val carry wscale (4 bits) and sackOK. */
  private static final int TS_BITS = 6;
  private static final int TS_MASK = (1 << TS_BITS) - 1;
  private static final int TS_NO_WSCALE = 0xf;
  private static final int TS_SACK_BIT = 1 << 4;
  /** TCP_SYNCOOKIE_VALID: cookies are checked for 2 minutes after the last overflow. */
  private static final long COOKIE_VALID_NANOS = 120_000_000_000L;

  /** When the SYN queue last overflowed into cookies (tcp_synq_overflow); -1 never. */
  private long lastOverflowNanos = -1;

  private int cookieMinute() {
    return (int) (stack.sim().now() / 60_000_000_000L); // tcp_cookie_time: minutes
  }

  private int cookieHash(int saddr, int sport, int dport, int count, int c) {
    long h = ((long) saddr << 32) ^ ((long) sport << 16) ^ dport ^ ((long) count << 40) ^ c;
    return (int) tcpsim.core.trace.TraceDigest.mix(h ^ stack.cookieSecret(c));
  }

  /**
   * cookie_v4_init_sequence / secure_tcp_syn_cookie: ISN = hash1 + client ISN + (minute << 24) +
   * ((hash2(minute) + MSS index) & 0xffffff). Nothing is stored; the ACK brings it back.
   */
  private int makeCookie(int saddr, int sport, int dport, int clientIsn, int count, int mssIndex) {
    return cookieHash(saddr, sport, dport, 0, 0) + clientIsn + (count << 24)
        + ((cookieHash(saddr, sport, dport, count, 1) + mssIndex) & COOKIE_MASK);
  }

  /** __cookie_v4_check: the MSS index a valid cookie encodes, or -1. */
  private int checkCookie(int saddr, int sport, int dport, int clientIsn, int cookie) {
    int diff = cookie - cookieHash(saddr, sport, dport, 0, 0) - clientIsn;
    int count = diff >>> 24;
    int now = cookieMinute() & 0xff;
    if (((now - count) & 0xff) > MAX_COOKIE_AGE) {
      return -1;
    }
    int mssIndex = (diff - cookieHash(saddr, sport, dport, count, 1)) & COOKIE_MASK;
    return mssIndex < MSS_TABLE.length ? mssIndex : -1;
  }

  /**
   * tcp_conn_request with want_cookie: a SYN-ACK whose ISN is the cookie. With timestamps, the
   * TS val's low bits carry the peer's window scale and SACK permission (cookie_init_timestamp);
   * without them the SYN-ACK offers MSS only (tcp_clear_options), and those options are lost.
   */
  private void sendCookieSynAck(Segment seg) {
    TcpSysctls s = stack.sysctls();
    lastOverflowNanos = stack.sim().now();
    stack.count(TcpMib.TcpExtSyncookiesSent);
    TcpOptions o = seg.options();
    int peerMss = o.mss() > 0 ? o.mss() : 536;
    int mssIndex = 0;
    for (int i = MSS_TABLE.length - 1; i >= 0; i--) {
      if (MSS_TABLE[i] <= peerMss) {
        mssIndex = i;
        break;
      }
    }
    boolean ts = s.timestamps() && o.hasTimestamp();
    boolean sack = ts && s.sack() && o.sackPermitted();
    boolean ws = ts && s.windowScaling() && o.windowScale() >= 0;
    int cookie = makeCookie(seg.srcAddr(), seg.srcPort(), seg.dstPort(), seg.seq(),
        cookieMinute() & 0xff, mssIndex);
    ReceiveBuffer window = new ReceiveBuffer(seg.seq(), owner.rcvBuf, false);
    int rcvWnd = window.chooseInitialWindow(
        owner.advertisedMss() - (ts ? TcpConnection.TS_ALIGNED : 0), ws,
        owner.has(TcpConnection.RCV_BUF_LOCKED),
        s.rmemMax(), s.coreRmemMax());
    TcpOptions synAckOptions;
    if (ts) {
      int nowMs = (int) (stack.sim().now() / 1_000_000L);
      int bits = (ws ? Math.min(o.windowScale(), 14) : TS_NO_WSCALE) | (sack ? TS_SACK_BIT : 0);
      int tsVal = (nowMs & ~TS_MASK) | bits;
      if (Integer.compareUnsigned(tsVal, nowMs) > 0) {
        tsVal -= 1 << TS_BITS;
      }
      tsVal += stack.tsOffset(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort());
      synAckOptions = TcpOptionLayout.syn(owner.advertisedMss(), sack, true, tsVal, o.tsVal(),
          ws ? window.rcvWscale() : -1);
    } else {
      synAckOptions = TcpOptions.builder().mss(owner.advertisedMss()).build();
    }
    stack.transmit(new Segment(owner.localAddress(), owner.localPort, seg.srcAddr(), seg.srcPort(),
        cookie, seg.seq() + 1, SYN | ACK, rcvWnd, 0, synAckOptions, 0, null));
  }

  /**
   * cookie_v4_check: an ACK with no request behind it may carry a cookie, if the listener
   * overflowed recently. A valid one makes the child at once; returns whether it did.
   */
  private boolean cookieCheck(Segment seg) {
    TcpSysctls s = stack.sysctls();
    if (s.syncookies() == 0 || seg.has(RST) || seg.has(SYN) || !seg.has(ACK)
        || lastOverflowNanos < 0 || stack.sim().now() - lastOverflowNanos > COOKIE_VALID_NANOS) {
      return false;
    }
    int clientIsn = seg.seq() - 1;
    int cookie = seg.ack() - 1;
    int mssIndex = checkCookie(seg.srcAddr(), seg.srcPort(), seg.dstPort(), clientIsn, cookie);
    if (mssIndex < 0) {
      stack.count(TcpMib.TcpExtSyncookiesFailed);
      return false;
    }
    stack.count(TcpMib.TcpExtSyncookiesRecv);
    if (acceptQueueFull()) {
      stack.count(TcpMib.TcpExtListenOverflows);
      stack.count(TcpMib.TcpExtListenDrops);
      stack.drop(seg, DropReason.TCP_LISTEN_OVERFLOW);
      return true;
    }
    TcpOptions o = seg.options();
    boolean ts = s.timestamps() && o.hasTimestamp();
    int tsOffset = stack.tsOffset(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort());
    int bits = ts ? (o.tsEcr() - tsOffset) & TS_MASK : TS_NO_WSCALE;
    int peerWscale = (bits & 0xf) == TS_NO_WSCALE ? -1 : bits & 0xf;
    boolean sack = ts && (bits & TS_SACK_BIT) != 0;
    ReceiveBuffer window = new ReceiveBuffer(clientIsn, owner.rcvBuf, false);
    int rcvWnd = window.chooseInitialWindow(MSS_TABLE[mssIndex], peerWscale >= 0,
        owner.has(TcpConnection.RCV_BUF_LOCKED), s.rmemMax(), s.coreRmemMax());
    RequestSock req = new RequestSock(this, seg.srcAddr(), seg.srcPort(), cookie, clientIsn,
        MSS_TABLE[mssIndex], peerWscale, sack, ts, ts ? o.tsVal() : 0, tsOffset, rcvWnd,
        peerWscale >= 0 ? window.rcvWscale() : 0);
    req.synAckSentNanos = -1; // no request timed the SYN-ACK: the RTT comes from the TS echo
    // cookie_v4_check sizes the window with the MSS the cookie encodes (req->mss), not with our
    // own MSS less the timestamps as tcp_openreq_init_rwin does: the space is rounded down to a
    // multiple of 1460, not 1448, so the child advertises a little less.
    req.windowMss = MSS_TABLE[mssIndex];
    TcpConnection child = stack.createChild(owner, req);
    child.parent = this;
    child.segmentArrives(seg);
    return true;
  }

  /** tcp_make_synack: options in Linux's SYN layout, window unscaled. */
  void sendSynAck(RequestSock req) {
    int tsVal = (int) (stack.sim().now() / 1_000_000L) + req.tsOffset;
    TcpOptions o = TcpOptionLayout.syn(owner.advertisedMss(), req.sackOk, req.tsOk, tsVal,
        req.tsRecent, req.peerWscale >= 0 ? req.rcvWscale : -1);
    Segment synAck = new Segment(owner.localAddress(), owner.localPort, req.remoteAddr,
        req.remotePort, req.iss, req.irs + 1, SYN | ACK, req.rcvWnd, 0, o, 0, null);
    req.synAckSentNanos = stack.sim().now();
    stack.transmit(synAck);
  }

  /** reqsk_timer_handler: retransmit the SYN-ACK, or give up after tcp_synack_retries. */
  void synAckTimeout(RequestSock req) {
    if (TcpTimeouts.synAckExpired(req.numTimeout, stack.sysctls().synackRetries())) {
      synQueue.remove(TcpStack.key(req.remoteAddr, owner.localPort, req.remotePort));
      stack.count(TcpMib.TcpExtTCPSynAckTimeouts);
      return;
    }
    sendSynAck(req);
    req.numTimeout++;
    req.numRetrans++;
    stack.count(TcpMib.TcpRetransSegs); // tcp_rtx_synack counts both
    stack.count(TcpMib.TcpExtTCPSynRetrans);
    req.arm();
  }

  /**
   * tcp_check_req: a segment for a pending request. A retransmitted SYN gets the SYN-ACK again; a
   * RST in window removes the request; an ACK of our SYN-ACK makes the child, unless the accept
   * queue is full (then the ACK is dropped, or answered with RST under tcp_abort_on_overflow).
   */
  private void checkReq(RequestSock req, long key, Segment seg) {
    if (seg.has(SYN) && !seg.has(ACK) && seg.seq() == req.irs) {
      sendSynAck(req); // inet_rtx_syn_ack
      req.numRetrans++;
      stack.count(TcpMib.TcpRetransSegs);
      stack.count(TcpMib.TcpExtTCPSynRetrans);
      return;
    }
    if (seg.has(RST)) {
      // tcp_check_req: an in-window RST drops the request quietly (embryonic_reset; no RFC 5961
      // exact-sequence rule for a request socket).
      if (SeqNum.inWindow(seg.seq(), req.irs + 1, req.irs + 1 + req.rcvWnd)) {
        req.cancel(stack.sim());
        synQueue.remove(key);
        stack.count(TcpMib.TcpAttemptFails);
        stack.count(TcpMib.TcpExtEmbryonicRsts);
      }
      stack.drop(seg, DropReason.TCP_RESET);
      return;
    }
    if (!seg.has(ACK)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    if (seg.ack() != req.iss + 1) {
      stack.sendReset(seg); // "ACK of something we never sent": RST (tcp_check_req returns sk)
      stack.drop(seg, DropReason.TCP_INVALID_ACK_SEQUENCE);
      return;
    }
    if (seg.has(SYN)) {
      stack.drop(seg, DropReason.TCP_FLAGS);
      return;
    }
    if (acceptQueueFull()) {
      stack.count(TcpMib.TcpExtListenOverflows);
      stack.count(TcpMib.TcpExtListenDrops);
      if (stack.sysctls().abortOnOverflow()) {
        req.cancel(stack.sim());
        synQueue.remove(key);
        stack.sendReset(seg);
      } else {
        req.acked = true;
      }
      stack.drop(seg, DropReason.TCP_LISTEN_OVERFLOW);
      return;
    }
    req.cancel(stack.sim());
    synQueue.remove(key);
    TcpConnection child = stack.createChild(owner, req);
    child.parent = this;
    child.segmentArrives(seg);
  }

  /** The child reached ESTABLISHED: into the accept queue (inet_csk_complete_hashdance). */
  void childEstablished(TcpConnection child) {
    acceptQueue.add(child);
    owner.notifyApp();
  }

  /** A child not yet accepted was reset: it leaves the accept queue. */
  void forgetChild(TcpConnection child) {
    acceptQueue.remove(child);
    child.parent = null;
  }

  /** A reboot: requests and queued children vanish without a segment. */
  void closeAllSilently() {
    for (RequestSock r : synQueue.values()) {
      r.cancel(stack.sim());
    }
    synQueue.clear();
    acceptQueue.clear();
  }

  /** close() on the listener: pending requests vanish, queued children are reset (inet_csk_listen_stop). */
  void closeAll() {
    for (Iterator<RequestSock> it = synQueue.values().iterator(); it.hasNext(); ) {
      it.next().cancel(stack.sim());
      it.remove();
    }
    while (!acceptQueue.isEmpty()) {
      TcpConnection c = acceptQueue.poll();
      c.parent = null;
      c.flags |= TcpConnection.ORPHAN;
      c.abort();
    }
  }
}
