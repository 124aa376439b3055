package tcpsim.lab.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The running C helper inside a namespace, and its line protocol (documented in
 * tcpsim-kernel-helper.c): commands go to its stdin; a reader thread sorts its stdout into
 * packets the kernel sent, replies, and returns of blocked calls. All times are CLOCK_MONOTONIC
 * nanoseconds, the clock {@link System#nanoTime} reads on Linux.
 */
final class KernelHelper implements AutoCloseable {
  /** How long a reply may take before the helper is declared lost (a loaded machine is slow). */
  private static final long REPLY_TIMEOUT_SECONDS = 30;

  /** A packet the kernel put into the tun device, and when. */
  record Packet(long monoNanos, byte[] bytes) {}

  /**
   * A reply: {@code blocked} (the call sleeps in the kernel), or the return value, the errno name
   * (null when none) and any {@code k=v} results; {@code monoNanos} is set for returns of blocked
   * calls and injections.
   */
  record Reply(boolean blocked, long ret, String errno, Map<String, String> values, long monoNanos) {}

  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final BlockingQueue<Reply> completions = new LinkedBlockingQueue<>();
  private final StringBuilder stderr = new StringBuilder();
  private volatile String fatal;
  private final String iface;
  private volatile boolean kernelStamps;

  private KernelHelper(Process process, String iface) {
    this.process = process;
    this.in = process.getOutputStream();
    this.iface = iface;
  }

  /** Starts the helper in {@code ns}, opening tun device {@code iface}; waits for its hello. */
  static KernelHelper start(NetNamespace ns, String iface) {
    String binary = HelperBinary.get().toString();
    Process p;
    try {
      p = new ProcessBuilder(withIp(ns.exec(binary, iface))).start();
    } catch (IOException e) {
      throw new KernelBackendException("cannot start the kernel helper: " + e.getMessage(), e);
    }
    KernelHelper h = new KernelHelper(p, iface);
    BlockingQueue<String> hello = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> h.readLoop(hello), "kernel-helper stdout");
    reader.setDaemon(true);
    reader.start();
    Thread err = new Thread(h::drainStderr, "kernel-helper stderr");
    err.setDaemon(true);
    err.start();
    String first;
    try {
      first = hello.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      first = null;
    }
    if (first == null || !first.startsWith("hello 1 ")) {
      h.close();
      throw new KernelBackendException("the kernel helper did not start: "
          + (h.fatal != null ? h.fatal : first == null ? "no hello" : first) + h.stderrNote());
    }
    h.kernelStamps = first.endsWith(" kernel-stamps");
    return h;
  }

  /**
   * Whether outbound packets carry the kernel's own time stamps (a packet socket on the tun);
   * otherwise they are stamped when the helper reads them, which a busy machine makes late.
   */
  boolean kernelStamps() {
    return kernelStamps;
  }

  private static java.util.List<String> withIp(java.util.List<String> cmd) {
    java.util.List<String> c = new java.util.ArrayList<>(cmd);
    java.nio.file.Path ip = Tools.find("ip");
    if (ip != null) {
      c.set(0, ip.toString());
    }
    return c;
  }

  /** The helper's process id; it runs inside the namespace, so its /proc/PID/net is the namespace's. */
  long pid() {
    return process.pid();
  }

  String iface() {
    return iface;
  }

  private void readLoop(BlockingQueue<String> hello) {
    HexFormat hex = HexFormat.of();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("p ")) {
          int sp = line.indexOf(' ', 2);
          packets.add(new Packet(Long.parseLong(line.substring(2, sp)), hex.parseHex(line, sp + 1,
              line.length())));
        } else if (line.startsWith("r ") || line.equals("b") || line.startsWith("b ")) {
          replies.add(parse(line));
        } else if (line.startsWith("d ")) {
          completions.add(parse(line));
        } else if (line.startsWith("hello ")) {
          hello.add(line);
        } else if (line.startsWith("x ")) {
          fatal = line.substring(2);
          hello.add(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      fatal = "reading the helper failed: " + e;
    }
    if (fatal == null) {
      fatal = "the helper exited";
    }
  }

  private static Reply parse(String line) {
    if (line.equals("b") || line.startsWith("b ")) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String f : line.substring(1).trim().split(" ")) {
        int eq = f.indexOf('=');
        if (eq > 0) {
          values.put(f.substring(0, eq), f.substring(eq + 1));
        }
      }
      return new Reply(true, 0, null, values, 0);
    }
    String[] f = line.split(" ");
    int i = 1;
    long t = 0;
    if (f[0].equals("d")) {
      t = Long.parseLong(f[i++]);
    }
    long ret = Long.parseLong(f[i++]);
    String errno = i < f.length && !f[i].equals("-") ? f[i] : null;
    i++;
    Map<String, String> values = new LinkedHashMap<>();
    for (; i < f.length; i++) {
      int eq = f[i].indexOf('=');
      if (eq > 0) {
        values.put(f[i].substring(0, eq), f[i].substring(eq + 1));
      } else if (f[0].equals("r") && t == 0 && !f[i].isEmpty()) {
        try {
          t = Long.parseLong(f[i]);
        } catch (NumberFormatException ignored) {
          // a word the protocol does not define: keep going
        }
      }
    }
    return new Reply(false, ret, errno, values, t);
  }

  private void drainStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderr) {
          if (stderr.length() < 4000) {
            stderr.append(line).append('\n');
          }
        }
      }
    } catch (IOException e) {
      // the helper is gone; its exit is reported by the stdout reader
    }
  }

  private String stderrNote() {
    synchronized (stderr) {
      return stderr.length() == 0 ? "" : "\n" + stderr.toString().trim();
    }
  }

  /** Sends one command and waits for its reply ("r" or "b"). */
  synchronized Reply command(String line) {
    if (fatal != null) {
      throw new KernelBackendException("kernel helper lost: " + fatal + stderrNote());
    }
    try {
      in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      in.flush();
      Reply r = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (r == null) {
        throw new KernelBackendException("no reply from the kernel helper to `" + abbreviate(line)
            + "`" + (fatal != null ? ": " + fatal : "") + stderrNote());
      }
      return r;
    } catch (IOException e) {
      throw new KernelBackendException("kernel helper lost: " + e.getMessage() + stderrNote(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KernelBackendException("interrupted while waiting for the kernel helper", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  /** The oldest packet the kernel sent, waiting until {@code deadlineMono} at most; or null. */
  Packet takePacket(long deadlineMono) {
    try {
      long wait = deadlineMono - System.nanoTime();
      return wait <= 0 ? packets.poll() : packets.poll(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The return of a blocked call, if one has come. */
  Reply takeCompletion() {
    return completions.poll();
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        // A call still blocked in the kernel keeps it alive: end our own child by its handle.
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
