package tcpsim.net.link;

import java.util.Objects;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;

/**
 * What every link of one network shares: the simulation, the taps, the partitions and the
 * maximum segment lifetime.
 */
public final class LinkEnvironment {
  /**
   * The network's default maximum segment lifetime: 30 s, a common choice in simulators of Linux
   * (Linux has no MSL constant of its own; its TIME_WAIT length, TCP_TIMEWAIT_LEN = 60 s in
   * include/net/tcp.h, is set separately and is not this). RFC 9293 §3.4.2 suggests 2 minutes.
   */
  public static final long DEFAULT_MSL_NANOS = Nanos.seconds(30);

  private final Simulation simulation;
  private final TapSet taps = new TapSet();
  private final Partitions partitions = new Partitions();
  private long mslNanos = DEFAULT_MSL_NANOS;

  public LinkEnvironment(Simulation simulation) {
    this.simulation = Objects.requireNonNull(simulation, "simulation");
  }

  public Simulation simulation() {
    return simulation;
  }

  public TapSet taps() {
    return taps;
  }

  public Partitions partitions() {
    return partitions;
  }

  public long mslNanos() {
    return mslNanos;
  }

  /** Sets the maximum segment lifetime; it applies to segments sent from now on. */
  public void setMslNanos(long mslNanos) {
    if (mslNanos <= 0) {
      throw new IllegalArgumentException("MSL must be > 0 ns, was " + mslNanos);
    }
    this.mslNanos = mslNanos;
  }
}
