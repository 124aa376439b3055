package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.wire.Ipv4;

/**
 * The real {@code ss} in a network namespace of our own, on loopback only: sockets are staged in
 * LISTEN, ESTAB (with unread data and a keepalive timer; with data to a peer whose packets an
 * iptables DROP rule discards, a retransmission timer counting its retransmissions; with data for
 * a peer whose window is closed, a persist timer), CLOSE-WAIT, FIN-WAIT-2 and TIME-WAIT
 * (timewait timers) and SYN-SENT (a retransmission timer, its SYN dropped by a full accept queue).
 * Read back into {@link SocketRow}s, {@link SsTable} must print ss's exact bytes for
 * {@code -tano} and {@code -tanoi}, and its state filters must keep the sockets ss keeps.
 * Skipped without root, {@code ip}, {@code ss} or {@code python3} (which stages the sockets).
 */
class SsAgreementTest {
  private static final String SCENARIO = """
      import socket, subprocess, sys, time
      def ss(args):
          return subprocess.run(["ss"] + args, capture_output=True, text=True).stdout
      l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      l.bind(("127.0.0.1", 5555)); l.listen(8)
      c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
      c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 600)
      c.connect(("127.0.0.1", 5555)); s, _ = l.accept()
      c.send(b"x" * 100)
      c2 = socket.socket(); c2.connect(("127.0.0.1", 5555)); s2, _ = l.accept(); s2.close()
      c3 = socket.socket(); c3.connect(("127.0.0.1", 5555)); s3, _ = l.accept()
      c3.close(); time.sleep(0.05); s3.close()
      f = socket.socket(); f.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      f.bind(("0.0.0.0", 6000)); f.listen(0)
      extra = []
      for i in range(3):
          x = socket.socket(); x.setblocking(False)
          try: x.connect(("127.0.0.1", 6000))
          except BlockingIOError: pass
          extra.append(x)
      # Unacknowledged data to a peer that hears nothing (an iptables DROP in this namespace):
      # the retransmission timer, "on", with its count of retransmissions.
      r = socket.socket(); r.connect(("127.0.0.1", 5555)); rs, _ = l.accept()
      subprocess.run(["iptables", "-A", "INPUT", "-p", "tcp", "--sport",
                      str(r.getsockname()[1]), "-j", "DROP"], check=True)
      r.send(b"y" * 100)
      # A peer that never reads behind a small receive buffer: its window closes and the sender
      # probes it, "persist".
      z = socket.socket(); z.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      z.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
      z.bind(("127.0.0.1", 5556)); z.listen(1)
      p = socket.socket(); p.connect(("127.0.0.1", 5556)); ps, _ = z.accept()
      p.setblocking(False)
      try:
          while True: p.send(b"z" * 65536)
      except BlockingIOError: pass
      # Long enough for a loss probe and an RTO (a retransmission counted) and a window probe.
      time.sleep(0.6)
      for args in sys.argv[1:]:
          sys.stdout.write("=== " + args + "\\n" + ss(args.split()))
      """;

  private static final AtomicInteger RUNS = new AtomicInteger();

  private static final List<String> FILTERS = List.of("bucket", "connected", "synchronized", "big",
      "established", "time-wait", "listening", "fin-wait-2", "close-wait", "syn-sent");

