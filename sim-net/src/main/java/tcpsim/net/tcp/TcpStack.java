package tcpsim.net.tcp;

import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tcpsim.core.event.EventHandler;
import tcpsim.core.collect.OrderedLongMap;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;
import tcpsim.core.trace.TraceDigest;
import tcpsim.net.host.IpLayer;
import tcpsim.net.host.Transport;
import tcpsim.net.host.TransportFactory;
import tcpsim.net.socket.Errno;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * One host's TCP: the table of connections by 4-tuple, the listeners by port, port allocation,
 * and the replies for segments no socket wants (tcp_v4_rcv, tcp_v4_send_reset). Everything it
 * keeps in iteration order is an insertion-ordered OrderedLongMap, a LinkedHashMap or a TreeMap,
 * so traces do not depend on hashing.
 *
 * <p>Construction: on a network, {@code TcpStack s = host.attach(TcpStack::new)} (Linux defaults)
 * or {@code host.attach(TcpStack.factory(sysctls))}; standalone, {@code new TcpStack(sim, "client",
 * Ipv4.parse("10.0.0.1"), ipLayer, sysctls)}. Sockets come from {@link #socket()} and are driven
 * by {@code tcpsim.net.socket.SocketApi}.
 *
 * <p>Differences from Linux:
 * <ul>
 *   <li>ISNs follow secure_tcp_seq's shape (a keyed hash of the 4-tuple plus a 64 ns clock) with
 *       a key drawn from the seeded random source; timestamp offsets likewise, from the 4-tuple
 *       (secure_tcp_seq_and_ts_off, as in 6.18; earlier kernels from 4.12 used the address pair).</li>
 *   <li>Ephemeral ports follow __inet_hash_connect's walk (a per-destination offset from a keyed
 *       hash plus a perturbation table, even ports first, then odd, stepping by 2), with a 256-slot
 *       perturbation table instead of 65536 slots and the seeded source for its random bump.</li>
 *   <li>One IPv4 address per host; no IPv6, no SO_REUSEPORT.</li>
 *   <li>The per-namespace challenge-ACK limit counts per host, in whole seconds of virtual time
 *       (Linux: jiffies / HZ); its default is INT_MAX (off), as in Linux 6.x.</li>
 *   <li>TIME-WAIT is a light {@link TimeWaitSocket}; observers are told of its changes on a
 *       stand-in {@link TcpConnection} view with the same 4-tuple, since the real control
 *       block is gone.</li>
 * </ul>
 */
public final class TcpStack implements Transport {
  /** Receives every state change, for ss-style views, counters and traces. */
  public interface StateObserver {
    void stateChanged(long nowNanos, TcpConnection c, TcpState from, TcpState to, String cause);
  }

  /** Receives every segment this stack drops and why. */
  public interface DropObserver {
    void dropped(long nowNanos, Segment segment, DropReason reason);
  }

  private static final int PERTURB_SLOTS = 256;

  private final Simulation sim;
  private final String name;
  private final int address;
  private final IpLayer ip;
  private TcpSysctls sysctls;
  private boolean keepPayload;
  private final long secret;
  private final SimRandom portRandom;
  private final SimRandom challengeRandom;
  /** The per-namespace challenge-ACK budget: its second, and what is left of it. */
  private long challengeSecond = -1;
  private long challengeCount;
  private final int[] perturb = new int[PERTURB_SLOTS];

  /**
   * Connections by 4-tuple key (remote address, local port, remote port), in the order they were
   * hashed (the order ss lists them). A primitive map: no boxed key or entry per connection.
   */
  private final OrderedLongMap<TcpConnection> connections = new OrderedLongMap<>();
  private final Map<Integer, TcpConnection> listeners = new TreeMap<>();
  /** Sockets holding each local port (bound or connected). */
  private final Map<Integer, List<TcpConnection>> ports = new TreeMap<>();
  /** Light TIME-WAIT (and orphan FIN-WAIT-2) entries by 4-tuple key (the ehash's tw sockets). */
  private final OrderedLongMap<TimeWaitSocket> timeWait = new OrderedLongMap<>();
  /** How many timewait entries hold each local port (their place in the bind bucket). */
  private final Map<Integer, Integer> timeWaitPorts = new TreeMap<>();
  /** How many of those came from sockets without SO_REUSEADDR (tw_reuse = 0). */
  private final Map<Integer, Integer> timeWaitNoReusePorts = new TreeMap<>();
  private final long[] mib = new long[TcpMib.values().length];
  private final long[] drops = new long[DropReason.values().length];
  private final List<StateObserver> stateObservers = new ArrayList<>();
  private final List<DropObserver> dropObservers = new ArrayList<>();

  public TcpStack(Simulation sim, String name, int address, IpLayer ip, TcpSysctls sysctls) {
    this(sim, name, sim == null ? null : sim.random().split("tcp:" + name), address, ip, sysctls);
  }

