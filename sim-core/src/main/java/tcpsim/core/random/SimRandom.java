package tcpsim.core.random;

import tcpsim.core.trace.TraceDigest;

/**
 * The simulation's only source of randomness: xoshiro256** seeded through SplitMix64 from the
 * run's seed. Components get their own stream with {@link #split(String)}, whose seed depends on
 * this stream's seed and the name only, never on how much has been drawn, so adding a component
 * changes no other component's draws.
 *
 * <p>Probabilities are integers: {@link #chancePpm(int)} takes parts per million, so no float
 * decides an event.
 */
public final class SimRandom {
  public static final int PPM = 1_000_000;

  private final long seed;
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  public SimRandom(long seed) {
    this.seed = seed;
    long x = seed;
    x += 0x9e3779b97f4a7c15L;
    s0 = TraceDigest.mix(x);
    x += 0x9e3779b97f4a7c15L;
    s1 = TraceDigest.mix(x);
    x += 0x9e3779b97f4a7c15L;
    s2 = TraceDigest.mix(x);
    x += 0x9e3779b97f4a7c15L;
    s3 = TraceDigest.mix(x);
  }

  /** The seed this stream was made from. */
  public long seed() {
    return seed;
  }

  /** An independent stream named {@code name}; the same name always gives the same stream. */
  public SimRandom split(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h ^= name.charAt(i);
      h *= 0x100000001b3L;
    }
    return new SimRandom(TraceDigest.mix(seed ^ TraceDigest.mix(h)));
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  public int nextInt() {
    return (int) (nextLong() >>> 32);
  }

  /** Uniform in [0, bound), without modulo bias. */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, was " + bound);
    }
    long m = bound - 1;
    if ((bound & m) == 0) {
      return nextLong() & m;
    }
    long u = nextLong() >>> 1;
    long r;
    while (u - (r = u % bound) + m < 0) {
      u = nextLong() >>> 1;
    }
    return r;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    return (int) nextLong(bound);
  }

  /** Uniform in [min, max], inclusive. */
  public long nextLong(long min, long max) {
    if (max < min) {
      throw new IllegalArgumentException("max " + max + " < min " + min);
    }
    long span = max - min + 1;
    return span <= 0 ? nextLong() : min + nextLong(span);
  }

  /** True with probability {@code ppm} parts per million (0 never, 1,000,000 always). */
  public boolean chancePpm(int ppm) {
    if (ppm < 0 || ppm > PPM) {
      throw new IllegalArgumentException("ppm must be in [0, 1000000], was " + ppm);
    }
    return ppm != 0 && (ppm == PPM || nextLong(PPM) < ppm);
  }
}
