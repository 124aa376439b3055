package tcpsim.net.tcp;

/**
 * One sysctl a TCP stack reads, with its Linux name, its default and where that default comes
 * from. Values are integers (one, two or three of them, as {@code tcp_rmem} has three) except
 * {@code tcp_congestion_control}, which is a name.
 *
 * <p>Defaults are Linux 6.x's on a machine with at least a few GB of memory. Three depend on the
 * size of the established-connection hash table (alloc_large_system_hash in tcp_init); the
 * values given are those of a machine with 262144 ehash buckets, as the ones this was built on.
 */
public enum Sysctl {
  TCP_SYN_RETRIES("net.ipv4.tcp_syn_retries", 1, 255, "TCP_SYN_RETRIES in include/net/tcp.h", 6),
  TCP_SYN_LINEAR_TIMEOUTS("net.ipv4.tcp_syn_linear_timeouts", 0, 10,
      "tcp_sk_init in net/ipv4/tcp_ipv4.c (Linux 6.5+)", 4),
  TCP_SYNACK_RETRIES("net.ipv4.tcp_synack_retries", 0, 255, "TCP_SYNACK_RETRIES in include/net/tcp.h", 5),
  TCP_RETRIES1("net.ipv4.tcp_retries1", 0, 255, "TCP_RETR1 in include/net/tcp.h", 3),
  TCP_RETRIES2("net.ipv4.tcp_retries2", 0, 255, "TCP_RETR2 in include/net/tcp.h", 15),
  TCP_ORPHAN_RETRIES("net.ipv4.tcp_orphan_retries", 0, 255,
      "tcp_sk_init; 0 means 8 (tcp_orphan_retries in net/ipv4/tcp_timer.c)", 0),
  TCP_FIN_TIMEOUT("net.ipv4.tcp_fin_timeout", 0, Integer.MAX_VALUE,
      "TCP_FIN_TIMEOUT (= TCP_TIMEWAIT_LEN) in include/net/tcp.h, seconds", 60),
  TCP_KEEPALIVE_TIME("net.ipv4.tcp_keepalive_time", 1, 32767,
      "TCP_KEEPALIVE_TIME in include/net/tcp.h, seconds", 7200),
  TCP_KEEPALIVE_INTVL("net.ipv4.tcp_keepalive_intvl", 1, 32767,
      "TCP_KEEPALIVE_INTVL in include/net/tcp.h, seconds", 75),
  TCP_KEEPALIVE_PROBES("net.ipv4.tcp_keepalive_probes", 1, 127,
      "TCP_KEEPALIVE_PROBES in include/net/tcp.h", 9),
  TCP_TW_REUSE("net.ipv4.tcp_tw_reuse", 0, 2, "tcp_sk_init (2 = loopback only)", 2),
  TCP_TW_REUSE_DELAY("net.ipv4.tcp_tw_reuse_delay", 1, 60_000,
      "tcp_sk_init: 1 s in ms, at most TCP_PAWS_MSL s (Linux 6.13+)", 1000),
  TCP_RFC1337("net.ipv4.tcp_rfc1337", 0, 1, "tcp_sk_init (0: a RST ends TIME_WAIT)", 0),
  TCP_TIMESTAMPS("net.ipv4.tcp_timestamps", 0, 2, "tcp_sk_init (1: on, random offset)", 1),
  TCP_SACK("net.ipv4.tcp_sack", 0, 1, "tcp_sk_init", 1),
  TCP_DSACK("net.ipv4.tcp_dsack", 0, 1, "tcp_sk_init", 1),
  TCP_RETRANS_COLLAPSE("net.ipv4.tcp_retrans_collapse", 0, 1,
      "tcp_sk_init (1: a short retransmission takes the small segments after it along)", 1),
  TCP_WINDOW_SCALING("net.ipv4.tcp_window_scaling", 0, 1, "tcp_sk_init", 1),
  TCP_ABORT_ON_OVERFLOW("net.ipv4.tcp_abort_on_overflow", 0, 1, "tcp_sk_init (0: drop the ACK)", 0),
  TCP_MAX_SYN_BACKLOG("net.ipv4.tcp_max_syn_backlog", 1, Integer.MAX_VALUE,
      "tcp_sk_init: max(128, ehash entries / 128)", 2048),
  SOMAXCONN("net.core.somaxconn", 0, Integer.MAX_VALUE,
      "SOMAXCONN in include/linux/socket.h (4096 since 5.4)", 4096),
  TCP_SYNCOOKIES("net.ipv4.tcp_syncookies", 0, 2, "tcp_sk_init (1: when the SYN queue overflows)", 1),
  TCP_MAX_TW_BUCKETS("net.ipv4.tcp_max_tw_buckets", 0, Integer.MAX_VALUE,
      "tcp_sk_init: ehash entries / 2", 131072),
  TCP_CHALLENGE_ACK_LIMIT("net.ipv4.tcp_challenge_ack_limit", 0, Integer.MAX_VALUE,
      "tcp_sk_init: INT_MAX since 6.0 (the per-netns limit is off; the per-socket one stays)",
      Integer.MAX_VALUE),
  TCP_INVALID_RATELIMIT("net.ipv4.tcp_invalid_ratelimit", 0, Integer.MAX_VALUE,
      "tcp_sk_init: HZ/2, in ms (per-socket challenge/dup-ACK rate limit)", 500),
  TCP_RMEM("net.ipv4.tcp_rmem", 1, Integer.MAX_VALUE,
      "tcp_init in net/ipv4/tcp.c: 4096 131072 6 MB", 4096, 131072, 6291456),
  TCP_WMEM("net.ipv4.tcp_wmem", 1, Integer.MAX_VALUE,
      "tcp_init in net/ipv4/tcp.c: 4096 16384 4 MB", 4096, 16384, 4194304),
  RMEM_MAX("net.core.rmem_max", 1, Integer.MAX_VALUE,
      "SK_RMEM_MAX in net/core/sock.c (cap for SO_RCVBUF, before doubling)", 212992),
  WMEM_MAX("net.core.wmem_max", 1, Integer.MAX_VALUE,
      "SK_WMEM_MAX in net/core/sock.c (cap for SO_SNDBUF, before doubling)", 212992),
  IP_LOCAL_PORT_RANGE("net.ipv4.ip_local_port_range", 1, 65535,
      "inet_init_net in net/ipv4/af_inet.c", 32768, 60999),
  TCP_EARLY_RETRANS("net.ipv4.tcp_early_retrans", 0, 4, "tcp_sk_init (3: tail loss probes on)", 3),
  TCP_RECOVERY("net.ipv4.tcp_recovery", 0, 7, "tcp_sk_init (1: RACK loss detection, which 6.18 uses even at 0;"
      + " 4: no duplicate-ACK threshold in RACK's reordering window)", 1),
  TCP_FRTO("net.ipv4.tcp_frto", 0, 2, "tcp_sk_init", 2),
  TCP_REORDERING("net.ipv4.tcp_reordering", 1, 300, "TCP_FASTRETRANS_THRESH in include/net/tcp.h", 3),
  TCP_SLOW_START_AFTER_IDLE("net.ipv4.tcp_slow_start_after_idle", 0, 1, "tcp_sk_init", 1),
  TCP_TSO_WIN_DIVISOR("net.ipv4.tcp_tso_win_divisor", 1, 255, "tcp_sk_init", 3),
  TCP_ECN("net.ipv4.tcp_ecn", 0, 2, "TCP_ECN_DEFAULT: accept ECN when asked, never ask", 2),
  TCP_CONGESTION_CONTROL("net.ipv4.tcp_congestion_control", "CONFIG_DEFAULT_TCP_CONG (cubic);"
      + " tcpsim takes cubic's loss response (beta 0.7) with Reno's window growth, or reno", "cubic"),
  /**
   * Simulator only: the TIME_WAIT length. Linux fixes it at compile time (TCP_TIMEWAIT_LEN, 60 s,
   * include/net/tcp.h); this setting exists for what-if runs. Seconds.
   */
  TCP_TIMEWAIT_LEN("tcpsim.tcp_timewait_len", 0, Integer.MAX_VALUE,
      "TCP_TIMEWAIT_LEN in include/net/tcp.h (not a sysctl in Linux)", 60),
  /**
   * Simulator only: the kernel's tick rate (CONFIG_HZ, a build option; 250 on Debian's kernels).
   * Every TCP timer (retransmission, loss probe, zero-window probe, delayed ACK, keepalive,
   * FIN-WAIT-2, TIME-WAIT, SYN-ACK) is armed in whole jiffies and rounded up as the timer wheel
   * rounds it (kernel/time/timer.c calc_wheel_index); 0 makes them exact. Must divide 10^6.
   */
  CONFIG_HZ("tcpsim.config_hz", 0, 1000, "CONFIG_HZ=250 (Debian's kernel config)", 250),
  /**
   * Simulator only: 1 (Linux, RFC 5961) acts on a RST only at exactly RCV.NXT and answers other
   * in-window RSTs and any SYN in a synchronized state with a challenge ACK; 0 is RFC 793 / RFC
   * 9293 §3.10.7.4 without RFC 5961: any in-window RST or SYN resets the connection.
   */
  TCP_RFC5961("tcpsim.tcp_rfc5961", 0, 1,
      "Linux always applies RFC 5961 (tcp_validate_incoming); 0 is RFC 793's behaviour", 1),
  /**
   * Simulator only: 0 (Linux, tcp_reno_ssthresh) halves cwnd on a loss; 1 halves the flight size
   * as RFC 5681 §3.1 eq. (4) says.
   */
  TCP_RFC5681_SSTHRESH("tcpsim.tcp_rfc5681_ssthresh", 0, 1,
      "Linux uses cwnd / 2 (tcp_reno_ssthresh); 1 is RFC 5681's FlightSize / 2", 0);