  /**
   * The shape of {@link TransportFactory}, with Linux's default settings:
   * {@code TcpStack stack = host.attach(TcpStack::new)}. The stack's randomness (ISN and
   * timestamp keys, port choice) comes from the host's stream.
   */
  public TcpStack(Simulation sim, SimRandom hostRandom, IpLayer ip, int address) {
    this(sim, Ipv4.format(address), hostRandom == null ? null : hostRandom.split("tcp"), address,
        ip, TcpSysctls.defaults());
  }

  /** A factory for {@code host.attach(...)} with the given settings. */
  public static TransportFactory<TcpStack> factory(TcpSysctls sysctls) {
    return (sim, random, ip, address) -> new TcpStack(sim, Ipv4.format(address),
        random.split("tcp"), address, ip, sysctls);
  }

  private TcpStack(Simulation sim, String name, SimRandom random, int address, IpLayer ip,
      TcpSysctls sysctls) {
    if (sim == null || ip == null || sysctls == null || random == null) {
      throw new IllegalArgumentException("simulation, random, ip layer and sysctls must not be null");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("stack name must not be blank");
    }
    this.sim = sim;
    this.name = name;
    this.address = address;
    this.ip = ip;
    this.sysctls = sysctls;
    this.secret = random.split("secret").nextLong();
    this.portRandom = random.split("ports");
    this.challengeRandom = random.split("challenge-ack");
  }

  public Simulation sim() {
    return sim;
  }

  public String name() {
    return name;
  }

  public int address() {
    return address;
  }

  public TcpSysctls sysctls() {
    return sysctls;
  }

  /** Changes the settings; connections read them when they next act (as a sysctl write does). */
  public void setSysctls(TcpSysctls sysctls) {
    if (sysctls == null) {
      throw new IllegalArgumentException("sysctls must not be null");
    }
    this.sysctls = sysctls;
  }

  /** Whether segments carry payload bytes (for end-to-end content checks); off by default. */
  public boolean keepPayload() {
    return keepPayload;
  }

  public void setKeepPayload(boolean keep) {
    this.keepPayload = keep;
  }

  public void addStateObserver(StateObserver o) {
    stateObservers.add(o);
  }

  public void addDropObserver(DropObserver o) {
    dropObservers.add(o);
  }

  /**
   * A counter as nstat names it (TcpExtListenOverflows, TcpRetransSegs, ...), or a drop count as
   * {@code drop:REASON}; 0 if never counted.
   */
  public long counter(String counterName) {
    TcpMib m = TcpMib.byName(counterName);
    if (m != null) {
      return mib[m.ordinal()];
    }
    if (counterName.startsWith("drop:")) {
      for (DropReason r : DropReason.values()) {
        if (counterName.equals("drop:" + r.name())) {
          return drops[r.ordinal()];
        }
      }
    }
    return 0;
  }

  public long counter(TcpMib m) {
    return mib[m.ordinal()];
  }

  /** Segments this stack dropped for {@code reason}. */
  public long drops(DropReason reason) {
    return drops[reason.ordinal()];
  }

  /** Every non-zero counter and drop count ({@code drop:REASON}), sorted by name. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    for (TcpMib m : TcpMib.values()) {
      if (mib[m.ordinal()] != 0) {
        out.put(m.name(), mib[m.ordinal()]);
      }
    }
    for (DropReason r : DropReason.values()) {
      if (drops[r.ordinal()] != 0) {
        out.put("drop:" + r.name(), drops[r.ordinal()]);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  void count(TcpMib m) {
    mib[m.ordinal()]++;
  }

  /** Every connection and listener, in creation order then by port, as ss lists sockets. */
  public List<TcpConnection> sockets() {
    List<TcpConnection> all = new ArrayList<>(listeners.values());
    all.addAll(connections.values());
    return all;
  }

  // ---------------------------------------------------------------------------------------
  // Socket calls (used by SocketApi)
  // ---------------------------------------------------------------------------------------

  /**
   * How many distinct local ports are held: by bound, listening or connected sockets and by
   * TIME-WAIT entries (what exhausts ip_local_port_range).
   */
  public int localPortsInUse() {
    int n = ports.size();
    for (Integer p : timeWaitPorts.keySet()) {
      if (!ports.containsKey(p)) {
        n++;
      }
    }
    return n;
  }

  /** The light TIME-WAIT entries (and orphan FIN-WAIT-2 ones), in the order they were made. */
  public List<TimeWaitSocket> timeWaitSockets() {
    return List.copyOf(timeWait.values());
  }

  /** The timewait entry for this 4-tuple, or null. */
  public TimeWaitSocket timeWaitSocket(int remoteAddr, int localPort, int remotePort) {
    return timeWait.get(key(remoteAddr, localPort, remotePort));
  }

  /** The kernel tick rate the timers are rounded to (tcpsim.config_hz; 0 = exact). */
  int configHz() {
    return sysctls.configHz();
  }

  /**
   * The tick rate of the stack's jiffy arithmetic (RTO, TCP_TIMEOUT_MIN): tcpsim.config_hz, or
   * {@link RttEstimator#DEFAULT_HZ} when timers are exact (0).
   */
  int jiffyHz() {
    int hz = sysctls.configHz();
    return hz > 0 ? hz : RttEstimator.DEFAULT_HZ;
  }

