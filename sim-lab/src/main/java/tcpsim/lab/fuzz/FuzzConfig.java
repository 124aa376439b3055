package tcpsim.lab.fuzz;

import tcpsim.core.time.Nanos;
import tcpsim.net.tcp.Sysctl;
import tcpsim.net.tcp.TcpSysctls;

/**
 * The world a fuzz case runs in: both stacks' settings, the network's maximum segment lifetime
 * and the one-way delay of the client-server link.
 *
 * <p>The link is short (100 us one way) on purpose: the ISN clock (secure_tcp_seq, one tick per
 * 64 ns) moves 15.6 MB per second of virtual time, so an old incarnation's sequence numbers can
 * only overlap a new one's window if it sent data faster than that; a short link lets slow start
 * outrun the clock within a few round trips, which is where the stale-segment hazard lives.
 *
 * @param name how reports and the CLI call it ("linux" or "short-time-wait")
 * @param sysctls both hosts' settings
 * @param mslNanos the network's MSL: no copy of a segment arrives later than this after its send
 * @param oneWayNanos the link's base delay, each way
 */
public record FuzzConfig(String name, TcpSysctls sysctls, long mslNanos, long oneWayNanos) {
  /** Linux 6.x defaults: 60 s TIME_WAIT, timestamps (PAWS) on; MSL 30 s. */
  public static FuzzConfig linux() {
    return new FuzzConfig("linux", TcpSysctls.defaults(), Nanos.seconds(30), Nanos.micros(100));
  }

  /**
   * The what-if: TIME_WAIT cut to 0 s (below 2 MSL = 60 s) and net.ipv4.tcp_timestamps=0, so
   * neither TIME_WAIT nor PAWS stands between an old duplicate and a new incarnation.
   */
  public static FuzzConfig shortTimeWait() {
    TcpSysctls s = TcpSysctls.defaults().with(Sysctl.TCP_TIMEWAIT_LEN, 0).with(Sysctl.TCP_TIMESTAMPS, 0);
    return new FuzzConfig("short-time-wait", s, Nanos.seconds(30), Nanos.micros(100));
  }

  /** The configuration called {@code name}, or an IllegalArgumentException listing the names. */
  public static FuzzConfig named(String name) {
    return switch (name) {
      case "linux" -> linux();
      case "short-time-wait" -> shortTimeWait();
      default -> throw new IllegalArgumentException(
          "unknown fuzz configuration '" + name + "' (known: linux, short-time-wait)");
    };
  }

  /** Whether TIME_WAIT lasts at least 2 MSL, the condition under which old duplicates must die. */
  public boolean timeWaitCoversTwoMsl() {
    return Nanos.seconds(sysctls.timeWaitLenSeconds()) >= 2 * mslNanos;
  }
}
