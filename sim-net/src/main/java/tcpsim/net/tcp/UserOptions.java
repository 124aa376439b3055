package tcpsim.net.tcp;

/**
 * The socket options most sockets never set: SO_LINGER, TCP_USER_TIMEOUT, TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT, TCP_LINGER2 and TCP_MAXSEG. A connection points at the shared {@link #UNSET}
 * until the application sets one of them, then at its own copy ({@link TcpConnection}'s
 * {@code ownOptions()}), so an idle socket with default options does not carry six ints.
 *
 * <p>Invariant: {@link #UNSET} is never written (every field 0 / false: "not set, use the
 * sysctl"); every write goes through the connection's own copy.
 */
final class UserOptions {
  /** Every option unset: shared, read-only. */
  static final UserOptions UNSET = new UserOptions();

  /** SO_LINGER: on, and its timeout in seconds (0 with on = abortive close). */
  boolean lingerOn;
  int lingerSeconds;
  /** TCP_USER_TIMEOUT in ms; 0 = not set (the retry counts decide). */
  int userTimeoutMs;
  /** TCP_KEEPIDLE, TCP_KEEPINTVL (seconds) and TCP_KEEPCNT; 0 = tcp_keepalive_* sysctl. */
  int keepIdleSeconds;
  int keepIntvlSeconds;
  int keepCnt;
  /** TCP_LINGER2 (tp->linger2) in seconds: 0 unset (tcp_fin_timeout applies), -1 negative. */
  int linger2Seconds;
  /** TCP_MAXSEG set by the user, 0 when not. */
  int userMss;
}
