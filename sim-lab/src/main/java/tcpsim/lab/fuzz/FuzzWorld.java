package tcpsim.lab.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.core.trace.TraceDigest;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.link.WireTap;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.PollEvents;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.socket.SysResult;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TcpTransitions;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.SeqNum;
import tcpsim.net.wire.TcpFlags;

/**
 * The state of one fuzz case: a client and a server on one two-way link, the server listening on
 * port 80, the client connecting from port 40000 with SO_REUSEADDR each time (so every connection
 * is a new incarnation of the same 4-tuple), and the observations the invariants need.
 *
 * <p>Content is checkable end to end: byte {@code i} of the stream side {@code s} sends in
 * incarnation {@code n} is {@link #content}: its top three bits are {@code n mod 8}, its low five a
 * hash of {@code (s, i)}. A received byte whose top bits name another incarnation is old data
 * accepted into a new stream; any other mismatch is duplication, loss or corruption.
 *
 * <p>Every segment is tagged, when it leaves a host, with the incarnation then current. A state
 * change made while a segment tagged with an earlier incarnation is being delivered, on a
 * connection of a later one, is an old SYN, RST or FIN disturbing a new incarnation.
 *
 * <p>Violations are recorded, not thrown, so the action chain reports them through the
 * invariant they break (and the shrinker keeps a candidate only if it breaks the same one).
 */
public final class FuzzWorld implements WireTap, TcpStack.StateObserver {
  public static final String CLIENT = "client";
  public static final String SERVER = "server";
  public static final int CLIENT_ADDR = Ipv4.parse("10.0.0.1");
  public static final int SERVER_ADDR = Ipv4.parse("10.0.0.2");
  public static final int CLIENT_PORT = 40000;
  public static final int SERVER_PORT = 80;
  /**
   * How long the quiesce step waits after closing everything. 2 MSL is not enough in Linux: an
   * orphan retransmits its FIN up to tcp_orphan_retries (8 tries, about 100 s with backoff), or
   * probes a zero window that keeps answering until its backoff reaches TCP_RTO_MAX (about 345 s),
   * an orphaned FIN_WAIT_2 lasts tcp_fin_timeout (60 s), then TIME_WAIT lasts 60 s: 10 minutes
   * covers them all.
   */
  public static final long QUIESCE_NANOS = Nanos.seconds(600);
  /**
   * The most simulator events one action may fire before the case is cut short as one that did
   * not settle ({@link Unsettled}). Over 20,000 cases of each configuration no action fired more
   * than 3,294 events (a megabyte each way with faults; docs/fuzzing.md, "Campaigns"), so the cap
   * is 30 times that: a runaway loop (segments answering segments) reaches it in about a second,
   * long before it fills the heap.
   */
  public static final long ACTION_EVENT_CAP = 100_000;
  /** How many events pass between two looks at the thread's interrupt flag. */
  private static final long INTERRUPT_CHECK_EVENTS = 1 << 12;
  /** The most one recv call reads. */
  static final int RECV_MAX = 1 << 18;
  static final int LOOP_NONE = 0;
  static final int LOOP_READ = 1;
  static final int LOOP_ECHO = 2;
  /**
   * The loop each side's application runs on its connections (read-to-eof-close, echo), by side;
   * once set it serves the current connection and every later one, as a server program does.
   */
  final int[] loop = new int[2];
  /**
   * The application's buffer for writes and reads (the stack copies what it is given), made on
   * first use: a quarter of a megabyte zeroed for every world would be most of what a short
   * case costs (the explorer makes one world per transition). Scratch, not state: transient, so
   * the explorer's copy of a world ({@link GraphCopy}) leaves it out.
   */
  private transient byte[] io;

  /** One descriptor the fuzzer's processes hold. */
  static final class Endpoint {
    final int side; // 0 client, 1 server
    final int fd;
    final TcpConnection conn;
    final int incarnation;
    long received;
    /** Bytes of a {@code send-all} the application still has to write (its output buffer). */
    long toWrite;
    /** The application reads whatever arrives and closes at the end of the stream ({@code read-to-eof-close}). */
    boolean readToEof;
    /** ... and answers each byte it reads with one of its own stream ({@code echo}). */
    boolean echo;
    /** The application half-closes once its output buffer is written ({@code send-all N shut-wr}). */
    boolean shutWrWhenWritten;
    /** A byte of an earlier incarnation was read on this connection (see {@link #checkReceived}). */
    boolean readOldData;

    Endpoint(int side, int fd, TcpConnection conn, int incarnation) {
      this.side = side;
      this.fd = fd;
      this.conn = conn;
      this.incarnation = incarnation;
    }
  }

