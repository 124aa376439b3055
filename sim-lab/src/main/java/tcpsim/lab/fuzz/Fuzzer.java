package tcpsim.lab.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tcpsim.core.check.Action;
import tcpsim.core.check.ActionChain;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Invariant;
import tcpsim.core.check.Pair;
import tcpsim.core.check.PropertyFailure;
import tcpsim.core.random.SimRandom;
import tcpsim.net.link.WireTap;

/**
 * The teardown fuzzer: action chains on a {@link FuzzWorld}, run through tcpsim's property harness
 * ({@link ActionChain}), which draws the actions, checks the invariants after each, and shrinks a
 * failing chain.
 *
 * <p>A campaign is also a targeted search. Every case measures how near it came to an earlier
 * incarnation's data being taken by a later one ({@link FuzzWorld#staleDistance}: how long before
 * a reconnect the old data last arrived; then whether it arrived after one; then by how many
 * sequence numbers it missed the new window and tcp_ack's range), the stale-segment invariant made
 * a number. Cases run in rounds of {@link #ROUND}: in the first round every case is drawn fresh;
 * from the second on, the even cases still are and the odd ones are mutants
 * ({@link tcpsim.core.check.ChoiceMutation}) of the nearest misses so far ({@link NearMisses}),
 * so a search that once saw a reconnect come 6 ms after the last data keeps moving sizes, holds
 * and pauses until old data lands in a new window.
 *
 * <p>A fresh case {@code i} depends on the run seed and {@code i} only (the harness draws it from
 * {@code split("case " + i)}); a mutant on the seed, {@code i} and the rounds before it, whose
 * near misses are folded in case order once the round has ended. So a campaign's findings do not
 * depend on how many jobs run it: jobs take a round's case indices from a shared counter, and the
 * finding reported is the one with the lowest index, every lower case having passed.
 *
 * <p>Each world starts from the same simulation seed ({@link #WORLD_SEED}): the world has no random
 * faults, so every difference between cases comes from the drawn actions.
 */
public final class Fuzzer {
  /** The simulation seed every world starts from (ISN and timestamp keys, port perturbation). */
  public static final long WORLD_SEED = 0x5eed;
  public static final int DEFAULT_MAX_ACTIONS = 40;

  public static final String INV_TRANSITIONS = "every state change is in the transition table";
  public static final String INV_CONTENT = "bytes received are a prefix of bytes sent";
  public static final String INV_STALE = "no segment of an earlier incarnation is accepted by a later one";
  public static final String INV_ERRNO = "errno values are the ones Linux gives for the call and state";
  public static final String INV_LEAK = "nothing is left behind after every socket closed";
  /**
   * Not an invariant checked after an action but a bound on it: an action that fires more than
   * {@link FuzzWorld#ACTION_EVENT_CAP} simulator events is cut short ({@link FuzzWorld.Unsettled}),
   * and the case is a finding that shrinks like the others.
   */
  public static final String INV_SETTLE = "every action settles within the event cap";
  /**
   * A case that ran out of memory (alone, when the campaign runs several jobs: see
   * {@link CaseGuard}): a finding, since a world that grows without bound is a stack or fuzzer
   * bug worth a look, reported with its action list unshrunk (each shrink replay would run into
   * the same wall).
   */
  public static final String KIND_EXHAUSTION = "resource exhaustion (the case ran out of memory)";
  /** A throwable that escaped the harness: a fuzzer bug, reported with the case that met it. */
  public static final String KIND_CRASH = "the fuzzer itself failed on the case";

  /** A failing case, shrunk. */
  public record Finding(int caseIndex, long caseSeed, List<String> actions, String invariant,
      String detail, String message) {}

  /**
   * What a campaign did. {@code casesChecked} and {@code digest} do not depend on the number of
   * jobs: they cover cases {@code 0 .. casesChecked-1}, every case below the finding (or every case
   * run, when nothing broke and no time budget stopped the run early), each case's action list and
   * end state ({@link FuzzWorld#digest()}), folded in case order, then the finding.
   */
  public record Campaign(int casesRun, long wallNanos, Finding first, int casesChecked, long digest,
      NearMisses misses) {
    public String digestHex() {
      return String.format(java.util.Locale.ROOT, "%016x", digest);
    }
  }

