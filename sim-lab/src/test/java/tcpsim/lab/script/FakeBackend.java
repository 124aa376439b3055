package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/**
 * A scripted stand-in for a TCP stack: it sends the segments a test plans, at the planned times,
 * reacts to injected segments as the test says, and answers calls from a function. Enough to pin
 * the runner's matching rules before the real stack exists.
 */
final class FakeBackend implements ScriptBackend {
  /** The local ISN the fake "chose": far from 0 so relative numbering is exercised. */
  static final int ISN = 0x12345678;

  private long now;
  private final List<TimedSegment> planned = new ArrayList<>();
  final List<Segment> injected = new ArrayList<>();
  final Map<String, String> sysctls = new LinkedHashMap<>();
  final Set<String> knownSysctls = new TreeSet<>();
  final Set<String> sockets = new TreeSet<>();
  final Map<String, Long> tcpInfo = new LinkedHashMap<>();
  boolean queueDropsAll;
  Function<Segment, List<TimedSegment>> onInject = s -> List.of();
  Function<SyscallRequest, SyscallOutcome> onCall =
      c -> new SyscallOutcome.Returned(SyscallResult.ok(0));
  private SyscallCompletion completion;
  final FdTable fds = new FdTable();

  FakeBackend() {
    for (String[] kv : ScriptRunner.DEFAULT_SYSCTLS) {
      knownSysctls.add(kv[0]);
    }
  }

  /** A segment from the local stack (192.168.0.1:8080 -> 192.0.2.1:40000), seq relative to ISN. */
  static Segment local(int flags, long relSeq, long ack, int win, TcpOptions options, int len) {
    return new Segment(ScriptRunner.LOCAL_ADDRESS, ScriptRunner.SERVER_PORT, ScriptRunner.REMOTE_ADDRESS,
        ScriptRunner.REMOTE_EPHEMERAL_PORT, ISN + (int) relSeq, (int) ack, flags, win, 0, options, len, null);
  }

  static TimedSegment at(long micros, Segment s) {
    return new TimedSegment(Nanos.micros(micros), s);
  }

  /** Plans a segment the stack will send at {@code micros}. */
  FakeBackend send(long micros, Segment s) {
    plan(at(micros, s));
    return this;
  }

  private void plan(TimedSegment t) {
    int i = planned.size();
    while (i > 0 && planned.get(i - 1).atNanos() > t.atNanos()) {
      i--;
    }
    planned.add(i, t);
  }

  /** The blocked call returns at {@code micros}. */
  void completeAt(long micros, SyscallResult r) {
    completion = new SyscallCompletion(Nanos.micros(micros), r);
  }

  @Override
  public long nowNanos() {
    return now;
  }

  @Override
  public void advanceTo(long nanos) {
    if (nanos < now) {
      throw new IllegalArgumentException("time moves forward only: " + nanos + " < " + now);
    }
    now = nanos;
  }

  @Override
  public TimedSegment awaitOutbound(long deadlineNanos) {
    if (planned.isEmpty() || planned.get(0).atNanos() > deadlineNanos && planned.get(0).atNanos() > now) {
      now = Math.max(now, deadlineNanos);
      return null;
    }
    TimedSegment t = planned.remove(0);
    now = Math.max(now, t.atNanos());
    return t;
  }

  @Override
  public void inject(Segment segment) {
    injected.add(segment);
    for (TimedSegment t : onInject.apply(segment)) {
      plan(new TimedSegment(now + t.atNanos(), t.segment()));
    }
  }

  @Override
  public SyscallOutcome syscall(SyscallRequest call) {
    return onCall.apply(call);
  }

  @Override
  public SyscallCompletion takeCompletion() {
    if (completion != null && completion.atNanos() <= now) {
      SyscallCompletion c = completion;
      completion = null;
      return c;
    }
    return null;
  }

  @Override
  public boolean setSysctl(String name, String value) {
    if (!knownSysctls.contains(name)) {
      return false;
    }
    sysctls.put(name, value);
    return true;
  }

  @Override
  public void setQueueDropsAll(boolean dropAll) {
    queueDropsAll = dropAll;
  }

  @Override
  public boolean socketMatches(String ssState, int port) {
    return sockets.contains(ssState + ":" + port);
  }

  @Override
  public Map<String, Long> tcpInfo(int fd) {
    return Map.copyOf(tcpInfo);
  }
}
