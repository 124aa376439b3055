package tcpsim.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.Partition;

/** Partitions cut paths over time windows, one way or both. */
class PartitionTest {
  private static final long SEED = 0xcafeL;

  /** Both hosts send one segment (seq = the millisecond it was sent) at each of these times. */
  private static void bothSendAt(World w, long... millis) {
    for (long ms : millis) {
      w.sim.runUntil(Nanos.millis(ms));
      w.client.ip().output(World.data(w.client, w.server, (int) ms, 10));
      w.server.ip().output(World.data(w.server, w.client, (int) ms, 10));
    }
    w.sim.run();
  }

  @Test
  void aTwoWayPartitionCutsBothDirectionsDuringItsWindowOnly() {
    World w = new World(SEED, "delay 1ms");
    w.net.partition(Partition.between("client", "server")
        .during(Nanos.seconds(1), Nanos.seconds(3)));
    bothSendAt(w, 500, 1000, 2999, 3000);

    assertEquals(List.of(500, 3000), w.atServer.seqs());
    assertEquals(List.of(500, 3000), w.atClient.seqs());
    assertEquals(4, w.tap.count("PARTITION"));
  }

  @Test
  void aOneWayPartitionCutsOnlyItsDirection() {
    World w = new World(SEED, "delay 1ms");
    w.net.partition(Partition.oneWay("client", "server").during(Nanos.seconds(1), Nanos.seconds(2)));
    bothSendAt(w, 500, 1500, 2500);

    assertEquals(List.of(500, 2500), w.atServer.seqs());
    assertEquals(List.of(500, 1500, 2500), w.atClient.seqs());
  }

  @Test
  void aPartitionCutsSegmentsAlreadyOnTheWire() {
    World w = new World(SEED, "delay 100ms");
    w.client.ip().output(World.data(w.client, w.server, 1, 10));
    w.sim.runUntil(Nanos.millis(50));
    w.net.partition("client", "server");
    w.sim.run();

    assertEquals(List.of(), w.atServer.seqs());
    assertEquals(List.of(
        "0.000000 transmitted client->server seq 1",
        "0.100000 dropped client->server seq 1 PARTITION"), w.tap.lines);
  }

  @Test
  void aPartitionBetweenSetsOfHostsLeavesPathsInsideEachSideAlone() {
    World w = new World(SEED, "delay 1ms");
    Host backup = w.net.host("backup", "10.0.0.3");
    RecordingTransport atBackup = new RecordingTransport(w.sim);
    backup.attach(atBackup);
    w.net.duplex("client", "backup", "delay 1ms");
    w.net.duplex("server", "backup", "delay 1ms");
    w.net.partition(Partition.between(List.of("client", "backup"), List.of("server")));
    w.client.ip().output(World.data(w.client, w.server, 1, 10));
    w.server.ip().output(World.data(w.server, backup, 2, 10));
    w.client.ip().output(World.data(w.client, backup, 3, 10));
    w.sim.run();

    assertEquals(List.of(), w.atServer.seqs());
    assertEquals(List.of(3), atBackup.seqs());
    assertEquals(2, w.tap.count("PARTITION"));
  }

  @Test
  void partitionNowThenHeal() {
    World w = new World(SEED, "delay 1ms");
    w.net.partition("client", "server");
    bothSendAt(w, 10);
    w.net.heal();
    bothSendAt(w, 20);

    assertEquals(List.of(20), w.atServer.seqs());
    assertEquals(List.of(20), w.atClient.seqs());
  }
}