  final FuzzConfig config;
  final Simulation sim;
  final Network net;
  final Host clientHost;
  final Host serverHost;
  final TcpStack clientStack;
  final TcpStack serverStack;
  SocketApi clientApi;
  SocketApi serverApi;
  int listenFd = -1;
  Endpoint client;
  final List<Endpoint> servers = new ArrayList<>();
  /** Client connects made so far; the current incarnation's number. */
  int incarnation;
  /** Bytes sent per incarnation and side: sent.get(n)[side]. */
  final List<long[]> sent = new ArrayList<>();
  boolean partitioned;
  /**
   * What the world did, for "same case, same run" checks: the actions' texts, every segment sent,
   * delivered and dropped (time, link, sequence numbers, flags, length) and the end state ({@link
   * #digest()}).
   */
  final TraceDigest trace = new TraceDigest();
  /** Tags by segment identity (a duplicate is the same object); looked up, never iterated. */
  private final IdentityHashMap<Segment, Integer> tags = new IdentityHashMap<>();
  private final IdentityHashMap<TcpConnection, Integer> incarnations = new IdentityHashMap<>();
  /**
   * Incarnations that ended abortively (a RST went out while they were current, or a host
   * rebooted): they never pass through TIME_WAIT, so under {@link StaleScope#GRACEFUL} old
   * segments from them are not held against TIME_WAIT.
   */
  final java.util.BitSet aborted = new java.util.BitSet();
  /**
   * Incarnations one of whose timewait entries ended before its time: taken over by a connect
   * (tcp_twsk_unique), reopened by a SYN (TCP_TW_SYN), killed by a RST (tcp_rfc1337 = 0) or
   * anything else but its timer. Their TIME_WAIT did not last, so {@link StaleScope#FULL} does
   * not hold their old segments against it.
   */
  final java.util.BitSet cutShort = new java.util.BitSet();
  /**
   * Incarnations a TIME_WAIT entry of which ran to its timer. One whose ends never entered
   * TIME_WAIT (an orphan's FIN_WAIT2 timed out while the peer sat in CLOSE_WAIT, or
   * tcp_max_tw_buckets was full) was never guarded by it.
   */
  final java.util.BitSet timeWaitRan = new java.util.BitSet();
  /** The incarnation whose connection entered TIME_WAIT (or orphaned FIN_WAIT2), by side and ports. */
  private final java.util.HashMap<Long, Integer> timeWaitIncarnation = new java.util.HashMap<>();
  final StaleScope staleScope;
  /** ISN by (incarnation, side), from the SYNs seen on the wire; looked up, never iterated. */
  private final java.util.HashMap<Long, Integer> isns = new java.util.HashMap<>();
  private long deliveringEvent = -1;
  private Segment delivering;
  /** An old segment with data on its way into a later incarnation's connection. */
  private Segment suspect;
  private int suspectTag;
  private int suspectInc;
  private TcpConnection suspectConn;
  private boolean suspectDropped;

  /** The texts of the actions begun so far ({@link #startAction}), in order. */
  final List<String> actions = new ArrayList<>();
  /**
   * The most simulator events one action may fire ({@link #limitEvents}); past it the action
   * throws {@link Unsettled}. The default is {@link #ACTION_EVENT_CAP}.
   */
  private long actionEventCap = ACTION_EVENT_CAP;
  /** {@link Simulation#firedCount()} when the current action began. */
  private long actionStartEvents;
  /** The most events one finished action fired. */
  private long busiestActionEvents;

  String transitionViolation;
  String contentViolation;
  String staleViolation;
  /**
   * Per receiving side (client, server), the fewest sequence numbers by which an earlier
   * incarnation's data segment, delivered to a later incarnation's connection, missed being taken
   * ({@link TcpConnection#acceptanceGap}); Long.MAX_VALUE: no such delivery.
   */
  private final long[] closestStaleGap = {Long.MAX_VALUE, Long.MAX_VALUE};
  /** Where those nearest misses happened, in words. */
  private final String[] closestStaleDetail = new String[2];
  /** An earlier incarnation's data arrived after a later incarnation began. */
  private boolean lateDataArrived;
  /** Per incarnation, when its data last arrived anywhere (0: never). */
  private long[] lastDataAt = new long[8];
  /** The shortest time from an incarnation's last data arriving to the next incarnation's connect. */
  private long nearestEarlyArrivalNanos = Long.MAX_VALUE;
  String errnoViolation;
  String leakViolation;
  /** Stack bugs the fuzzer knows of and steps around (see {@link KnownStackBugs}). */
  final KnownStackBugs known;

  /** Which earlier incarnations the stale-segment invariant covers. */
  public enum StaleScope {
    /**
     * Those that ended through a TIME_WAIT that ran its course: the case TIME_WAIT >= 2 MSL is
     * meant to cover. Not those whose entry a reconnect took over (timestamps allow it), a SYN
     * reopened or a RST killed: their TIME_WAIT was cut short; nor those that never entered it.
     */
    FULL,
    /** Those that ended gracefully, through TIME_WAIT, however long it lasted. */
    GRACEFUL,
    /** All, including those ended by a RST (SO_LINGER {1, 0}, close with unread data) or a reboot. */
    ANY
  }

  public FuzzWorld(FuzzConfig config, long seed) {
    this(config, seed, KnownStackBugs.ALL, StaleScope.FULL, null);
  }

