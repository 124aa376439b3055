package tcpsim.net.host;

import tcpsim.net.wire.Segment;

/** What a host's transport sees of the network below it: a place to hand outgoing segments. */
@FunctionalInterface
public interface IpLayer {
  /** Sends {@code segment} now; routing, faults and delay are the network's business. */
  void output(Segment segment);
}
