package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.LinkRule;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.SeqNum;
import tcpsim.net.wire.Segment;

/**
 * The hazard TIME-WAIT exists for (RFC 9293 §3.4.1, RFC 1337): a delayed old duplicate accepted
 * into a new incarnation of the same 4-tuple.
 *
 * <p>The story: a client sends 39 MB from port 40000 at about 600 MB/s, far faster than the
 * ISN clock's 15.6 M numbers a second (secure_tcp_seq: one per 64 ns), so its sequence numbers
 * run ahead of the clock. A link rule holds a copy of the one segment whose sequence numbers the
 * next incarnation, opened from the same port 2.5 s later, will start at. The client closes
 * first; with TIME-WAIT shortened to 1 s (MSL 5 s, so 2 MSL = 10 s) the 4-tuple is free when the
 * copy is still in the network, and the copy's bytes fall in the new incarnation's window.
 *
 * <p>What still stops it is its ACK field: the copy acknowledges the old server's ISN + 1, and the
 * new server's ISN came from the same clock 2.5 s later, 39 M numbers on. RFC 5961 §5.2, as
 * Linux applies it (tcp_ack), drops a segment whose ACK lies further below SND.UNA than the
 * bytes acknowledged so far, text and all. An old copy gets in only if both sequence spaces
 * outran the clock and line up: the fuzzer's graceful stale-segment case
 * (specs/fuzz/stale-segment-found-by-fuzzer.txt) is such an exchange.
 */
class StaleDuplicateTest {
  private static final int CLIENT = Ipv4.parse("10.0.0.1");
  private static final int SERVER = Ipv4.parse("10.0.0.2");
  private static final int PORT = 40000;
  /** The second incarnation opens at 2.5 s: its ISN is 2.5 s / 64 ns = 39,062,500 above the first's. */
  private static final long SECOND_OPEN_NANOS = Nanos.millis(2_500);
  private static final int ISN_ADVANCE = (int) (SECOND_OPEN_NANOS >> 6);
  private static final int FIRST_BYTES = ISN_ADVANCE + 200_000;
  private static final byte OLD = 'A';
  private static final byte NEW = 'B';

  /** What the server read first in the second incarnation, and what the client saw. */
  private record Outcome(byte[] secondRead, Errno secondConnect, long pawsDrops, long tooOldAckDrops,
      long held) {}

  private static Outcome run(TcpSysctls client, TcpSysctls server) {
    Simulation sim = new Simulation(0x57a1eL);
    Network net = new Network(sim);
    net.setMslNanos(Nanos.seconds(5));
    Host ch = net.host("client", CLIENT);
    Host sh = net.host("server", SERVER);
    net.duplex("client", "server", "delay 50us");
    TcpStack cs = ch.attach(TcpStack.factory(client));
    TcpStack ss = sh.attach(TcpStack.factory(server));
    cs.setKeepPayload(true);
    ss.setKeepPayload(true);
    SocketApi c = new SocketApi(cs);
    SocketApi s = new SocketApi(ss);

    int l = s.socket().intValue();
    s.bind(l, 0, 8080);
    s.listen(l, 16);
    // The server reads everything of the first incarnation and closes at EOF.
    s.accept(l, a -> drainThenClose(s, a.intValue(), new byte[65536]));

    int first = c.socket().intValue();
    c.setsockopt(first, SocketOption.SO_REUSEADDR, 1);
    c.bind(first, 0, PORT);
    byte[] old = new byte[FIRST_BYTES];
    java.util.Arrays.fill(old, OLD);
    c.connect(first, SERVER, 8080, ok -> c.send(first, old, 0, old.length, w -> c.close(first)));
    int isn1 = c.socketOf(first).iss;
    // The copy to hold: the old segment that covers the second incarnation's first bytes.
    int target = isn1 + ISN_ADVANCE + 1 + 100;
    LinkRule hold = LinkRule.matching("old data at the next ISN",
            seg -> seg.payloadLength() > 0 && SeqNum.le(seg.seq(), target)
                && SeqNum.gt(seg.seq() + seg.payloadLength(), target))
        .first().duplicateHeld(Nanos.seconds(3));
    net.link("client", "server").addRule(hold);
    sim.runUntil(SECOND_OPEN_NANOS);

    int second = c.socket().intValue();
    c.setsockopt(second, SocketOption.SO_REUSEADDR, 1);
    c.bind(second, 0, PORT);
    var r = c.connect(second, SERVER, 8080);
    Errno connectErr = r.errno() != Errno.EINPROGRESS ? r.errno() : null;
    byte[] got = new byte[1000];
    if (connectErr == null) {
      s.accept(l, a -> s.recv(a.intValue(), got, 0, got.length, n -> {}));
      // The new client writes its own bytes only after the held copy has arrived (~3.05 s).
      c.at(Nanos.millis(3_500), () -> {
        byte[] fresh = new byte[1000];
        java.util.Arrays.fill(fresh, NEW);
        c.send(second, fresh, 0, fresh.length, w -> {});
      });
    }
    sim.runUntil(Nanos.seconds(4));
    return new Outcome(got, connectErr, ss.drops(tcpsim.net.wire.DropReason.TCP_RFC7323_PAWS)
        + ss.drops(tcpsim.net.wire.DropReason.TCP_RFC7323_TW_PAWS)
        + ss.drops(tcpsim.net.wire.DropReason.TCP_OLD_SEQUENCE),
        ss.drops(tcpsim.net.wire.DropReason.TCP_TOO_OLD_ACK), hold.fired());
  }

  private static void drainThenClose(SocketApi s, int fd, byte[] buf) {
    s.recv(fd, buf, 0, buf.length, n -> {
      if (n.intValue() == 0) {
        s.close(fd);
      } else {
        drainThenClose(s, fd, buf);
      }
    });
  }

  @Test
  void withTimeWaitBelowTwoMslAnOldCopyInTheWindowIsStillDroppedForItsTooOldAck() {
    TcpSysctls shortTw = TcpSysctls.defaults().with(Sysctl.TCP_TIMEWAIT_LEN, 1)
        .with(Sysctl.TCP_TIMESTAMPS, 0); // no PAWS either
    Outcome o = run(shortTw, TcpSysctls.defaults().with(Sysctl.TCP_TIMESTAMPS, 0));
    assertNull(o.secondConnect());
    assertEquals(1, o.held());
    // Neither TIME-WAIT nor PAWS stood in the way; the copy's ACK, 39 M below the new SND.UNA
    // on a connection that has had nothing acknowledged, did (tcp_ack: TCP_TOO_OLD_ACK).
    assertEquals(1, o.tooOldAckDrops());
    assertEquals(0, o.pawsDrops());
    for (byte b : o.secondRead()) {
      assertEquals(NEW, b);
    }
  }

  @Test
  void linuxDefaultsKeepTheOldDuplicateOutOfTheNextIncarnation() {
    Outcome o = run(TcpSysctls.defaults(), TcpSysctls.defaults());
    // The 4-tuple is still in TIME-WAIT (60 s); SO_REUSEADDR + bind + connect takes it over only
    // because the entry saw timestamps (tcp_twsk_unique), with ISN = old SND.NXT + 65537, beyond
    // every old sequence number, and PAWS behind it: the copy is dropped.
    assertNull(o.secondConnect());
    assertEquals(1, o.held());
    for (byte b : o.secondRead()) {
      assertEquals(NEW, b);
    }
    assertTrue(o.pawsDrops() > 0);
  }
}