  /**
   * @param known the stack bugs to step around
   * @param staleScope which earlier incarnations the stale-segment invariant covers
   * @param extraTap another observer (a ladder tap), or null; it is also a state observer if it
   *     implements {@link TcpStack.StateObserver}
   */
  public FuzzWorld(FuzzConfig config, long seed, KnownStackBugs known, StaleScope staleScope, WireTap extraTap) {
    this.config = config;
    this.known = known;
    this.staleScope = staleScope;
    sim = new Simulation(seed);
    net = new Network(sim);
    net.setMslNanos(config.mslNanos());
    clientHost = net.host(CLIENT, CLIENT_ADDR);
    serverHost = net.host(SERVER, SERVER_ADDR);
    net.duplex(CLIENT, SERVER, NetemConfig.NONE.withDelay(config.oneWayNanos()));
    clientStack = clientHost.attach(TcpStack.factory(config.sysctls()));
    serverStack = serverHost.attach(TcpStack.factory(config.sysctls()));
    clientStack.setKeepPayload(true);
    serverStack.setKeepPayload(true);
    net.addTap(this);
    clientStack.addStateObserver(this);
    serverStack.addStateObserver(this);
    clientStack.addDropObserver(this::stackDropped);
    serverStack.addDropObserver(this::stackDropped);
    if (extraTap != null) {
      net.addTap(extraTap);
      if (extraTap instanceof TcpStack.StateObserver o) {
        clientStack.addStateObserver(o);
        serverStack.addStateObserver(o);
      }
    }
    sent.add(new long[2]); // incarnation 0: nothing
    sim.setTraceObserver(this::eventFired);
    clientApi = new SocketApi(clientStack);
    startServer();
  }

  /** The server process starts: socket, SO_REUSEADDR, bind :80, listen. */
  void startServer() {
    serverApi = new SocketApi(serverStack);
    listenFd = serverApi.socket().intValue();
    serverApi.setNonBlocking(listenFd, true);
    serverApi.setsockopt(listenFd, SocketOption.SO_REUSEADDR, 1);
    SysResult<Integer> b = serverApi.bind(listenFd, 0, SERVER_PORT);
    SysResult<Integer> l = serverApi.listen(listenFd, 128);
    if (!b.isOk() || !l.isOk()) {
      throw new IllegalStateException("server could not listen on :80: bind " + b + ", listen " + l);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Content
  // ---------------------------------------------------------------------------------------

  /** Byte {@code offset} of the stream {@code side} sends in incarnation {@code inc}. */
  public static byte content(int inc, int side, long offset) {
    return offset < KEPT ? CONTENT[inc & 7][side][(int) offset] : (byte) (((inc & 7) << 5) | lowBits(side, offset));
  }

  /** Writes bytes {@code offset .. offset+n-1} of incarnation {@code inc}'s stream from {@code side} into {@code to}. */
  static void fillContent(int inc, int side, long offset, byte[] to, int n) {
    int kept = offset < KEPT ? (int) Math.min(n, KEPT - offset) : 0;
    if (kept > 0) {
      System.arraycopy(CONTENT[inc & 7][side], (int) offset, to, 0, kept);
    }
    for (int i = kept; i < n; i++) {
      to[i] = content(inc, side, offset + i);
    }
  }

  /** The hash half of {@link #content}: five bits per (side, offset). */
  private static int lowBits(int side, long offset) {
    long h = (offset + 1) * 0x9E3779B97F4A7C15L + (side + 1) * 0x632BE59BD9B4E019L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) ((h >>> 59) & 31);
  }

  /**
   * Each stream's first 64 KiB for each incarnation tag (1 MiB), worked out once: most streams are
   * short, and hashing every byte written and read was a fifth of what the explorer spent.
   */
  private static final int KEPT = 1 << 16;
  private static final byte[][][] CONTENT = new byte[8][2][KEPT];

  static {
    for (int side = 0; side < 2; side++) {
      for (int i = 0; i < KEPT; i++) {
        int low = lowBits(side, i);
        for (int tag = 0; tag < 8; tag++) {
          CONTENT[tag][side][i] = (byte) ((tag << 5) | low);
        }
      }
    }
  }

  long sentBy(int inc, int side) {
    return sent.get(inc)[side];
  }

  // ---------------------------------------------------------------------------------------
  // Observation
  // ---------------------------------------------------------------------------------------

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    traceSegment(1, nowNanos, link, segment);
    int tag = senderIncarnation(segment);
    Integer old = tags.putIfAbsent(segment, tag);
    if (old == null && segment.has(TcpFlags.RST)) {
      aborted.set(tag);
    }
    if (segment.has(TcpFlags.SYN)) {
      isns.put(isnKey(segment.srcAddr() == SERVER_ADDR ? 1 : 0, tag), segment.seq());
    }
  }

  /**
   * The incarnation of the connection that sent {@code segment}: an old connection still sending
   * after the client opened a new one (a server child the client's abort has not reached yet, a
   * LAST_ACK retransmitting its FIN) sends its own incarnation's segments. One 4-tuple has one
   * connection per stack at a time; a segment no connection sent (a listener's SYN-ACK, a
   * TIME_WAIT's ACK, a RST for no socket) belongs to the current incarnation.
   */
  private int senderIncarnation(Segment segment) {
    TcpStack from = segment.srcAddr() == SERVER_ADDR ? serverStack : clientStack;
    TcpConnection c = from.connection(segment.dstAddr(), segment.srcPort(), segment.dstPort());
    Integer inc = c == null ? null : incarnations.get(c);
    return inc != null ? inc : incarnation;
  }

