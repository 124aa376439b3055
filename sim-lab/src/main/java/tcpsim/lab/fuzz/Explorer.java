package tcpsim.lab.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tcpsim.core.check.Invariant;
import tcpsim.core.trace.TraceDigest;
import tcpsim.net.host.Host;
import tcpsim.net.link.Link;
import tcpsim.net.link.LinkRule;
import tcpsim.net.link.WireTap;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpInfo;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.tcp.TimeWaitSocket;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * Exhaustive exploration of a small teardown scenario, to the fixpoint. From an established
 * connection with 1000 bytes sent each way, every interleaving of
 * <ul>
 *   <li>each side's calls: close, close after SO_LINGER {1, 0}, shutdown SHUT_RD, SHUT_WR or
 *       SHUT_RDWR, recv (none once the side has closed);
 *   <li>the fate of each segment in flight: delivered, dropped, duplicated (one copy now, one
 *       late) or held (late: past the segments behind it and past timers), at most one fault per
 *       segment; a late segment arrives whenever the path likes, or dies one MSL after it was sent;
 *   <li>time: the next timer fires (retransmission, delayed ACK, FIN_WAIT2, TIME_WAIT), which
 *       waits until no segment is on time in flight, since the link's 100 us is shorter than any
 *       timer (40 ms delayed ACK, 200 ms minimum RTO);
 * </ul>
 * is explored breadth first until every reachable state has been expanded. The network is the
 * explorer's: once the connection is set up, a link rule takes every segment off the wire and the
 * explorer keeps them in per-link queues (in order, and late), handing one to the receiving host
 * as a step. Time moves only to the next timer, so there is no step size to choose and a quiet
 * state has no time step at all.
 *
 * <p>Budgets: any segment may be dropped (each at most once) by default, and no segment held or
 * duplicated; {@code maxLate} allows that many late segments per path. A late segment lives on
 * beside everything else until it arrives or dies, so each multiplies the states it crosses: one
 * per path makes the space 5.5 times larger, two 18 times, and the space with any number of them
 * has no fixpoint in reach searched this way. {@link #anyLate} searches a space that contains it
 * instead, where each link's segments are a pool they may arrive from any number of times, and a
 * state whose pools are contained in another's is covered by it; that one reaches its fixpoint
 * (see docs/fuzzing.md).
 *
 * <p>States are merged by {@link #digest}: each socket's state (the stack's table and the
 * applications' own sockets, which stay after a reset takes them out of the table), bytes
 * acknowledged and received, queued and unacknowledged bytes, shutdown flags, reset and pending
 * error, which timer is armed and how many retransmissions or probes it counts (not its backoff, which
 * only sets a deadline), the
 * congestion state and the segments retransmitted, lost and SACKed; the TIME_WAIT
 * entries; the segments in each queue (flags, sequence and acknowledgement numbers, length: every
 * path shares the handshake, so the ISNs, and with them the sequence numbers, are the same on
 * all); the number of pending events. Timer deadlines and the clock are not in it, so two states
 * it merges may differ in when their next timer fires: the counts are of states up to time.
 *
 * <p>The errno values the calls returned are not in the digest either: they are what the
 * application saw, not state (nothing reads them back). Each transition keeps the errno values
 * its call returned, and once the graph is complete they are propagated along the transitions to
 * a fixpoint, so each end pair lists every errno value some path to it saw, and whether some path
 * to it saw none. EAGAIN (no data yet) is not an outcome.
 *
 * <p>A path ends when both applications have closed, nothing is in flight and the only sockets
 * left are TIME_WAIT entries (or no timer is left to move anything): the pair of socket states is
 * recorded, and the quiesce step (the network back to normal, 10 minutes) checks nothing is left.
 *
 * <p>Worlds: the search plays every state on one world. A snapshot of it just after the prefix
 * is kept ({@link GraphCopy#snapshot}); each state puts the world back to it and plays its path
 * once, takes a snapshot of the result, and before each transition out of it but the first puts
 * the world back to that snapshot (a call that changed nothing the digest sees, shutdown twice or
 * recv with nothing to read, hands its world on instead). Putting back costs a few microseconds
 * where a replay of the path on a fresh world cost tens. {@link Worlds#REPLAY}, that replay for
 * every transition, is the reference the restores are tested against (the same states,
 * transitions and end pairs). Invariants are checked after each transition, on the world it made:
 * the worlds record violations rather than throw, so one check covers every step of the path.
 *
 * <p>Partial-order reduction (on unless asked off): while a segment is on time in flight to host
 * h, only the steps that touch h are expanded ({@link #persistent}); the other host's steps commute
 * with them and are taken after. Every path of the full graph has an equivalent path (the same
 * steps, each host's in the same order) in the reduced one, so the end pairs and their errno
 * values are the same; the states counted are the reduced graph's. The cycle proviso is checked
 * on the graph made ({@link #checkNoIgnoredStep}).
 *
 * <p>Caveats: a segment on time reaches its host before any timer fires, so a timer racing a
 * segment sent within 100 us of its deadline is reached only through a hold; time is not in the
 * digest, so among states equal up to time only the first found is expanded.
 */
public final class Explorer {
  /**
   * What an exploration found.
   *
   * @param endPairs by "client states | server states" at the end of a path, what the paths
   *     reaching it saw
   * @param fixpoint whether every reachable state was expanded (false when the depth limit cut
   *     some off, or a violation stopped the search)
   * @param covered with pools ({@link #anyLate}): the states counted that a later one covered
   *     before they were expanded
   * @param largestPool with pools: the most segments one link's pool held
   */
  public record Result(int states, long transitions, TreeMap<String, EndPair> endPairs,
      String violation, List<String> violationPath, long replays, long copies, long restores, int depth,
      boolean fixpoint, int covered, int largestPool) {}

  /**
   * One end pair: how many explored states end there, whether some path to it saw no errno, and
   * every "side call=ERRNO" some path to it saw (EAGAIN left out).
   */
  public record EndPair(int states, boolean withoutErrno, TreeSet<String> errnos) {}

  static final List<FuzzAction> PREFIX = List.of(new FuzzAction.Connect(), new FuzzAction.Advance(300),
      new FuzzAction.Send(0, 1000), new FuzzAction.Send(1, 1000), new FuzzAction.Advance(300));

  /** One step of a path: a call, the fate of a segment, or time. */
  sealed interface Step {
    String text();
  }

  /** A socket call on one side. */
  record Call(FuzzAction action) implements Step {
    public String text() { return action.text(); }
  }

  /** What happens to the first segment on time on the link from {@code from}. */
  enum Fate {
    DELIVER("deliver"), DROP("drop"), DUPLICATE("duplicate"), HOLD("hold"),
    /** Not a fault: the first late segment arrives. */
    DELIVER_LATE("deliver late");

    final String word;

    Fate(String word) {
      this.word = word;
    }

    boolean isFault() {
      return this == DROP || this == DUPLICATE || this == HOLD;
    }

    /** A fault that leaves a late segment behind. */
    boolean makesLate() {
      return this == DUPLICATE || this == HOLD;
    }
  }

  record Wire(Fate fate, int from) implements Step {
    public String text() { return fate.word + " " + FuzzAction.sideName(from) + "->" + FuzzAction.sideName(1 - from); }
  }

  /**
   * Segment {@code k} of the pool on the link from {@code from} arrives, and stays in the pool
   * ({@link #anyLate}).
   */
  record LateArrival(int from, int k) implements Step {
    public String text() { return "deliver late #" + k + " " + FuzzAction.sideName(from) + "->" + FuzzAction.sideName(1 - from); }
  }

  /** The most segments a link's pool may hold ({@link #anyLate}). */
  static final int POOL = 64;

  /** Time moves to the next timer (or to the next late segment's end of life) and fires it. */
  record NextTimer() implements Step {
    public String text() { return "advance to the next timer"; }
  }

  static List<Step> alphabet() {
    List<Step> a = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      a.add(new Call(new FuzzAction.Close(side, false)));
      a.add(new Call(new FuzzAction.Close(side, true)));
      for (int how = 0; how < FuzzAction.Shutdown.HOW.length; how++) {
        a.add(new Call(new FuzzAction.Shutdown(side, how)));
      }
      a.add(new Call(new FuzzAction.Recv(side)));
    }
    for (int from = 0; from < 2; from++) {
      for (Fate f : Fate.values()) {
        a.add(new Wire(f, from));
      }
    }
    a.add(new NextTimer());
    for (int from = 0; from < 2; from++) {
      for (int k = 0; k < POOL; k++) {
        a.add(new LateArrival(from, k));
      }
    }
    return a;
  }

  private final FuzzConfig config;
  private final int maxDepth;
  private final int maxDrops;
  private final int maxLate;
  private final Worlds worlds;
  private final boolean reduce;
  /** Any number of late segments, over-approximated by pools (see {@link #anyLate}). */
  private final boolean pool;
  /** With pools: a state whose pools another's contain is covered by it (else only equal pools merge). */
  private final boolean cover;
  private final List<Step> alphabet = alphabet();
  private final List<Invariant<FuzzWorld>> invariants = Fuzzer.invariants();

  /** No limit: a budget or depth given as this is unbounded. */
  public static final int ANY = Integer.MAX_VALUE;

  /**
   * To the fixpoint, any segment may be dropped (each at most once), none held or duplicated. With
   * one held or duplicated segment per path as well (the command's default) the space is 5.5 times
   * larger, with two 18 times (see docs/fuzzing.md).
   */
  public Explorer(FuzzConfig config) {
    this(config, ANY, ANY, 0);
  }

  /**
   * @param maxDepth the longest path expanded (steps after the prefix); states found at that
   *     depth are counted but not expanded
   * @param maxDrops the most segments dropped on one path ({@link #ANY}: each may be)
   * @param maxLate the most segments held or duplicated on one path (each leaves a late segment)
   */
  public Explorer(FuzzConfig config, int maxDepth, int maxDrops, int maxLate) {
    this(config, maxDepth, maxDrops, maxLate, false);
  }

  /** @param replay replay each state's path for every transition out of it ({@link Worlds#REPLAY}) */
  public Explorer(FuzzConfig config, int maxDepth, int maxDrops, int maxLate, boolean replay) {
    this(config, maxDepth, maxDrops, maxLate, replay ? Worlds.REPLAY : Worlds.SNAPSHOT, false);
  }

  /** @param reduce partial-order reduction ({@link #persistent}) */
  public Explorer(FuzzConfig config, int maxDepth, int maxDrops, int maxLate, boolean replay, boolean reduce) {
    this(config, maxDepth, maxDrops, maxLate, replay ? Worlds.REPLAY : Worlds.SNAPSHOT, reduce);
  }

  /** How the world of a state is made for each transition out of it. */
  enum Worlds {
    /** Played once, kept as a snapshot and put back to it after each transition ({@link GraphCopy#snapshot}). */
    SNAPSHOT,
    /** Replayed on a fresh world for each transition: the reference the copies are checked against. */
    REPLAY
  }

  Explorer(FuzzConfig config, int maxDepth, int maxDrops, int maxLate, Worlds worlds) {
    this(config, maxDepth, maxDrops, maxLate, worlds, false);
  }

  Explorer(FuzzConfig config, int maxDepth, int maxDrops, int maxLate, Worlds worlds, boolean reduce) {
    if (maxDepth < 1 || maxDrops < 0 || maxLate < 0) {
      throw new IllegalArgumentException("depth must be >= 1, drops and late segments >= 0, got " + maxDepth
          + ", " + maxDrops + ", " + maxLate);
    }
    this.config = config;
    this.maxDepth = maxDepth;
    this.maxDrops = maxDrops;
    this.maxLate = maxLate;
    this.worlds = worlds;
    this.reduce = reduce;
    this.pool = false;
    this.cover = false;
  }

  /** Through pools ({@link #anyLate}). */
  private Explorer(FuzzConfig config, int maxDepth, Worlds worlds, boolean cover) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + maxDepth);
    }
    this.config = config;
    this.maxDepth = maxDepth;
    this.maxDrops = ANY;
    this.maxLate = ANY;
    this.worlds = worlds;
    this.reduce = false; // nothing is ever on time, so no persistent set applies
    this.pool = true;
    this.cover = cover;
  }

  /**
   * The whole space: any number of segments late, each at most once faulted, explored through an
   * over-approximation that reaches its fixpoint. Every segment sent goes to its link's pool,
   * where it may arrive any number of times, in any order, past any timer, until it dies one MSL
   * after it was last sent. Each path of the fault model (delivered, dropped, duplicated or held,
   * once each) is a path here, so an invariant that holds here holds there, and the end pairs and
   * errno values found here contain those of every budget {@code maxLate}. A state is its sockets,
   * the errno values on the path to it, and its pools; a state whose pools are contained in those
   * of another with the same rest is covered by it (the larger pools can lose what the smaller lack,
   * which the hosts cannot tell from a segment never arriving) and is not expanded.
   *
   * @param maxDepth the longest path expanded, as for the other searches
   */
  public static Explorer anyLate(FuzzConfig config, int maxDepth, boolean replay) {
    return anyLate(config, maxDepth, replay, true);
  }

  /**
   * @param cover whether a state is covered by one whose pools contain its own; without, only
   *     states with equal pools merge (the reference the covering is measured against)
   */
  public static Explorer anyLate(FuzzConfig config, int maxDepth, boolean replay, boolean cover) {
    return new Explorer(config, maxDepth, replay ? Worlds.REPLAY : Worlds.SNAPSHOT, cover);
  }

  // The explored graph, by state index: the path to each state is its parent's plus one step.
  private int[] parent = new int[1024];
  private short[] via = new short[1024];
  private int[] depthOf = new int[1024];
  private int count;
  // Pools: the errno values on the path to each state (part of its key), and its pools.
  private long[] errOf = new long[1024];
  private long[][] poolOf = new long[1024][];
  // Pools: by the rest of the state, the states kept; and the states found covered before expansion.
  private final HashMap<Long, int[]> covering = new HashMap<>(); // looked up only, never iterated
  private final BitSet dominated = new BitSet();
  private final BitSet expanded = new BitSet();
  private int largestPool;
  // Every transition between explored states, with the errno values its call returned (a bit set
  // over errnoNames).
  private long[] edgeEnds = new long[4096]; // from << 32 | to
  private long[] edgeErrnos = new long[4096];
  private int edges;
  private final Map<String, Integer> errnoBits = new LinkedHashMap<>(); // iterated in insertion order
  private final List<String> errnoNames = new ArrayList<>();
  // The search.
  /** The states expanded by a persistent set only (partial-order reduction). */
  private final BitSet partial = new BitSet();
  private final HashMap<Long, Integer> seen = new HashMap<>(); // looked up only, never iterated
  private final ArrayDeque<Integer> queue = new ArrayDeque<>();
  private final TreeMap<String, List<Integer>> endStates = new TreeMap<>();
  private long transitions;
  private long replays;
  private long copies;
  private long restores;
  private int deepest;
  private boolean fixpoint = true;
  private String violation;
  private List<String> violationPath;
  /** What the path to the state being expanded spent: drops, and segments held or duplicated. */
  private int dropsSpent;
  private int lateSpent;
  // Worlds.SNAPSHOT: the one world every state is played on, and it as it was just after the prefix.
  private Net working;
  private GraphCopy.Snapshot prefixWorld;
  private final GraphCopy copier = new GraphCopy();

  public Result run() {
    Net root = replay(-1);
    replays++;
    violation = check(root.world);
    if (violation != null) {
      return new Result(0, 0, new TreeMap<>(), violation, List.of(), replays, 0, 0, 0, false, 0, 0);
    }
    seen.put(digest(root, 0), add(-1, -1, 0));
    queue.add(0);
    working = root;
    boolean[] applies = new boolean[alphabet.size()];
    while (!queue.isEmpty() && violation == null) {
      int s = queue.poll();
      if (pool) {
        if (dominated.get(s)) {
          continue;
        }
        expanded.set(s);
      }
      if (worlds == Worlds.SNAPSHOT) {
        expandFromSnapshot(s, applies);
      } else {
        expandByReplays(s, applies);
      }
    }
    if (reduce && violation == null) {
      checkNoIgnoredStep();
    }

    return new Result(count, transitions, outcomes(), violation, violationPath, replays, copies, restores, deepest,
        fixpoint && violation == null, dominated.cardinality(), largestPool);
  }

  /**
   * The reduction's cycle proviso, checked on the graph it made: a cycle of states each expanded by
   * a persistent set could put off the other host's steps for ever, so every cycle (a step that
   * changes nothing aside) must pass a state expanded in full. Equivalently, the partially expanded
   * states with the transitions between them have no cycle (Kahn's algorithm empties them).
   */
  private void checkNoIgnoredStep() {
    int[] inDegree = new int[count];
    int[] firstEdge = new int[count + 1];
    for (int e = 0; e < edges; e++) {
      int from = from(e);
      int to = (int) edgeEnds[e];
      if (from != to && partial.get(from) && partial.get(to)) {
        inDegree[to]++;
        firstEdge[from + 1]++;
      }
    }
    for (int v = 0; v < count; v++) {
      firstEdge[v + 1] += firstEdge[v];
    }
    int[] order = new int[firstEdge[count]];
    int[] fill = Arrays.copyOf(firstEdge, count);
    for (int e = 0; e < edges; e++) {
      int from = from(e);
      int to = (int) edgeEnds[e];
      if (from != to && partial.get(from) && partial.get(to)) {
        order[fill[from]++] = to;
      }
    }
    int[] work = new int[count];
    int head = 0;
    int tail = 0;
    for (int v = 0; v < count; v++) {
      if (inDegree[v] == 0) {
        work[tail++] = v;
      }
    }
    while (head < tail) {
      int v = work[head++];
      for (int k = firstEdge[v]; k < firstEdge[v + 1]; k++) {
        if (--inDegree[order[k]] == 0) {
          work[tail++] = order[k];
        }
      }
    }
    if (tail != count) {
      throw new IllegalStateException("the reduction's cycle proviso fails: " + (count - tail)
          + " partially expanded states lie on cycles of partially expanded states");
    }
  }

  /**
   * Marks in {@code applies} the steps that apply to {@code net}, state {@code s}, and notes what
   * the path to {@code s} spent of the budgets.
   */
  private void applicableSteps(int s, Net net, boolean[] applies) {
    dropsSpent = spent(s, Fate.DROP);
    lateSpent = spent(s, Fate.HOLD) + spent(s, Fate.DUPLICATE);
    for (int i = 0; i < alphabet.size(); i++) {
      applies[i] = applicable(net, alphabet.get(i), dropsSpent < maxDrops, lateSpent < maxLate, pool);
    }
    if (reduce) {
      persistent(s, net, applies);
    }
  }

  /**
   * Partial-order reduction: while a segment is on time in flight to host h, the steps that touch
   * h (its calls, and the fates of the segments to it) are a persistent set. Every other step
   * touches the other host only: its calls and the deliveries to it append to the far end of
   * queues whose heads h's steps take, and time cannot move while the segment to h waits. So any
   * path from here interleaves h's steps with the other host's, and the other host's can be taken
   * after (see docs/fuzzing.md). Of the two hosts the one with fewer steps is taken.
   */
  private void persistent(int s, Net net, boolean[] applies) {
    int best = -1;
    int bestCount = Integer.MAX_VALUE;
    for (int h = 0; h < 2; h++) {
      if (net.onTime.get(1 - h).isEmpty()) {
        continue;
      }
      int n = 0;
      for (int i = 0; i < applies.length; i++) {
        if (applies[i] && touches(alphabet.get(i)) == h) {
          n++;
        }
      }
      if (n < bestCount) {
        best = h;
        bestCount = n;
      }
    }
    if (best < 0) {
      return;
    }
    partial.set(s);
    for (int i = 0; i < applies.length; i++) {
      applies[i] &= touches(alphabet.get(i)) == best;
    }
  }

  /** The host a step acts on (-1: both, time). */
  static int touches(Step step) {
    if (step instanceof Call c) {
      if (c.action() instanceof FuzzAction.Close x) {
        return x.side();
      }
      if (c.action() instanceof FuzzAction.Shutdown x) {
        return x.side();
      }
      if (c.action() instanceof FuzzAction.Recv x) {
        return x.side();
      }
      throw new IllegalStateException("a call the reduction does not place on a host: " + c.text());
    }
    if (step instanceof Wire x) {
      return 1 - x.from();
    }
    if (step instanceof LateArrival x) {
      return 1 - x.from();
    }
    return -1;
  }

  /**
   * Expands {@code s} on its world, played once ({@link #take}): a snapshot of it is kept
   * ({@link GraphCopy#snapshot}) and the world is put back to it after each transition that
   * changed it; a call that changed nothing the digest sees hands its world on, as in
   * {@link #expandByReplays}.
   */
  private void expandFromSnapshot(int s, boolean[] applies) {
    Net net = take(s);
    applicableSteps(s, net, applies);
    int last = -1;
    for (int i = 0; i < alphabet.size(); i++) {
      if (applies[i]) {
        last = i;
      }
    }
    GraphCopy.Snapshot kept = null;
    boolean changed = false; // net is no longer s's world as played
    boolean exact = true; // net is s's world as played, no call before the step
    for (int i = 0; i <= last && violation == null; i++) {
      if (!applies[i]) {
        continue;
      }
      if (changed) {
        kept.restore();
        restores++;
        exact = true;
      } else if (kept == null && i != last) {
        kept = copier.snapshot(net);
        copies++;
      }
      int errnosBefore = net.world.errnos.size();
      apply(net, alphabet.get(i));
      transitions++;
      String broken = check(net.world);
      if (broken != null && !exact) { // report only what the path itself replays to
        kept.restore();
        restores++;
        exact = true;
        errnosBefore = net.world.errnos.size();
        apply(net, alphabet.get(i));
        broken = check(net.world);
      }
      if (broken != null) {
        violation = broken;
        violationPath = texts(s, i);
        return;
      }
      int to = reached(s, i, net, errnosBefore);
      changed = !(to == s && alphabet.get(i) instanceof Call);
      exact &= changed;
    }
  }

  /**
   * Expands {@code s} by replaying its path on a fresh world once per transition out of it (the
   * reference the copies are checked against). A call that changed nothing the digest sees
   * (shutdown twice, recv with nothing to read) hands its world to the next transition.
   */
  private void expandByReplays(int s, boolean[] applies) {
    Net net = replay(s);
    replays++;
    applicableSteps(s, net, applies);
    boolean reusable = true;
    boolean exact = true;
    for (int i = 0; i < alphabet.size() && violation == null; i++) {
      if (!applies[i]) {
        continue;
      }
      if (!reusable) {
        net = replay(s);
        replays++;
        exact = true;
      }
      FuzzWorld w = net.world;
      int errnosBefore = w.errnos.size();
      apply(net, alphabet.get(i));
      transitions++;
      String broken = check(w);
      if (broken != null && !exact) { // report only what the path itself replays to
        net = replay(s);
        replays++;
        exact = true;
        w = net.world;
        errnosBefore = w.errnos.size();
        apply(net, alphabet.get(i));
        broken = check(w);
      }
      if (broken != null) {
        violation = broken;
        violationPath = texts(s, i);
        return;
      }
      int to = reached(s, i, net, errnosBefore);
      reusable = to == s && alphabet.get(i) instanceof Call;
      exact &= !reusable;
    }
  }

  /**
   * The transition from {@code s} by step {@code i} made {@code net}'s world (its call's errno
   * values are those noted from {@code errnosBefore} on): records it, adds the state it reached if
   * new (queued, or quiesced and checked if it ends a path), and returns that state.
   */
  private int reached(int s, int i, Net net, int errnosBefore) {
    long errnos = errnoBits(net.world.errnos, errnosBefore);
    if (pool) {
      return reachedInPools(s, i, net, errnos);
    }
    Fate fate = alphabet.get(i) instanceof Wire x ? x.fate() : Fate.DELIVER;
    // Under a budget, what was spent is state: the same sockets with less left to spend differ.
    long budget = (maxDrops == ANY ? 0 : dropsSpent + (fate == Fate.DROP ? 1 : 0)) * 64
        + (maxLate == ANY ? 0 : lateSpent + (fate.makesLate() ? 1 : 0));
    long d = digest(net, budget);
    Integer known = seen.get(d);
    if (known != null) {
      edge(s, known, errnos);
      return known;
    }
    int child = add(s, i, depthOf[s] + 1);
    seen.put(d, child);

    edge(s, child, errnos);
    deepest = Math.max(deepest, depthOf[child]);
    if (ended(net)) {
      endOfPath(child, net);
      return child;
    }
    enqueue(child);
    return child;
  }

  /**
   * State {@code child} ends a path: its pair of socket states is recorded, and the quiesce step
   * (the network back to normal, so whatever is still held dies) checks that nothing is left.
   */
  private void endOfPath(int child, Net net) {
    FuzzWorld w = net.world;
    String pair = socketStates(w.clientStack) + " | " + socketStates(w.serverStack);
    endStates.computeIfAbsent(pair, k -> new ArrayList<>()).add(child);
    net.capturing = false;
    w.beginAction();
    new FuzzAction.Quiesce().apply(w);
    if (w.leakViolation != null) {
      violation = Fuzzer.INV_LEAK + ": " + w.leakViolation;
      violationPath = texts(child, -1);
    }
  }

  /** Queues {@code child} for expansion, unless the depth limit stops it there. */
  private void enqueue(int child) {
    if (depthOf[child] < maxDepth) {
      queue.add(child);
    } else {
      fixpoint = false;
    }
  }

  /**
   * {@link #reached} with pools ({@link #anyLate}). The key is the digest without the pools (sockets,
   * TIME_WAIT entries, pending events) and the errno values of the path to the state. A state
   * whose pools are contained in those of a state kept under the same key is covered by it: the
   * larger pools can lose what the smaller lack, which the hosts cannot tell from a segment never
   * arriving, so every step of the smaller is a step of the larger, to a state that covers its
   * result; and the errno values on the way are the key's. A new state that covers a kept one not
   * yet expanded takes its place.
   */
  private int reachedInPools(int s, int i, Net net, long errnos) {
    long path = errOf[s] | errnos;
    long key = digest(net, path, false);
    long[] pool = pool(net);
    largestPool = Math.max(largestPool, Math.max(net.late.get(0).size(), net.late.get(1).size()));
    int[] same = covering.get(key);
    if (same != null) {
      for (int c : same) {
        if (!dominated.get(c) && (cover ? contains(poolOf[c], pool) : Arrays.equals(poolOf[c], pool))) {
          edge(s, c, errnos);
          return c;
        }
      }
    }
    int child = add(s, i, depthOf[s] + 1);
    errOf[child] = path;
    poolOf[child] = pool;
    int kept = 0;
    int[] next = new int[same == null ? 1 : same.length + 1];
    if (same != null) {
      for (int c : same) {
        if (cover && !dominated.get(c) && !expanded.get(c) && contains(pool, poolOf[c])) {
          dominated.set(c);
        }
        if (!dominated.get(c)) {
          next[kept++] = c;
        }
      }
    }
    next[kept++] = child;
    covering.put(key, Arrays.copyOf(next, kept));
    edge(s, child, errnos);
    deepest = Math.max(deepest, depthOf[child]);
    boolean anyLate = !net.late.get(0).isEmpty() || !net.late.get(1).isEmpty();
    if (ended(net, false)) {
      endOfPath(child, net);
      if (!anyLate) {
        return child;
      }
    }
    enqueue(child);
    return child;
  }

  /** Each link's pool, as the sorted set of its segments ({@link #poolKey}) tagged by link. */
  private static long[] pool(Net net) {
    int n = net.late.get(0).size() + net.late.get(1).size();
    long[] out = new long[n];
    int k = 0;
    for (int side = 0; side < 2; side++) {
      List<Flight> late = net.late.get(side);
      if (late.size() > POOL) {
        throw new IllegalStateException("a pool held more than " + POOL + " segments, more than a path can name");
      }
      for (Flight f : late) {
        out[k++] = (poolKey(f.segment()) & ~1L) | side;
      }
    }
    Arrays.sort(out);
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || out[i] != out[i - 1]) {
        out[kept++] = out[i];
      }
    }
    return kept == n ? out : Arrays.copyOf(out, kept);
  }

  /** Whether the sorted set {@code big} contains {@code small}. */
  private static boolean contains(long[] big, long[] small) {
    if (small.length > big.length) {
      return false;
    }
    int j = 0;
    for (long v : small) {
      while (j < big.length && big[j] < v) {
        j++;
      }
      if (j == big.length || big[j] != v) {
        return false;
      }
      j++;
    }
    return true;
  }

  /**
   * A segment in a pool, as its state: what the digest sees of it (flags, sequence and
   * acknowledgement numbers, length), its window and SACK blocks; not its timestamps, which are time.
   */
  static long poolKey(Segment seg) {
    long k = TraceDigest.mix(((long) seg.seq() << 32) | (seg.ack() & 0xffffffffL));
    k = TraceDigest.mix(k ^ (((long) seg.flags() << 32) | seg.payloadLength()));
    k = TraceDigest.mix(k ^ seg.window());
    TcpOptions o = seg.options();
    for (int i = 0; i < o.sackBlockCount(); i++) {
      k = TraceDigest.mix(k ^ (((long) o.sackStart(i) << 32) | (o.sackEnd(i) & 0xffffffffL)));
    }
    return k;
  }

  /**
   * State {@code s}'s world: the one world the search works on, put back to just after the prefix,
   * with {@code s}'s path played on it.
   */
  private Net take(int s) {
    if (prefixWorld == null) {
      prefixWorld = copier.snapshot(working);
      copies++;
    } else {
      prefixWorld.restore();
      restores++;
    }
    walk(working, s);
    replays++;
    return working;
  }

  /**
   * A fresh world with the prefix played on the normal network, then state {@code s}'s path on the
   * explorer's (-1: the prefix alone).
   */
  private Net replay(int s) {
    Net net = new Net();
    FuzzWorld w = new FuzzWorld(config, Fuzzer.WORLD_SEED, KnownStackBugs.ALL, FuzzWorld.StaleScope.ANY, net);
    net.world = w;
    for (Link l : w.net.links()) {
      l.addRule(LinkRule.matching("taken by the explorer", seg -> net.capturing).every().drop());
    }
    for (FuzzAction a : PREFIX) {
      step(w, a);
    }

    for (Link l : w.net.links()) {
      if (l.inFlight() != 0) {
        throw new IllegalStateException("the prefix left " + l.inFlight() + " segment(s) on " + l.name());
      }
    }
    net.capturing = true;
    net.pool = pool;
    walk(net, s);
    return net;
  }

  /** A fresh world with the prefix played, then the steps (indices into {@link #alphabet()}). */
  Net replaySteps(List<Integer> steps) {
    Net net = replay(-1);
    for (int i : steps) {
      apply(net, alphabet.get(i));
    }
    return net;
  }

  /** Plays state {@code s}'s path on {@code net}, a world just after the prefix. */
  private void walk(Net net, int s) {
    int n = s < 0 ? 0 : depthOf[s];
    int[] path = new int[n];
    for (int at = s, k = n - 1; k >= 0; at = parent[at], k--) {
      path[k] = via[at];
    }
    for (int i : path) {
      apply(net, alphabet.get(i));
    }
  }

  private static void step(FuzzWorld w, FuzzAction a) {
    w.beginAction();
    a.apply(w);
    w.acceptAll();
  }

  static boolean applicable(Net net, Step step, boolean dropsLeft, boolean lateLeft) {
    return applicable(net, step, dropsLeft, lateLeft, false);
  }

  static boolean applicable(Net net, Step step, boolean dropsLeft, boolean lateLeft, boolean pool) {
    if (step instanceof Call c) {
      return c.action().applicable(net.world);
    }
    if (step instanceof LateArrival a) {
      return pool && a.k() < net.late.get(a.from()).size();
    }
    if (pool && step instanceof Wire) {
      return false; // nothing is on time: every segment goes to its link's pool
    }
    if (step instanceof Wire x) {
      if (x.fate() == Fate.DELIVER_LATE) {
        return !net.late.get(x.from()).isEmpty();
      }
      return !net.onTime.get(x.from()).isEmpty()
          && (x.fate() != Fate.DROP || dropsLeft) && (!x.fate().makesLate() || lateLeft);
    }
    return net.onTime.get(0).isEmpty() && net.onTime.get(1).isEmpty()
        && (net.world.sim.pendingCount() > 0 || !net.late.get(0).isEmpty() || !net.late.get(1).isEmpty());
  }

  static void apply(Net net, Step step) {
    FuzzWorld w = net.world;
    w.beginAction();
    if (step instanceof Call c) {
      c.action().apply(w);
    } else if (step instanceof LateArrival a) {
      net.arrive(a.from(), net.late.get(a.from()).get(a.k()).segment); // it stays in the pool
    } else if (step instanceof Wire x) {
      List<Flight> onTime = net.onTime.get(x.from());
      List<Flight> late = net.late.get(x.from());
      switch (x.fate()) {
        case DELIVER -> net.arrive(x.from(), onTime.remove(0).segment);
        case DROP -> onTime.remove(0);
        case DUPLICATE -> {
          Flight f = onTime.remove(0);
          late.add(f);
          net.arrive(x.from(), f.segment);
        }
        case HOLD -> late.add(onTime.remove(0));
        case DELIVER_LATE -> net.arrive(x.from(), late.remove(0).segment);
      }
    } else {
      long next = Long.MAX_VALUE;
      if (w.sim.pendingCount() > 0) {
        next = w.sim.pendingSet().peekTime();
      }
      if (net.pool) {
        // A pool's segments die on the way to the next timer; they could arrive before it. With no
        // timer left, time runs until the last has died.
        if (next == Long.MAX_VALUE) {
          next = Long.MIN_VALUE;
          for (List<Flight> late : net.late) {
            for (Flight f : late) {
              next = Math.max(next, f.sentNanos + w.net.mslNanos());
            }
          }
        }
      } else {
        for (List<Flight> late : net.late) {
          for (Flight f : late) {
            next = Math.min(next, f.sentNanos + w.net.mslNanos());
          }
        }
      }
      w.advance(next - w.sim.now());
      for (List<Flight> late : net.late) {
        for (int k = late.size() - 1; k >= 0; k--) {
          if (late.get(k).sentNanos + w.net.mslNanos() <= w.sim.now()) {
            late.remove(k); // its MSL is over
          }
        }
      }
    }
    w.acceptAll();
  }

  /** Both applications closed, nothing in flight, nothing left but TIME_WAIT (or nothing left to happen). */
  private static boolean ended(Net net) {
    return ended(net, true);
  }

  /** As {@link #ended(Net)}; {@code late}: whether a late segment still in flight keeps the path going. */
  private static boolean ended(Net net, boolean late) {
    FuzzWorld w = net.world;
    if (w.client != null || !w.servers.isEmpty()) {
      return false;
    }
    for (int side = 0; side < 2; side++) {
      if (!net.onTime.get(side).isEmpty() || late && !net.late.get(side).isEmpty()) {
        return false;
      }
    }
    if (w.sim.pendingCount() == 0) {
      return true;
    }
    for (TcpStack s : new TcpStack[] {w.clientStack, w.serverStack}) {
      for (TcpConnection c : s.sockets()) {
        if (c.state() != TcpState.LISTEN) {
          return false;
        }
      }
    }
    return true;
  }

  /** The first invariant {@code w} broke, as "invariant: detail", or null. */
  private String check(FuzzWorld w) {
    for (Invariant<FuzzWorld> inv : invariants) {
      try {
        inv.holds().test(w);
      } catch (AssertionError e) {
        return inv.name() + ": " + e.getMessage();
      }
    }
    return null;
  }

  private int add(int from, int step, int depth) {
    if (count == parent.length) {
      parent = Arrays.copyOf(parent, count * 2);
      errOf = Arrays.copyOf(errOf, count * 2);
      poolOf = Arrays.copyOf(poolOf, count * 2);
      via = Arrays.copyOf(via, count * 2);
      depthOf = Arrays.copyOf(depthOf, count * 2);
    }
    parent[count] = from;
    via[count] = (short) step;
    depthOf[count] = depth;
    return count++;
  }

  private void edge(int from, int to, long errnos) {
    if (edges == edgeEnds.length) {
      edgeEnds = Arrays.copyOf(edgeEnds, edges * 2);
      edgeErrnos = Arrays.copyOf(edgeErrnos, edges * 2);
    }
    edgeEnds[edges] = ((long) from << 32) | to;
    edgeErrnos[edges++] = errnos;
  }

  private int from(int edge) {
    return (int) (edgeEnds[edge] >>> 32);
  }

  /** The errno values noted from index {@code from} on, EAGAIN left out, as bits over errnoNames. */
  private long errnoBits(List<String> noted, int from) {
    long bits = 0;
    for (int i = from; i < noted.size(); i++) {
      String e = noted.get(i);
      if (e.endsWith("=EAGAIN")) {
        continue;
      }
      Integer bit = errnoBits.get(e);
      if (bit == null) {
        bit = errnoNames.size();
        if (bit == Long.SIZE) {
          throw new IllegalStateException("more than 64 distinct errno outcomes: " + errnoNames);
        }
        errnoBits.put(e, bit);
        errnoNames.add(e);
      }
      bits |= 1L << bit;
    }
    return bits;
  }

  /**
   * What the paths reaching each end pair saw: the errno values returned on any of them, and
   * whether one saw none. Both are propagated along every transition (a state's values are those
   * of its predecessors plus each transition's own) until nothing changes.
   */
  private TreeMap<String, EndPair> outcomes() {
    int[] firstEdge = new int[count + 1]; // the transitions out of s are order[firstEdge[s] .. firstEdge[s + 1])
    for (int e = 0; e < edges; e++) {
      firstEdge[from(e) + 1]++;
    }
    for (int s = 0; s < count; s++) {
      firstEdge[s + 1] += firstEdge[s];
    }
    int[] order = new int[edges];
    int[] fill = Arrays.copyOf(firstEdge, count);
    for (int e = 0; e < edges; e++) {
      order[fill[from(e)]++] = e;
    }
    long[] seenErrnos = new long[count];
    boolean[] clean = new boolean[count]; // some path reaches the state with no errno
    boolean[] reached = new boolean[count];
    ArrayDeque<Integer> work = new ArrayDeque<>();
    boolean[] queued = new boolean[count];
    if (count > 0) {
      clean[0] = true;
      reached[0] = true;
      work.add(0);
      queued[0] = true;
    }
    while (!work.isEmpty()) {
      int s = work.poll();
      queued[s] = false;
      for (int k = firstEdge[s]; k < firstEdge[s + 1]; k++) {
        int e = order[k];
        int to = (int) edgeEnds[e];
        long errnos = seenErrnos[to] | seenErrnos[s] | edgeErrnos[e];
        boolean cleanTo = clean[to] || clean[s] && edgeErrnos[e] == 0;
        if (!reached[to] || errnos != seenErrnos[to] || cleanTo != clean[to]) {
          reached[to] = true;
          seenErrnos[to] = errnos;
          clean[to] = cleanTo;
          if (!queued[to]) {
            queued[to] = true;
            work.add(to);
          }
        }
      }
    }
    TreeMap<String, EndPair> out = new TreeMap<>();
    for (Map.Entry<String, List<Integer>> pair : endStates.entrySet()) {
      long errnos = 0;
      boolean anyClean = false;
      for (int s : pair.getValue()) {
        errnos |= seenErrnos[s];
        anyClean |= clean[s];
      }
      TreeSet<String> names = new TreeSet<>();
      for (int b = 0; b < errnoNames.size(); b++) {
        if ((errnos & (1L << b)) != 0) {
          names.add(errnoNames.get(b));
        }
      }
      out.put(pair.getKey(), new EndPair(pair.getValue().size(), anyClean, names));
    }
    return out;
  }

  /** How many {@code fate} steps the path to {@code s} took. */
  private int spent(int s, Fate fate) {
    int n = 0;
    for (int at = s; at > 0; at = parent[at]) {
      if (alphabet.get(via[at]) instanceof Wire x && x.fate() == fate) {
        n++;
      }
    }
    return n;
  }

  /** The path to state {@code s}, then step {@code next} (-1: none), as lines. */
  private List<String> texts(int s, int next) {
    List<Integer> steps = new ArrayList<>();
    for (int at = s; at > 0; at = parent[at]) {
      steps.add(0, (int) via[at]);
    }
    if (next >= 0) {
      steps.add(next);
    }
    List<String> out = new ArrayList<>();
    Net net = pool ? replay(-1) : null; // a pool's index says nothing to a reader: name the segment
    List<Segment> arrived = new ArrayList<>(); // each segment that arrived, as often as it did
    for (int i : steps) {
      Step step = alphabet.get(i);
      if (net != null && step instanceof LateArrival a) {
        Segment seg = net.late.get(a.from()).get(a.k()).segment();
        int times = 1;
        for (Segment before : arrived) {
          times += sameSegment(before, seg) ? 1 : 0;
        }
        arrived.add(seg);
        out.add("deliver " + FuzzAction.sideName(a.from()) + "->" + FuzzAction.sideName(1 - a.from()) + " from the pool: "
            + seg + (times > 1 ? " (its arrival " + times + ")" : ""));
      } else {
        out.add(step.text());
      }
      if (net != null) {
        apply(net, step);
      }
    }
    return out;
  }

  private static String socketStates(TcpStack s) {
    List<String> states = new ArrayList<>();
    for (TcpConnection c : s.sockets()) {
      if (c.state() != TcpState.LISTEN) {
        states.add(c.state().name());
      }
    }
    for (TimeWaitSocket tw : s.timeWaitSockets()) {
      states.add("TIME_WAIT");
    }
    return states.isEmpty() ? "CLOSED" : String.join("+", states);
  }

  /** Whether two segments of one link are the same on the wire (payloads follow from the sequence numbers). */
  static boolean sameSegment(Segment a, Segment b) {
    return a.seq() == b.seq() && a.ack() == b.ack() && a.flags() == b.flags() && a.payloadLength() == b.payloadLength()
        && a.window() == b.window() && a.urgentPointer() == b.urgentPointer() && a.options().equals(b.options());
  }

  /** A segment the explorer holds, and when it left its host (it dies one MSL later). */
  record Flight(Segment segment, long sentNanos) {}

  /**
   * The explorer's network for one replay: the segments taken off each link (by the side that
   * sent them), on time in the order sent, and late.
   */
  static final class Net implements WireTap {
    FuzzWorld world;
    /** Whether the links hand their segments to the explorer (after the prefix). */
    boolean capturing;
    final List<List<Flight>> onTime = List.of(new ArrayList<>(), new ArrayList<>());
    final List<List<Flight>> late = List.of(new ArrayList<>(), new ArrayList<>());
    /** Each segment sent goes to its link's pool, where it may arrive any number of times ({@link #anyLate}). */
    boolean pool;

    @Override
    public void transmitted(long nowNanos, String link, Segment segment) {
      if (!capturing) {
        return;
      }
      int side = link.startsWith(FuzzWorld.CLIENT) ? 0 : 1;
      if (!pool) {
        onTime.get(side).add(new Flight(segment, nowNanos));
        return;
      }
      List<Flight> in = late.get(side);
      for (int k = 0; k < in.size(); k++) {
        if (sameSegment(in.get(k).segment(), segment)) {
          in.set(k, new Flight(segment, nowNanos)); // the same segment again: it lives from now
          return;
        }
      }
      in.add(new Flight(segment, nowNanos));
    }

    /** The segment reaches the other side now, as the link would hand it over. */
    void arrive(int from, Segment segment) {
      Link link = world.net.link(FuzzAction.sideName(from), FuzzAction.sideName(1 - from));
      Host to = from == 0 ? world.serverHost : world.clientHost;
      long now = world.sim.now();
      world.net.environment().taps().delivered(now, link.name(), segment);
      to.receive(now, link, segment, false);
    }
  }

  /** The state as the merge sees it (see the class comment); {@code budget}: what a budget has spent. */
  static long digest(Net net, long budget) {
    return digest(net, budget, true);
  }

  /** As {@link #digest(Net, long)}; {@code queues}: whether the segments in flight are in it. */
  static long digest(Net net, long budget, boolean queues) {
    FuzzWorld w = net.world;
    TraceDigest d = new TraceDigest();
    d.add(budget);
    for (TcpStack s : new TcpStack[] {w.clientStack, w.serverStack}) {
      for (TcpConnection c : s.sockets()) {
        socket(d, c);
      }
      d.add(s.timeWaitSockets().size());
      d.add(-1);
    }
    // The applications' sockets: a reset takes a socket out of the stack's table, not out of the
    // application's hands (its pending error and unread bytes still decide what recv returns).
    socket(d, w.client == null ? null : w.client.conn);
    for (FuzzWorld.Endpoint e : w.servers) {
      socket(d, e.conn);
    }
    for (List<List<Flight>> links : queues ? List.of(net.onTime, net.late) : List.<List<List<Flight>>>of()) {
      for (List<Flight> q : links) {
        for (Flight f : q) {
          Segment seg = f.segment();
          d.add(((long) seg.seq() << 32) | (seg.ack() & 0xffffffffL));
          d.add(((long) seg.flags() << 32) | seg.payloadLength());
        }
        d.add(-2);
      }
    }
    d.add(w.sim.pendingCount());
    return d.value();
  }

  private static void socket(TraceDigest d, TcpConnection c) {
    if (c == null) {
      d.add(-3);
      return;
    }
    TcpInfo info = c.info();
    d.add(c.state().ordinal());
    d.add((info.bytesAcked() << 32) | info.bytesReceived());
    d.add(((long) c.readableBytes() << 32) | c.unackedBytes());
    d.add((c.sendShutdown() ? 1 : 0) | (c.receiveShutdown() ? 2 : 0) | (c.peerFinReceived() ? 4 : 0)
        | (c.wasReset() ? 8 : 0) | (c.diagTimer() << 4) | (info.retransmits() << 8) | (info.probes() << 16)
        | ((long) info.caState().ordinal() << 24));
    // Segments retransmitted, lost and SACKed still unacknowledged: a tail loss probe is told from
    // the RTO behind it by its retransmitted segment, not by its timer's code (both are 1).
    d.add(((long) info.retrans() << 32) | ((long) info.lost() << 16) | info.sacked());
    d.add(c.pendingError() == null ? -1 : c.pendingError().ordinal());
  }
}
