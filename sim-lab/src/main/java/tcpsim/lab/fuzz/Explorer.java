package tcpsim.lab.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import tcpsim.core.check.Invariant;
import tcpsim.core.trace.TraceDigest;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TimeWaitSocket;

/**
 * Exhaustive exploration of a small teardown scenario: from an established connection with data
 * both ways, every ordering of each side's close, shutdown(SHUT_WR), abortive close and recv,
 * of time
 * steps of one link delay, and of one fault (drop, duplicate, hold past the other events) on the
 * next segment of a link, breadth first, merging states with equal digests. A path ends when
 * both applications have closed: one more second passes, the pair of socket states is recorded
 * (TIME_WAIT entries, orphans still closing), and the quiesce step checks nothing is left.
 *
 * <p>States are not copied: each is reached by replaying its path on a fresh world (the
 * simulation is deterministic), which costs time but no cloning code in the stack. The digest
 * covers what the stack shows from outside (each socket's state, queued and unacknowledged bytes,
 * shutdown flags, pending error, FIN seen; TIME_WAIT entries; segments in flight; pending events;
 * faults still armed) but not sequence numbers or timer deadlines, so two states it merges may
 * differ inside: the counts are of observable states.
 */
public final class Explorer {
  /** What an exploration found. */
  public record Result(int states, long transitions, TreeMap<String, Integer> endPairs,
      String violation, List<String> violationPath, long replays, int depth) {}

  static final List<FuzzAction> PREFIX = List.of(new FuzzAction.Connect(), new FuzzAction.Advance(300),
      new FuzzAction.Send(0, 1000), new FuzzAction.Send(1, 1000), new FuzzAction.Advance(300));