  private void traceSegment(int event, long nowNanos, String link, Segment segment) {
    trace.add(event);
    trace.add(nowNanos);
    trace.add(link == null ? 0 : link.hashCode()); // String.hashCode is specified: the same in every run
    trace.add(((long) segment.seq() << 32) | (segment.ack() & 0xffffffffL));
    trace.add(((long) segment.flags() << 32) | segment.payloadLength());
  }

  /**
   * The digest of the case so far: the trace, then the end state (virtual time, incarnation, the
   * bytes sent per incarnation and side, each side's socket states, the violations recorded).
   */
  long digest() {
    TraceDigest d = new TraceDigest();
    d.add(trace.value());
    d.add(trace.count());
    d.add(sim.now());
    d.add(incarnation);
    for (long[] bySide : sent) {
      d.add(bySide[0]);
      d.add(bySide[1]);
    }
    for (TcpStack stack : new TcpStack[] {clientStack, serverStack}) {
      for (TcpConnection c : stack.sockets()) {
        d.add(c.state().name());
      }
      d.add(stack.timeWaitSockets().size());
    }
    for (String v : new String[] {transitionViolation, contentViolation, staleViolation, errnoViolation, leakViolation}) {
      d.add(String.valueOf(v));
    }
    return d.value();
  }

  private static long isnKey(int side, int inc) {
    return ((long) inc << 1) | side;
  }

  /**
   * The receiver's RCV.NXT before {@code c} takes a segment: the peer's ISN in that incarnation,
   * plus one for the SYN, the bytes taken in order (read or readable), one for a FIN. Null when
   * the peer's ISN is not known.
   */
  private Integer rcvNxt(TcpConnection c, int inc) {
    int peer = c.stack() == serverStack ? 0 : 1;
    Integer isn = isns.get(isnKey(peer, inc));
    if (isn == null) {
      return null;
    }
    long taken = c.readableBytes();
    if (client != null && client.conn == c) {
      taken += client.received;
    }
    for (Endpoint e : servers) {
      if (e.conn == c) {
        taken += e.received;
      }
    }
    return isn + 1 + (int) taken + (c.peerFinReceived() ? 1 : 0);
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    traceSegment(2, nowNanos, link, segment);
    settle();
    delivering = segment;
    deliveringEvent = sim.firedCount();
    Integer tag = tags.get(segment);
    if (segment.payloadLength() == 0 || tag == null) {
      return;
    }
    if (tag < incarnation && covered(tag)) {
      lateDataArrived = true;
    }
    if (tag >= lastDataAt.length) {
      lastDataAt = java.util.Arrays.copyOf(lastDataAt, Math.max(tag + 1, 2 * lastDataAt.length));
    }
    lastDataAt[tag] = nowNanos;
    TcpStack to = segment.dstAddr() == SERVER_ADDR ? serverStack : clientStack;
    for (TcpConnection c : to.sockets()) {
      Integer inc = incarnations.get(c);
      if (c.localPort() == segment.dstPort() && c.remotePort() == segment.srcPort()
          && c.state() != TcpState.LISTEN && inc != null && tag < inc && covered(tag)) {
        long gap = c.acceptanceGap(segment);
        int at = c.stack() == serverStack ? 1 : 0;
        if (gap < closestStaleGap[at]) {
          closestStaleGap[at] = gap;
          closestStaleDetail[at] = "at " + Nanos.format(nowNanos) + " incarnation " + tag + "'s seq "
              + Integer.toUnsignedString(segment.seq()) + " len " + segment.payloadLength() + " ack "
              + Integer.toUnsignedString(segment.ack()) + " reached incarnation " + inc + "'s " + side(c) + " in "
              + c.state() + ", " + c.acceptanceWindows();
        }
        Integer nxt = rcvNxt(c, inc);
        if (nxt == null || !SeqNum.gt(segment.end(), nxt)) {
          return; // nothing beyond RCV.NXT: an old duplicate the stack discards (TCP_OLD_DATA)
        }
        suspect = segment;
        suspectTag = tag;
        suspectInc = inc;
        suspectConn = c;
        suspectDropped = false;
        return;
      }
    }
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    traceSegment(3, nowNanos, link, segment);
    if (segment == suspect) {
      suspectDropped = true;
    }
  }

  /** The receiving stack dropped a segment (DropObserver). */
  private void stackDropped(long nowNanos, Segment segment, DropReason reason) {
    if (segment == suspect) {
      suspectDropped = true;
    }
  }

  /**
   * Old data delivered to a later incarnation's connection and not dropped by its stack (not
   * PAWS, not out of window) was accepted: queued in order or out of order.
   */
  private void settle() {
    if (suspect != null && !suspectDropped && staleViolation == null) {
      staleViolation = "at " + Nanos.format(sim.now()) + " data sent in incarnation " + suspectTag
          + " (seq " + Integer.toUnsignedString(suspect.seq()) + " len " + suspect.payloadLength()
          + ") was accepted by incarnation " + suspectInc + "'s " + side(suspectConn) + " connection in "
          + suspectConn.state();
    }
    suspect = null;
  }