  /**
   * sk_reset_timer / mod_timer for every timer_list timer of the stack (retransmission, loss
   * probe, zero-window probe, delayed ACK, keepalive, FIN-WAIT-2, TIME-WAIT, SYN-ACK): the
   * timer's expiry is {@code jiffies + when} and it fires where the kernel's timer wheel puts it
   * at tcpsim.config_hz ({@link TcpTimeouts#timerWheelDelayNanos}).
   *
   * @return the simulation handle
   */
  long armTimer(long delayNanos, EventHandler handler, long arg) {
    return sim.scheduleAfter(timerDelayNanos(delayNanos), handler, arg);
  }

  /** After how long a timer armed now for {@code delayNanos} fires (see {@link #armTimer}). */
  long timerDelayNanos(long delayNanos) {
    return TcpTimeouts.timerWheelDelayNanos(sim.now(), delayNanos, sysctls.configHz());
  }

  /** The expiry ({@code jiffies + when}) of a timer armed now with {@link #armTimer}. */
  long timerExpiresNanos(long delayNanos) {
    return TcpTimeouts.timerExpiresNanos(sim.now(), delayNanos, sysctls.configHz());
  }

  /** {@code jiffies} as a time: the last tick at or before now (now itself when timers are exact). */
  long jiffiesNanos() {
    int hz = sysctls.configHz();
    long now = sim.now();
    return hz > 0 ? now - now % TcpTimeouts.jiffyNanos(hz) : now;
  }

  /** TCP_TIMEWAIT_LEN (tcpsim.tcp_timewait_len). */
  long timeWaitLenNanos() {
    return Nanos.seconds(sysctls.timeWaitLenSeconds());
  }

  /**
   * tcp_time_wait / inet_twsk_alloc / inet_twsk_hashdance: a light entry replaces {@code c} in
   * the connection table and in its port's bind bucket; null when tcp_max_tw_buckets entries
   * already exist (TcpExtTCPTimeWaitOverflow), and then the socket just closes.
   */
  TimeWaitSocket admitTimeWait(TcpConnection c, TcpState substate, int sndNxt, int rcvNxt,
      int window, long lenNanos) {
    if (timeWaitFull()) {
      count(TcpMib.TcpExtTCPTimeWaitOverflow);
      return null;
    }
    // tcp_time_wait: a true TIME-WAIT entry stamps TS.Recent with the time it was entered (in ms,
    // Linux 6.13+), so tcp_tw_reuse_delay counts from there; a FIN-WAIT-2 one keeps the socket's.
    long stamp = c.has(TcpConnection.TS_OK) ? c.tsRecentStampNanos : 0;
    if (stamp != 0 && substate == TcpState.TIME_WAIT) {
      stamp = Math.max(1, sim.now());
    }
    TimeWaitSocket tw = new TimeWaitSocket(this, c.localAddress(), c.localPort, c.remoteAddr,
        c.remotePort, sndNxt, rcvNxt, window, c.rcv.receiveWindow(), c.has(TcpConnection.TS_OK),
        c.tsOffset, c.tsRecent, stamp, c.has(TcpConnection.REUSE_ADDR), substate);
    long k = key(c.remoteAddr, c.localPort, c.remotePort);
    if (c.has(TcpConnection.HASHED)) {
      connections.remove(k);
      c.flags &= ~TcpConnection.HASHED;
    }
    if (c.has(TcpConnection.BOUND)) {
      List<TcpConnection> holders = ports.get(c.localPort);
      if (holders != null) {
        holders.remove(c);
        if (holders.isEmpty()) {
          ports.remove(c.localPort);
        }
      }
      c.flags &= ~TcpConnection.BOUND;
    }
    timeWait.put(k, tw);
    timeWaitPorts.merge(tw.localPort, 1, Integer::sum);
    if (!tw.reuseAddr) {
      timeWaitNoReusePorts.merge(tw.localPort, 1, Integer::sum);
    }
    tw.schedule(lenNanos);
    return tw;
  }

  /** tcp_max_tw_buckets entries exist already (inet_twsk_alloc would fail). */
  boolean timeWaitFull() {
    return timeWait.size() >= sysctls.maxTwBuckets();
  }

  /** inet_twsk_kill: the entry leaves the tables and frees its port; observers see CLOSE. */
  void killTimeWait(TimeWaitSocket tw, String cause) {
    TcpState from = tw.substate;
    tw.deschedule();
    long k = key(tw.remoteAddr, tw.localPort, tw.remotePort);
    if (timeWait.get(k) == tw) {
      timeWait.remove(k);
      timeWaitPorts.computeIfPresent(tw.localPort, (p, n) -> n == 1 ? null : n - 1);
      if (!tw.reuseAddr) {
        timeWaitNoReusePorts.computeIfPresent(tw.localPort, (p, n) -> n == 1 ? null : n - 1);
      }
    }
    timeWaitStateChanged(tw, from, TcpState.CLOSE, cause);
  }

