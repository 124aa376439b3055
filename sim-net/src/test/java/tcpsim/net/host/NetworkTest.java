package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.LinkRule;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;

/** Hosts, routing, crashes and reboots, the MSL, and what taps see. */
class NetworkTest {
  private static final long SEED = 0x4e7L;

  @Test
  void tapsSeeEverySegmentTransmittedDeliveredOrDroppedWithItsReason() {
    World w = new World(SEED, "delay 10ms");
    w.net.link("client", "server").addRule(LinkRule.segment(2).drop());
    w.clientSends(2, 100);
    w.sim.run();

    assertEquals(List.of(
        "0.000000 transmitted client->server seq 1",
        "0.000000 transmitted client->server seq 2",
        "0.000000 dropped client->server seq 2 LINK_RULE",
        "0.010000 delivered client->server seq 1"), w.tap.lines);
  }

  @Test
  void aSegmentToAnAddressNoLinkLeadsToIsDroppedNoRoute() {
    World w = new World(SEED); // hosts, no links
    w.net.host("lonely", "10.0.0.3");
    w.client.ip().output(World.data(w.client, w.server, 1, 10));
    w.client.ip().output(new Segment(w.client.address(), 1, Ipv4.parse("192.0.2.1"), 2, 2, 0, 0,
        0, 0, tcpsim.net.wire.TcpOptions.NONE, 0, null));
    w.net.duplex("client", "server", "delay 1ms");
    w.client.ip().output(World.data(w.client, w.server, 3, 10));
    w.sim.run();

    assertEquals(List.of(
        "0.000000 dropped null seq 1 NO_ROUTE",
        "0.000000 dropped null seq 2 NO_ROUTE",
        "0.000000 transmitted client->server seq 3",
        "0.001000 delivered client->server seq 3"), w.tap.lines);
  }

  @Test
  void aCrashedHostIsSilentBothWaysAndKeepsItsStateUntilItRecovers() {
    World w = new World(SEED, "delay 1ms");
    w.server.crash();
    w.client.ip().output(World.data(w.client, w.server, 1, 10));
    w.server.ip().output(World.data(w.server, w.client, 2, 10));
    w.sim.run();
    w.server.recover();
    w.client.ip().output(World.data(w.client, w.server, 3, 10));
    w.server.ip().output(World.data(w.server, w.client, 4, 10));
    w.sim.run();

    assertEquals(List.of(
        "0.000000 transmitted client->server seq 1",
        "0.000000 dropped server->client seq 2 HOST_DOWN",
        "0.001000 dropped client->server seq 1 HOST_DOWN",
        "0.001000 transmitted client->server seq 3",
        "0.001000 transmitted server->client seq 4",
        "0.002000 delivered client->server seq 3",
        "0.002000 delivered server->client seq 4"), w.tap.lines);
    assertEquals(0, w.atServer.reboots);
  }

  @Test
  void aRebootTellsTheTransportToForgetEverythingAndBringsTheHostBack() {
    World w = new World(SEED, "delay 1ms");
    w.server.crash();
    w.server.reboot();
    w.client.ip().output(World.data(w.client, w.server, 1, 10));
    w.sim.run();

    assertEquals(1, w.atServer.reboots);
    assertEquals(List.of(1), w.atServer.seqs());
  }

  @Test
  void theNetworkNeverDeliversASegmentOlderThanTheMsl() {
    World w = new World(SEED, "delay 10ms");
    w.net.link("client", "server").addRule(LinkRule.segment(1).hold(Nanos.seconds(31)));
    w.clientSends(1, 10);
    w.sim.run();

    assertEquals(List.of(), w.atServer.seqs());
    assertEquals(List.of(
        "0.000000 transmitted client->server seq 1",
        "30.000000 dropped client->server seq 1 MSL_EXPIRED"), w.tap.lines);
  }

  @Test
  void aLongerMslLetsTheSameHeldSegmentThrough() {
    World w = new World(SEED, "delay 10ms");
    w.net.setMslNanos(Nanos.seconds(60));
    w.net.link("client", "server").addRule(LinkRule.segment(1).hold(Nanos.seconds(31)));
    w.clientSends(1, 10);
    w.sim.run();

    assertEquals(List.of("1@31.010000"), w.atServer.arrivals());
  }

  @Test
  void aTransportFactoryGetsTheHostsPlaceInTheNetwork() {
    Simulation sim = new Simulation(SEED);
    Network net = new Network(sim);
    Host h = net.host("h", "10.1.2.3");
    int[] seen = new int[1];
    Object[] got = new Object[3];
    RecordingTransport t = h.attach((Simulation s, SimRandom r, IpLayer ip, int address) -> {
      seen[0] = address;
      got[0] = s;
      got[1] = ip;
      got[2] = r;
      return new RecordingTransport(s);
    });

    assertSame(t, h.transport());
    assertEquals(Ipv4.parse("10.1.2.3"), seen[0]);
    assertSame(sim, got[0]);
    assertSame(h.ip(), got[1]);
    assertEquals(sim.random().split("host:h").nextLong(), ((SimRandom) got[2]).nextLong());
  }

  @Test
  void misusingTheBuilderNamesTheBadValue() {
    World w = new World(SEED);
    assertEquals("host 'client' already exists",
        assertThrows(IllegalArgumentException.class, () -> w.net.host("client", "10.9.9.9"))
            .getMessage());
    assertEquals("address 10.0.0.2 already belongs to host 'server'",
        assertThrows(IllegalArgumentException.class, () -> w.net.host("other", "10.0.0.2"))
            .getMessage());
    assertEquals("no host named 'nobody'; hosts are [client, server]",
        assertThrows(IllegalArgumentException.class, () -> w.net.link("client", "nobody", "delay 1ms"))
            .getMessage());
  }
}