  /**
   * One case run: its finding (null if it passed), its digest, how near it came to the
   * stale-segment invariant at the client's and the server's connections
   * ({@link FuzzWorld#staleDistance}) and where it came nearest there (null if it never reached a
   * later incarnation's window), and the swarm mask and choices
   * that make it again.
   */
  public record CaseRun(Finding finding, long digest, long[] staleDistances, String[] nearMisses, long mask, long[] choices) {}

  /**
   * Cases per round of a campaign. From the second round on, every odd case is a mutant of one of
   * the nearest misses of the rounds before it ({@link NearMisses}), the even ones are drawn fresh;
   * a round's parents are fixed before it starts, so no result depends on --jobs.
   */
  public static final int ROUND = 64;

  /** Whether case {@code i} of a campaign is a mutant (else it is drawn fresh from the seed and i). */
  public static boolean mutant(int i) {
    return i >= ROUND && (i & 1) == 1;
  }

  /** How a case is made: fresh (choices null) or a mutant, with the swarm mask it runs under. */
  public record Plan(long mask, long[] choices) {}

  /** Case {@code i}'s plan, given the near misses of the rounds before it. */
  static Plan plan(long seed, int i, NearMisses misses) {
    if (!mutant(i) || misses.isEmpty()) {
      return new Plan(swarmMask(seed, i), null);
    }
    SimRandom r = new SimRandom(seed).split("mutant " + i);
    NearMisses.Miss parent = misses.pick(r);
    long mask = parent.mask();
    if (r.nextInt(8) == 0) {
      mask = (mask ^ (1L << r.nextInt(64))) | 0b11; // a swarm-level mutation: one kind in or out, or a parameter
    }
    return new Plan(mask, tcpsim.core.check.ChoiceMutation.mutate(parent.choices(), r));
  }

  private final FuzzConfig config;
  private final KnownStackBugs known;
  private final int maxActions;
  private final FuzzWorld.StaleScope staleScope;
  private Integer shrinkBudget;
  /** The most simulator events one action may fire ({@link #maxActionEvents}). */
  private long actionEventCap = FuzzWorld.ACTION_EVENT_CAP;
  /** Told of every world a case makes, with the case's index; a package-private seam for tests. */
  java.util.function.ObjIntConsumer<FuzzWorld> onWorld = (w, i) -> {};

  /** A fuzzer whose stale-segment invariant covers incarnations that ended through TIME_WAIT. */
  public Fuzzer(FuzzConfig config, KnownStackBugs known, int maxActions) {
    this(config, known, maxActions, FuzzWorld.StaleScope.FULL);
  }

  public Fuzzer(FuzzConfig config, KnownStackBugs known, int maxActions, FuzzWorld.StaleScope staleScope) {
    if (maxActions < 1) {
      throw new IllegalArgumentException("max actions must be >= 1, was " + maxActions);
    }
    this.config = config;
    this.known = known;
    this.maxActions = maxActions;
    this.staleScope = staleScope;
  }

  public FuzzConfig config() {
    return config;
  }

  /** Lets a campaign's shrinker replay a finding at most {@code replays} times (default: the harness's). */
  public Fuzzer shrinkBudget(int replays) {
    this.shrinkBudget = replays;
    return this;
  }

