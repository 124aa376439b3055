package tcpsim.core.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tcpsim.core.random.SimRandom;

/**
 * A stateful property: from a fresh state, run a chain of actions drawn from generators, and
 * check every invariant before the first action and after each one. A case fails when an action
 * or an invariant throws or an invariant is false; the failing chain is shrunk through its
 * choice sequence (shorter chains, simpler actions, smaller parameters) and printed one action
 * per line:
 * <pre>
 * minimal action list:
 *   1. push(0)
 *   2. push(0)
 *   3. push(0)
 *   invariant "holds at most two" broken after action 3. push(0)
 * </pre>
 *
 * <p>Each step draws "one more action?" (so chains are of uniform length up to
 * {@link #maxActions(int)}), then an action generator by weight, then the action's parameters.
 * When the drawn action's precondition is false it draws again, up to
 * {@link #PRECONDITION_ATTEMPTS} times, and the chain ends if none qualifies.
 *
 * <p>Seeds and replay work as in {@link Property}. The builder methods change this object and
 * return it.
 */
public final class ActionChain<S> {
  /** Default longest chain. */
  public static final int DEFAULT_MAX_ACTIONS = 30;
  /** Draws per step looking for an action whose precondition holds. */
  public static final int PRECONDITION_ATTEMPTS = 10;

  private final Supplier<? extends S> initialState;
  private final List<Gen<? extends Action<S>>> actions = new ArrayList<>();
  private final List<Integer> weights = new ArrayList<>();
  private final List<Invariant<S>> invariants = new ArrayList<>();
  private String name = "action chain";
  private int maxActions = DEFAULT_MAX_ACTIONS;
  private Long seed;
  private Integer cases;
  private Integer onlyCase;
  private Integer shrinkBudget;

  private ActionChain(Supplier<? extends S> initialState) {
    this.initialState = initialState;
  }

  /** A chain whose every case starts from {@code initialState.get()} (a fresh state each time). */
  public static <S> ActionChain<S> from(Supplier<? extends S> initialState) {
    if (initialState == null) {
      throw new IllegalArgumentException("initialState must not be null");
    }
    return new ActionChain<>(initialState);
  }

  /** Adds actions drawn from {@code gen}, with weight 1. */
  public ActionChain<S> action(Gen<? extends Action<S>> gen) {
    return action(1, gen);
  }

  /** Adds one fixed action (no parameters), with weight 1. */
  public ActionChain<S> action(Action<S> action) {
    if (action == null) {
      throw new IllegalArgumentException("action must not be null");
    }
    return action(1, Gen.constant(action));
  }

  /**
   * Adds actions drawn from {@code gen}; each step picks a generator in proportion to the
   * weights. Shrinking prefers generators added earlier, so add the simplest first.
   */
  public ActionChain<S> action(int weight, Gen<? extends Action<S>> gen) {
    if (weight <= 0) {
      throw new IllegalArgumentException("action weight must be > 0, was " + weight);
    }
    if (gen == null) {
      throw new IllegalArgumentException("action generator must not be null");
    }
    actions.add(gen);
    weights.add(weight);
    return this;
  }

  /** Adds the invariant {@code name}, checked before the first action and after each one. */
  public ActionChain<S> invariant(String name, java.util.function.Predicate<? super S> holds) {
    return invariant(Invariant.of(name, holds));
  }

  /** Adds {@code invariant}, checked before the first action and after each one. */
  public ActionChain<S> invariant(Invariant<S> invariant) {
    if (invariant == null) {
      throw new IllegalArgumentException("invariant must not be null");
    }
    invariants.add(invariant);
    return this;
  }

