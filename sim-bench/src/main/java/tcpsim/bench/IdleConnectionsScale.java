package tcpsim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.host.Host;
import tcpsim.net.host.Network;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.socket.Errno;
import tcpsim.net.tcp.TcpConnection;
import tcpsim.net.tcp.TcpStack;
import tcpsim.net.tcp.TcpState;
import tcpsim.net.wire.Ipv4;

/**
 * Scale: N established, idle connections between two hosts ("one million connections on one
 * box"). Not JMH: it is one long measurement of wall time and retained heap, run with a large
 * heap, e.g. {@code java -Xmx16g -cp sim-bench/target/benchmarks.jar
 * tcpsim.bench.IdleConnectionsScale 1000000}.
 *
 * <p>The server listens on {@value #SERVER_PORTS} ports; the client connects round-robin to them,
 * in rounds of {@value #PER_PORT_PER_ROUND} SYNs per port (under the default somaxconn of 4096,
 * so neither the SYN queue nor the accept queue overflows and no SYN cookie is sent), runs the
 * handshakes to completion and the server accepts every child. Ephemeral ports come from the
 * default ip_local_port_range (28,232 per destination), so 40 ports leave room for 1 M with each
 * the even half of each range at most 71% full. That matters: Linux 6.x (and this stack,
 * after __inet_hash_connect) tries every even port before any odd one, so once a destination's
 * even ports are nearly all taken each connect() walks thousands of ports; with 40 server ports
 * (25,000 per destination, more than the 14,116 even ports) opening stalled past 500 K.
 *
 * <p>Reported: wall time to open them all (target under 60 s), then, after forced GCs, the used
 * heap minus the used heap of the same world before any connection, per connection (one
 * connection = both its ends: the client socket and the server's accepted child; target at most
 * 1 KiB), that every socket is ESTABLISHED, and the top classes of a heap histogram
 * ({@code jcmd <pid> GC.class_histogram}) per connection.
 */
public final class IdleConnectionsScale {
  static final int SERVER_PORTS = 100;
  static final int FIRST_SERVER_PORT = 10_000;
  static final int PER_PORT_PER_ROUND = 400;
  static final int HISTOGRAM_ROWS = 15;

  private IdleConnectionsScale() {}

  public static void main(String[] args) throws Exception {
    int target = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
    boolean histogram = args.length < 2 || !args[1].equals("--no-histogram");
    if (target < 1 || target > SERVER_PORTS * 14_000) {
      throw new IllegalArgumentException("connections must be 1.." + SERVER_PORTS * 14_000
          + ": " + target);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    IdleWorld world = new IdleWorld(0x5eed);
    long baseline = usedAfterGc(memory);

    long wallStart = System.nanoTime();
    long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long gcStart = gcMillis();
    world.open(target, (opened, accepted) -> System.out.printf(Locale.ROOT,
        "%,d connecting, %,d accepted, %.1f s wall%n", opened, accepted,
        (System.nanoTime() - wallStart) / 1e9));
    double openSeconds = (System.nanoTime() - wallStart) / 1e9;
    double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart)
        / 1e9;
    double gcSeconds = (gcMillis() - gcStart) / 1e3;

    long[] states = world.countStates();
    Simulation sim = world.sim;
    long accepted = world.accepted;
    long used = usedAfterGc(memory);
    double perConnection = (double) (used - baseline) / target;
    System.out.printf(Locale.ROOT, "%n[idle-connections] %,d connections between two hosts%n",
        target);
    System.out.printf(Locale.ROOT, "open: %.1f s wall (%.0f connections/s), %s virtual; "
        + "target < 60 s at 1 M: %s%n", openSeconds, target / openSeconds,
        Nanos.format(sim.now()), target < 1_000_000 ? "n/a" : openSeconds < 60 ? "met" : "MISSED");
    System.out.printf(Locale.ROOT, "      of which %.1f s CPU on the main thread and %.1f s in GC"
        + " pauses (the rest: JIT and concurrent GC threads, waiting for a shared CPU)%n",
        cpuSeconds, gcSeconds);
    System.out.printf(Locale.ROOT, "ESTABLISHED: client %,d, server %,d (accepted %,d); "
        + "other states %,d; pending events %,d%n", states[0], states[1], accepted, states[2],
        sim.pendingCount());
    System.out.printf(Locale.ROOT, "retained heap: %,d B over the empty world = %.0f B per "
        + "connection (both ends), %.0f B per socket; target <= 1024 B per connection: %s%n",
        used - baseline, perConnection, perConnection / 2,
        perConnection <= 1024 ? "met" : "MISSED");
    if (states[0] != target || states[1] != target || states[2] != 0) {
      System.out.println("FAILED: not every connection is ESTABLISHED at both ends");
      System.exit(1);
    }
    if (histogram) {
      printHistogram(target);
    }
    // Keep the world reachable until after the measurements.
    System.out.println("(world: " + world.sim.now() + " ns)");
  }