  /**
   * Observers take a TcpConnection: a timewait entry's change is reported on a stand-in view
   * with the same 4-tuple (the real control block is gone, as in Linux). Made only when someone
   * observes.
   */
  private void timeWaitStateChanged(TimeWaitSocket tw, TcpState from, TcpState to, String cause) {
    if (stateObservers.isEmpty()) {
      return;
    }
    TcpConnection view = TcpConnection.timeWaitView(this, tw, to);
    stateChanged(view, from, to, cause);
  }

  /**
   * tcp_v4_rcv's TIME-WAIT branch: run tcp_timewait_state_process and act on its verdict. A
   * TCP_TW_SYN goes to the listener with the new ISN (tcp_tw_isn); with no listener it is ACKed.
   */
  private void timeWaitInput(TimeWaitSocket tw, Segment seg) {
    TcpState before = tw.substate;
    TimeWaitSocket.Verdict v = tw.process(seg);
    if (before != tw.substate) {
      timeWaitStateChanged(tw, before, tw.substate, "FIN in FIN-WAIT-2");
    }
    switch (v) {
      case TCP_TW_SUCCESS -> {
        if (tw.takeKill()) {
          killTimeWait(tw, "RST in " + tw.substate + " (tcp_rfc1337=0)");
        } else if (seg.has(RST)) {
          drop(seg, DropReason.TCP_RESET);
        }
      }
      case TCP_TW_RST -> {
        sendReset(seg);
        killTimeWait(tw, "segment for a closed socket in FIN-WAIT-2");
      }
      case TCP_TW_ACK -> tw.sendAck();
      case TCP_TW_SYN -> {
        TcpConnection l = listeners.get(seg.dstPort());
        if (l != null) {
          killTimeWait(tw, "SYN opens a new incarnation (TCP_TW_SYN)");
          forceNextIsn(tw.newIncarnationIsn());
          l.listener.segmentArrives(seg);
          forcedIsnPending = false;
        } else {
          tw.sendAck();
        }
      }
    }
  }

  /** A new socket: CLOSE, unbound. */
  public TcpConnection socket() {
    return new TcpConnection(this);
  }

  /**
   * bind (inet_bind, inet_csk_get_port): port 0 picks a free ephemeral port; a port held by
   * another socket is EADDRINUSE unless both set SO_REUSEADDR and the holder is not listening.
   */
  public Errno bind(TcpConnection s, int port) {
    if (s.has(TcpConnection.BOUND) || s.state != TcpState.CLOSE) {
      return Errno.EINVAL;
    }
    if (port < 0 || port > 65535) {
      return Errno.EINVAL;
    }
    if (port == 0) {
      int p = pickBindPort(s);
      if (p < 0) {
        return Errno.EADDRINUSE;
      }
      port = p;
    } else if (bindConflict(s, port)) {
      return Errno.EADDRINUSE;
    }
    s.localPort = port;
    s.flags |= TcpConnection.BOUND;
    s.flags |= TcpConnection.BOUND_EXPLICITLY;
    ports.computeIfAbsent(port, k -> new ArrayList<>()).add(s);
    return null;
  }

  private boolean bindConflict(TcpConnection s, int port) {
    List<TcpConnection> holders = ports.get(port);
    if (holders == null) {
      return timeWaitConflict(s, port);
    }
    for (TcpConnection h : holders) {
      if (h == s) {
        continue;
      }
      if (h.state == TcpState.LISTEN) {
        return true;
      }
      if (!(s.has(TcpConnection.REUSE_ADDR) && h.has(TcpConnection.REUSE_ADDR))) {
        return true;
      }
    }
    return timeWaitConflict(s, port);
  }

  /**
   * Timewait entries stay in the port's bind bucket (inet_bind_conflict): binding over them
   * needs SO_REUSEADDR on both, the new socket and the one the entry came from (tw_reuse). A
   * 6.18 kernel refused such a bind with EADDRINUSE when only the new socket had it.
   */
  private boolean timeWaitConflict(TcpConnection s, int port) {
    if (!timeWaitPorts.containsKey(port)) {
      return false;
    }
    return !s.has(TcpConnection.REUSE_ADDR) || timeWaitNoReusePorts.containsKey(port);
  }

  /** inet_csk_find_open_port: odd ports first for bind(0) (connect prefers even ones). */
  private int pickBindPort(TcpConnection s) {
    int low = sysctls.localPortLow();
    int high = sysctls.localPortHigh();
    int remaining = high - low + 1;
    int offset = (int) Long.remainderUnsigned(portRandom.nextLong(), remaining) | 1;
    for (int parity = 0; parity < 2; parity++) {
      for (int i = 0; i < remaining; i += 2) {
        int port = low + (offset + i) % remaining;
        if (!ports.containsKey(port) && !timeWaitPorts.containsKey(port)) {
          return port;
        }
      }
      offset++;
    }
    return -1;
  }