  private final String fullName;
  private final String shortName;
  private final int min;
  private final int max;
  private final String source;
  private final int[] defaults;
  private final String defaultText;

  Sysctl(String fullName, int min, int max, String source, int... defaults) {
    this.fullName = fullName;
    this.shortName = fullName.substring(fullName.lastIndexOf('.') + 1);
    this.min = min;
    this.max = max;
    this.source = source;
    this.defaults = defaults;
    this.defaultText = null;
  }

  Sysctl(String fullName, String source, String defaultText) {
    this.fullName = fullName;
    this.shortName = fullName.substring(fullName.lastIndexOf('.') + 1);
    this.min = 0;
    this.max = 0;
    this.source = source;
    this.defaults = null;
    this.defaultText = defaultText;
  }

  /** The name as sysctl prints it, e.g. {@code net.ipv4.tcp_fin_timeout}. */
  public String fullName() {
    return fullName;
  }

  /** The last part of the name, e.g. {@code tcp_fin_timeout}. */
  public String shortName() {
    return shortName;
  }

  /** Where Linux's default comes from. */
  public String source() {
    return source;
  }

  /** How many integers the value has (0 for a textual value). */
  public int arity() {
    return defaults == null ? 0 : defaults.length;
  }

  public boolean isText() {
    return defaults == null;
  }

  int min() {
    return min;
  }

  int max() {
    return max;
  }

  int[] defaultValues() {
    return defaults == null ? null : defaults.clone();
  }

  String defaultText() {
    return defaultText;
  }

  /**
   * The sysctl with this name: full ({@code net.ipv4.tcp_sack}), short ({@code tcp_sack}), or as a
   * /proc/sys path ({@code /proc/sys/net/ipv4/tcp_sack}); null when there is none.
   */
  public static Sysctl byName(String name) {
    String n = name.trim();
    if (n.startsWith("/proc/sys/")) {
      n = n.substring("/proc/sys/".length()).replace('/', '.');
    }
    for (Sysctl s : values()) {
      if (s.fullName.equals(n) || s.shortName.equals(n)) {
        return s;
      }
    }
    return null;
  }
}
