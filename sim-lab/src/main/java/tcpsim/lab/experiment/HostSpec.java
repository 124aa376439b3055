package tcpsim.lab.experiment;

import tcpsim.net.tcp.TcpSysctls;
import tcpsim.net.wire.Ipv4;

/**
 * A simulated machine: its name, IPv4 address, sysctls (Linux defaults unless the file sets
 * them by their Linux names) and its per-process descriptor limit.
 *
 * @param address the IPv4 address as an int ({@link Ipv4#format} prints it)
 * @param fdLimit RLIMIT_NOFILE of the host's applications ({@code ulimit -n}); past it
 *     accept(2) and socket(2) fail with EMFILE. Default {@link #DEFAULT_FD_LIMIT}.
 */
public record HostSpec(String name, int address, TcpSysctls sysctls, int fdLimit) {
  /** The soft RLIMIT_NOFILE most distributions give a process (INR_OPEN_CUR in include/uapi/linux/fs.h). */
  public static final int DEFAULT_FD_LIMIT = 1024;

  public HostSpec {
    if (fdLimit < 1) {
      throw new IllegalArgumentException("fdLimit must be at least 1, was " + fdLimit);
    }
  }

  @Override
  public String toString() {
    return name + " (" + Ipv4.format(address) + ")";
  }
}