  /** listen (inet_listen): the socket must be CLOSE; binds an ephemeral port if unbound. */
  public Errno listen(TcpConnection s, int backlog) {
    if (s.state == TcpState.LISTEN) {
      s.listener.setBacklog(backlog); // listen() again only changes the backlog
      return null;
    }
    if (s.state != TcpState.CLOSE) {
      return Errno.EINVAL;
    }
    if (!s.has(TcpConnection.BOUND)) {
      Errno e = bind(s, 0);
      if (e != null) {
        return e;
      }
    }
    for (TcpConnection h : ports.getOrDefault(s.localPort, List.of())) {
      if (h != s && h.state == TcpState.LISTEN) {
        return Errno.EADDRINUSE;
      }
    }
    s.listener = new Listener(s, backlog);
    s.setState(TcpState.LISTEN, "listen");
    listeners.put(s.localPort, s);
    return null;
  }

  /** accept: the oldest established child, or null when the accept queue is empty. */
  public TcpConnection accept(TcpConnection listening) {
    if (listening.listener == null) {
      return null;
    }
    return listening.listener.poll();
  }

  /**
   * connect (tcp_v4_connect): picks an ephemeral port when unbound (__inet_hash_connect), checks
   * the 4-tuple is free, and sends the SYN.
   */
  public Errno connect(TcpConnection s, int remoteAddr, int remotePort) {
    if (s.state != TcpState.CLOSE) {
      return s.state == TcpState.SYN_SENT ? Errno.EALREADY
          : s.state == TcpState.LISTEN ? Errno.EINVAL : Errno.EISCONN;
    }
    if (remotePort <= 0 || remotePort > 65535) {
      return Errno.ECONNREFUSED;
    }
    if (!s.has(TcpConnection.BOUND)) {
      int port = pickConnectPort(remoteAddr, remotePort);
      if (port < 0) {
        return Errno.EADDRNOTAVAIL;
      }
      TimeWaitSocket tw = timeWait.get(key(remoteAddr, port, remotePort));
      if (tw != null) {
        takeOverTimeWait(s, tw); // connectPortUsable found it reusable
      }
      s.localPort = port;
      s.flags |= TcpConnection.BOUND;
      ports.computeIfAbsent(port, k -> new ArrayList<>()).add(s);
    } else if (connections.containsKey(key(remoteAddr, s.localPort, remotePort))) {
      return Errno.EADDRNOTAVAIL;
    } else {
      TimeWaitSocket tw = timeWait.get(key(remoteAddr, s.localPort, remotePort));
      if (tw != null) {
        // __inet_hash_connect with the port already bound: check_established(..., twp = NULL),
        // where tcp_twsk_unique takes over any entry that saw timestamps, whatever tcp_tw_reuse.
        if (!twskUnique(tw, false)) {
          return Errno.EADDRNOTAVAIL;
        }
        takeOverTimeWait(s, tw);
      }
    }
    count(TcpMib.TcpActiveOpens); // tcp_connect
    s.open(remoteAddr, remotePort);
    return null;
  }

  /**
   * __inet_hash_connect: start at a keyed hash of the destination plus a per-destination
   * perturbation, scan even offsets then odd ones in steps of 2; a port is usable when no socket
   * bound it explicitly and the 4-tuple is unused. On success the perturbation moves on by the
   * distance scanned (at least a random 0..7 steps) plus one step.
   */
  private int pickConnectPort(int remoteAddr, int remotePort) {
    int low = sysctls.localPortLow();
    int high = sysctls.localPortHigh();
    int remaining = high - low + 1;
    long h = TraceDigest.mix(secret ^ ((long) address << 32) ^ (remoteAddr & 0xffffffffL)
        ^ ((long) remotePort << 48));
    int index = (int) (h & (PERTURB_SLOTS - 1));
    long portOffset = h >>> 16;
    int offset = (int) Long.remainderUnsigned(perturb[index] + portOffset, remaining);
    offset &= ~1;
    int step = 2;
    for (int parity = 0; parity < 2; parity++) {
      int port = low + offset;
      for (int i = 0; i < remaining; i += step, port += step) {
        if (port > high) {
          port -= remaining;
        }
        if (connectPortUsable(port, remoteAddr, remotePort)) {
          int bump = Math.max(i, portRandom.nextInt(8) * step);
          perturb[index] += bump + step;
          return port;
        }
      }
      offset++;
    }
    return -1;
  }

  private boolean connectPortUsable(int port, int remoteAddr, int remotePort) {
    List<TcpConnection> holders = ports.get(port);
    if (holders != null) {
      for (TcpConnection h : holders) {
        if (h.has(TcpConnection.BOUND_EXPLICITLY)) {
          return false;
        }
      }
    }
    long k = key(remoteAddr, port, remotePort);
    if (connections.containsKey(k)) {
      return false;
    }
    TimeWaitSocket tw = timeWait.get(k);
    return tw == null || twskUnique(tw, true);
  }

