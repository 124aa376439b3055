package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;
import tcpsim.core.trace.TraceDigest;

class LossyTransferTest {
  static final int MEGABYTE = 1 << 20;

  /** Sends {@code bytes} of seeded content from a to b over a lossy link; returns the run. */
  static Run transfer(long seed, int bytes) {
    TwoStacks t = new TwoStacks(seed);
    t.a.setKeepPayload(true);
    t.b.setKeepPayload(true);
    t.rateBitsPerSecond = 100_000_000;
    t.lossPpm = 50_000;
    t.duplicatePpm = 10_000;
    t.reorderPpm = 100_000;
    TcpConnection[] cl = t.listenAndConnect(8080);
    byte[] content = new byte[bytes];
    SimRandom r = new SimRandom(seed ^ 0x5eed);
    for (int i = 0; i < bytes; i++) {
      content[i] = (byte) r.nextInt();
    }
    byte[] received = new byte[bytes];
    int[] got = {0};
    int[] sent = {0};
    TcpConnection client = cl[0];
    client.setEvents(c -> {
      if (c.state() == TcpState.ESTABLISHED || c.state() == TcpState.CLOSE_WAIT) {
        t.sim.scheduleAfter(0, (now, arg) -> {
          while (sent[0] < bytes) {
            int n = c.send(content, sent[0], Math.min(65536, bytes - sent[0]));
            if (n == 0) {
              break;
            }
            sent[0] += n;
          }
        }, 0);
      }
    });
    cl[1].setEvents(l -> t.sim.scheduleAfter(0, (now, arg) -> {
      TcpConnection s = t.b.accept(l);
      if (s != null) {
        s.setEvents(c -> t.sim.scheduleAfter(0, (n2, a2) -> {
          int n;
          while ((n = c.receive(received, got[0], bytes - got[0])) > 0) {
            got[0] += n;
          }
        }, 0));
      }
    }, 0));
    t.runFor(Nanos.seconds(600));
    TraceDigest d = new TraceDigest();
    for (String w : t.wire) {
      d.add(w);
    }
    return new Run(t, content, received, got[0], d.hex());
  }

  record Run(TwoStacks t, byte[] content, byte[] received, int got, String digest) {}

  @Test
  void aLossyDuplicatingReorderingLinkDeliversTheStreamByteForByte() {
    Run run = transfer(42, 10 * MEGABYTE);
    assertEquals(10 * MEGABYTE, run.got(), "seed 42: bytes delivered");
    assertArrayEquals(run.content(), run.received(), "seed 42: content");
    assertTrue(run.t().a.counter("TcpRetransSegs") > 0);
  }

  @Test
  void theSameSeedGivesTheSameWireAndAnotherSeedAnotherOne() {
    Run first = transfer(7, MEGABYTE / 4);
    Run again = transfer(7, MEGABYTE / 4);
    Run other = transfer(8, MEGABYTE / 4);
    assertEquals(first.digest(), again.digest(), "replay: same seed 7 must give the same wire");
    assertNotEquals(first.digest(), other.digest());
    assertEquals(MEGABYTE / 4, other.got());
  }

  @Test
  void bothSequenceSpacesCrossTheWrapWithoutLosingAByte() {
    TwoStacks t = new TwoStacks(9);
    t.a.setKeepPayload(true);
    t.b.setKeepPayload(true);
    t.a.forceNextIsn(0xffff_f000);
    t.b.forceNextIsn(0xffff_ff00);
    TcpConnection[] cl = t.listenAndConnect(8080);
    t.runFor(Nanos.millis(100));
    TcpConnection server = t.b.accept(cl[1]);
    t.lossPpm = 20_000; // losses once connected, so the retransmissions cross the wrap too
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    byte[] got = new byte[content.length];
    DataTransferTest.drainOnReadable(t, server, got);
    byte[] back = new byte[content.length];
    DataTransferTest.drainOnReadable(t, cl[0], back);
    int[] sent = {0, 0};
    for (int round = 0; round < 200 && (sent[0] < content.length || sent[1] < content.length); round++) {
      sent[0] += cl[0].send(content, sent[0], content.length - sent[0]);
      sent[1] += server.send(content, sent[1], content.length - sent[1]);
      t.runFor(Nanos.millis(50));
    }
    t.runFor(Nanos.seconds(30));
    assertTrue(Integer.compareUnsigned(cl[0].sndNxt, 0xffff_f000) < 0, "client crossed 2^32");
    assertTrue(Integer.compareUnsigned(server.sndNxt, 0xffff_ff00) < 0, "server crossed 2^32");
    assertArrayEquals(content, got);
    assertArrayEquals(content, back);
  }
}
