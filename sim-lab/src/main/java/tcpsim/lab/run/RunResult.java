package tcpsim.lab.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tcpsim.lab.report.RunTrace;

/**
 * What one run of one grid point found. Everything but {@link #trace} goes into result.json;
 * all of it is a pure function of the experiment and the seed.
 *
 * @param states the TCP states the timeline counts, in column order
 * @param stateSamples sockets per state per host at each sample time (empty when not asked for)
 * @param portSamples local ports in use per host at each sample time (empty when not asked for)
 * @param digest the run's trace digest: every fired event and every segment put on a link
 * @param trace the ladder, timeline and counters for the HTML report, when asked for
 */
public record RunResult(String experiment, String point, long seed, long durationNanos,
    List<String> states, List<StateSample> stateSamples, List<PortSample> portSamples,
    List<AppResult> apps, List<HostResult> hosts, List<Event> events, List<SsSnapshot> ss,
    long eventsFired, String digest, Optional<RunTrace> trace) {
  /** A count the experiment's metrics did not ask for (bytes delivered, retransmissions). */
  public static final long NOT_RECORDED = -1;

  public RunResult {
    states = List.copyOf(states);
    stateSamples = List.copyOf(stateSamples);
    portSamples = List.copyOf(portSamples);
    apps = List.copyOf(apps);
    hosts = List.copyOf(hosts);
    events = List.copyOf(events);
    ss = List.copyOf(ss);
  }

  /** Sockets per state on one host at one time, one count per {@link #states} entry. */
  public record StateSample(long atNanos, String host, List<Integer> counts) {
    public StateSample {
      counts = List.copyOf(counts);
    }
  }

  /** Local ports held by any socket of the host (TIME_WAIT included). */
  public record PortSample(long atNanos, String host, int portsInUse) {}

  /** A connect latency percentile: {@code ppm} parts per million, exact nanoseconds (nearest rank). */
  public record Percentile(int ppm, long nanos) {}

  /**
   * One application's tallies.
   *
   * @param bytesDelivered bytes the application read, or {@link #NOT_RECORDED}
   * @param errnos "call ERRNO" -> how often, e.g. "accept() EMFILE"
   * @param happenings other counted outcomes ("gave up (499)", "accepted")
   */
  public record AppResult(String name, String host, String kind, long bytesDelivered,
      long connects, Map<String, Long> errnos, Map<String, Long> happenings,
      List<Percentile> connectLatency) {
    public AppResult {
      errnos = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(errnos));
      happenings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(happenings));
      connectLatency = List.copyOf(connectLatency);
    }
  }

  /**
   * One host at the end of the run.
   *
   * @param retransmissions nstat's TcpRetransSegs, or {@link #NOT_RECORDED}
   * @param counters every non-zero stack counter, by nstat name
   * @param finalStates sockets per state at the end, states with none left out
   */
  public record HostResult(String name, long retransmissions, Map<String, Long> counters,
      Map<String, Integer> finalStates) {
    public HostResult {
      counters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counters));
      finalStates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(finalStates));
    }
  }

  /** A key event, in time order: the first of each kind of outcome, faults, first entries into states. */
  public record Event(long atNanos, String host, String text) {}

  /** {@code ss -tan} of one host at one time. */
  public record SsSnapshot(long atNanos, String host, String text) {}

  public Optional<AppResult> app(String name) {
    for (AppResult a : apps) {
      if (a.name().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public Optional<HostResult> host(String name) {
    for (HostResult h : hosts) {
      if (h.name().equals(name)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** How often {@code app} saw {@code call} fail with {@code errno} (e.g. "accept()", "EMFILE"). */
  public long errnoCount(String app, String call, String errno) {
    return app(app).map(a -> a.errnos().getOrDefault(call + " " + errno, 0L)).orElse(0L);
  }

  /** The count of {@code state} on {@code host} in the last sample, or -1 without samples. */
  public int lastCount(String host, String state) {
    int col = states.indexOf(state);
    int found = -1;
    for (StateSample s : stateSamples) {
      if (s.host().equals(host) && col >= 0) {
        found = s.counts().get(col);
      }
    }
    return found;
  }
}
