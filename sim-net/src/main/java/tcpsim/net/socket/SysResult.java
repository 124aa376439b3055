package tcpsim.net.socket;

/**
 * What a simulated system call returns: a value, or -1 with an errno, as the C library reports it.
 * Never an exception: the application's view of failure is an errno.
 */
public record SysResult<T>(T value, Errno errno) {
  public static <T> SysResult<T> ok(T value) {
    return new SysResult<>(value, null);
  }

  public static <T> SysResult<T> error(Errno errno) {
    if (errno == null) {
      throw new IllegalArgumentException("an error result needs an errno");
    }
    return new SysResult<>(null, errno);
  }

  public boolean isOk() {
    return errno == null;
  }

  /** The value as an int (for descriptors, byte counts, option values). */
  public int intValue() {
    if (errno != null) {
      throw new IllegalStateException("call failed with " + errno.describe() + "; it has no value");
    }
    return ((Number) value).intValue();
  }

  /** packetdrill's way of writing a result: {@code 3}, or {@code -1 ECONNREFUSED (Connection refused)}. */
  @Override
  public String toString() {
    if (errno != null) {
      return "-1 " + errno.describe();
    }
    return String.valueOf(value);
  }
}