  /** The name printed in a failure. */
  public ActionChain<S> named(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** The longest chain generated (default {@link #DEFAULT_MAX_ACTIONS}). */
  public ActionChain<S> maxActions(int maxActions) {
    if (maxActions < 1) {
      throw new IllegalArgumentException("maxActions must be >= 1, was " + maxActions);
    }
    this.maxActions = maxActions;
    return this;
  }

  /** Pins the run seed (it wins over {@code -Dtcpsim.seed}). */
  public ActionChain<S> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** How many chains must pass, unless {@code -Dtcpsim.cases} is given. */
  public ActionChain<S> cases(int cases) {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be >= 1, was " + cases);
    }
    this.cases = cases;
    return this;
  }

  /** Runs only case {@code caseIndex} of the run (what {@code -Dtcpsim.case} does). */
  public ActionChain<S> onlyCase(int caseIndex) {
    if (caseIndex < 0) {
      throw new IllegalArgumentException("caseIndex must be >= 0, was " + caseIndex);
    }
    this.onlyCase = caseIndex;
    return this;
  }

  /**
   * How many replays the shrinker may spend. Interrupting the thread also ends shrinking: the
   * smallest failure found so far is reported.
   */
  public ActionChain<S> shrinkBudget(int replays) {
    if (replays < 0) {
      throw new IllegalArgumentException("shrink budget must be >= 0, was " + replays);
    }
    this.shrinkBudget = replays;
    return this;
  }

  /** Runs the chains; throws {@link PropertyFailure} with the shrunk action list on the first failure. */
  public CheckResult check() {
    if (actions.isEmpty()) {
      throw new IllegalStateException("action chain \"" + name + "\" has no actions");
    }
    int[] w = new int[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
    }
    List<Gen<? extends Action<S>>> gens = List.copyOf(actions);
    List<Invariant<S>> invs = List.copyOf(invariants);
    Settings settings = Settings.resolve(seed, cases, onlyCase, shrinkBudget);
    return Runner.run(name, "action list", settings, choices -> runChain(choices, gens, w, invs));
  }

  /**
   * Runs one case of the chain and returns it instead of throwing: case {@code caseIndex} of run
   * {@code seed} as {@link #check()} would draw it when {@code choices} is null, else the case
   * those choices make (past their end every choice is 0), which is how a targeted search runs a
   * mutated case ({@link ChoiceMutation}). A failing case comes back shrunk, numbered
   * {@code caseIndex}.
   */
  public Trial trial(long seed, int caseIndex, long[] choices) {
    if (actions.isEmpty()) {
      throw new IllegalStateException("action chain \"" + name + "\" has no actions");
    }
    if (caseIndex < 0) {
      throw new IllegalArgumentException("caseIndex must be >= 0, was " + caseIndex);
    }
    int[] w = new int[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
    }
    List<Gen<? extends Action<S>>> gens = List.copyOf(actions);
    List<Invariant<S>> invs = List.copyOf(invariants);
    Settings settings = Settings.resolve(seed, 1, caseIndex, shrinkBudget);
    return Runner.trial(name, "action list", settings, c -> runChain(c, gens, w, invs), caseIndex, choices);
  }

  private Outcome runChain(Choices choices, List<Gen<? extends Action<S>>> gens, int[] w,
      List<Invariant<S>> invs) {
    List<String> done = new ArrayList<>();
    S state;
    try {
      state = initialState.get();
    } catch (RuntimeException e) {
      return new Outcome(e, () -> "(the initial state could not be made)");
    }
    Throwable broken = checkInvariants(invs, state, 0, null);
    if (broken != null) {
      return failed(done, broken);
    }
    while (done.size() < maxActions && choices.drawChance(continuePpm(maxActions - done.size()))) {
      Action<S> action = null;
      for (int attempt = 0; attempt < PRECONDITION_ATTEMPTS && action == null; attempt++) {
        Action<S> candidate = gens.get(choices.drawWeighted(w)).generate(choices);
        try {
          if (candidate.precondition(state)) {
            action = candidate;
          }
        } catch (RuntimeException | AssertionError e) {
          done.add(candidate.name());
          return failed(done, new AssertionError("precondition of " + candidate.name() + " threw " + e, e));
        }
      }
      if (action == null) {
        break;
      }
      done.add(action.name());
      try {
        action.run(state);
      } catch (Choices.Rejected r) {
        throw r;
      } catch (VirtualMachineError e) {
        if (!(e instanceof StackOverflowError)) {
          throw e; // out of memory is not a counterexample
        }
        return failed(done, e);
      } catch (Throwable t) {
        return failed(done, t);
      }
      broken = checkInvariants(invs, state, done.size(), action.name());
      if (broken != null) {
        return failed(done, broken);
      }
    }
    return Outcome.passed();
  }

  private static <S> InvariantViolation checkInvariants(List<Invariant<S>> invs, S state, int after,
      String actionName) {
    for (Invariant<S> inv : invs) {
      try {
        if (!inv.holds().test(state)) {
          return new InvariantViolation(inv.name(), after, actionName, null);
        }
      } catch (RuntimeException | AssertionError e) {
        return new InvariantViolation(inv.name(), after, actionName, e);
      }
    }
    return null;
  }

  private static Outcome failed(List<String> done, Throwable failure) {
    List<String> steps = List.copyOf(done);
    return new Outcome(failure, () -> describe(steps, failure));
  }

  private static String describe(List<String> steps, Throwable failure) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      b.append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    if (failure instanceof InvariantViolation) {
      b.append(failure.getMessage());
    } else if (steps.isEmpty()) {
      b.append("failed before any action: ").append(failure);
    } else {
      b.append("action ").append(steps.size()).append(" threw ").append(failure);
    }
    return b.toString();
  }

  private static int continuePpm(int room) {
    return (int) ((long) room * SimRandom.PPM / (room + 1L));
  }
}
