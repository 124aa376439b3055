package tcpsim.core.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shrinks a failing case's choice sequence without knowing its generators.
 *
 * <p>A candidate sequence is replayed through the case; it is kept when the case still fails the
 * same way (same exception class, or the same broken invariant) and the sequence it actually
 * consumed is smaller in shortlex order (shorter, or as long and lexicographically smaller).
 * Each kept candidate is strictly smaller, so shrinking ends; it stops at a fixpoint of all
 * passes, when the replay budget is spent, or when the thread is interrupted (a caller's time
 * budget ran out: the smallest failure found so far is reported).
 *
 * <p>The passes, after Hypothesis's: delete spans of choices (large spans first, also with the
 * choice before the span lowered by one, for size-prefixed data), zero spans, lower each choice
 * by binary search, lower equal choices together, swap out-of-order pairs, and move value from
 * an earlier choice to a later one, swap neighbouring spans (reorders chain steps).
 */
final class Shrinker {
  private final CaseBody body;
  private final String kind;
  private final int budget;
  private final int maxChoices;
  private final Set<Key> seen = new HashSet<>();
  private long[] best;
  private Outcome bestOutcome;
  private int replays;
  private int steps;

  Shrinker(CaseBody body, long[] failing, Outcome outcome, int budget, int maxChoices) {
    this.body = body;
    this.best = failing;
    this.bestOutcome = outcome;
    this.kind = Outcome.kind(outcome.failure());
    this.budget = budget;
    this.maxChoices = maxChoices;
    seen.add(new Key(failing));
  }

  long[] best() {
    return best;
  }

  Outcome bestOutcome() {
    return bestOutcome;
  }

  /** Shrinks kept (improving) candidates so far. */
  int steps() {
    return steps;
  }

  /** Candidates replayed so far. */
  int replays() {
    return replays;
  }

  void shrink() {
    boolean improved = true;
    while (improved && replays < budget) {
      int before = steps;
      deleteSpans();
      zeroSpans();
      lowerEach();
      lowerDuplicates();
      swapPairs();
      swapAdjacentSpans();
      redistribute();
      improved = steps > before;
    }
  }

  private void deleteSpans() {
    for (int size = Integer.highestOneBit(Math.max(1, best.length)); size >= 1; size = size == 4 ? 3 : size == 3 ? 2 : size / 2) {
      for (int i = best.length - size; i >= 0; i--) {
        if (i + size > best.length) {
          continue;
        }
        long[] cand = new long[best.length - size];
        System.arraycopy(best, 0, cand, 0, i);
        System.arraycopy(best, i + size, cand, i, best.length - i - size);
        if (!tryCandidate(cand) && i > 0 && cand[i - 1] > 0) {
          cand[i - 1]--;
          tryCandidate(cand);
        }
      }
    }
  }

  private void zeroSpans() {
    for (int size = 8; size >= 1; size /= 2) {
      for (int i = 0; i + size <= best.length; i++) {
        boolean allZero = true;
        for (int j = i; j < i + size; j++) {
          allZero &= best[j] == 0;
        }
        if (!allZero) {
          long[] cand = best.clone();
          Arrays.fill(cand, i, i + size, 0);
          tryCandidate(cand);
        }
      }
    }
  }

  private void lowerEach() {
    for (int i = 0; i < best.length; i++) {
      int at = i;
      lowerWhileFailing(best[i], v -> {
        if (at >= best.length) {
          return false;
        }
        long[] cand = best.clone();
        cand[at] = v;
        return tryCandidate(cand);
      });
    }
  }

