package tcpsim.net.host;

import tcpsim.net.wire.Segment;

/** What the network delivers to on a host: its TCP stack. */
public interface Transport {
  /** A segment addressed to this host arrives (already past checksum and the host's own state). */
  void input(Segment segment);

  /** The host rebooted: every connection, listener and timer is gone without a segment sent. */
  void reboot();
}
