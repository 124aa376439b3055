package tcpsim.net.host;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import tcpsim.core.event.Simulation;
import tcpsim.net.link.Link;
import tcpsim.net.link.LinkEnvironment;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.link.Partition;
import tcpsim.net.link.WireTap;
import tcpsim.net.wire.Ipv4;

/**
 * The simulated world: hosts by name, one-way links between them, partitions, taps and the
 * maximum segment lifetime, all on one {@link Simulation}.
 *
 * <pre>{@code
 * Simulation sim = new Simulation(seed);
 * Network net = new Network(sim);
 * Host client = net.host("client", "10.0.0.1");
 * Host server = net.host("server", "10.0.0.2");
 * net.duplex("client", "server", NetemConfig.parse("delay 10ms loss 1%"));
 * net.link("server", "client").addRule(LinkRule.withFlags(TcpFlags.FIN).first().drop());
 * net.addTap(capture);
 * net.partition(Partition.between("client", "server").during(Nanos.seconds(5), Nanos.seconds(8)));
 * server.crash();  ...  server.reboot();
 * sim.runFor(Nanos.seconds(60));
 * }</pre>
 *
 * <p>Taps see every segment: {@code transmitted} when it enters a link, {@code delivered} when a
 * link hands it to a host, {@code dropped} with a {@link tcpsim.net.wire.DropReason} wherever it
 * is lost. Drops before any link ({@code NO_ROUTE}, and {@code HOST_DOWN} at a crashed sender with
 * no route) and drops by the receiving host ({@code TCP_CSUM}) are reported with link null.
 *
 * <p>Iteration over hosts and links follows the order they were added.
 */
public final class Network {
  private final Simulation sim;
  private final LinkEnvironment env;
  private final LinkedHashMap<String, Host> hosts = new LinkedHashMap<>();
  private final HashMap<Integer, Host> byAddress = new HashMap<>(); // lookups only, never iterated
  private final LinkedHashMap<String, Link> links = new LinkedHashMap<>();
  private long topologyVersion;

  public Network(Simulation simulation) {
    this.sim = Objects.requireNonNull(simulation, "simulation");
    this.env = new LinkEnvironment(simulation);
  }

  public Simulation simulation() {
    return sim;
  }

  /** What the links share: taps, partitions, MSL. */
  public LinkEnvironment environment() {
    return env;
  }

  /** Adds a host with a dotted IPv4 address. */
  public Host host(String name, String address) {
    return host(name, Ipv4.parse(address));
  }

  /** Adds a host with an IPv4 address as an int. */
  public Host host(String name, int address) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("->") || name.contains(" ")) {
      throw new IllegalArgumentException("host name must be non-empty, without spaces or '->': '"
          + name + "'");
    }
    if (hosts.containsKey(name)) {
      throw new IllegalArgumentException("host '" + name + "' already exists");
    }
    Host owner = byAddress.get(address);
    if (owner != null) {
      throw new IllegalArgumentException("address " + Ipv4.format(address)
          + " already belongs to host '" + owner.name() + "'");
    }
    Host host = new Host(this, name, address);
    hosts.put(name, host);
    byAddress.put(address, host);
    topologyVersion++;
    return host;
  }

  /** The host named {@code name}. */
  public Host host(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no host named '" + name + "'; hosts are " + hosts.keySet());
    }
    return h;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** Adds the one-way link {@code from->to}. */
  public Link link(String from, String to, NetemConfig config) {
    Host source = host(from);
    Host target = host(to);
    String name = from + "->" + to;
    if (links.containsKey(name)) {
      throw new IllegalStateException("link " + name + " already exists; change it with setConfig");
    }
    Link link = new Link(env, source.name(), target.name(), config, target);
    links.put(name, link);
    topologyVersion++;
    return link;
  }

  /** Adds the one-way link {@code from->to} with netem options, e.g. {@code "delay 10ms"}. */
  public Link link(String from, String to, String netem) {
    return link(from, to, NetemConfig.parse(netem));
  }

  /** Adds links both ways between {@code a} and {@code b} with the same configuration. */
  public Network duplex(String a, String b, NetemConfig config) {
    link(a, b, config);
    link(b, a, config);
    return this;
  }

  /** Adds links both ways with netem options, e.g. {@code "delay 10ms loss 1%"}. */
  public Network duplex(String a, String b, String netem) {
    return duplex(a, b, NetemConfig.parse(netem));
  }

  /** The link {@code from->to}. */
  public Link link(String from, String to) {
    Link l = links.get(from + "->" + to);
    if (l == null) {
      throw new IllegalArgumentException("no link " + from + "->" + to + "; links are "
          + links.keySet());
    }
    return l;
  }

  public List<Link> links() {
    return List.copyOf(links.values());
  }

  public Network addTap(WireTap tap) {
    env.taps().add(tap);
    return this;
  }

  public boolean removeTap(WireTap tap) {
    return env.taps().remove(tap);
  }

  /** Adds a partition, in force over its window (which may lie in the future). */
  public Network partition(Partition partition) {
    for (String h : partition.sideA()) {
      host(h);
    }
    for (String h : partition.sideB()) {
      host(h);
    }
    env.partitions().add(partition);
    return this;
  }

  /** Cuts both directions between {@code a} and {@code b} from now until healed. */
  public Network partition(String a, String b) {
    return partition(Partition.between(a, b).from(sim.now()));
  }

  /** Cuts segments from {@code from} to {@code to} from now until healed; the other way works. */
  public Network partitionOneWay(String from, String to) {
    return partition(Partition.oneWay(from, to).from(sim.now()));
  }

  /** Ends every partition in force now; windows scheduled for later stay. */
  public Network heal() {
    env.partitions().healAll(sim.now());
    return this;
  }

  /** Ends the partitions in force now between {@code a} and {@code b}. */
  public Network heal(String a, String b) {
    env.partitions().heal(a, b, sim.now());
    return this;
  }

  public long mslNanos() {
    return env.mslNanos();
  }

  /** Sets the maximum segment lifetime (default 30 s), separate from any TIME_WAIT length. */
  public Network setMslNanos(long mslNanos) {
    env.setMslNanos(mslNanos);
    return this;
  }

  long topologyVersion() {
    return topologyVersion;
  }

  /** The link from {@code from} toward the owner of {@code dstAddr}, or null: no route. */
  Link resolve(Host from, int dstAddr) {
    Host owner = byAddress.get(dstAddr);
    return owner == null ? null : links.get(from.name() + "->" + owner.name());
  }

  /** Every host, link and partition, for messages and reports. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Host h : hosts.values()) {
      b.append("host ").append(h).append('\n');
    }
    for (Link l : links.values()) {
      b.append("link ").append(l).append('\n');
    }
    for (Partition p : env.partitions().all()) {
      b.append("partition ").append(p).append('\n');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "Network" + hosts.keySet();
  }
}
