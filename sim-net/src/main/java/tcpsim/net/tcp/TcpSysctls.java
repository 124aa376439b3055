package tcpsim.net.tcp;

import java.util.Arrays;

/**
 * An immutable set of the sysctls a TCP stack reads (see {@link Sysctl} for names, defaults and
 * their sources). Make one with {@link #defaults()}, change it with {@link #with}, or read
 * sysctl.conf-style text with {@link #parse}.
 *
 * <p>Differences from Linux: Linux keeps these per network namespace and a change applies to
 * sockets at once; here a stack takes one {@code TcpSysctls} at construction and may be given
 * another later ({@code TcpStack.setSysctls}); connections read the current one when they act.
 */
public final class TcpSysctls {
  private static final Sysctl[] ALL = Sysctl.values();
  private static final TcpSysctls DEFAULTS = new TcpSysctls(defaultValues(), defaultTexts());

  /** Values by ordinal; null for the textual sysctls. */
  private final int[][] values;
  /** Texts by ordinal; null for the numeric sysctls. */
  private final String[] texts;

  private TcpSysctls(int[][] values, String[] texts) {
    this.values = values;
    this.texts = texts;
  }

  /** Linux 6.x's defaults. */
  public static TcpSysctls defaults() {
    return DEFAULTS;
  }

  private static int[][] defaultValues() {
    int[][] v = new int[ALL.length][];
    for (Sysctl s : ALL) {
      v[s.ordinal()] = s.defaultValues();
    }
    return v;
  }

  private static String[] defaultTexts() {
    String[] t = new String[ALL.length];
    for (Sysctl s : ALL) {
      t[s.ordinal()] = s.defaultText();
    }
    return t;
  }

  /** A copy with {@code sysctl} set to {@code v}; the count of values must match its arity. */
  public TcpSysctls with(Sysctl sysctl, int... v) {
    if (sysctl.isText()) {
      throw new IllegalArgumentException(sysctl.fullName() + " takes a name, not numbers");
    }
    if (v.length != sysctl.arity()) {
      throw new IllegalArgumentException(sysctl.fullName() + " takes " + sysctl.arity()
          + " value(s), got " + v.length);
    }
    for (int x : v) {
      if (x < sysctl.min() || x > sysctl.max()) {
        throw new IllegalArgumentException(sysctl.fullName() + " must be in [" + sysctl.min()
            + ", " + sysctl.max() + "], was " + x);
      }
    }
    if (sysctl == Sysctl.CONFIG_HZ && v[0] != 0 && 1_000_000 % v[0] != 0) {
      // A jiffy must be a whole number of microseconds for usecs_to_jiffies (RttEstimator).
      throw new IllegalArgumentException(sysctl.fullName() + " must divide 10^6 (100, 250, 1000),"
          + " was " + v[0]);
    }
    if (sysctl == Sysctl.IP_LOCAL_PORT_RANGE && v[0] > v[1]) {
      throw new IllegalArgumentException(sysctl.fullName() + ": low " + v[0] + " > high " + v[1]);
    }
    int[][] copy = values.clone();
    copy[sysctl.ordinal()] = v.clone();
    return new TcpSysctls(copy, texts);
  }

