package tcpsim.net.host;

import java.util.Objects;
import tcpsim.core.event.Simulation;
import tcpsim.net.link.Link;
import tcpsim.net.link.LinkSink;
import tcpsim.net.link.TapSet;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;

/**
 * A machine on the {@link Network}: a name, one IPv4 address, an {@link IpLayer} for its
 * transport to send through, and the transport (its TCP stack) that the network delivers to.
 *
 * <p>Life cycle: {@link #crash()} makes the host silent, as a hung machine or a pulled cable:
 * everything it sends and everything sent to it is dropped ({@code HOST_DOWN}), while its
 * transport keeps every connection and timer. {@link #recover()} brings it back as it was.
 * {@link #reboot()} brings it back with {@link Transport#reboot()} called, so the stack forgets
 * every connection and answers RST for the ones it no longer knows.
 *
 * <p>Routing: a segment goes on this host's link toward the host that owns its destination
 * address; with no such link it is dropped ({@code NO_ROUTE}). Routes are cached in small arrays,
 * so a send allocates nothing.
 *
 * <p>Differences from Linux: one address and one interface per host, no loopback delivery (a
 * segment to the host's own address needs a link to itself), and a crashed host's stack still
 * runs its timers (their segments are dropped) where a hung kernel would run nothing.
 */
public final class Host implements LinkSink {
  private static final int ROUTE_CACHE = 16;

  private final Network network;
  private final Simulation sim;
  private final TapSet taps;
  private final String name;
  private final int address;
  private final IpLayer ip = this::send;
  private Transport transport;
  private boolean down;
  private long checksumErrors;
  private long reboots;

  private final int[] routeAddr = new int[ROUTE_CACHE];
  private final Link[] routeLink = new Link[ROUTE_CACHE];
  private int routeCount;
  private long routeVersion = -1;

  Host(Network network, String name, int address) {
    this.network = network;
    this.sim = network.simulation();
    this.taps = network.environment().taps();
    this.name = name;
    this.address = address;
  }

  public String name() {
    return name;
  }

  public int address() {
    return address;
  }

  /** Where the transport sends segments. */
  public IpLayer ip() {
    return ip;
  }

  /** Attaches the transport the network delivers to; a host has one. Returns this host. */
  public Host attach(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    if (this.transport != null) {
      throw new IllegalStateException("host '" + name + "' already has a transport: "
          + this.transport);
    }
    this.transport = transport;
    return this;
  }

  /** Makes the transport with this host's simulation, random stream, IP layer and address. */
  public <T extends Transport> T attach(TransportFactory<T> factory) {
    T t = factory.create(sim, sim.random().split("host:" + name), ip, address);
    attach(t);
    return t;
  }

  public Transport transport() {
    return transport;
  }

  /** The host goes silent: nothing in, nothing out ({@code HOST_DOWN}); its state is kept. */
  public void crash() {
    down = true;
  }

  /** A crashed host comes back with its state as it was. */
  public void recover() {
    down = false;
  }

  /** The host comes back (if down) with all transport state lost: {@link Transport#reboot()}. */
  public void reboot() {
    reboots++;
    if (transport != null) {
      transport.reboot();
    }
    down = false;
  }

  @Override
  public boolean isUp() {
    return !down;
  }

  /** Segments this host dropped on a bad checksum (nstat's TcpInCsumErrors). */
  public long checksumErrors() {
    return checksumErrors;
  }

  public long reboots() {
    return reboots;
  }

  @Override
  public void receive(long nowNanos, Link link, Segment segment, boolean corrupted) {
    if (corrupted) {
      // tcp_v4_rcv -> tcp_checksum_complete fails: TCP_MIB_CSUMERRORS, SKB_DROP_REASON_TCP_CSUM.
      checksumErrors++;
      taps.dropped(nowNanos, null, segment, DropReason.TCP_CSUM);
      return;
    }
    if (transport == null) {
      taps.dropped(nowNanos, null, segment, DropReason.NO_SOCKET);
      return;
    }
    transport.input(segment);
  }

  private void send(Segment segment) {
    Link link = route(segment.dstAddr());
    if (down) {
      taps.dropped(sim.now(), link == null ? null : link.name(), segment, DropReason.HOST_DOWN);
      return;
    }
    if (link == null) {
      taps.dropped(sim.now(), null, segment, DropReason.NO_ROUTE);
      return;
    }
    link.transmit(segment);
  }

  private Link route(int dstAddr) {
    long version = network.topologyVersion();
    if (version != routeVersion) {
      routeVersion = version;
      routeCount = 0;
    }
    for (int i = 0; i < routeCount; i++) {
      if (routeAddr[i] == dstAddr) {
        return routeLink[i];
      }
    }
    Link link = network.resolve(this, dstAddr);
    if (routeCount == ROUTE_CACHE) {
      routeCount = 0; // a stack spraying many addresses: start the small cache over
    }
    routeAddr[routeCount] = dstAddr;
    routeLink[routeCount] = link;
    routeCount++;
    return link;
  }

  @Override
  public String toString() {
    return name + " " + Ipv4.format(address) + (down ? " (down)" : "");
  }
}
