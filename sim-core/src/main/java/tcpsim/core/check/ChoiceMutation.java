package tcpsim.core.check;

import java.util.Arrays;
import tcpsim.core.random.SimRandom;

/**
 * Mutants of a choice sequence, for targeted search: a case that came near breaking an invariant
 * is run again with a few of its choices changed, and the mutant is kept when it comes nearer
 * (targeted property-based testing, Löscher and Sagonas, ISSTA 2017; Hypothesis's
 * {@code target()} climbs the same way on choice sequences). Mutating choices rather than values
 * needs no code in the generators, as shrinking does not.
 *
 * <p>A mutant stacks one to eight edits (AFL's havoc): nudge one choice (by one, by up to a power
 * of two near its size, doubled, halved), zero it, delete a span, repeat a span, or copy a span over another. Spans
 * are at most {@link #MAX_SPAN} choices, about one action of a chain. A replay clamps each choice
 * to the bound asked for and reads 0 past the end, so every mutant is a valid case.
 */
public final class ChoiceMutation {
  /** Longest span a deletion, repetition or copy moves. */
  public static final int MAX_SPAN = 16;
  /** Longest mutant: a repetition never grows a sequence past this. */
  public static final int MAX_LENGTH = Choices.DEFAULT_MAX_CHOICES / 2;

  private ChoiceMutation() {}

  /** A mutant of {@code parent} drawn from {@code random}; {@code parent} is not changed. */
  public static long[] mutate(long[] parent, SimRandom random) {
    long[] c = parent.clone();
    int edits = 1;
    while (edits < 8 && random.nextInt(2) == 0) {
      edits++;
    }
    for (int e = 0; e < edits; e++) {
      c = edit(c, random);
    }
    return c;
  }

  private static long[] edit(long[] c, SimRandom random) {
    if (c.length == 0) {
      return new long[] {random.nextLong(4)};
    }
    int kind = random.nextInt(10);
    int i = random.nextInt(c.length);
    int span = 1 + random.nextInt(Math.min(MAX_SPAN, c.length - i));
    switch (kind) {
      case 0, 1, 2, 3, 4 -> c[i] = nudge(c[i], random);
      case 5 -> c[i] = 0;
      case 6 -> {
        long[] d = new long[c.length - span];
        System.arraycopy(c, 0, d, 0, i);
        System.arraycopy(c, i + span, d, i, c.length - i - span);
        return d;
      }
      case 7 -> {
        if (c.length + span > MAX_LENGTH) {
          return c;
        }
        long[] d = Arrays.copyOf(c, c.length + span);
        System.arraycopy(c, i, d, i + span, c.length - i);
        return d;
      }
      default -> {
        int to = random.nextInt(c.length);
        int n = Math.min(span, c.length - to);
        System.arraycopy(c.clone(), i, c, to, n);
      }
    }
    return c;
  }

  /**
   * A nearby value: a step of one, or of up to 2^k for k up to the value's own size (so a climb
   * halves its distance about as easily at every scale), or doubled or halved.
   */
  static long nudge(long v, SimRandom random) {
    int bits = 64 - Long.numberOfLeadingZeros(v);
    long step = 1 + random.nextLong(1L << random.nextInt(Math.min(bits + 2, 62)));
    long n = switch (random.nextInt(8)) {
      case 0 -> v + 1;
      case 1 -> v - 1;
      case 2, 3 -> v + step;
      case 4, 5 -> v - step;
      case 6 -> v > Long.MAX_VALUE / 2 ? v : v * 2 + random.nextLong(2);
      default -> v / 2;
    };
    return n < 0 ? 0 : n;
  }
}
