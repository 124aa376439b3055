package tcpsim.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.PSH;
import static tcpsim.net.wire.TcpFlags.RST;
import static tcpsim.net.wire.TcpFlags.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpOptions;

/** The wire tap turns the network's transmit/deliver/drop calls into journeys on lanes. */
class LadderTapTest {
  private static final long MS = 1_000_000L;
  private static final int CLIENT = Ipv4.parse("10.0.0.1");
  private static final int SERVER = Ipv4.parse("10.0.0.2");
  private static final String UP = "client->server";
  private static final String DOWN = "server->client";

  private static Segment up(int seq, int flags, int len) {
    return new Segment(CLIENT, 40000, SERVER, 80, seq, 1, flags, 502, 0, TcpOptions.NONE, len, null);
  }

  private static Segment down(int seq, int flags) {
    return new Segment(SERVER, 80, CLIENT, 40000, seq, 1, flags, 509, 0, TcpOptions.NONE, 0, null);
  }

  @Test
  void aRunSeenOnTheWireBecomesJourneysWithLossesDuplicatesAndReordering() {
    LadderTap tap = new LadderTap().name("10.0.0.1", 40000, "client").name("10.0.0.2", 80, "server");
    Segment syn = up(0, SYN, 0);
    Segment synAck = down(0, SYN | ACK);
    Segment a = up(1, PSH | ACK, 100);
    Segment b = up(101, PSH | ACK, 100);
    Segment c = up(201, PSH | ACK, 100);
    Segment d = up(301, PSH | ACK, 100);
    Segment e = up(401, PSH | ACK, 100);
    Segment rst = down(1, RST);
    Segment stillFlying = up(501, PSH | ACK, 100);

    tap.transmitted(0, UP, syn);
    tap.delivered(10 * MS, UP, syn);
    tap.transmitted(10 * MS, DOWN, synAck);
    tap.delivered(20 * MS, DOWN, synAck);
    tap.transmitted(20 * MS, UP, a);
    tap.transmitted(21 * MS, UP, b);
    tap.transmitted(22 * MS, UP, c);
    tap.transmitted(23 * MS, UP, d);
    tap.transmitted(24 * MS, UP, e);
    tap.dropped(25 * MS, UP, d, DropReason.NETEM_LOSS);
    tap.delivered(30 * MS, UP, b);
    tap.delivered(32 * MS, UP, c);
    tap.delivered(33 * MS, UP, c);
    tap.delivered(34 * MS, UP, e);
    tap.dropped(34 * MS, null, e, DropReason.TCP_CSUM);
    tap.delivered(35 * MS, UP, a);
    tap.dropped(40 * MS, null, rst, DropReason.NO_ROUTE);
    tap.transmitted(50 * MS, UP, stillFlying);

    assertEquals(1, tap.inFlight());
    RunTrace trace = tap.toBuilder("wire", 9).build();

    assertEquals(List.of("client", "server"), trace.lanes().stream().map(Lane::name).toList());
    assertEquals("10.0.0.2:80", trace.lanes().get(1).endpoint());
    List<SegmentEvent> s = trace.segments();
    assertEquals(9, s.size(), "eight transmissions finished, one of them twice; the one in flight is left out");
    assertTrue(s.get(0).label().startsWith("Flags [S], seq 0"), s.get(0).label());
    assertEquals("server", s.get(1).from());

    SegmentEvent first = find(s, 1, false);
    assertTrue(first.reordered(), "seq 1 arrived after seq 101, sent after it");
    assertEquals(35 * MS, first.endNanos());
    assertFalse(find(s, 101, false).reordered());

    SegmentEvent copy = find(s, 201, true);
    assertEquals(22 * MS, copy.sentNanos(), "a copy keeps the original's send time");
    assertEquals(33 * MS, copy.endNanos());
    assertNull(find(s, 201, false).dropReason());

    assertEquals("NETEM_LOSS", find(s, 301, false).dropReason());
    assertEquals(25 * MS, find(s, 301, false).endNanos());
    SegmentEvent corrupted = find(s, 401, false);
    assertEquals("TCP_CSUM", corrupted.dropReason(), "dropped by the receiving stack after delivery");
    assertEquals(34 * MS, corrupted.endNanos());

    SegmentEvent unrouted = s.stream().filter(x -> (x.flags() & RST) != 0).findFirst().orElseThrow();
    assertEquals("NO_ROUTE", unrouted.dropReason());
    assertEquals(unrouted.sentNanos(), unrouted.endNanos(), "never left the host");

    String html = LadderReport.standard().render(trace);
    assertEquals(9, Dom.byKind(html, "segment").size());
    assertEquals(3, Dom.byKind(html, "drop").size());
  }

  @Test
  void aDeliveryOfASegmentNeverTransmittedIsABug() {
    LadderTap tap = new LadderTap();
    assertThrows(IllegalStateException.class, () -> tap.delivered(0, UP, up(1, ACK, 0)));
  }

  private static SegmentEvent find(List<SegmentEvent> s, int seq, boolean duplicate) {
    return s.stream().filter(x -> x.seq() == seq && x.length() > 0 && x.duplicate() == duplicate)
        .findFirst().orElseThrow();
  }
}
