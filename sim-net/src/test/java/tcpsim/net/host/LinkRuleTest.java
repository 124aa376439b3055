package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.LinkRule;
import tcpsim.net.wire.TcpFlags;

/** Faults staged exactly: which segment, what happens to it, how often the rule fired. */
class LinkRuleTest {
  private static final long SEED = 0x7a1eL;

  @Test
  void dropTheSecondSegment() {
    World w = new World(SEED, "delay 1ms");
    LinkRule rule = LinkRule.segment(2).drop();
    w.net.link("client", "server").addRule(rule);
    w.clientSends(4, 100);
    w.sim.run();

    assertEquals(List.of(1, 3, 4), w.atServer.seqs());
    assertEquals(1, w.tap.count("seq 2 LINK_RULE"));
    assertEquals(1, rule.fired());
  }

  @Test
  void dropTheFirstFinAndLetItsRetransmissionThrough() {
    World w = new World(SEED, "delay 1ms");
    LinkRule rule = LinkRule.withFlags(TcpFlags.FIN).first().drop();
    w.net.link("client", "server").addRule(rule);
    w.client.ip().output(World.data(w.client, w.server, 1, 100));
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.FIN | TcpFlags.ACK, 101, 0));
    w.sim.runFor(Nanos.millis(200));
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.FIN | TcpFlags.ACK, 101, 0));
    w.sim.run();

    assertEquals(List.of("1@0.001000", "101@0.201000"), w.atServer.arrivals());
    assertEquals(1, rule.fired());
    assertEquals(2, rule.matched());
  }

  @Test
  void dropTheLastAckButNotTheFinAckBeforeIt() {
    World w = new World(SEED, "delay 1ms");
    w.net.link("client", "server").addRule(LinkRule.exactFlags(TcpFlags.ACK).first().drop());
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.FIN | TcpFlags.ACK, 100, 0));
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.ACK, 101, 0));
    w.sim.run();

    assertEquals(List.of(100), w.atServer.seqs());
  }

  @Test
  void holdADuplicateOfTheFinForTwentySeconds() {
    World w = new World(SEED, "delay 10ms");
    LinkRule rule = LinkRule.withFlags(TcpFlags.FIN).first().duplicateHeld(Nanos.seconds(20));
    w.net.link("client", "server").addRule(rule);
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.FIN | TcpFlags.ACK, 7, 0));
    w.sim.run();

    assertEquals(List.of("7@0.010000", "7@20.010000"), w.atServer.arrivals());
    assertEquals(1, rule.fired());
  }

  @Test
  void holdASegmentSoThatTheNextOneOvertakesIt() {
    World w = new World(SEED, "delay 10ms");
    w.net.link("client", "server").addRule(LinkRule.segment(1).hold(Nanos.seconds(1)));
    w.clientSends(2, 100);
    w.sim.run();

    assertEquals(List.of("2@0.010000", "1@1.010000"), w.atServer.arrivals());
  }

  @Test
  void rulesApplyInTheOrderAddedAndADropEndsTheList() {
    World w = new World(SEED, "delay 1ms");
    LinkRule copyFins = LinkRule.withFlags(TcpFlags.FIN).every().duplicate();
    LinkRule dropFins = LinkRule.withFlags(TcpFlags.FIN).every().drop();
    LinkRule neverSeen = LinkRule.withFlags(TcpFlags.FIN).every().duplicate();
    w.net.link("client", "server").addRule(copyFins).addRule(dropFins).addRule(neverSeen);
    w.client.ip().output(World.segment(w.client, w.server, TcpFlags.FIN | TcpFlags.ACK, 9, 0));
    w.sim.run();

    assertEquals(List.of("9@0.001000"), w.atServer.arrivals()); // the copy made before the drop
    assertEquals(List.of(1L, 1L, 0L), List.of(copyFins.fired(), dropFins.fired(), neverSeen.fired()));
  }

  @Test
  void aRuleBelongsToOneLink() {
    World w = new World(SEED, "delay 1ms");
    LinkRule rule = LinkRule.segment(1).drop();
    w.net.link("client", "server").addRule(rule);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> w.net.link("server", "client").addRule(rule));
    assertEquals("rule 'drop match #1 of segment' already belongs to a link; make one per link"
        + " (adding it to server->client)", e.getMessage());
  }
}
