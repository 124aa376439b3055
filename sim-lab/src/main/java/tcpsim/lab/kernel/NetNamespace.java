package tcpsim.lab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace this process made ({@code ip netns add tcpsim-k-PID-N}) and deletes on
 * {@link #close}, or at JVM exit if the caller never closed it. A namespace left behind by a
 * killed run (its PID gone) is deleted by the next run; others' namespaces are never touched.
 */
final class NetNamespace implements AutoCloseable {
  static final String PREFIX = "tcpsim-k-";
  private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-\\d+\\b");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final Thread exitHook;
  private boolean closed;

  private NetNamespace(String name) {
    this.name = name;
    this.exitHook = new Thread(() -> Tools.run("ip", "netns", "delete", name), "delete " + name);
  }

  /** Creates a fresh namespace; throws {@link KernelBackendException} saying why it could not. */
  static NetNamespace create() {
    reapStale();
    String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Tools.Output o = Tools.run("ip", "netns", "add", name);
    if (!o.ok()) {
      throw new KernelBackendException("ip netns add " + name + " failed: " + o.out().trim());
    }
    NetNamespace ns = new NetNamespace(name);
    Runtime.getRuntime().addShutdownHook(ns.exitHook);
    return ns;
  }

  String name() {
    return name;
  }

  /** {@code ip netns exec NAME command...}. */
  List<String> exec(String... command) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
    c.addAll(List.of(command));
    return c;
  }

  /**
   * Runs several {@code ip} commands in the namespace through one process ({@code ip -n NAME
   * -batch -}): each fork from a large JVM costs tens of milliseconds on a busy machine. Throws
   * naming the batch when one fails.
   */
  void ipBatch(List<String> commands) {
    List<String> c = List.of("ip", "-n", name, "-batch", "-");
    Tools.Output o = Tools.run(c, String.join("\n", commands) + "\n");
    if (!o.ok()) {
      throw new KernelBackendException(String.join(" ", c) + " (" + String.join("; ", commands)
          + ") failed: " + o.out().trim());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Tools.run("ip", "netns", "delete", name);
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; deleting twice is harmless.
    }
  }

  /** Deletes namespaces of ours whose process has died (a run killed before its cleanup). */
  private static void reapStale() {
    Tools.Output o = Tools.run("ip", "netns", "list");
    if (!o.ok()) {
      return;
    }
    for (String line : o.out().split("\n")) {
      Matcher m = OURS.matcher(line.trim());
      if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        Tools.run("ip", "netns", "delete", line.trim().split("\\s+")[0]);
      }
    }
  }
}