  @Override
  public void stateChanged(long nowNanos, TcpConnection c, TcpState from, TcpState to, String cause) {
    if (TcpTransitions.find(from, to) == null && transitionViolation == null) {
      transitionViolation = "at " + Nanos.format(nowNanos) + " " + side(c) + " went " + from + " -> "
          + to + " (" + cause + "), a pair not in TcpTransitions";
    }
    boolean inDelivery = delivering != null && deliveringEvent == sim.firedCount();
    if (from == TcpState.CLOSE && to == TcpState.SYN_RECV && c.stack() == serverStack) {
      // A child belongs to the incarnation of the final ACK that made it (tcp_check_req matched
      // it to the request, so the handshake is that incarnation's own).
      Integer tag = inDelivery ? tags.get(delivering) : null;
      incarnations.put(c, tag != null ? tag : incarnation);
    }
    Integer inc = incarnations.get(c);
    noteTimeWait(c, from, to, cause, inc);
    if (inc != null && inDelivery) {
      Integer tag = tags.get(delivering);
      if (tag != null && tag < inc && covered(tag) && staleViolation == null) {
        staleViolation = "at " + Nanos.format(nowNanos) + " a segment sent in incarnation " + tag
            + " (" + TcpFlags.packetdrill(delivering.flags()) + " seq " + Integer.toUnsignedString(delivering.seq())
            + " len " + delivering.payloadLength() + ") moved incarnation " + inc + "'s " + side(c)
            + " connection " + from + " -> " + to + " (" + cause + ")";
      }
    }
  }

  /**
   * Follows timewait entries: which incarnation entered one, and whether it ended by its timer
   * (the entry's own changes come on a stand-in connection no incarnation is known for).
   */
  private void noteTimeWait(TcpConnection c, TcpState from, TcpState to, String cause, Integer inc) {
    long key = ((long) (c.stack() == serverStack ? 1 : 0) << 32) | ((long) c.localPort() << 16) | c.remotePort();
    if (inc != null && (to == TcpState.TIME_WAIT || to == TcpState.FIN_WAIT2)) {
      timeWaitIncarnation.put(key, inc);
    } else if (inc == null && to == TcpState.CLOSE
        && (from == TcpState.TIME_WAIT || from == TcpState.FIN_WAIT2)) {
      Integer owner = timeWaitIncarnation.remove(key);
      if (owner != null && from == TcpState.TIME_WAIT && cause.startsWith("TIME-WAIT timeout")) {
        timeWaitRan.set(owner);
      } else if (owner != null && !cause.startsWith("tcp_fin_timeout")) {
        cutShort.set(owner);
      }
    }
  }

  /** The client's connect opened incarnation {@link #incarnation}. */
  void incarnationBegan() {
    int prev = incarnation - 1;
    if (prev >= 1 && prev < lastDataAt.length && lastDataAt[prev] != 0 && covered(prev)) {
      nearestEarlyArrivalNanos = Math.min(nearestEarlyArrivalNanos, sim.now() - lastDataAt[prev]);
    }
  }

  /**
   * How near this case came to breaking the stale-segment invariant at {@code side}'s connection
   * (0 client, 1 server: the two ends give the copies different ACK ranges to hit, so a search
   * keeps them apart), lower is nearer, in three tiers a targeted search climbs through: an incarnation's data arrived t ns before the next
   * incarnation began ({@code 2^33 + t}); it arrived after ({@code 2^32}); it reached a later
   * incarnation's connection and missed being taken by g sequence numbers ({@code g}, 0 being a
   * break). Long.MAX_VALUE: no incarnation followed one that had data.
   */
  public long staleDistance(int side) {
    if (closestStaleGap[side] != Long.MAX_VALUE) {
      return closestStaleGap[side];
    }
    if (lateDataArrived) {
      return 1L << 32;
    }
    if (nearestEarlyArrivalNanos != Long.MAX_VALUE) {
      return (1L << 33) + Math.min(nearestEarlyArrivalNanos, 1L << 50);
    }
    return Long.MAX_VALUE;
  }

  /** Where the nearest miss at {@code side}'s connection happened, in words; null if none. */
  public String nearestMiss(int side) {
    return closestStaleDetail[side];
  }

  /** {@link #staleDistance} in words. */
  public static String describeStaleDistance(long d) {
    if (d == Long.MAX_VALUE) {
      return "no incarnation followed one that had data";
    }
    if (d < 1L << 32) {
      return "old data missed a later incarnation's window by " + d + " sequence numbers";
    }
    if (d < 1L << 33) {
      return "old data arrived after a later incarnation began, but not at its connection";
    }
    return "an incarnation's last data arrived " + Nanos.format(d - (1L << 33)) + " before the next one began";
  }

  /** Whether old segments of incarnation {@code tag} count against the stale-segment invariant. */
  private boolean covered(int tag) {
    return staleScope == StaleScope.ANY || !aborted.get(tag)
        && (staleScope == StaleScope.GRACEFUL || timeWaitRan.get(tag) && !cutShort.get(tag));
  }

