package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * The timestamp offset comes from the same keyed hash of the 4-tuple as the ISN
 * (secure_tcp_seq_and_ts_off, Linux 6.18): two connections to one peer from different ports show
 * unrelated TS values, and a new incarnation of a 4-tuple keeps its clock, so PAWS still sees the
 * old one's values below the new one's.
 */
class TimestampOffsetTest {
  private static TcpConnection connectFrom(TwoStacks t, int port) {
    TcpConnection c = t.a.socket();
    assertEquals(null, t.a.bind(c, port));
    assertEquals(null, t.a.connect(c, B_ADDR, 8080));
    return c;
  }

  private static int synTsVal(TwoStacks t, int port) {
    int val = 0;
    for (Segment s : t.segments) {
      if (s.has(TcpFlags.SYN) && !s.has(TcpFlags.ACK) && s.srcPort() == port) {
        val = s.options().tsVal(); // the last SYN from the port
      }
    }
    return val;
  }

  @Test
  void connectionsFromDifferentPortsHaveUnrelatedTimestampClocks() {
    TwoStacks t = new TwoStacks(100);
    connectFrom(t, 40001);
    connectFrom(t, 40002);
    t.runFor(Nanos.millis(1));
    // Sent at the same instant: on one clock they would be equal.
    assertNotEquals(synTsVal(t, 40001), synTsVal(t, 40002));
  }

  @Test
  void aNewIncarnationOfTheFourTupleKeepsItsTimestampClock() {
    TwoStacks t = new TwoStacks(100);
    TcpConnection first = connectFrom(t, 40001);
    t.runFor(Nanos.millis(1));
    int before = synTsVal(t, 40001);
    first.close(); // b has no listener: the SYN drew a RST, and close gives the port back
    t.runFor(Nanos.millis(500));
    connectFrom(t, 40001);
    t.runFor(Nanos.millis(1));
    assertEquals(before + 501, synTsVal(t, 40001), "the same clock, 501 ms on (1 + 500 ms of runFor)");
  }
}
