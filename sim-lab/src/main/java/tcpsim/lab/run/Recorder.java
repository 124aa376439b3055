package tcpsim.lab.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tcpsim.net.socket.Errno;

/**
 * What the applications of one run report: errno counts per application and call, bytes read,
 * connect latencies, and the key events (the first time each application sees each outcome of
 * each call), in virtual-time order. Application names are kept in the file's order.
 */
final class Recorder {
  /** One application's tallies. */
  static final class AppTally {
    final String app;
    final String host;
    final String kind;
    /** "call errno" -> count, sorted by key. */
    final TreeMap<String, Long> errnos = new TreeMap<>();
    /** Named happenings that are not errnos ("gave up", "connections"), sorted by key. */
    final TreeMap<String, Long> happenings = new TreeMap<>();
    long bytesDelivered;
    long[] latencies = new long[64];
    int latencyCount;

    AppTally(String app, String host, String kind) {
      this.app = app;
      this.host = host;
      this.kind = kind;
    }

    long[] sortedLatencies() {
      long[] l = Arrays.copyOf(latencies, latencyCount);
      Arrays.sort(l);
      return l;
    }
  }

  /** A key event: what happened, when, where; {@code states} is the host's notable socket counts then. */
  record Event(long atNanos, String host, String text) {}

  /** Supplies a host's notable socket counts (e.g. "CLOSE_WAIT=252") for an event line. */
  interface StateNote {
    String note(String host);
  }

  private final Map<String, AppTally> apps = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final Set<String> seen = new HashSet<>(); // membership only, never iterated
  private final StateNote stateNote;

  Recorder(StateNote stateNote) {
    this.stateNote = stateNote;
  }

  AppTally register(String app, String host, String kind) {
    AppTally t = new AppTally(app, host, kind);
    apps.put(app, t);
    return t;
  }

  List<AppTally> apps() {
    return List.copyOf(apps.values());
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** A call failed with {@code errno}; the first such failure per application and call is an event. */
  void errno(AppTally t, long nowNanos, String call, Errno errno) {
    t.errnos.merge(call + " " + errno.name(), 1L, Long::sum);
    firstEvent(t, nowNanos, call + " " + errno.name(),
        t.app + "  " + call + " = " + errno.describe());
  }

  /** Something worth counting happened; the first time is an event with {@code text}. */
  void happened(AppTally t, long nowNanos, String what, String text) {
    t.happenings.merge(what, 1L, Long::sum);
    firstEvent(t, nowNanos, what, text == null ? null : t.app + "  " + text);
  }

  /** A one-off event (a fault, a milestone). */
  void event(long nowNanos, String host, String text) {
    String note = stateNote.note(host);
    events.add(new Event(nowNanos, host, note.isEmpty() ? text : text + "  " + note));
  }

  /** Name of the count of bytes read that belong to an earlier incarnation of the 4-tuple. */
  static final String STALE_BYTES = "stale_bytes_accepted";

  /** {@code bytes} of an earlier incarnation were read on {@code socket}; the first time is an event. */
  void staleBytes(AppTally t, long nowNanos, long bytes, tcpsim.net.tcp.TcpConnection socket) {
    t.happenings.merge(STALE_BYTES, bytes, Long::sum);
    firstEvent(t, nowNanos, STALE_BYTES, t.app + "  read " + bytes + " bytes of an earlier"
        + " incarnation of " + (socket == null ? "its 4-tuple" : socket.localPort() + " <-> "
        + socket.remotePort()) + ": a stale segment accepted");
  }

  /** Tagged bytes were read and none was stale: the count exists, at 0 until one is. */
  void noStaleBytes(AppTally t) {
    t.happenings.putIfAbsent(STALE_BYTES, 0L);
  }

  void delivered(AppTally t, long bytes) {
    t.bytesDelivered += bytes;
  }

  void connected(AppTally t, long latencyNanos) {
    if (t.latencyCount == t.latencies.length) {
      t.latencies = Arrays.copyOf(t.latencies, t.latencies.length * 2);
    }
    t.latencies[t.latencyCount++] = latencyNanos;
  }

  private void firstEvent(AppTally t, long nowNanos, String key, String text) {
    if (text != null && seen.add(t.app + "\u0000" + key)) {
      event(nowNanos, t.host, text);
    }
  }
}