  /** Whether the latest incarnation before {@code current} numbered {@code tagMod8} mod 8 is covered. */
  private boolean coveredBefore(int tagMod8, int current) {
    for (int i = current - 1; i >= 1; i--) {
      if ((i & 7) == tagMod8) {
        return covered(i);
      }
    }
    return true;
  }

  /**
   * A case that did not settle: one action fired more simulator events than the cap (segments
   * answering segments without end, an ACK loop). Thrown from inside the simulation, so the action
   * ends there; the world is not usable afterwards.
   */
  public static final class Unsettled extends RuntimeException {
    Unsettled(String message) {
      super(message, null, false, false);
    }
  }

  /** The thread running the case was interrupted (a campaign's time budget ran out): the case is abandoned. */
  public static final class Interrupted extends RuntimeException {
    Interrupted(String message) {
      super(message, null, false, false);
    }
  }

  /** Sets the most simulator events one action may fire (default {@link #ACTION_EVENT_CAP}). */
  void limitEvents(long maxEventsPerAction) {
    if (maxEventsPerAction < 1) {
      throw new IllegalArgumentException("max events per action must be >= 1, was " + maxEventsPerAction);
    }
    actionEventCap = maxEventsPerAction;
  }

  /**
   * Every simulator event (the simulation's trace observer): cuts the action short past the event
   * cap, and every {@link #INTERRUPT_CHECK_EVENTS} events looks whether the thread was
   * interrupted. It throws before the event's handler runs; the world is then abandoned.
   */
  private void eventFired(long nowNanos, long seq, long arg) {
    long n = sim.firedCount() - actionStartEvents;
    if (n > actionEventCap) {
      throw new Unsettled("a case did not settle: " + n + " events in one action (" + last() + "), at "
          + Nanos.format(nowNanos) + "; the cap is " + actionEventCap);
    }
    if ((n & (INTERRUPT_CHECK_EVENTS - 1)) == 0 && Thread.currentThread().isInterrupted()) {
      throw new Interrupted("interrupted at " + Nanos.format(nowNanos) + " in " + last());
    }
  }

  private String last() {
    return actions.isEmpty() ? "the world's making" : actions.get(actions.size() - 1);
  }

  /**
   * An action begins: its text goes into the trace and the action list, its event count starts
   * from zero, and what it does is not caused by a delivery.
   */
  void startAction(String text) {
    if (Thread.currentThread().isInterrupted()) {
      throw new Interrupted("interrupted before " + text);
    }
    busiestActionEvents = busiestActionEvents();
    actionStartEvents = sim.firedCount();
    trace.add(text);
    actions.add(text);
    beginAction();
  }

  /** The most events one action has fired so far, the current one included. */
  long busiestActionEvents() {
    return Math.max(busiestActionEvents, sim.firedCount() - actionStartEvents);
  }

  /** Called before each action: what the action itself does is not caused by a delivery. */
  void beginAction() {
    settle();
    delivering = null;
    deliveringEvent = -1;
  }

  private String side(TcpConnection c) {
    return c.stack() == clientStack ? CLIENT : SERVER;
  }

  // ---------------------------------------------------------------------------------------
  // Steps the actions use
  // ---------------------------------------------------------------------------------------

  /** The application's I/O buffer, {@link #RECV_MAX} bytes. */
  byte[] io() {
    if (io == null) {
      io = new byte[RECV_MAX];
    }
    return io;
  }

  SocketApi api(int side) {
    return side == 0 ? clientApi : serverApi;
  }

  /** The endpoint an action on {@code side} works on: the client's, or the newest server one. */
  Endpoint endpoint(int side) {
    if (side == 0) {
      return client;
    }
    return servers.isEmpty() ? null : servers.get(servers.size() - 1);
  }

  void forget(Endpoint e) {
    if (e == client) {
      client = null;
    } else {
      servers.remove(e);
    }
  }

  /** Accepts every connection the server's listener has queued. */
  void acceptAll() {
    if (listenFd < 0 || !serverHost.isUp()) {
      return;
    }
    while (true) {
      SysResult<Integer> r = serverApi.accept(listenFd);
      if (!r.isOk()) {
        break;
      }
      TcpConnection c = serverApi.socketOf(r.intValue());
      Integer inc = incarnations.get(c);
      Endpoint e = new Endpoint(1, r.intValue(), c, inc == null ? incarnation : inc);
      servers.add(e);
      startLoop(e);
    }
  }

  /**
   * An event-loop server accepts as connections come (EPOLLIN on the listener), mid-advance too.
   * Armed when the loop starts, after a reboot, and again each time it fires, so no wake-up is
   * left pending between actions.
   */
  void armListener() {
    if (loop[1] == LOOP_NONE || listenFd < 0) {
      return;
    }
    SocketApi api = serverApi;
    int fd = listenFd;
    api.onReady(fd, PollEvents.EPOLLIN, ready -> {
      if (api == serverApi && fd == listenFd && serverHost.isUp()) {
        acceptAll();
        armListener();
      }
    });
  }

