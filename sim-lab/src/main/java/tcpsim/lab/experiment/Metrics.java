package tcpsim.lab.experiment;

import java.util.List;

/**
 * What a run records. A sample interval of 0 means the sampled metric is off; an empty
 * percentile list means connect latency is off.
 *
 * @param socketStatesEveryNanos sockets per TCP state per host, sampled at this interval
 * @param errnoCounts how often each errno came back to an application
 * @param bytesDelivered bytes read by applications
 * @param retransmissions retransmitted segments (nstat TcpRetransSegs)
 * @param connectLatencyPercentilesPpm percentiles of connect() latency, in parts per million
 *     (99.9 is 999,000)
 * @param portsInUseEveryNanos local ports bound per host (any state, TIME_WAIT included)
 */
public record Metrics(long socketStatesEveryNanos, boolean errnoCounts, boolean bytesDelivered,
    boolean retransmissions, List<Integer> connectLatencyPercentilesPpm, long portsInUseEveryNanos) {
  /** The sample interval when the file says only {@code true}. */
  public static final long DEFAULT_EVERY_NANOS = 1_000_000_000L;
  /** The percentiles when the file says only {@code connect_latency: true}: 50, 90, 99, 99.9. */
  public static final List<Integer> DEFAULT_PERCENTILES_PPM = List.of(500_000, 900_000, 990_000, 999_000);

  /** Everything, at the default interval: what a file without {@code metrics:} records. */
  public static final Metrics ALL = new Metrics(DEFAULT_EVERY_NANOS, true, true, true,
      DEFAULT_PERCENTILES_PPM, DEFAULT_EVERY_NANOS);

  public Metrics {
    connectLatencyPercentilesPpm = List.copyOf(connectLatencyPercentilesPpm);
  }
}