  /**
   * tcp_twsk_unique: may a connect take over this timewait 4-tuple? Only an entry that saw
   * timestamps (so PAWS guards the new incarnation): with the port bound by the application any
   * such entry, an orphaned FIN-WAIT-2 one too; when the kernel picks the port, only a TIME-WAIT
   * one, under tcp_tw_reuse (1; 2 = when either address is loopback), and once its stamp is more
   * than tcp_tw_reuse_delay old (time_after32(tcp_clock_ms(), ts_recent_stamp + reuse_delay)).
   */
  boolean twskUnique(TimeWaitSocket tw, boolean kernelPickedPort) {
    if (tw.tsRecentStampNanos == 0) {
      return false;
    }
    if (!kernelPickedPort) {
      return true;
    }
    int reuse = tw.substate == TcpState.FIN_WAIT2 ? 0 : sysctls.twReuse();
    if (reuse == 2 && !isLoopback(tw.remoteAddr) && !isLoopback(tw.localAddr)) {
      reuse = 0;
    }
    long sinceStampMs = sim.now() / Nanos.PER_MILLI - tw.tsRecentStampNanos / Nanos.PER_MILLI;
    return reuse != 0 && sinceStampMs > sysctls.twReuseDelayMs();
  }

  private static boolean isLoopback(int addr) {
    return (addr >>> 24) == 127;
  }

  /**
   * __inet_check_established taking over a TIME-WAIT entry (TcpExtTWRecycled): the new
   * connection starts at the old SND.NXT + 65535 + 2 and inherits TS.Recent.
   */
  private void takeOverTimeWait(TcpConnection s, TimeWaitSocket tw) {
    count(TcpMib.TcpExtTWRecycled);
    s.presetIss = tw.newIncarnationIsn();
    s.tsRecent = tw.tsRecent;
    s.tsRecentStampNanos = tw.tsRecentStampNanos;
    killTimeWait(tw, "taken over by connect (tcp_tw_reuse)");
  }

  // ---------------------------------------------------------------------------------------
  // Transport: the network delivers here
  // ---------------------------------------------------------------------------------------

  /** tcp_v4_rcv: find the socket by 4-tuple, then a listener by port, else answer with RST. */
  @Override
  public void input(Segment seg) {
    count(TcpMib.TcpInSegs);
    if (seg.dstAddr() != address) {
      drop(seg, DropReason.NO_SOCKET);
      return;
    }
    long k = key(seg.srcAddr(), seg.dstPort(), seg.srcPort());
    TcpConnection c = connections.get(k);
    if (c != null) {
      c.segmentArrives(seg);
      return;
    }
    TimeWaitSocket tw = timeWait.get(k);
    if (tw != null) {
      timeWaitInput(tw, seg);
      return;
    }
    TcpConnection l = listeners.get(seg.dstPort());
    if (l != null) {
      l.listener.segmentArrives(seg);
      return;
    }
    replyToClosed(seg, DropReason.NO_SOCKET);
  }

  /** The host rebooted: every socket and timer vanishes, nothing is sent. */
  @Override
  public void reboot() {
    for (TcpConnection c : connections.values()) {
      c.vanish();
    }
    for (TcpConnection l : new ArrayList<>(listeners.values())) {
      l.listener.closeAllSilently();
      l.vanish();
    }
    for (TimeWaitSocket tw : timeWait.values()) {
      tw.deschedule();
    }
    connections.clear();
    listeners.clear();
    ports.clear();
    timeWait.clear();
    timeWaitPorts.clear();
    timeWaitNoReusePorts.clear();
  }

  /** §3.10.7.1 CLOSED: a segment to no socket gets a RST, unless it is one. */
  void replyToClosed(Segment seg, DropReason reason) {
    if (!seg.has(RST)) {
      sendReset(seg);
    }
    drop(seg, reason);
  }

  /**
   * tcp_v4_send_reset, with RFC 9293 §3.10.7.1's numbers: to a segment with ACK, RST with
   * seq = SEG.ACK; otherwise RST,ACK with seq 0 and ack = SEG.SEQ + SEG.LEN (SYN and FIN count).
   * Never in answer to a RST.
   */
  void sendReset(Segment seg) {
    if (seg.has(RST)) {
      return;
    }
    Segment rst;
    if (seg.has(ACK)) {
      rst = new Segment(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort(), seg.ack(), 0,
          RST, 0, 0, TcpOptions.NONE, 0, null);
    } else {
      rst = new Segment(seg.dstAddr(), seg.dstPort(), seg.srcAddr(), seg.srcPort(), 0,
          seg.seq() + seg.seqLength(), RST | ACK, 0, 0, TcpOptions.NONE, 0, null);
    }
    count(TcpMib.TcpOutRsts);
    transmit(rst);
  }

  void transmit(Segment seg) {
    count(TcpMib.TcpOutSegs);
    ip.output(seg);
  }

  void drop(Segment seg, DropReason reason) {
    drops[reason.ordinal()]++;
    if (seg != null) {
      for (DropObserver o : dropObservers) {
        o.dropped(sim.now(), seg, reason);
      }
    }
  }

