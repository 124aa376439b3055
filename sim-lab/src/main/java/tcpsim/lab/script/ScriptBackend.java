package tcpsim.lab.script;

import java.util.List;
import java.util.Map;
import tcpsim.net.wire.Segment;

/**
 * What a TCP stack under test offers the {@link ScriptRunner}: a virtual clock it can be run to,
 * a wire on which the script plays the remote peer, and a process making socket calls. The local
 * host is {@link ScriptRunner#LOCAL_ADDRESS}, the remote {@link ScriptRunner#REMOTE_ADDRESS}.
 *
 * <p>The backend fills in a script's {@code ...} arguments (the remote's address, buffers,
 * lengths) and hands out file descriptors as a fresh process gets them: 3 first, then always the
 * lowest free number ({@link FdTable}).
 */
public interface ScriptBackend {
  /** The stack's virtual clock. */
  long nowNanos();

  /**
   * Runs the stack until {@code nanos} (not before now). Segments it sends meanwhile are kept in
   * order, with their times, for {@link #awaitOutbound}.
   */
  void advanceTo(long nanos);

  /**
   * The oldest kept outbound segment; when none is kept, runs the stack until it sends one (and
   * returns it) or the clock reaches {@code deadlineNanos} (and returns null).
   */
  TimedSegment awaitOutbound(long deadlineNanos);

  /** Delivers a segment from the remote peer to the local stack, now. */
  void inject(Segment segment);

  /** Makes a system call now: it returns at once or blocks (at most one blocked call at a time). */
  SyscallOutcome syscall(SyscallRequest call);

  /** The blocked call's return once it has happened (consumed by this call), else null. */
  SyscallCompletion takeCompletion();

  /**
   * Sets {@code name} (as {@code net.ipv4.tcp_sack}); false when the stack does not model it. A
   * script's own sysctl line that returns false makes it UNSUPPORTED; for defaults.sh's settings
   * false is tolerated, so a stack should document the ones it does not model.
   */
  boolean setSysctl(String name, String value);

  /** {@code tc qdisc ... limit 0}: the local queue drops every outbound packet (or stops doing so). */
  void setQueueDropsAll(boolean dropAll);

  /** Whether the socket table has a socket in {@code ssState} (ss's spelling) with this port. */
  boolean socketMatches(String ssState, int port);

  /** TCP_INFO of the socket behind {@code fd} as tcpi_* names to values, or null if none. */
  Map<String, Long> tcpInfo(int fd);

  /** A segment the local stack sent and when. */
  record TimedSegment(long atNanos, Segment segment) {}

  /** A call to make: the name and the arguments as written. */
  record SyscallRequest(String name, List<Expr> args, SourcePos pos) {
    public SyscallRequest {
      args = List.copyOf(args);
    }
  }

  /**
   * What a call returned: {@code ret}, the errno name (null when none), and the values left in
   * {@code [v]} int-pointer arguments by argument index (getsockopt, ioctl).
   */
  record SyscallResult(long ret, String errno, Map<Integer, Long> intPointers) {
    public SyscallResult {
      intPointers = Map.copyOf(intPointers);
    }

    public static SyscallResult ok(long ret) {
      return new SyscallResult(ret, null, Map.of());
    }

    public static SyscallResult error(String errno) {
      return new SyscallResult(-1, errno, Map.of());
    }
  }

  /** The outcome of starting a call. */
  sealed interface SyscallOutcome {
    record Returned(SyscallResult result) implements SyscallOutcome {}

    record Blocked() implements SyscallOutcome {}

    /** The stack does not model this call or argument form; the script is UNSUPPORTED. */
    record Unsupported(String feature) implements SyscallOutcome {}
  }

  /** A blocked call's return and its time. */
  record SyscallCompletion(long atNanos, SyscallResult result) {}
}
