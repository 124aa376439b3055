package tcpsim.core.trace;

/**
 * A 64-bit running digest of a trace, for "same seed, same run" checks. Order-sensitive: the same
 * values in another order give another digest. Not cryptographic.
 */
public final class TraceDigest {
  private long state = 0x6a09e667f3bcc908L;
  private long count;

  public void add(long value) {
    state = Long.rotateLeft(state ^ mix(value + count * 0x9e3779b97f4a7c15L), 29) * 0xbf58476d1ce4e5b9L;
    count++;
  }

  public void add(String text) {
    for (int i = 0; i < text.length(); i++) {
      add(text.charAt(i));
    }
    add(-1L);
  }

  public long value() {
    return mix(state ^ count);
  }

  public long count() {
    return count;
  }

  public String hex() {
    String h = Long.toHexString(value());
    return "0000000000000000".substring(h.length()) + h;
  }

  /** SplitMix64's finaliser: a good 64-bit mixer. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
