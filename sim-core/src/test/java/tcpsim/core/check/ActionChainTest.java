package tcpsim.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Action chains find a bug that takes six actions to show, shrink it to the minimal action list,
 * and print it one action per line.
 */
class ActionChainTest {
  private static final int CAPACITY = 2;

  /**
   * A bounded ring-buffer queue with a classic wrap-around bug: the tail wraps at the array's
   * length (capacity + 1) but the head wraps at the capacity, so after the ring wraps once
   * {@code poll} reads a stale slot. Nothing goes wrong until the third poll after a wrap.
   */
  static final class BuggyQueue {
    private final int[] slots = new int[CAPACITY + 1];
    private int head;
    private int tail;
    private int size;

    boolean offer(int x) {
      if (size == CAPACITY) {
        return false;
      }
      slots[tail] = x;
      tail = (tail + 1) % slots.length; // bug: should wrap at CAPACITY, as head does
      size++;
      return true;
    }

    int poll() {
      int x = slots[head];
      head = (head + 1) % CAPACITY;
      size--;
      return x;
    }

    int size() {
      return size;
    }
  }

  /** The system under test beside its model. */
  record Queues(BuggyQueue real, ArrayDeque<Integer> model) {
    static Queues fresh() {
      return new Queues(new BuggyQueue(), new ArrayDeque<>());
    }
  }

  private static ActionChain<Queues> queueChain() {
    return queueChain(Queues::fresh);
  }

  private static ActionChain<Queues> queueChain(java.util.function.Supplier<Queues> fresh) {
    return ActionChain.from(fresh)
        .named("bounded queue matches its model")
        .action(Gen.ints(0, 9).map(x -> Action.<Queues>of("offer(" + x + ")",
            q -> q.model().size() < CAPACITY,
            q -> {
              q.model().addLast(x);
              assertTrue(q.real().offer(x), "offer refused below capacity");
            })))
        .action(Action.of("poll()",
            q -> !q.model().isEmpty(),
            q -> assertEquals(q.model().pollFirst(), q.real().poll(), "polled element")))
        .invariant("size matches model", q -> q.real().size() == q.model().size())
        .maxActions(20);
  }

  @Test
  void theWrapAroundBugShrinksToTheMinimalSixActions() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> queueChain().check());

    assertEquals(String.join("\n",
        "1. offer(0)",
        "2. offer(0)",
        "3. poll()",
        "4. offer(1)",
        "5. poll()",
        "6. poll()",
        "action 6 threw org.opentest4j.AssertionFailedError: polled element ==> expected: <1> but was: <0>"),
        f.counterexample());
    assertTrue(f.getMessage().startsWith("replay: " + f.replayArguments() + "\n"), f.getMessage());
    assertTrue(f.getMessage().contains("\nminimal action list:\n  1. offer(0)\n  2. offer(0)\n"), f.getMessage());
  }

  @Test
  void aBrokenInvariantIsNamedWithTheActionAfterWhichItBroke() {
    // A queue whose size counter forgets offers once it holds two elements: needs three offers.
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> ActionChain.from(ArrayDeque<Integer>::new)
        .named("size counter")
        .action(Gen.ints(0, 9).map(x -> Action.<ArrayDeque<Integer>>of("push(" + x + ")", d -> d.push(x))))
        .action(Action.of("pop()", d -> !d.isEmpty(), ArrayDeque::pop))
        .invariant("holds at most two", d -> d.size() <= 2)
        .check());

    assertEquals("1. push(0)\n2. push(0)\n3. push(0)\n"
        + "invariant \"holds at most two\" broken after action 3. push(0)", f.counterexample());
    InvariantViolation v = assertInstanceOf(InvariantViolation.class, f.getCause());
    assertEquals("holds at most two", v.invariant());
    assertEquals(3, v.afterAction());
  }

  @Test
  void aCorrectQueuePassesEveryChainAndPreconditionsAreRespected() {
    CheckResult r = ActionChain.from(ArrayDeque<Integer>::new)
        .action(Gen.ints(0, 9).map(x -> Action.<ArrayDeque<Integer>>of("offer(" + x + ")", d -> d.size() < 3, d -> d.addLast(x))))
        // pollFirst on an empty deque returns null; the precondition must keep us from ever doing it.
        .action(Action.of("poll()", d -> !d.isEmpty(), d -> Objects.requireNonNull(d.pollFirst())))
        .invariant("bounded", d -> d.size() <= 3)
        .cases(100)
        .check();

    assertEquals(100, r.passed());
  }

  @Test
  void theChainReplaysFromItsPrintedCase() {
    PropertyFailure first = assertThrows(PropertyFailure.class, () -> queueChain().seed(0xabcdefL).check());
    PropertyFailure again = assertThrows(PropertyFailure.class,
        () -> queueChain().seed(first.seed()).onlyCase(first.caseIndex()).check());

    assertEquals(first.getMessage(), again.getMessage());
  }

  @Test
  void anInvariantFalseFromTheStartIsReportedBeforeAnyAction() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> ActionChain.from(ArrayDeque<Integer>::new)
        .action(Action.of("clear()", ArrayDeque::clear))
        .invariant("never empty", d -> !d.isEmpty())
        .check());

    assertEquals("invariant \"never empty\" broken before any action", f.counterexample());
    assertEquals(0, assertInstanceOf(InvariantViolation.class, f.getCause()).afterAction());
  }

  @Test
  void anInterruptedShrinkStopsAndReportsTheSmallestFailureSoFar() {
    PropertyFailure whole = assertThrows(PropertyFailure.class, () -> queueChain().shrinkBudget(0).check());
    int[] made = {0};
    PropertyFailure cut;
    try {
      cut = assertThrows(PropertyFailure.class, () -> queueChain(() -> {
            if (++made[0] == 2) {
              Thread.currentThread().interrupt(); // a caller's time budget runs out during the first shrink replay
            }
            return Queues.fresh();
          }).check());
    } finally {
      Thread.interrupted();
    }

    assertEquals(2, made[0], "no replay after the interrupt");
    assertEquals(whole.counterexample(), cut.counterexample());
  }

  @Test
  void aChainWithoutActionsIsMisuse() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ActionChain.from(ArrayDeque<Integer>::new).named("empty").check());

    assertEquals("action chain \"empty\" has no actions", e.getMessage());
  }
}