  /**
   * Sets the most simulator events one action may fire before the case is a finding of
   * {@link #INV_SETTLE} (default {@link FuzzWorld#ACTION_EVENT_CAP}).
   */
  public Fuzzer maxActionEvents(long cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("max action events must be >= 1, was " + cap);
    }
    actionEventCap = cap;
    return this;
  }

  /** The most simulator events one action may fire. */
  public long maxActionEvents() {
    return actionEventCap;
  }

  /** The invariants, in the order they are checked. */
  public static List<Invariant<FuzzWorld>> invariants() {
    return List.of(
        inv(INV_TRANSITIONS, w -> w.transitionViolation),
        inv(INV_CONTENT, w -> w.contentViolation),
        inv(INV_STALE, w -> w.staleViolation),
        inv(INV_ERRNO, w -> w.errnoViolation),
        inv(INV_LEAK, w -> w.leakViolation));
  }

  private static Invariant<FuzzWorld> inv(String name, java.util.function.Function<FuzzWorld, String> violation) {
    return Invariant.of(name, w -> {
      String v = violation.apply(w);
      if (v != null) {
        throw new AssertionError(v);
      }
      return true;
    });
  }

  /**
   * Swarm testing (Groce et al., ISSTA 2012): each case leaves out a random half of the action
   * kinds (time steps and connects always stay), so some cases hammer a few kinds deep instead of
   * every case spreading thin over all of them. The mask comes from the run seed and the case
   * index, like the case itself, so a case replays alone and does not depend on --jobs.
   */
  public static long swarmMask(long runSeed, int caseIndex) {
    return new SimRandom(runSeed).split("swarm " + caseIndex).nextLong() | 0b11;
  }

  /** Bits 18..20 of the swarm mask: the case's time scale, 100 us << (5 .. 12). */
  static int swarmScale(long mask) {
    return 5 + (int) ((mask >>> 18) & 7);
  }

  /** Bits 21..23 of the swarm mask: the traffic class the case's faults favour (6 and 7 wrap). */
  static FuzzAction.Filter swarmFilter(long mask) {
    FuzzAction.Filter[] all = FuzzAction.Filter.values();
    return all[(int) ((mask >>> 21) & 7) % all.length];
  }

  /** Bit 60: whether the case's faults favour shares of the traffic over single segments. */
  static boolean swarmShares(long mask) {
    return ((mask >>> 60) & 1) != 0;
  }

  /** Bits 61..63: the octave of the case's typical transfer, 2^12 .. 2^19 bytes. */
  static int swarmOctave(long mask) {
    return 12 + (int) ((mask >>> 61) & 7);
  }

  /** Bit of the swarm mask where the kinds' weight factors start, two bits per kind. */
  private static final int SWARM_FACTOR_BIT = 24;

  /**
   * Swarm weights: besides leaving kinds out, each case weights the kinds it keeps by 1, 2, 4 or 8
   * times their base weight (two more bits of the mask per kind), so some cases are mostly time
   * steps and faults, others mostly calls. Kinds past the mask's 64 bits keep factor 1; an all-ones
   * mask (every kind) weights them all alike.
   */
  static int swarmFactor(long mask, int kind) {
    int bit = SWARM_FACTOR_BIT + 2 * kind;
    return bit + 1 < 64 ? 1 << (int) ((mask >>> bit) & 3) : 1;
  }

  /** The action chain with every action kind, ready to run; {@code seed} and {@code onlyCase} pick the case. */
  public ActionChain<FuzzWorld> chain() {
    return chain(-1L);
  }

  /** The action chain with the kinds in {@code mask} (bit k: the k-th kind below). */
  public ActionChain<FuzzWorld> chain(long mask) {
    return chain(mask, w -> {});
  }

  /** The same, telling {@code made} of every world the chain makes (the case's, then the shrinker's). */
  private ActionChain<FuzzWorld> chain(long mask, java.util.function.Consumer<FuzzWorld> made) {
    ActionChain<FuzzWorld> c = ActionChain.<FuzzWorld>from(() -> {
          FuzzWorld w = new FuzzWorld(config, WORLD_SEED, known, staleScope, null);
          made.accept(w);
          return w;
        })
        .named("teardown fuzz (" + config.name() + ")")
        .maxActions(maxActions);
    // Simplest first: the shrinker prefers generators added earlier.
    Gen<Integer> sides = Gen.ints(0, 1);
    // Time steps from 100 us to 104 s, favouring the round-trip scale where orderings race.
    // Each case also has a time scale of its own (swarmScale: 3.2 ms .. 410 ms) that time steps
    // and holds favour, so that a late copy's hold and the pause before the next connection are
    // often of one size, as when one network path's delay sets both.
    int scale = swarmScale(mask);
    Gen<Integer> steps = Gen.frequency(Gen.weighted(3, Gen.ints(0, 6)), Gen.weighted(1, Gen.ints(7, 20)),
        Gen.weighted(2, Gen.constant(scale)));
    // Each case's faults favour one kind of traffic (swarmFilter), as a netem clause or a lossy
    // middlebox hits one class of segments.
    FuzzAction.Filter favoured = swarmFilter(mask);
    Gen<FuzzAction.Filter> filters = Gen.frequency(Gen.weighted(1, Gen.elementOf(FuzzAction.Filter.values())),
        Gen.weighted(1, Gen.constant(favoured)));
    Gen<Long> holds = Gen.frequency(Gen.weighted(3, Gen.ints(0, 8)), Gen.weighted(1, Gen.ints(9, 18)),
        Gen.weighted(2, Gen.constant(scale)))
        .map(k -> 100L << k); // 100 us .. 26.2 s, under the MSL
    // Which matching segment a fault picks: 1 .. 1023, as likely in each octave, so a fault lands
    // anywhere in a stream of a megabyte and the first few segments are still picked often.
    Gen<Integer> nths = logScale(0, 9);
    // One segment (the nth), or a share of them (every nth of 1 .. 63), as netem's clauses hit.
    // Half the cases favour one-segment faults 3 to 1, the other half shares 3 to 1 (a path that
    // misbehaves now and then, or one that does it all the time).
    boolean shares = swarmShares(mask);
    Gen<Pair<Boolean, Integer>> picks = Gen.frequency(
        Gen.weighted(shares ? 1 : 3, nths.map(n -> new Pair<>(false, n))),
        Gen.weighted(shares ? 3 : 1, logScale(0, 5).map(n -> new Pair<>(true, n))));
    // Bulk sizes for send-all: 1 B .. 1 MiB, as likely in each octave (a request, a page, a file),
    // and half the time from the case's own octave (swarmOctave): a workload has a typical size.
    int octave = swarmOctave(mask);
    Gen<Integer> bulks = Gen.frequency(Gen.weighted(1, logScale(0, 19)), Gen.weighted(1, logScale(octave, octave)));
    List<Gen<Action<FuzzWorld>>> kinds = List.of(
        steps.map(k -> wrap(new FuzzAction.Advance(100L << k))),
        Gen.constant(wrap(new FuzzAction.Connect())),
        Gen.combine(sides, Gen.ints(1, 131_072), (s, n) -> wrap(new FuzzAction.Send(s, n))),
        sides.map(s -> wrap(new FuzzAction.Recv(s))),
        sides.map(s -> wrap(new FuzzAction.Close(s, false))),
        sides.map(s -> wrap(new FuzzAction.DrainClose(s))),
        Gen.combine(sides, Gen.ints(0, 2), (s, h) -> wrap(new FuzzAction.Shutdown(s, h))),
        sides.map(s -> wrap(new FuzzAction.Close(s, true))),
        Gen.combine(Gen.pairs(sides, filters), picks,
            (sf, p) -> wrap(new FuzzAction.Fault(FuzzAction.FaultKind.DROP, sf.first(), sf.second(), p.second(), 0, p.first()))),
        Gen.combine(Gen.pairs(sides, filters), picks, holds,
            (sf, p, h) -> wrap(new FuzzAction.Fault(FuzzAction.FaultKind.DUPLICATE, sf.first(), sf.second(), p.second(), h, p.first()))),
        Gen.combine(Gen.pairs(sides, filters), picks, holds,
            (sf, p, h) -> wrap(new FuzzAction.Fault(FuzzAction.FaultKind.HOLD, sf.first(), sf.second(), p.second(), h, p.first()))),
        Gen.booleans().map(on -> wrap(new FuzzAction.Partition(!on))),
        Gen.combine(sides, Gen.booleans(), (s, up) -> wrap(new FuzzAction.Crash(s, !up))),
        sides.map(s -> wrap(new FuzzAction.Reboot(s))),
        Gen.constant(wrap(new FuzzAction.Quiesce())),
        Gen.combine(sides, bulks, Gen.booleans(), (s, n, shut) -> wrap(new FuzzAction.SendAll(s, n, shut))),
        // Servers echo; clients only read (two echoing ends would bounce the bytes forever).
        Gen.combine(sides, Gen.booleans(), (s, echo) -> wrap(new FuzzAction.ReadToEofClose(s, echo && s == 1))),
        bulks.map(n -> wrap(new FuzzAction.Session(n))));
    int[] weights = {6, 3, 4, 3, 2, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 2, 2};
    for (int k = 0; k < kinds.size(); k++) {
      if ((mask & (1L << k)) != 0) {
        c.action(weights[k] * swarmFactor(mask, k), kinds.get(k));
      }
    }
    for (Invariant<FuzzWorld> i : invariants()) {
      c.invariant(i);
    }
    return c;
  }

  /** Integers from {@code 2^minOctave} to {@code 2^(maxOctave+1) - 1}, each octave as likely; smaller shrinks first. */
  static Gen<Integer> logScale(int minOctave, int maxOctave) {
    return Gen.ints(minOctave, maxOctave).flatMap(k -> Gen.ints(1 << k, (2 << k) - 1));
  }

  static Action<FuzzWorld> wrap(FuzzAction a) {
    return Action.of(a.text(), a::applicable, w -> {
      w.startAction(a.text());
      a.apply(w);
      w.acceptAll();
    });
  }

  /**
   * Runs case {@code i} of the run {@code seed}: null if it passes, else the shrunk finding. A
   * mutant's parents come from the campaign's earlier rounds, which are run again (on {@code jobs}
   * threads) to find them.
   */
  public Finding runCase(long seed, int i) throws InterruptedException {
    return runCase(seed, i, 1);
  }

  /** The same, running a mutant's earlier rounds on {@code jobs} threads. */
  public Finding runCase(long seed, int i, int jobs) throws InterruptedException {
    NearMisses misses = mutant(i) ? campaign(seed, i / ROUND * ROUND, jobs, 0, n -> {}).misses() : new NearMisses();
    return run(seed, i, plan(seed, i, misses), shrinkBudget).finding();
  }

  /** Runs fresh case {@code i} of the run {@code seed} (as the first round of a campaign does). */
  public CaseRun run(long seed, int i) {
    return run(seed, i, null);
  }

  /** The same, the shrinker replaying a failing case at most {@code shrinkReplays} times. */
  public CaseRun run(long seed, int i, Integer shrinkReplays) {
    return run(seed, i, new Plan(swarmMask(seed, i), null), shrinkReplays);
  }

  /**
   * Runs case {@code i} of the run {@code seed} as {@code plan} makes it and digests it: a passing
   * case by its world (its actions, trace and end state), a failing one by its shrunk finding. The
   * shrinker replays a failing case at most {@code shrinkReplays} times (null: {@code
   * -Dtcpsim.shrinks} or the harness's default, 5,000). A case that throws out of the harness (out
   * of memory, a fuzzer bug) is a finding of its own kind ({@link CaseGuard#escaped}); null if the
   * thread was interrupted before the case had a result.
   */
  public CaseRun run(long seed, int i, Plan plan, Integer shrinkReplays) {
    FuzzWorld[] first = new FuzzWorld[1];
    int[] worlds = {0};
    tcpsim.core.check.Trial t;
    try {
      ActionChain<FuzzWorld> c = chain(plan.mask(), w -> {
        w.limitEvents(actionEventCap);
        worlds[0]++;
        if (first[0] == null) {
          first[0] = w;
        }
        onWorld.accept(w, i);
      });
      if (shrinkReplays != null) {
        c.shrinkBudget(shrinkReplays);
      }
      t = c.trial(seed, i, plan.choices());
    } catch (VirtualMachineError | RuntimeException | AssertionError e) {
      // Let the case's world go before anything else: after an OutOfMemoryError it may hold the heap.
      List<String> actions = first[0] == null ? List.of() : first[0].actions;
      first[0] = null;
      if (e instanceof OutOfMemoryError && worlds[0] > 1) {
        return run(seed, i, plan, 0); // a shrink replay ran out: report the case's own failure, unshrunk
      }
      return failed(CaseGuard.escaped(seed, i, actions, e), plan);
    }
    if (t.passed()) {
      FuzzWorld w = first[0];
      long[] distances = w == null ? new long[] {Long.MAX_VALUE, Long.MAX_VALUE}
          : new long[] {w.staleDistance(0), w.staleDistance(1)};
      String[] where = w == null ? new String[2] : new String[] {w.nearestMiss(0), w.nearestMiss(1)};
      return new CaseRun(null, w == null ? 0 : w.digest(), distances, where, plan.mask(), t.choices());
    }
    if (t.failure().getCause() instanceof FuzzWorld.Interrupted) {
      return null;
    }
    return failed(finding(t.failure()), plan);
  }

  /**
   * A failing case's run, digested by its finding (the detail of running out of memory left out:
   * the JVM words it as it finds the heap).
   */
  static CaseRun failed(Finding found) {
    return failed(found, new Plan(0, null));
  }

  static CaseRun failed(Finding found, Plan plan) {
    tcpsim.core.trace.TraceDigest d = new tcpsim.core.trace.TraceDigest();
    found.actions().forEach(d::add);
    d.add(found.invariant());
    if (!found.invariant().equals(KIND_EXHAUSTION)) {
      d.add(found.detail());
    }
    return new CaseRun(found, d.value(), new long[] {0, 0}, new String[2], plan.mask(), new long[0]);
  }

  private static final Pattern STEP = Pattern.compile("^(\\d+)\\. (.*)$");

  static Finding finding(PropertyFailure f) {
    List<String> steps = new ArrayList<>();
    String invariant = null;
    for (String line : f.counterexample().split("\n")) {
      Matcher m = STEP.matcher(line.trim());
      if (m.matches()) {
        steps.add(m.group(2));
      }
    }
    Throwable cause = f.getCause();
    String detail = cause == null ? "" : cause.getMessage();
    if (cause != null && cause.getCause() != null) {
      detail = cause.getCause().getMessage();
    }
    for (Invariant<FuzzWorld> inv : invariants()) {
      if (cause != null && cause.getMessage() != null && cause.getMessage().contains(inv.name())) {
        invariant = inv.name();
      }
    }
    if (cause instanceof FuzzWorld.Unsettled) {
      invariant = INV_SETTLE;
    }
    return new Finding(f.caseIndex(), f.caseSeed(), List.copyOf(steps),
        invariant == null ? "an action threw" : invariant, detail, f.getMessage());
  }

  /**
   * Runs cases {@code 0..cases-1} of {@code seed} on {@code jobs} threads until one fails, every
   * case has run, or {@code budgetNanos} of wall time is spent (0: no budget). {@code progress}
   * hears the count of finished cases. Cases run in rounds of {@link #ROUND}; after each round
   * its near misses join the parents the next round's mutants are made from.
   */
  public Campaign campaign(long seed, int cases, int jobs, long budgetNanos, IntConsumer progress)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = budgetNanos == 0 ? Long.MAX_VALUE : start + budgetNanos;
    AtomicInteger done = new AtomicInteger();
    CaseFold fold = new CaseFold();
    NearMisses misses = new NearMisses();
    CaseGuard guard = new CaseGuard(seed, jobs);
    Finding first = null;
    for (int lo = 0; lo < cases && first == null && System.nanoTime() <= deadline; lo += ROUND) {
      int hi = Math.min(cases, lo + ROUND);
      Plan[] plans = new Plan[hi - lo];
      for (int i = lo; i < hi; i++) {
        plans[i - lo] = plan(seed, i, misses);
      }
      CaseRun[] runs = new CaseRun[hi - lo];
      AtomicInteger next = new AtomicInteger(lo);
      AtomicInteger firstFail = new AtomicInteger(Integer.MAX_VALUE);
      int from = lo;
      Runnable worker = () -> {
        while (true) {
          int i = next.getAndIncrement();
          if (i >= hi || i > firstFail.get() || System.nanoTime() > deadline) {
            return;
          }
          CaseRun r = guard.run(i, k -> run(seed, k, plans[k - from], shrinkBudget));
          if (r == null) {
            return; // the time budget ran out during the case: it does not count
          }
          runs[i - from] = r;
          if (r.finding() != null) {
            firstFail.accumulateAndGet(i, Math::min);
          }
          fold.add(i, r.digest(), firstFail.get());
          progress.accept(done.incrementAndGet());
        }
      };
      List<Thread> threads = new ArrayList<>();
      for (int j = 0; j < jobs; j++) {
        Thread t = new Thread(worker, "fuzz-" + j);
        t.start();
        threads.add(t);
      }
      CaseGuard.await(threads, deadline);
      // In case order, so the parents (and every later case) are the same for any --jobs.
      for (int i = lo; i < hi; i++) {
        CaseRun r = runs[i - lo];
        if (r == null) {
          break; // the budget ran out: later cases of the round did not run or do not count
        }
        if (r.finding() != null) {
          first = r.finding();
          break;
        }
        for (int side = 0; side < 2; side++) {
          misses.add(side, r.staleDistances()[side], r.nearMisses()[side], i, r.mask(), r.choices());
        }
      }
    }
    return new Campaign(done.get(), System.nanoTime() - start, first, fold.checked(), fold.value(), misses);
  }

  /**
   * Folds per-case digests in case order whatever order the jobs finish them in: a case finished
   * ahead of a lower one waits until every case below it is folded. Folding stops after the
   * lowest failing case (a failing case is recorded before it is folded, so no case above it is
   * ever folded), which makes the result independent of how many jobs ran.
   */
  private static final class CaseFold {
    private final java.util.TreeMap<Integer, Long> waiting = new java.util.TreeMap<>();
    private final tcpsim.core.trace.TraceDigest folded = new tcpsim.core.trace.TraceDigest();
    private int nextIndex;

    synchronized void add(int caseIndex, long digest, int lowestFailure) {
      waiting.put(caseIndex, digest);
      while (!waiting.isEmpty() && waiting.firstKey() == nextIndex && nextIndex <= lowestFailure) {
        folded.add(waiting.pollFirstEntry().getValue());
        nextIndex++;
      }
    }

    synchronized int checked() {
      return nextIndex;
    }

    synchronized long value() {
      return folded.value();
    }
  }

  /**
   * Replays an action list on a fresh world, checking the invariants after each action as the
   * chain does; returns the first broken invariant's name and detail, or null.
   */
  public String[] replay(List<FuzzAction> actions, WireTap tap) {
    return replayed(actions, tap).broken();
  }

  /** A replay's world and its first broken invariant (name and detail), or null. */
  public record Replayed(FuzzWorld world, String[] broken) {
    /** The world's digest: actions, every segment on the wire, end state. */
    public long digest() {
      return world.digest();
    }
  }

  /** Replays an action list as {@link #replay} does and keeps the world, for its digest. */
  public Replayed replayed(List<FuzzAction> actions, WireTap tap) {
    return replayed(actions, tap, actionEventCap);
  }

  /** The same with another cap on the events of one action (a ladder of a case that did not settle). */
  public Replayed replayed(List<FuzzAction> actions, WireTap tap, long maxActionEvents) {
    FuzzWorld w = new FuzzWorld(config, WORLD_SEED, known, staleScope, tap);
    w.limitEvents(maxActionEvents);
    for (FuzzAction a : actions) {
      if (!a.applicable(w)) {
        continue; // the chain would have drawn another action; a hand-edited list may hold such a step
      }
      w.startAction(a.text());
      try {
        a.apply(w);
      } catch (FuzzWorld.Unsettled u) {
        return new Replayed(w, new String[] {INV_SETTLE, u.getMessage()});
      }
      w.acceptAll();
      for (Invariant<FuzzWorld> inv : invariants()) {
        try {
          inv.holds().test(w);
        } catch (AssertionError e) {
          return new Replayed(w, new String[] {inv.name(), e.getMessage()});
        }
      }
    }
    return new Replayed(w, null);
  }

  /** Reads an action list, one action per line; blank lines and {@code #} comments are skipped. */
  public static List<FuzzAction> parse(List<String> lines) {
    List<FuzzAction> out = new ArrayList<>();
    for (String l : lines) {
      String t = l.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      Matcher m = STEP.matcher(t);
      out.add(FuzzAction.parse(m.matches() ? m.group(2) : t));
    }
    return out;
  }
}
