package tcpsim.net.host;

import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;

/**
 * Makes a host's transport (its TCP stack) once the host knows its place in the network:
 * {@code TcpStack stack = host.attach(TcpStack::new);}
 */
@FunctionalInterface
public interface TransportFactory<T extends Transport> {
  /**
   * @param random the host's own stream, {@code simulation.random().split("host:" + name)}
   * @param ip where the transport sends segments
   * @param address the host's IPv4 address (see {@link tcpsim.net.wire.Ipv4})
   */
  T create(Simulation simulation, SimRandom random, IpLayer ip, int address);
}
