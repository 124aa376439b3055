package tcpsim.net.observe;

import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/** Short builders for test segments between a client and a server. */
final class Segs {
  static final int CLIENT = Ipv4.parse("10.0.0.1");
  static final int SERVER = Ipv4.parse("10.0.0.2");
  static final int CLIENT_PORT = 40000;
  static final int SERVER_PORT = 5001;

  static final int S = TcpFlags.SYN;
  static final int A = TcpFlags.ACK;
  static final int F = TcpFlags.FIN;
  static final int R = TcpFlags.RST;
  static final int P = TcpFlags.PSH;

  private Segs() {}

  /** Client to server. */
  static Segment c2s(int flags, int seq, int ack, int win, TcpOptions options, int length) {
    return new Segment(CLIENT, CLIENT_PORT, SERVER, SERVER_PORT, seq, ack, flags, win, 0, options,
        length, null);
  }

  /** Server to client. */
  static Segment s2c(int flags, int seq, int ack, int win, TcpOptions options, int length) {
    return new Segment(SERVER, SERVER_PORT, CLIENT, CLIENT_PORT, seq, ack, flags, win, 0, options,
        length, null);
  }

  static TcpOptions synOptions(int tsVal, int tsEcr) {
    return TcpOptions.builder().mss(1460).sackPermitted().timestamp(tsVal, tsEcr).nop()
        .windowScale(7).build();
  }

  static TcpOptions ts(int val, int ecr) {
    return TcpOptions.builder().nop().nop().timestamp(val, ecr).build();
  }

  static TcpOptions tsSack(int val, int ecr, int... blocks) {
    return TcpOptions.builder().nop().nop().timestamp(val, ecr).nop().nop().sack(blocks).build();
  }
}