  private void lowerDuplicates() {
    Map<Long, List<Integer>> positions = new TreeMap<>();
    for (int i = 0; i < best.length; i++) {
      if (best[i] > 0) {
        positions.computeIfAbsent(best[i], k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<Long, List<Integer>> e : positions.entrySet()) {
      List<Integer> at = e.getValue();
      if (at.size() < 2) {
        continue;
      }
      long[] base = best;
      lowerWhileFailing(e.getKey(), v -> {
        long[] cand = base.clone();
        for (int i : at) {
          cand[i] = v;
        }
        return tryCandidate(cand);
      });
    }
  }

  private void swapPairs() {
    for (int i = 0; i < best.length; i++) {
      for (int j = i + 1; j < Math.min(best.length, i + 9); j++) {
        if (best[i] > best[j]) {
          long[] cand = best.clone();
          cand[i] = best[j];
          cand[j] = best[i];
          tryCandidate(cand);
        }
      }
    }
  }

  /**
   * Swaps two neighbouring spans of up to four choices each, when that makes the sequence
   * smaller: this reorders steps of an action chain (a poll drawn before an offer becomes the
   * offer first), which no pass on single choices can do.
   */
  private void swapAdjacentSpans() {
    for (int i = 0; i < best.length; i++) {
      for (int a = 1; a <= 4; a++) {
        for (int b = 1; b <= 4; b++) {
          if (i + a + b > best.length) {
            continue;
          }
          long[] cand = best.clone();
          System.arraycopy(best, i + a, cand, i, b);
          System.arraycopy(best, i, cand, i + b, a);
          if (shortlexLess(cand, best)) {
            tryCandidate(cand);
          }
        }
      }
    }
  }

  private void redistribute() {
    for (int i = 0; i < best.length; i++) {
      for (int j = i + 1; j < Math.min(best.length, i + 9); j++) {
        if (i >= best.length || j >= best.length || best[i] == 0) {
          continue;
        }
        int from = i;
        int to = j;
        long[] base = best;
        // Move as much as possible from choice i to choice j: lower i as far as it stays failing.
        lowerWhileFailing(base[from], v -> {
          long[] cand = base.clone();
          long moved = base[from] - v;
          cand[from] = v;
          cand[to] = base[to] > Long.MAX_VALUE - moved ? Long.MAX_VALUE : base[to] + moved;
          return tryCandidate(cand);
        });
      }
    }
  }

  /** Largest choice lowered by trying every smaller value, not by binary search. */
  static final long LINEAR_SCAN_LIMIT = 16;

  /**
   * Finds a smaller value for which {@code fails} holds, and the smallest if failing is monotone
   * in the value. Small choices (indices, flags, alternatives) are rarely monotone, so they are
   * scanned upwards from 0; larger ones are binary-searched after 0 and {@code current - 1}.
   */
  private void lowerWhileFailing(long current, LongTest fails) {
    if (current == 0) {
      return;
    }
    if (current <= LINEAR_SCAN_LIMIT) {
      for (long v = 0; v < current && replays < budget; v++) {
        if (fails.test(v)) {
          return;
        }
      }
      return;
    }
    if (fails.test(0) || !fails.test(current - 1)) {
      return;
    }
    long lo = 1;
    long hi = current - 1;
    while (lo < hi && replays < budget) {
      long mid = lo + (hi - lo) / 2;
      if (fails.test(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
  }

  private boolean tryCandidate(long[] cand) {
    if (replays >= budget || Thread.currentThread().isInterrupted() || !seen.add(new Key(cand))) {
      return false;
    }
    replays++;
    Choices choices = Choices.replaying(cand, maxChoices);
    Outcome outcome;
    try {
      outcome = CaseBody.execute(body, choices);
    } catch (Choices.Rejected r) {
      return false;
    }
    if (!outcome.failed() || !kind.equals(Outcome.kind(outcome.failure()))) {
      return false;
    }
    long[] consumed = choices.recorded();
    if (!shortlexLess(consumed, best)) {
      return false;
    }
    best = consumed;
    bestOutcome = outcome;
    steps++;
    return true;
  }

  static boolean shortlexLess(long[] a, long[] b) {
    if (a.length != b.length) {
      return a.length < b.length;
    }
    return Arrays.compare(a, b) < 0;
  }

  @FunctionalInterface
  private interface LongTest {
    boolean test(long value);
  }

  /** A choice sequence as a set member. */
  private record Key(long[] choices) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(choices, k.choices);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(choices);
    }

    @Override
    public String toString() {
      return Arrays.toString(choices);
    }
  }
}