  /**
   * The per-socket rate limit on the ACKs a socket sends to segments it refuses (tcp_invalid_ratelimit,
   * 500 ms), shared by every caller as the kernel shares tp->last_oow_ack_time (and
   * tw_last_oow_ack_time in TIME-WAIT). {@code tcp_oow_rate_limited}: a segment that occupies
   * sequence space without a SYN (data or a FIN) is never limited ("Data packets without SYNs are
   * not likely part of an ACK loop"); otherwise {@code __tcp_oow_rate_limited}: an ACK within the
   * interval after the last one is skipped and counted in {@code skipped}. A RST is never
   * answered, so it never reaches here.
   *
   * @param seg the refused segment, or null for a challenge ACK (tcp_send_challenge_ack applies
   *     the limit to any segment)
   * @param lastOowAckNanos when the socket last sent such an ACK; 0 never
   * @return the time to keep as the socket's last such ACK (unchanged for an exempt segment),
   *     or -1 when the ACK is skipped
   */
  long oowRateLimit(Segment seg, long lastOowAckNanos, TcpMib skipped) {
    if (seg != null && seg.end() != seg.seq() && !seg.has(SYN)) {
      return lastOowAckNanos;
    }
    long now = sim.now();
    long gap = Nanos.millis(sysctls.value(Sysctl.TCP_INVALID_RATELIMIT));
    if (lastOowAckNanos != 0 && now - lastOowAckNanos < gap) {
      count(skipped);
      return -1;
    }
    return now == 0 ? 1 : now;
  }