  /** The client's connect succeeded: its socket is incarnation {@link #incarnation}. */
  void registerClient(int fd) {
    TcpConnection c = clientApi.socketOf(fd);
    incarnations.put(c, incarnation);
    client = new Endpoint(0, fd, c, incarnation);
    startLoop(client);
  }

  /** The side's host came back: its application loops run again (their wake-ups were ignored meanwhile). */
  void resumeLoops(int side) {
    if (side == 0) {
      if (client != null && (client.readToEof || client.toWrite > 0)) {
        pump(client);
      }
      return;
    }
    for (Endpoint e : List.copyOf(servers)) {
      if (e.readToEof || e.toWrite > 0) {
        pump(e);
      }
    }
    acceptAll();
    armListener();
  }

  /** A side's loop was just set: it takes over the connections open now, and the listener. */
  void startLoops() {
    if (client != null && !client.readToEof) {
      startLoop(client);
    }
    for (Endpoint e : List.copyOf(servers)) {
      if (!e.readToEof) {
        startLoop(e);
      }
    }
    acceptAll();
    armListener();
  }

  /** Starts the side's application loop on a new connection, if the side runs one. */
  private void startLoop(Endpoint e) {
    if (loop[e.side] != LOOP_NONE) {
      e.readToEof = true;
      e.echo = loop[e.side] == LOOP_ECHO;
      pump(e);
    }
  }

  void advance(long nanos) {
    sim.runFor(nanos);
    beginAction();
    acceptAll();
  }

  /** Every errno a call returned, as "call=ERRNO", in order (the explorer's outcomes). */
  final List<String> errnos = new ArrayList<>();

  void noteErrno(String call, Errno got, Set<Errno> allowed, ErrnoTable.Before before) {
    if (got != null) {
      errnos.add(call + "=" + got);
    }
    if (got != null && !allowed.contains(got) && errnoViolation == null) {
      errnoViolation = "at " + Nanos.format(sim.now()) + " " + call + " gave " + got + " in "
          + before.state() + (before.pendingError() != null ? " with pending " + before.pendingError() : "")
          + (before.sendShutdown() ? ", shut for writing" : "")
          + (before.receiveShutdown() ? ", shut for reading" : "") + "; Linux gives only " + allowed;
    }
  }

  static ErrnoTable.Before before(TcpConnection c) {
    return new ErrnoTable.Before(c.state(), c.pendingError(), c.sendShutdown(), c.receiveShutdown());
  }

  /**
   * Checks bytes just read by {@code e} against what its peer sent in its incarnation. The stream
   * offset moves past every byte read, wrong ones included: had it stopped at the first wrong
   * byte (stale data, already reported as such), every later read would be checked against the
   * wrong offsets and reported as corruption of the new stream.
   */
  void checkReceived(Endpoint e, byte[] buf, int n) {
    int peer = 1 - e.side;
    // The common case, every byte as sent, in one comparison instead of a lookup per byte.
    boolean asSent = e.received + n <= KEPT
        && Arrays.mismatch(buf, 0, n, CONTENT[e.incarnation & 7][peer], (int) e.received, (int) e.received + n) < 0;
    for (int i = 0; i < n && !asSent; i++) {
      long off = e.received + i;
      byte want = content(e.incarnation, peer, off);
      byte got = buf[i];
      if (got == want) {
        continue;
      }
      int gotInc = (got >> 5) & 7;
      if (gotInc != (e.incarnation & 7)) {
        e.readOldData = true;
      }
      String where = (e.side == 0 ? CLIENT : SERVER) + " read byte " + off + " of incarnation "
          + e.incarnation + " at " + Nanos.format(sim.now());
      if (gotInc != (e.incarnation & 7) && staleViolation == null
          && coveredBefore(gotInc, e.incarnation)) {
        staleViolation = where + ": it carries incarnation " + gotInc + " (mod 8)'s tag: old data"
            + " accepted into a new stream";
      } else if (gotInc == (e.incarnation & 7) && contentViolation == null) {
        contentViolation = where + ": got 0x" + Integer.toHexString(got & 0xff) + ", sent 0x"
            + Integer.toHexString(want & 0xff) + " (duplicated, lost or corrupted bytes)";
      }
      break; // one report per read; the bytes were still read, so the offset moves on below
    }
    long total = e.received + n;
    // Old data that moved RCV.NXT on stands in the stream for bytes of this incarnation, so the
    // stream reads longer than what was sent: a consequence of the stale segment, not a new fault.
    if (total > sentBy(e.incarnation, peer) && contentViolation == null && !e.readOldData) {
      contentViolation = (e.side == 0 ? CLIENT : SERVER) + " read " + total + " bytes of incarnation "
          + e.incarnation + " but only " + sentBy(e.incarnation, peer) + " were sent";
    }
    e.received = total;
  }

  // ---------------------------------------------------------------------------------------
  // The event-loop application: send-all and read-to-eof-close
  // ---------------------------------------------------------------------------------------