  static List<FuzzAction> alphabet() {
    List<FuzzAction> a = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      a.add(new FuzzAction.Close(side, false));
      a.add(new FuzzAction.Shutdown(side, 1));
      a.add(new FuzzAction.Close(side, true));
      a.add(new FuzzAction.Recv(side));
    }
    a.add(new FuzzAction.Advance(100)); // one link delay: the next arrivals
    a.add(new FuzzAction.Advance(1_000_000)); // past a retransmission timeout
    a.add(new FuzzAction.Advance(30_000_000)); // past delayed ACKs, probes, a FIN_WAIT2 in progress
    for (int from = 0; from < 2; from++) {
      a.add(new FuzzAction.Fault(FuzzAction.FaultKind.DROP, from, FuzzAction.Filter.ANY, 1, 0));
      a.add(new FuzzAction.Fault(FuzzAction.FaultKind.DUPLICATE, from, FuzzAction.Filter.ANY, 1, 0));
      a.add(new FuzzAction.Fault(FuzzAction.FaultKind.HOLD, from, FuzzAction.Filter.ANY, 1, 250));
    }
    return a;
  }

  private final FuzzConfig config;
  private final int maxDepth;
  private final int maxFaults;

  public Explorer(FuzzConfig config, int maxDepth, int maxFaults) {
    this.config = config;
    this.maxDepth = maxDepth;
    this.maxFaults = maxFaults;
  }

  public Result run() {
    List<FuzzAction> alphabet = alphabet();
    Set<Long> seen = new HashSet<>(); // looked up only, never iterated
    ArrayDeque<List<FuzzAction>> queue = new ArrayDeque<>();
    TreeMap<String, Integer> ends = new TreeMap<>();
    queue.add(List.of());
    long transitions = 0;
    long replays = 0;
    String violation = null;
    List<String> violationPath = null;
    int depth = 0;
    while (!queue.isEmpty()) {
      List<FuzzAction> path = queue.poll();
      depth = Math.max(depth, path.size());
      for (FuzzAction a : alphabet) {
        if (a instanceof FuzzAction.Fault && faults(path) >= maxFaults) {
          continue;
        }
        List<FuzzAction> next = new ArrayList<>(path);
        next.add(a);
        FuzzWorld w = new FuzzWorld(config, Fuzzer.WORLD_SEED, KnownStackBugs.ALL, FuzzWorld.StaleScope.ANY, null);
        replays++;
        String broken = play(w, PREFIX);
        if (broken == null && !allApplicable(w, next)) {
          continue;
        }
        if (broken == null) {
          broken = play(w, next);
        }
        transitions++;
        if (broken != null) {
          if (violation == null) {
            violation = broken;
            violationPath = texts(next);
          }
          continue;
        }
        if (!seen.add(digest(w))) {
          continue;
        }
        if (w.client == null && w.servers.isEmpty()) {
          w.advance(1_000_000_000L); // let the closing exchange finish
          String pair = socketStates(w.clientStack) + " | " + socketStates(w.serverStack)
              + (w.errnos.isEmpty() ? "" : " errno " + new java.util.TreeSet<>(w.errnos));
          w.beginAction();
          new FuzzAction.Quiesce().apply(w);
          if (w.leakViolation != null && violation == null) {
            violation = Fuzzer.INV_LEAK + ": " + w.leakViolation;
            violationPath = texts(next);
          }
          ends.merge(pair, 1, Integer::sum);
          continue;
        }
        if (next.size() < maxDepth) {
          queue.add(next);
        }
      }
    }
    return new Result(seen.size(), transitions, ends, violation, violationPath, replays, depth);
  }

  /** Plays actions one by one, checking every invariant; returns "invariant: detail" or null. */
  private static String play(FuzzWorld w, List<FuzzAction> actions) {
    for (FuzzAction a : actions) {
      if (!a.applicable(w)) {
        continue;
      }
      w.beginAction();
      a.apply(w);
      w.acceptAll();
      for (Invariant<FuzzWorld> inv : Fuzzer.invariants()) {
        try {
          inv.holds().test(w);
        } catch (AssertionError e) {
          return inv.name() + ": " + e.getMessage();
        }
      }
    }
    return null;
  }

  /** Whether each action of the path can run in order (checked on a scratch replay). */
  private boolean allApplicable(FuzzWorld afterPrefix, List<FuzzAction> path) {
    FuzzWorld w = new FuzzWorld(config, Fuzzer.WORLD_SEED, KnownStackBugs.ALL, FuzzWorld.StaleScope.ANY, null);
    play(w, PREFIX);
    for (FuzzAction a : path) {
      if (!a.applicable(w)) {
        return false;
      }
      if (a instanceof FuzzAction.Fault f && armed(w, f.from())) {
        return false; // at most one fault per segment
      }
      w.beginAction();
      a.apply(w);
      w.acceptAll();
    }
    return true;
  }

  private static boolean armed(FuzzWorld w, int from) {
    for (tcpsim.net.link.LinkRule r : w.net.link(FuzzAction.sideName(from), FuzzAction.sideName(1 - from)).rules()) {
      if (r.fired() == 0) {
        return true;
      }
    }
    return false;
  }

  private static int faults(List<FuzzAction> path) {
    int n = 0;
    for (FuzzAction a : path) {
      if (a instanceof FuzzAction.Fault) {
        n++;
      }
    }
    return n;
  }

  private static List<String> texts(List<FuzzAction> path) {
    List<String> out = new ArrayList<>();
    for (FuzzAction a : path) {
      out.add(a.text());
    }
    return out;
  }

  private static String socketStates(TcpStack s) {
    List<String> states = new ArrayList<>();
    for (TcpConnection c : s.sockets()) {
      if (c.state() != tcpsim.net.tcp.TcpState.LISTEN) {
        states.add(c.state().name());
      }
    }
    for (TimeWaitSocket tw : s.timeWaitSockets()) {
      states.add("TIME_WAIT");
    }
    return states.isEmpty() ? "CLOSED" : String.join("+", states);
  }

  private static long digest(FuzzWorld w) {
    TraceDigest d = new TraceDigest();
    for (TcpStack s : new TcpStack[] {w.clientStack, w.serverStack}) {
      for (TcpConnection c : s.sockets()) {
        d.add(c.state().name());
        d.add(c.readableBytes());
        d.add(c.unackedBytes());
        d.add((c.sendShutdown() ? 1 : 0) | (c.receiveShutdown() ? 2 : 0) | (c.peerFinReceived() ? 4 : 0));
        d.add(String.valueOf(c.pendingError()));
      }
      d.add(s.timeWaitSockets().size());
      d.add(-1);
    }
    d.add(w.client == null ? 0 : 1);
    d.add(String.join(",", new java.util.TreeSet<>(w.errnos))); // which errno values, not how often
    d.add(w.servers.size());
    for (tcpsim.net.link.Link l : w.net.links()) {
      d.add(l.inFlight());
      for (tcpsim.net.link.LinkRule r : l.rules()) {
        d.add(r.fired());
      }
    }
    d.add(w.sim.pendingCount());
    return d.value();
  }
}