  /**
   * tcp_send_challenge_ack's limits: the per-socket one ({@link #oowRateLimit},
   * TcpExtTCPACKSkippedChallenge), then the per-namespace one.
   */
  boolean allowChallengeAck(TcpConnection c) {
    long stamp = oowRateLimit(null, c.lastOowAckNanos, TcpMib.TcpExtTCPACKSkippedChallenge);
    if (stamp < 0) {
      return false;
    }
    c.lastOowAckNanos = stamp;
    long now = sim.now();
    // Then the per-namespace limit (tcp_send_challenge_ack): off at INT_MAX, Linux 6.x's default;
    // otherwise each second gets a random budget in [limit/2, limit + limit/2 - 1] (rounded up
    // halves), so an attacker cannot count the challenge ACKs to infer sequence numbers
    // (CVE-2016-5696).
    int limit = sysctls.challengeAckLimit();
    if (limit == Integer.MAX_VALUE) {
      return true;
    }
    long second = now / Nanos.PER_SECOND;
    if (second != challengeSecond) {
      challengeSecond = second;
      long half = ((long) limit + 1) >> 1;
      long high = (limit + half - 1) & 0xffffffffL; // u32 arithmetic, as the kernel's
      challengeCount = high < half ? half : half + challengeRandom.nextLong(high - half + 1);
    }
    if (challengeCount > 0) {
      challengeCount--;
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------
  // Connection bookkeeping
  // ---------------------------------------------------------------------------------------

  /** The connection of a 4-tuple in the established table, or null (__inet_lookup_established). */
  public TcpConnection connection(int remoteAddr, int localPort, int remotePort) {
    return connections.get(key(remoteAddr, localPort, remotePort));
  }

  static long key(int remoteAddr, int localPort, int remotePort) {
    return ((long) remoteAddr << 32) | ((long) localPort << 16) | remotePort;
  }

  void hash(TcpConnection c) {
    connections.put(key(c.remoteAddr, c.localPort, c.remotePort), c);
    c.flags |= TcpConnection.HASHED;
  }

  void unhash(TcpConnection c) {
    if (c.has(TcpConnection.HASHED)) {
      connections.remove(key(c.remoteAddr, c.localPort, c.remotePort));
      c.flags &= ~TcpConnection.HASHED;
    }
    if (c.state == TcpState.CLOSE && listeners.get(c.localPort) == c) {
      listeners.remove(c.localPort);
    }
    if (c.has(TcpConnection.ORPHAN)) {
      release(c);
    }
  }

  /** A listener stops listening but keeps its port (tcp_disconnect on a listener). */
  void stopListening(TcpConnection c) {
    if (listeners.get(c.localPort) == c) {
      listeners.remove(c.localPort);
    }
  }

  /** The application let go of the socket and it is closed: its port is free. */
  void release(TcpConnection c) {
    if (c.state != TcpState.CLOSE) {
      return;
    }
    stopListening(c);
    if (c.has(TcpConnection.BOUND)) {
      List<TcpConnection> holders = ports.get(c.localPort);
      if (holders != null) {
        holders.remove(c);
        if (holders.isEmpty()) {
          ports.remove(c.localPort);
        }
      }
      c.flags &= ~TcpConnection.BOUND;
    }
  }

  /** tcp_create_openreq_child: the child socket born from a request at its final ACK. */
  TcpConnection createChild(TcpConnection listening, RequestSock req) {
    count(TcpMib.TcpPassiveOpens); // tcp_create_openreq_child
    TcpConnection c = new TcpConnection(this);
    c.localPort = listening.localPort;
    c.remoteAddr = req.remoteAddr;
    c.remotePort = req.remotePort;
    c.flags |= TcpConnection.BOUND | TcpConnection.BOUND_EXPLICITLY // the listener's bind bucket
        | listening.flags & (TcpConnection.REUSE_ADDR
        | TcpConnection.NO_DELAY | TcpConnection.KEEP_ALIVE | TcpConnection.SND_BUF_LOCKED
        | TcpConnection.RCV_BUF_LOCKED); // the options a child inherits
    if (listening.opts.userMss != 0) {
      c.ownOptions().userMss = listening.opts.userMss; // of the options, only TCP_MAXSEG is copied
    }
    c.sndBuf = listening.sndBuf;
    c.rcvBuf = listening.rcvBuf;
    if (listening.opts.lingerOn) { // sk_clone_lock copies SOCK_LINGER and sk_lingertime
      c.ownOptions().lingerOn = true;
      c.ownOptions().lingerSeconds = listening.opts.lingerSeconds;
    }
    c.iss = req.iss;
    c.sndUna = req.iss;
    c.sndNxt = req.iss + 1;
    c.writeSeq = req.iss + 1;
    c.sndSml = req.iss;
    c.rcv = new ReceiveBuffer(req.irs, c.rcvBuf, keepPayload);
    int windowMss = req.windowMss > 0 ? req.windowMss
        : c.advertisedMss() - (req.tsOk ? TcpConnection.TS_ALIGNED : 0);
    c.synWindow = c.rcv.chooseInitialWindow(windowMss, req.peerWscale >= 0,
        c.has(TcpConnection.RCV_BUF_LOCKED), sysctls.rmemMax(), sysctls.coreRmemMax());
    c.tsOffset = req.tsOffset;
    if (req.tsOk) {
      c.storeTsRecent(req.tsRecent);
    }
    c.setFlag(TcpConnection.WSCALE_OK, req.peerWscale >= 0);
    c.sndWscale = Math.max(req.peerWscale, 0);
    c.setFlag(TcpConnection.SACK_OK, req.sackOk);
    c.setFlag(TcpConnection.TS_OK, req.tsOk);
    if (!c.has(TcpConnection.WSCALE_OK)) {
      c.rcv.disableWindowScaling();
    }
    c.negotiateFromRequest(req.peerMss);
    // Karn: only a SYN-ACK sent once times the handshake.
    c.synSentNanos = req.numRetrans == 0 ? req.synAckSentNanos : -1;
    c.handshakeRetransmits = req.numRetrans;
    c.setState(TcpState.SYN_RECV, "final ACK of a passive open");
    ports.computeIfAbsent(c.localPort, k -> new ArrayList<>()).add(c);
    hash(c);
    return c;
  }

  void stateChanged(TcpConnection c, TcpState from, TcpState to, String cause) {
    for (StateObserver o : stateObservers) {
      o.stateChanged(sim.now(), c, from, to, cause);
    }
  }

  /**
   * secure_tcp_seq's shape: a keyed hash of the 4-tuple plus the clock in 64 ns units, so a new
   * incarnation of a 4-tuple starts above the old one.
   */
  int initialSequence(int localAddr, int localPort, int remoteAddr, int remotePort) {
    if (forcedIsnPending) {
      forcedIsnPending = false;
      return forcedIsn;
    }
    long tuple = ((long) localAddr << 32) ^ (remoteAddr & 0xffffffffL) ^ ((long) localPort << 16)
        ^ ((long) remotePort << 48);
    return (int) TraceDigest.mix(secret ^ tuple) + (int) (sim.now() >> 6);
  }

  /** syncookie_secret[c]: the keys of the two cookie hashes. */
  long cookieSecret(int c) {
    return TraceDigest.mix(secret + 0x5ca1ab1eL * (c + 1));
  }

  private boolean forcedIsnPending;
  private int forcedIsn;

  /** Tests only: the next connection (active or passive) starts at {@code isn}, to cross the wrap. */
  void forceNextIsn(int isn) {
    forcedIsnPending = true;
    forcedIsn = isn;
  }

  /**
   * The timestamp offset: the other half of the keyed hash of the 4-tuple the ISN comes from
   * (secure_tcp_seq_and_ts_off, Linux 6.18). Kernels from 4.12 keyed it on the address pair alone
   * (secure_tcp_ts_off); a 6.18 kernel gives two connections from different ports unrelated TS
   * values, and the same 4-tuple the same offset in each incarnation.
   */
  int tsOffset(int localAddr, int localPort, int remoteAddr, int remotePort) {
    long tuple = ((long) localAddr << 32) ^ (remoteAddr & 0xffffffffL) ^ ((long) localPort << 16)
        ^ ((long) remotePort << 48);
    return (int) TraceDigest.mix(secret * 31 + tuple);
  }

  @Override
  public String toString() {
    return "TcpStack[" + name + " " + Ipv4.format(address) + ", " + connections.size()
        + " connections, " + listeners.size() + " listeners]";
  }
}