  /**
   * Runs {@code e}'s event loop once: writes what its output buffer holds as far as the socket
   * takes it, reads what arrived, closes at the end of the stream; then waits for the next
   * readiness edge if work is left. Called when the application starts a loop and, from
   * {@link SocketApi#onReady}, when the socket becomes writable or readable.
   */
  void pump(Endpoint e) {
    if (endpoint(e.side) != e && !servers.contains(e)) {
      return; // closed, forgotten, or its host rebooted
    }
    if (!host(e.side).isUp()) {
      return; // a crashed host runs nothing; the loop resumes at the next edge after recover
    }
    SocketApi api = api(e.side);
    String who = e.side == 0 ? CLIENT : SERVER;
    writeOut(e, api, who);
    if (e.readToEof) {
      byte[] io = io();
      while (true) {
        ErrnoTable.Before before = before(e.conn);
        SysResult<Integer> r = api.recv(e.fd, io, 0, io.length);
        if (r.isOk() && r.intValue() > 0) {
          checkReceived(e, io, r.intValue());
          if (e.echo) {
            e.toWrite += r.intValue();
            writeOut(e, api, who);
          }
          continue;
        }
        if (r.isOk() || r.errno() != Errno.EAGAIN) {
          if (!r.isOk()) {
            noteErrno(who + " recv", r.errno(), ErrnoTable.recv(before), before);
          }
          api.close(e.fd); // end of stream or an error: the application closes
          forget(e);
          return;
        }
        break;
      }
    }
    int mask = (e.toWrite > 0 ? PollEvents.EPOLLOUT : 0)
        | (e.readToEof ? PollEvents.EPOLLIN | PollEvents.EPOLLRDHUP | PollEvents.EPOLLERR | PollEvents.EPOLLHUP : 0);
    if (mask != 0) {
      api.onReady(e.fd, mask, ready -> pump(e));
    }
  }

  /** Writes what {@code e}'s output buffer holds as far as the socket takes it. */
  private void writeOut(Endpoint e, SocketApi api, String who) {
    byte[] io = e.toWrite > 0 ? io() : null;
    while (e.toWrite > 0) {
      ErrnoTable.Before before = before(e.conn);
      long off = sentBy(e.incarnation, e.side);
      int n = (int) Math.min(e.toWrite, io.length);
      fillContent(e.incarnation, e.side, off, io, n);
      SysResult<Integer> r = api.send(e.fd, io, 0, n);
      if (!r.isOk()) {
        if (r.errno() != Errno.EAGAIN) {
          noteErrno(who + " send", r.errno(), ErrnoTable.send(before), before);
          e.toWrite = 0; // the application gives up on its output buffer
        }
        break;
      }
      sent.get(e.incarnation)[e.side] += r.intValue();
      e.toWrite -= r.intValue();
    }
    if (e.toWrite == 0 && e.shutWrWhenWritten) {
      e.shutWrWhenWritten = false;
      ErrnoTable.Before before = before(e.conn);
      SysResult<Integer> r = api.shutdown(e.fd, SocketApi.SHUT_WR);
      if (!r.isOk()) {
        noteErrno(who + " shutdown(SHUT_WR)", r.errno(), ErrnoTable.shutdown(before), before);
      }
    }
  }

  private Host host(int side) {
    return side == 0 ? clientHost : serverHost;
  }

  /** Closes everything, heals the network, waits {@link #QUIESCE_NANOS}, then looks for leftovers. */
  void quiesce() {
    net.heal();
    partitioned = false;
    clientHost.recover();
    serverHost.recover();
    for (int round = 0; round < 2; round++) {
      if (client != null) {
        clientApi.close(client.fd);
        client = null;
      }
      for (Endpoint e : servers) {
        serverApi.close(e.fd);
      }
      servers.clear();
      advance(QUIESCE_NANOS);
    }
    List<String> left = new ArrayList<>();
    for (TcpConnection c : clientStack.sockets()) {
      left.add("client " + c.state() + " :" + c.localPort());
    }
    for (TcpConnection c : serverStack.sockets()) {
      if (c != serverApi.socketOf(listenFd)) {
        left.add("server " + c.state() + " :" + c.localPort() + "->" + c.remotePort());
      }
    }
    for (tcpsim.net.tcp.TimeWaitSocket tw : clientStack.timeWaitSockets()) {
      left.add("client TIME_WAIT entry :" + tw.localPort() + "->" + tw.remotePort());
    }
    for (tcpsim.net.tcp.TimeWaitSocket tw : serverStack.timeWaitSockets()) {
      left.add("server TIME_WAIT entry :" + tw.localPort() + "->" + tw.remotePort());
    }
    if (sim.pendingCount() != 0) {
      left.add(sim.pendingCount() + " pending timer(s)");
    }
    int probe = clientApi.socket().intValue();
    SysResult<Integer> b = clientApi.bind(probe, 0, CLIENT_PORT);
    clientApi.close(probe);
    if (!b.isOk()) {
      left.add("client port " + CLIENT_PORT + " still held (bind: " + b.errno() + ")");
    }
    if (!left.isEmpty() && leakViolation == null) {
      leakViolation = Nanos.format(QUIESCE_NANOS) + " after every socket was closed: " + left;
    }
  }
}
