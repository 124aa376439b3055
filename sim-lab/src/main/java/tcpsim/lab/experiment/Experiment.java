package tcpsim.lab.experiment;

import java.util.List;
import java.util.Optional;

/**
 * One runnable configuration: the hosts, the links between them, the applications, the faults,
 * how long to run and what to record. A file without a sweep makes one; a sweep makes one per
 * grid point ({@link GridPoint#experiment()}). Lists keep the file's order (faults are ordered
 * by time, ties in file order).
 *
 * @param mslNanos the network's maximum segment lifetime: no link delays a segment longer
 *     (delay + jitter), so 2·MSL is the TIME_WAIT a new incarnation needs to be safe from old
 *     duplicates (RFC 9293 section 3.4.2)
 */
public record Experiment(String name, String description, long durationNanos, long mslNanos,
    List<HostSpec> hosts, List<LinkSpec> links, List<App> apps, List<Fault> faults,
    Metrics metrics) {
  /**
   * Half of Linux's fixed TIME_WAIT (TCP_TIMEWAIT_LEN = 60 s, include/net/tcp.h), which it
   * documents as 2·MSL; RFC 9293 suggests 2 minutes.
   */
  public static final long DEFAULT_MSL_NANOS = 30_000_000_000L;

  public Experiment {
    hosts = List.copyOf(hosts);
    links = List.copyOf(links);
    apps = List.copyOf(apps);
    faults = List.copyOf(faults);
  }

  public Optional<HostSpec> host(String hostName) {
    for (HostSpec h : hosts) {
      if (h.name().equals(hostName)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  public Optional<App> app(String appName) {
    for (App a : apps) {
      if (a.name().equals(appName)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
