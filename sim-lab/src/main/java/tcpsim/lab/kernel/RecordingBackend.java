package tcpsim.lab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.core.time.Nanos;
import tcpsim.lab.script.ScriptBackend;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * Passes every call to another backend and writes down what crossed: segments in and out, calls
 * and their results. Two lists come out: a timed transcript for a person reading a failure, and
 * a list of observations without times or timestamp values, in which two backends running the
 * same script can be compared entry by entry.
 *
 * <p>The local stack's sequence numbers are written relative to the ISN of its latest SYN of each
 * flow (a reconnect from the same port starts a new incarnation); the remote's are literal. A segment of a flow other than the
 * first one (a second remote port, {@code remote_port} in the script) names that port. TS val and
 * ecr are left out of observations: each stack's clock and offset are its own.
 */
public final class RecordingBackend implements ScriptBackend {
  private final ScriptBackend inner;
  private final List<String> transcript = new ArrayList<>();
  private final List<String> observations = new ArrayList<>();
  /** The local ISN of each flow, by the remote's port, from the flow's first SYN. */
  private final Map<Integer, Integer> isns = new LinkedHashMap<>();
  private int firstFlowPort = -1;

  public RecordingBackend(ScriptBackend inner) {
    this.inner = inner;
  }

  /** Each event with its time on the backend's clock. */
  public List<String> transcript() {
    return List.copyOf(transcript);
  }

  /** Outbound segments and call results, in order, without times. */
  public List<String> observations() {
    return List.copyOf(observations);
  }

  private void log(long atNanos, String what) {
    transcript.add(Nanos.format(atNanos) + " " + what);
  }

  @Override
  public long nowNanos() {
    return inner.nowNanos();
  }

  @Override
  public void advanceTo(long nanos) {
    inner.advanceTo(nanos);
    long now = inner.nowNanos();
    if (now - nanos > 1_000_000) {
      log(now, "(woke " + (now - nanos) / 1000 + " us after " + Nanos.format(nanos) + ")");
    }
  }

  @Override
  public TimedSegment awaitOutbound(long deadlineNanos) {
    TimedSegment t = inner.awaitOutbound(deadlineNanos);
    if (t != null) {
      Segment s = t.segment();
      int port = s.dstPort();
      if (firstFlowPort < 0) {
        firstFlowPort = port;
      }
      // A SYN with a new ISN is a new incarnation of the flow (a reconnect from the same port):
      // its numbers count from it, since each stack's clock picks its own.
      Integer isn = isns.get(port);
      if (s.has(TcpFlags.SYN) && (isn == null || (!s.has(TcpFlags.ACK) && isn != s.seq()))) {
        isns.put(port, s.seq());
      }
      String n = "> " + describe(s, isns.getOrDefault(port, 0), true)
          + (port == firstFlowPort ? "" : " remote_port " + port);
      log(t.atNanos(), n + " " + s.options().describe());
      observations.add(n);
    }
    return t;
  }

  @Override
  public void inject(Segment segment) {
    log(inner.nowNanos(), "< " + describe(segment, 0, false) + " " + segment.options().describe());
    inner.inject(segment);
  }

  @Override
  public SyscallOutcome syscall(SyscallRequest call) {
    long start = inner.nowNanos();
    SyscallOutcome o = inner.syscall(call);
    String args = String.join(", ", call.args().stream().map(Object::toString).toList());
    String head = call.name() + "(" + args + ")";
    if (o instanceof SyscallOutcome.Returned r) {
      String n = head + " = " + result(r.result());
      log(start, n + "  (returned after " + (inner.nowNanos() - start) / 1000 + " us)");
      observations.add(n);
    } else if (o instanceof SyscallOutcome.Blocked) {
      log(start, head + " blocks");
    } else {
      log(start, head + " unsupported: " + ((SyscallOutcome.Unsupported) o).feature());
    }
    return o;
  }

  @Override
  public SyscallCompletion takeCompletion() {
    SyscallCompletion c = inner.takeCompletion();
    if (c != null) {
      String n = "blocked call returned " + result(c.result());
      log(c.atNanos(), n);
      observations.add(n);
    }
    return c;
  }

  @Override
  public boolean setSysctl(String name, String value) {
    return inner.setSysctl(name, value);
  }

  @Override
  public void setQueueDropsAll(boolean dropAll) {
    inner.setQueueDropsAll(dropAll);
  }

  @Override
  public boolean socketMatches(String ssState, int port) {
    boolean m = inner.socketMatches(ssState, port);
    String n = "ss state " + ssState + " port " + port + ": " + (m ? "found" : "none");
    log(inner.nowNanos(), n);
    observations.add(n);
    return m;
  }

  @Override
  public Map<String, Long> tcpInfo(int fd) {
    return inner.tcpInfo(fd);
  }

  static String result(SyscallResult r) {
    return r.ret() + (r.errno() == null ? "" : " " + r.errno())
        + (r.intPointers().isEmpty() ? "" : " " + new java.util.TreeMap<>(r.intPointers()));
  }

  /** Flags, sequence range, ack and window, in script notation; options without TS values. */
  static String describe(Segment s, int base, boolean local) {
    long start = Integer.toUnsignedLong(s.seq() - base);
    StringBuilder b = new StringBuilder(TcpFlags.packetdrill(s.flags())).append(' ').append(start)
        .append(':').append((start + s.payloadLength()) & 0xffffffffL).append('(')
        .append(s.payloadLength()).append(')');
    if (s.has(TcpFlags.ACK)) {
      b.append(" ack ").append(Integer.toUnsignedLong(s.ack()));
    }
    b.append(" win ").append(s.window());
    TcpOptions o = s.options();
    if (local && !o.isEmpty()) {
      b.append(" <").append((o.hasTimestamp() ? o.withTimestamp(0, 0) : o).describe()
          .replace("TS val 0 ecr 0", "TS")).append('>');
    }
    return b.toString();
  }
}