  private static final Pattern LINE = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+"
      + "([0-9.]+):(\\S+)\\s+([0-9.]+):(\\S+)(?:\\s+timer:\\((\\w+),([^,]*),(\\d+)\\))?\\s*$");
  private static final Pattern MS = Pattern.compile(
      "^(?:(\\d+)min)?(?:(\\d+)(?:sec|\\.))?(?:(\\d{3})ms)?$");
  private static final Pattern ENDPOINT = Pattern.compile("([0-9.]+:(?:\\d+|\\*))");

  @Test
  void ssPrintsWhatTheTableRenders(@TempDir Path dir) throws Exception {
    Map<String, String> out = runScenario(dir);

    String tano = out.get("-tano");
    for (String shape : List.of("timer:(on,", "timer:(keepalive,", "timer:(persist,",
        "timer:(timewait,")) {
      assertTrue(tano.contains(shape), "the staged sockets show " + shape + "\n" + tano);
    }
    assertEquals(tano, SsTable.render(parse(tano, false), true, false));
    String tanoi = out.get("-tanoi");
    assertEquals(tanoi, SsTable.render(parse(tanoi, true), true, true));
  }

  @Test
  void ssStateFiltersKeepTheSocketsTheTableSelects(@TempDir Path dir) throws Exception {
    Map<String, String> out = runScenario(dir);
    List<SocketRow> all = parse(out.get("-tan"), false);

    assertEquals(endpoints(out.get("-tn")), endpoints(SsTable.selectDefault(all)), "default");
    for (String f : FILTERS) {
      assertEquals(endpoints(out.get("-tan state " + f)), endpoints(SsTable.select(all, f)), f);
    }
  }

  private static Map<String, String> runScenario(Path dir) throws Exception {
    Optional<Path> ip = ExternalTool.find("ip");
    Optional<Path> python = ExternalTool.find("python3");
    assumeTrue(ip.isPresent() && python.isPresent() && ExternalTool.find("ss").isPresent()
        && ExternalTool.find("iptables").isPresent(),
        "skipped: ip, ss, iptables or python3 not installed");
    String ns = "tcpsim-ss-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    ExternalTool.Result add = ExternalTool.run(List.of(ip.get().toString(), "netns", "add", ns));
    assumeTrue(add.exitCode() == 0, "skipped: cannot create a network namespace (needs root): "
        + add.stderr());
    try {
      ExternalTool.Result up = ExternalTool.run(List.of(ip.get().toString(), "-n", ns, "link",
          "set", "lo", "up"));
      assertEquals(0, up.exitCode(), up.stderr());
      Path script = Files.writeString(dir.resolve("scenario.py"), SCENARIO);
      List<String> cmd = new ArrayList<>(List.of(ip.get().toString(), "netns", "exec", ns,
          python.get().toString(), script.toString(), "-tano", "-tanoi", "-tan", "-tn"));
      for (String f : FILTERS) {
        cmd.add("-tan state " + f);
      }
      ExternalTool.Result r = ExternalTool.run(cmd);
      assertEquals(0, r.exitCode(), r.stderr());
      Map<String, String> sections = new LinkedHashMap<>();
      String key = null;
      StringBuilder b = new StringBuilder();
      for (String line : r.stdout().split("\n", -1)) {
        if (line.startsWith("=== ")) {
          if (key != null) {
            sections.put(key, b.toString());
          }
          key = line.substring(4);
          b.setLength(0);
        } else if (key != null) {
          b.append(line).append('\n');
        }
      }
      sections.put(key, b.substring(0, Math.max(0, b.length() - 1))); // the final split remainder
      return sections;
    } finally {
      ExternalTool.run(List.of(ip.get().toString(), "netns", "del", ns));
    }
  }

  /** ss's lines read back into rows: the independent side of the comparison. */
  private static List<SocketRow> parse(String ssOutput, boolean withInfo) {
    List<SocketRow> rows = new ArrayList<>();
    String[] lines = ssOutput.split("\n");
    for (int i = 1; i < lines.length; i++) {
      Matcher m = LINE.matcher(lines[i]);
      if (!m.matches()) {
        throw new AssertionError("unexpected ss line: '" + lines[i] + "'");
      }
      SocketRow row = SocketRow.of(stateNamed(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Ipv4.parse(m.group(4)), port(m.group(5)),
          Ipv4.parse(m.group(6)), port(m.group(7)));
      if (m.group(8) != null) {
        row = row.withTimer(timerNamed(m.group(8)), millis(m.group(9)) * 1_000_000L,
            Integer.parseInt(m.group(10)));
      }
      if (withInfo) {
        String info = lines[++i];
        assertEquals('\t', info.charAt(0), info);
        row = row.withInfo(info.substring(1).stripTrailing());
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> endpoints(String ssOutput) {
    List<String> out = new ArrayList<>();
    String[] lines = ssOutput.split("\n");
    for (int i = 1; i < lines.length; i++) {
      Matcher m = ENDPOINT.matcher(lines[i]);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        b.append(m.group(1)).append(' ');
      }
      out.add(b.toString().trim());
    }
    return out;
  }

  private static List<String> endpoints(List<SocketRow> rows) {
    List<String> out = new ArrayList<>();
    for (SocketRow r : rows) {
      out.add(Ipv4.format(r.localAddr()) + ":" + (r.localPort() == 0 ? "*" : r.localPort()) + " "
          + Ipv4.format(r.peerAddr()) + ":" + (r.peerPort() == 0 ? "*" : r.peerPort()));
    }
    return out;
  }

  private static SsState stateNamed(String name) {
    for (SsState s : SsState.values()) {
      if (s.ssName().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("unknown ss state " + name);
  }

  private static SsTimer timerNamed(String name) {
    for (SsTimer t : SsTimer.values()) {
      if (t.ssName().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("unknown ss timer " + name);
  }

  private static int port(String p) {
    return p.equals("*") ? 0 : Integer.parseInt(p);
  }

  private static long millis(String text) {
    Matcher m = MS.matcher(text);
    if (!m.matches()) {
      throw new AssertionError("unexpected ss timer text " + text);
    }
    long ms = 0;
    if (m.group(1) != null) {
      ms += Long.parseLong(m.group(1)) * 60_000;
    }
    if (m.group(2) != null) {
      ms += Long.parseLong(m.group(2)) * 1000;
    }
    if (m.group(3) != null) {
      ms += Long.parseLong(m.group(3));
    }
    return ms;
  }
}
