package tcpsim.lab.report;

import java.util.Map;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.LinkRule;
import tcpsim.net.socket.Errno;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpSysctls;
import tcpsim.net.wire.TcpFlags;

/** Runs of tcpsim's own network and TCP stacks, recorded for the report by a {@link LadderTap}. */
final class StackRuns {
  private StackRuns() {}

  /**
   * The teardown of {@link HandBuiltTraces#teardownWithLostFin()}, played by the stacks: connect
   * over a 10 ms link, send 100 bytes, the client closes and its first FIN is dropped by a link
   * rule, the server reads, closes in turn, and the client sits out TIME_WAIT. Timers are not
   * observable from outside the stack yet, so this trace has none.
   */
  static RunTrace teardownWithLostFin() {
    Simulation sim = new Simulation(0x5eedL);
    Network net = new Network(sim);
    Host client = net.host("client", "10.0.0.1");
    Host server = net.host("server", "10.0.0.2");
    TcpStack clientStack = client.attach((s, r, ip, a) -> new TcpStack(s, "client", a, ip, TcpSysctls.defaults()));
    TcpStack serverStack = server.attach((s, r, ip, a) -> new TcpStack(s, "server", a, ip, TcpSysctls.defaults()));
    net.duplex("client", "server", "delay 10ms");
    net.link("client", "server").addRule(LinkRule.withFlags(TcpFlags.FIN).first().drop());
    LadderTap tap = new LadderTap().name("10.0.0.2", 80, "server");
    net.addTap(tap);
    clientStack.addStateObserver(tap);
    serverStack.addStateObserver(tap);

    TcpConnection listener = serverStack.socket();
    check(serverStack.bind(listener, 80), "bind");
    check(serverStack.listen(listener, 16), "listen");
    TcpConnection conn = clientStack.socket();
    check(clientStack.connect(conn, server.address(), 80), "connect");
    tap.name("10.0.0.1", conn.localPort(), "client");
    sim.runFor(Nanos.seconds(1));
    TcpConnection accepted = serverStack.accept(listener);
    conn.send(new byte[100], 0, 100);
    sim.runFor(Nanos.seconds(1));
    accepted.receive(new byte[100], 0, 100);
    conn.close();
    sim.runFor(Nanos.millis(500));
    accepted.close();
    sim.runFor(Nanos.seconds(70));

    RunTrace.Builder b = tap.toBuilder("FIN/ACK close with a lost FIN (tcpsim stacks, seed 0x5eed)", sim.seed());
    for (Map.Entry<String, Long> e : clientStack.counters().entrySet()) {
      b.counter("client " + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Long> e : serverStack.counters().entrySet()) {
      b.counter("server " + e.getKey(), e.getValue());
    }
    return b.build();
  }

  private static void check(Errno result, String call) {
    if (result != null) {
      throw new AssertionError(call + " failed: " + result);
    }
  }
}
