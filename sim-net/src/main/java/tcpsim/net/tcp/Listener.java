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
 * <p>Differences from Linux: the SYN-ACK retry budget is not cut for a young queue under load
 * (the "young" heuristic of reqsk_timer_handler); SYN cookies are not modelled, so a SYN queue
 * overflow drops the SYN (counted) even with tcp_syncookies=1.
 */
public final class Listener {
  final TcpConnection owner;
  final TcpStack stack;
  /** sk_max_ack_backlog: listen()'s backlog capped by net.core.somaxconn. */
  int maxAckBacklog;
  final Map<Long, RequestSock> synQueue = new LinkedHashMap<>();
  final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
  /** Children made but not yet in ESTABLISHED (never, as children are born at the final ACK). */
  final Map<Long, TcpConnection> children = new LinkedHashMap<>();

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
    if (synQueue.size() >= maxAckBacklog) {
      // inet_csk_reqsk_queue_is_full: Linux would answer with a SYN cookie under tcp_syncookies;
      // not modelled here, so the SYN is dropped.
      stack.count("TcpExtTCPReqQFullDrop");
      stack.drop(seg, DropReason.TCP_REQQFULLDROP);
      return;
    }
    if (acceptQueueFull()) {
      stack.count("TcpExtListenOverflows");
      stack.count("TcpExtListenDrops");
      stack.drop(seg, DropReason.TCP_LISTEN_OVERFLOW);
      return;
    }
    TcpOptions o = seg.options();
    boolean sack = s.sack() && o.sackPermitted();
    boolean ts = s.timestamps() && o.hasTimestamp();
    boolean ws = s.windowScaling() && o.windowScale() >= 0;
    int iss = stack.initialSequence(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort());
    int tsOffset = stack.tsOffset(seg.dstAddr(), seg.srcAddr());
    // tcp_openreq_init_rwin: the window as for a SYN, on the MSS less the timestamp option.
    TcpConnection probe = owner;
    int mssForWindow = TcpConnection.ETHERNET_MSS - (ts ? TcpConnection.TS_ALIGNED : 0);
    int full = probe.fullSpace();
    int space = full > mssForWindow ? full / mssForWindow * mssForWindow : full;
    int rcvWnd = Math.min(space, 65535);
    int rcvWscale = 0;
    if (ws) {
      long wsSpace = owner.rcvBufLocked ? full : Math.max(full, Math.max(s.rmemMax(), s.coreRmemMax()));
      rcvWscale = Math.max(0, Math.min(14, 63 - Long.numberOfLeadingZeros(wsSpace) - 15));
    }
    RequestSock req = new RequestSock(this, seg.srcAddr(), seg.srcPort(), iss, seg.seq(),
        o.mss() > 0 ? o.mss() : 536, ws ? Math.min(o.windowScale(), 14) : -1, sack, ts,
        ts ? o.tsVal() : 0, tsOffset, rcvWnd, ws ? rcvWscale : 0);
    synQueue.put(key, req);
    sendSynAck(req);
    req.arm(stack.sim());
  }

  /** tcp_make_synack: options in Linux's SYN layout, window unscaled. */
  void sendSynAck(RequestSock req) {
    int tsVal = (int) (stack.sim().now() / 1_000_000L) + req.tsOffset;
    TcpOptions o = TcpOptionLayout.syn(owner.advertisedMss(), req.sackOk, req.tsOk, tsVal,
        req.tsRecent, req.peerWscale >= 0 ? req.rcvWscale : -1);
    Segment synAck = new Segment(owner.localAddr, owner.localPort, req.remoteAddr, req.remotePort,
        req.iss, req.irs + 1, SYN | ACK, req.rcvWnd, 0, o, 0, null);
    req.synAckSentNanos = stack.sim().now();
    stack.transmit(synAck);
  }

  /** reqsk_timer_handler: retransmit the SYN-ACK, or give up after tcp_synack_retries. */
  void synAckTimeout(RequestSock req) {
    if (TcpTimeouts.synAckExpired(req.numTimeout, stack.sysctls().synackRetries())) {
      synQueue.remove(TcpStack.key(req.remoteAddr, owner.localPort, req.remotePort));
      stack.count("TcpExtTCPSynAckTimeouts");
      return;
    }
    sendSynAck(req);
    req.numTimeout++;
    req.numRetrans++;
    stack.count("TcpRetransSegs");
    req.arm(stack.sim());
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
      stack.count("TcpRetransSegs");
      return;
    }
    if (seg.has(RST)) {
      if (SeqNum.inWindow(seg.seq(), req.irs + 1, req.irs + 1 + req.rcvWnd)) {
        req.cancel(stack.sim());
        synQueue.remove(key);
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
      stack.count("TcpExtListenOverflows");
      stack.count("TcpExtListenDrops");
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
      c.orphan = true;
      c.abort();
    }
  }
}
