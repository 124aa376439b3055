package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;

/**
 * One endpoint of the run, drawn as a vertical lane. Lanes appear left to right in the order the
 * trace lists them.
 *
 * @param name short name used by the other records to point at this lane ("client", "server")
 * @param address IPv4 address in dotted form
 * @param port TCP port, 0..65535
 */
public record Lane(String name, String address, int port) {
  public Lane {
    checkName("lane name", name);
    checkName("lane address", address);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("lane " + name + ": port " + port + " is outside 0..65535");
    }
  }

  /** {@code 10.0.0.1:40000}, as {@code ss} prints an endpoint. */
  public String endpoint() {
    return address + ":" + port;
  }
}