  /**
   * A copy with the sysctl named {@code name} (full, short or /proc/sys path) set from
   * {@code value} as sysctl(8) would read it (numbers separated by blanks).
   *
   * @throws IllegalArgumentException naming the sysctl, when the name is unknown or the value bad
   */
  public TcpSysctls with(String name, String value) {
    Sysctl s = Sysctl.byName(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown sysctl '" + name.trim() + "'");
    }
    String text = value.trim();
    if (s.isText()) {
      if (!text.matches("[a-z0-9_]+")) {
        throw new IllegalArgumentException(s.fullName() + ": bad value '" + text + "'");
      }
      if (s == Sysctl.TCP_CONGESTION_CONTROL && !text.equals("cubic") && !text.equals("reno")) {
        throw new IllegalArgumentException(s.fullName() + ": tcpsim models cubic and reno, not '" + text + "'");
      }
      String[] t = texts.clone();
      t[s.ordinal()] = text;
      return new TcpSysctls(values, t);
    }
    String[] parts = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (parts.length != s.arity()) {
      throw new IllegalArgumentException(s.fullName() + " takes " + s.arity()
          + " number(s), got '" + text + "'");
    }
    int[] v = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(s.fullName() + ": '" + parts[i] + "' is not a number");
      }
    }
    return with(s, v);
  }

  /**
   * Reads sysctl.conf-style text onto the defaults: one {@code name = value} a line, names with
   * or without the {@code net.ipv4.} prefix, blank lines and lines starting with {@code #} or
   * {@code ;} ignored.
   *
   * @param source the file name to name in errors
   * @throws IllegalArgumentException "{@code source:line: message}" for an unknown name, a
   *     missing '=', or a bad value
   */
  public static TcpSysctls parse(String text, String source) {
    return defaults().apply(text, source);
  }

  /** Like {@link #parse} but onto this set rather than onto the defaults. */
  public TcpSysctls apply(String text, String source) {
    TcpSysctls result = this;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected 'name = value', got '"
            + line + "'");
      }
      try {
        result = result.with(line.substring(0, eq), line.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return result;
  }

  /** The value(s) of a numeric sysctl. */
  public int[] get(Sysctl s) {
    if (s.isText()) {
      throw new IllegalArgumentException(s.fullName() + " is textual");
    }
    return values[s.ordinal()].clone();
  }

  /** The value of a one-number sysctl. */
  public int value(Sysctl s) {
    int[] v = values[s.ordinal()];
    if (v == null || v.length != 1) {
      throw new IllegalArgumentException(s.fullName() + " is not a single number");
    }
    return v[0];
  }

  /** The value as {@code sysctl -n} prints it. */
  public String format(Sysctl s) {
    if (s.isText()) {
      return texts[s.ordinal()];
    }
    int[] v = values[s.ordinal()];
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      if (i > 0) b.append('\t');
      b.append(v[i]);
    }
    return b.toString();
  }

  public int synRetries() { return value(Sysctl.TCP_SYN_RETRIES); }
  public int synLinearTimeouts() { return value(Sysctl.TCP_SYN_LINEAR_TIMEOUTS); }
  public int synackRetries() { return value(Sysctl.TCP_SYNACK_RETRIES); }
  public int retries1() { return value(Sysctl.TCP_RETRIES1); }
  public int retries2() { return value(Sysctl.TCP_RETRIES2); }
  public int orphanRetries() { return value(Sysctl.TCP_ORPHAN_RETRIES); }
  public int finTimeoutSeconds() { return value(Sysctl.TCP_FIN_TIMEOUT); }
  public int keepaliveTimeSeconds() { return value(Sysctl.TCP_KEEPALIVE_TIME); }
  public int keepaliveIntvlSeconds() { return value(Sysctl.TCP_KEEPALIVE_INTVL); }
  public int keepaliveProbes() { return value(Sysctl.TCP_KEEPALIVE_PROBES); }
  public int twReuse() { return value(Sysctl.TCP_TW_REUSE); }
  /** Milliseconds a TIME-WAIT entry must be past its TS.Recent stamp before tcp_tw_reuse applies. */
  public int twReuseDelayMs() { return value(Sysctl.TCP_TW_REUSE_DELAY); }
  public boolean rfc1337() { return value(Sysctl.TCP_RFC1337) != 0; }
  public boolean timestamps() { return value(Sysctl.TCP_TIMESTAMPS) != 0; }
  public boolean sack() { return value(Sysctl.TCP_SACK) != 0; }
  public boolean windowScaling() { return value(Sysctl.TCP_WINDOW_SCALING) != 0; }
  public boolean abortOnOverflow() { return value(Sysctl.TCP_ABORT_ON_OVERFLOW) != 0; }
  public int maxSynBacklog() { return value(Sysctl.TCP_MAX_SYN_BACKLOG); }
  public int somaxconn() { return value(Sysctl.SOMAXCONN); }
  public int syncookies() { return value(Sysctl.TCP_SYNCOOKIES); }
  public int maxTwBuckets() { return value(Sysctl.TCP_MAX_TW_BUCKETS); }
  public int challengeAckLimit() { return value(Sysctl.TCP_CHALLENGE_ACK_LIMIT); }
  public int rmemMin() { return values[Sysctl.TCP_RMEM.ordinal()][0]; }
  public int rmemDefault() { return values[Sysctl.TCP_RMEM.ordinal()][1]; }
  public int rmemMax() { return values[Sysctl.TCP_RMEM.ordinal()][2]; }
  public int wmemMin() { return values[Sysctl.TCP_WMEM.ordinal()][0]; }
  public int wmemDefault() { return values[Sysctl.TCP_WMEM.ordinal()][1]; }
  public int wmemMax() { return values[Sysctl.TCP_WMEM.ordinal()][2]; }
  public int coreRmemMax() { return value(Sysctl.RMEM_MAX); }
  public int coreWmemMax() { return value(Sysctl.WMEM_MAX); }
  public int localPortLow() { return values[Sysctl.IP_LOCAL_PORT_RANGE.ordinal()][0]; }
  public int localPortHigh() { return values[Sysctl.IP_LOCAL_PORT_RANGE.ordinal()][1]; }
  public int earlyRetrans() { return value(Sysctl.TCP_EARLY_RETRANS); }
  public String congestionControl() { return texts[Sysctl.TCP_CONGESTION_CONTROL.ordinal()]; }
  public int timeWaitLenSeconds() { return value(Sysctl.TCP_TIMEWAIT_LEN); }
  public int configHz() { return value(Sysctl.CONFIG_HZ); }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpSysctls t && Arrays.deepEquals(values, t.values)
        && Arrays.equals(texts, t.texts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values) * 31 + Arrays.hashCode(texts);
  }

  /** Every setting that differs from Linux's default, as {@code name = value} lines. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Sysctl s : ALL) {
      String mine = format(s);
      if (!mine.equals(DEFAULTS.format(s))) {
        b.append(s.fullName()).append(" = ").append(mine.replace('\t', ' ')).append('\n');
      }
    }
    return b.length() == 0 ? "(Linux defaults)" : b.toString();
  }
}
