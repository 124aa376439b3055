package tcpsim.bench;

import tcpsim.core.event.EventHandler;
import tcpsim.core.event.PendingEventSet;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.Link;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.tcp.SocketEvents;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.Ipv4;

/**
 * A never-ending bulk transfer between two hosts through the {@link Network}: the client keeps
 * its send buffer full, the server reads (and discards) everything that arrives. Payload bytes
 * are not kept ({@code keepPayload} off, the default), so the figures measure the stack and the
 * network, not memcpy.
 *
 * <p>The application side allocates nothing per segment: a socket change arms at most one
 * pending fill (or drain) event, a shared {@link EventHandler}, as an epoll loop would wake once
 * for several readiness changes.
 */
final class BulkTransfer {
  /** The stack writes and reads with no content when the array is null. */
  private static final byte[] NO_CONTENT = null;
  private static final int WRITE_CHUNK = 1 << 20;
  private static final long ARG_FILL = 1;
  private static final long ARG_DRAIN = 2;

  final Simulation sim;
  final Link clientToServer;
  final Link serverToClient;
  private final TcpStack serverStack;
  private TcpConnection client;
  private TcpConnection server;
  private long payloadBytesRead;
  private boolean fillPending;
  private boolean drainPending;

  private final EventHandler app = this::appEvent;
  private final SocketEvents clientEvents = c -> {
    if (!fillPending) {
      fillPending = true;
      sim().scheduleAfter(0, app, ARG_FILL);
    }
  };
  private final SocketEvents serverEvents = c -> {
    if (!drainPending) {
      drainPending = true;
      sim().scheduleAfter(0, app, ARG_DRAIN);
    }
  };

  /**
   * @param netem both directions' link, e.g. {@code "delay 5ms rate 1gbit limit 10000 loss 1%"}
   * @param events the simulation's pending-event set (the default is {@link
   *     tcpsim.core.event.HeapEventSet})
   */
  BulkTransfer(long seed, String netem, PendingEventSet events) {
    sim = new Simulation(seed, events);
    Network net = new Network(sim);
    Host a = net.host("client", "10.0.0.1");
    Host b = net.host("server", "10.0.0.2");
    net.duplex("client", "server", NetemConfig.parse(netem));
    clientToServer = net.link("client", "server");
    serverToClient = net.link("server", "client");
    TcpStack clientStack = a.attach(TcpStack::new);
    serverStack = b.attach(TcpStack::new);

    TcpConnection listening = serverStack.socket();
    check(serverStack.bind(listening, 5001) == null, "bind 5001");
    check(serverStack.listen(listening, 128) == null, "listen");
    listening.setEvents(l -> {
      TcpConnection child = serverStack.accept(l);
      if (child != null && server == null) {
        server = child;
        child.setEvents(serverEvents);
        serverEvents.socketChanged(child);
      }
    });
    client = clientStack.socket();
    client.setEvents(clientEvents);
    check(clientStack.connect(client, Ipv4.parse("10.0.0.2"), 5001) == null, "connect");
  }

  private Simulation sim() {
    return sim;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("bulk transfer set-up failed at " + what);
    }
  }

  private void appEvent(long nowNanos, long arg) {
    if (arg == ARG_FILL) {
      fillPending = false;
      if (client.state() == TcpState.ESTABLISHED) {
        while (client.send(NO_CONTENT, 0, WRITE_CHUNK) > 0) {
          // keep the send buffer full
        }
      }
    } else {
      drainPending = false;
      int n;
      while ((n = server.receive(NO_CONTENT, 0, Integer.MAX_VALUE)) > 0) {
        payloadBytesRead += n;
      }
    }
  }

  /** Runs until the transfer is past slow start: the given virtual time. */
  void warmUp(long virtualNanos) {
    sim.runFor(virtualNanos);
    check(server != null && client.state() == TcpState.ESTABLISHED,
        "handshake (client " + client.state() + ")");
  }

  /** Segments the two hosts have put on the links so far, data and ACKs, lost ones included. */
  long segments() {
    return clientToServer.transmittedCount() + serverToClient.transmittedCount();
  }

  /** Steps the simulation until at least {@code count} more segments went onto the links. */
  void runSegments(long count) {
    long target = segments() + count;
    while (segments() < target) {
      if (!sim.step()) {
        throw new IllegalStateException("the transfer stopped at " + Nanos.format(sim.now()));
      }
    }
  }

  long payloadBytesRead() {
    return payloadBytesRead;
  }

  long dataSegments() {
    return clientToServer.transmittedCount();
  }

  TcpConnection client() {
    return client;
  }
}
