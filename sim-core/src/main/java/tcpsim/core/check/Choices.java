package tcpsim.core.check;

import java.util.Arrays;
import tcpsim.core.random.SimRandom;

/**
 * The source every {@link Gen} draws from: a sequence of bounded, non-negative choices.
 *
 * <p>In generation mode each choice comes from a seeded {@link SimRandom} and is recorded; in replay
 * mode the choices come from a recorded (possibly shrunk) sequence, and once it runs out every
 * further choice is 0. Either way the choices actually returned are recorded again, so a replay
 * also yields the normalized sequence it consumed. This is Hypothesis's design: shrinking works
 * on the sequence, never on values, so no generator needs shrinking code of its own. A generator
 * only has to map choice 0 to its simplest value and larger choices to less simple ones.
 *
 * <p>A choice is a {@code long} in {@code [0, max]}. A recorded choice larger than the bound asked
 * for on replay (a shrink pass changed an earlier choice and with it this bound) is clamped to
 * the bound.
 */
public final class Choices {
  /** Choices one case may draw by default; a generator that draws more is cut off (see {@link #draw}). */
  public static final int DEFAULT_MAX_CHOICES = 100_000;
  /** How often, in ppm, {@link #drawFavouringEnds} gives each end of its range in generation: 1 in 16. */
  public static final int END_PPM = SimRandom.PPM / 16;

  private final SimRandom random;
  private final long[] replay;
  private final int maxChoices;
  private long[] drawn = new long[32];
  private int count;

  private Choices(SimRandom random, long[] replay, int maxChoices) {
    if (maxChoices <= 0) {
      throw new IllegalArgumentException("maxChoices must be > 0, was " + maxChoices);
    }
    this.random = random;
    this.replay = replay;
    this.maxChoices = maxChoices;
  }

  /** Draws fresh choices from {@code random} and records them. */
  public static Choices generating(SimRandom random) {
    return generating(random, DEFAULT_MAX_CHOICES);
  }

  /** Draws fresh choices from {@code random}, at most {@code maxChoices} of them. */
  public static Choices generating(SimRandom random, int maxChoices) {
    if (random == null) {
      throw new IllegalArgumentException("random must not be null");
    }
    return new Choices(random, null, maxChoices);
  }

  /** Replays {@code recorded}; past its end every choice is 0. */
  public static Choices replaying(long[] recorded) {
    return replaying(recorded, DEFAULT_MAX_CHOICES);
  }

  /** Replays {@code recorded}, at most {@code maxChoices} choices; past its end every choice is 0. */
  public static Choices replaying(long[] recorded, int maxChoices) {
    if (recorded == null) {
      throw new IllegalArgumentException("recorded must not be null");
    }
    for (int i = 0; i < recorded.length; i++) {
      if (recorded[i] < 0) {
        throw new IllegalArgumentException("choice " + i + " is negative: " + recorded[i]);
      }
    }
    return new Choices(null, recorded.clone(), maxChoices);
  }

  /** True when replaying a recorded sequence, false when drawing fresh choices. */
  public boolean replaying() {
    return random == null;
  }

  /** A choice uniform in {@code [0, max]} (generation), or the next recorded one clamped to {@code max}. */
  public long draw(long max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    long value;
    if (random == null) {
      value = Math.min(next(), max);
    } else {
      value = max == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextLong(max + 1);
    }
    return record(value);
  }

  /**
   * Like {@link #draw(long)}, but generation favours the ends of the range: 0 and {@code max}
   * each come {@link #END_PPM} parts per million of the time, since bugs live at boundaries
   * (a zero window, a sequence number about to wrap). Replay is the same as {@code draw}.
   */
  public long drawFavouringEnds(long max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    if (random == null || max == 0) {
      return draw(max);
    }
    long r = random.nextLong(SimRandom.PPM);
    if (r < END_PPM) {
      return record(0);
    }
    if (r < 2 * END_PPM) {
      return record(max);
    }
    return draw(max);
  }

  /**
   * A yes/no choice, recorded as 1 for yes: yes with probability {@code ppm} parts per million in
   * generation, the recorded choice on replay. The probability only biases generation; shrinking
   * still moves towards no.
   */
  public boolean drawChance(int ppm) {
    if (ppm < 0 || ppm > SimRandom.PPM) {
      throw new IllegalArgumentException("ppm must be in [0, 1000000], was " + ppm);
    }
    long value = random == null ? Math.min(next(), 1) : (random.chancePpm(ppm) ? 1 : 0);
    return record(value) == 1;
  }

  /**
   * An index into {@code weights}, drawn in proportion to the weights in generation; recorded as
   * the index, so shrinking moves towards the first alternative. A zero weight is never drawn in
   * generation (replay may still pick it after shrinking).
   */
  public int drawWeighted(int[] weights) {
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw new IllegalArgumentException("weight " + i + " is negative: " + weights[i]);
      }
      total += weights[i];
    }
    if (total == 0) {
      throw new IllegalArgumentException("weights must not all be zero: " + Arrays.toString(weights));
    }
    long value;
    if (random == null) {
      value = Math.min(next(), weights.length - 1);
    } else {
      long r = random.nextLong(total);
      int i = 0;
      while (r >= weights[i]) {
        r -= weights[i];
        i++;
      }
      value = i;
    }
    return (int) record(value);
  }

  /**
   * Gives up on this case: the values drawn so far cannot make a valid input (a filter found
   * nothing). The case is discarded in generation and the candidate ignored in shrinking.
   */
  public Rejected reject(String why) {
    throw new Rejected(why);
  }

  /** How many choices have been drawn. */
  public int count() {
    return count;
  }

  /** The choices drawn so far, in order. */
  public long[] recorded() {
    return Arrays.copyOf(drawn, count);
  }

  private long next() {
    return count < replay.length ? replay[count] : 0;
  }

  private long record(long value) {
    if (count == maxChoices) {
      throw new Rejected("case drew more than " + maxChoices + " choices");
    }
    if (count == drawn.length) {
      drawn = Arrays.copyOf(drawn, drawn.length * 2);
    }
    drawn[count++] = value;
    return value;
  }

  /** Thrown when a case cannot be made valid; the runner discards it, it is never a failure. */
  public static final class Rejected extends RuntimeException {
    Rejected(String why) {
      super(why, null, false, false);
    }
  }
}