  /** Reports progress after each round: connections opened and accepted so far. */
  interface Progress {
    void round(long opened, long accepted);
  }

  /** The two hosts, the server's listeners, and the rounds of connects and accepts. */
  static final class IdleWorld {
    final Simulation sim;
    final TcpStack client;
    final TcpStack server;
    private final TcpConnection[] listeners = new TcpConnection[SERVER_PORTS];
    private final int serverAddr = Ipv4.parse("10.0.0.2");
    long opened;
    long accepted;

    IdleWorld(long seed) {
      sim = new Simulation(seed);
      Network net = new Network(sim);
      Host a = net.host("client", "10.0.0.1");
      Host b = net.host("server", "10.0.0.2");
      // A queue limit above one round's SYNs; 1 ms each way.
      net.duplex("client", "server", NetemConfig.parse("delay 1ms limit 1000000"));
      client = a.attach(TcpStack::new);
      server = b.attach(TcpStack::new);
      for (int p = 0; p < SERVER_PORTS; p++) {
        listeners[p] = server.socket();
        expectOk(server.bind(listeners[p], FIRST_SERVER_PORT + p), "bind");
        expectOk(server.listen(listeners[p], 4096), "listen");
      }
    }

    /** Opens {@code count} more connections round-robin over the server ports; accepts them. */
    void open(long count, Progress progress) {
      long target = opened + count;
      long nextReport = opened + 100_000;
      while (opened < target) {
        long round = Math.min(target - opened, (long) SERVER_PORTS * PER_PORT_PER_ROUND);
        for (long i = 0; i < round; i++) {
          TcpConnection s = client.socket();
          int port = FIRST_SERVER_PORT + (int) ((opened + i) % SERVER_PORTS);
          expectOk(client.connect(s, serverAddr, port), "connect #" + (opened + i));
        }
        opened += round;
        sim.runFor(Nanos.millis(10)); // SYN, SYN-ACK, ACK: one 2 ms round trip and a half
        for (TcpConnection l : listeners) {
          while (server.accept(l) != null) {
            accepted++;
          }
        }
        if (opened >= nextReport || opened == target) {
          progress.round(opened, accepted);
          nextReport += 100_000;
        }
      }
    }

    /** {client ESTABLISHED, server ESTABLISHED (children), any other non-listening socket}. */
    long[] countStates() {
      long[] out = new long[3];
      for (TcpConnection c : client.sockets()) {
        if (c.state() == TcpState.ESTABLISHED) {
          out[0]++;
        } else {
          out[2]++;
        }
      }
      for (TcpConnection c : server.sockets()) {
        if (c.state() == TcpState.ESTABLISHED) {
          out[1]++;
        } else if (c.state() != TcpState.LISTEN) {
          out[2]++;
        }
      }
      return out;
    }

    private static void expectOk(Errno e, String what) {
      if (e != null) {
        throw new IllegalStateException(what + " failed: " + e);
      }
    }
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // measurement harness, not simulation: let a concurrent cycle settle
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The top classes of {@code jcmd <pid> GC.class_histogram}, in bytes per connection. */
  private static void printHistogram(int connections) throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
        .redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    p.waitFor();
    System.out.printf(Locale.ROOT, "%nheap histogram, top %d classes (jcmd GC.class_histogram):%n",
        HISTOGRAM_ROWS);
    System.out.printf(Locale.ROOT, "%12s %8s %14s  %s%n", "B/conn", "obj/conn", "bytes", "class");
    int shown = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      // "   1:   1000000   176000000  tcpsim.net.tcp.TcpConnection (...)"
      if (f.length < 4 || !f[0].endsWith(":") || !f[1].chars().allMatch(Character::isDigit)) {
        continue;
      }
      long instances = Long.parseLong(f[1]);
      long bytes = Long.parseLong(f[2]);
      System.out.printf(Locale.ROOT, "%12.1f %8.2f %,14d  %s%n", (double) bytes / connections,
          (double) instances / connections, bytes, f[3]);
      if (++shown == HISTOGRAM_ROWS) {
        break;
      }
    }
    if (shown == 0) {
      System.out.println("(jcmd gave no histogram: " + String.join(" / ", lines) + ")");
    }
  }
}
