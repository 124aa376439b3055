package tcpsim.lab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tcpsim.lab.experiment.YamlTree.Entry;
import tcpsim.lab.experiment.YamlTree.ListNode;
import tcpsim.lab.experiment.YamlTree.Loc;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;
import tcpsim.lab.experiment.YamlTree.ScalarKind;
import tcpsim.lab.experiment.YamlTree.ScalarNode;
import tcpsim.net.link.NetemConfig;
import tcpsim.net.tcp.Sysctl;
import tcpsim.net.tcp.TcpSysctls;
import tcpsim.net.wire.Ipv4;

/**
 * Checks a file's tree section by section and builds the {@link Experiment} (everything but the
 * seeds and the sweep, which {@link SweepReader} reads): the top-level keys, hosts, links and
 * metrics here, applications in {@link AppReader}, faults in {@link FaultReader}. It records
 * every problem it finds and goes on; the experiment is built only when there was none.
 */
final class ExperimentReader {
  static final List<String> TOP_KEYS = List.of("name", "description", "seed", "seeds", "duration",
      "msl", "hosts", "links", "apps", "faults", "metrics", "sweep");
  static final List<String> HOST_KEYS = List.of("address", "sysctls", "fd_limit");
  static final List<String> METRIC_KEYS = List.of("socket_states", "errno_counts",
      "bytes_delivered", "retransmissions", "connect_latency", "ports_in_use");
  static final int MAX_FD_LIMIT = 1 << 20;
  static final long MAX_DURATION_NANOS = WorkloadKind.Param.MAX_TIME;

  private static final Pattern LINK_KEY = Pattern.compile("\\s*(\\S+?)\\s*(<->|->)\\s*(\\S+)\\s*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final Checker c;
  /**
   * Names under hosts and keys under links, including those with problems of their own: a
   * reference to one of them is not reported again as unknown (one mistake, one message).
   */
  private final List<String> declaredHosts = new ArrayList<>();
  private final List<LinkEnds> declaredLinks = new ArrayList<>();
  private boolean linksBroken;

  /** True when a link had a problem, so reachability cannot be judged without false alarms. */
  boolean linksBroken() {
    return linksBroken;
  }

  /** True when {@code ends} names a link the file declares, even one with problems of its own. */
  boolean declaredLink(LinkEnds ends) {
    for (LinkEnds d : declaredLinks) {
      if (d.sameLink(ends)) {
        return true;
      }
    }
    return false;
  }

  ExperimentReader(Checker checker) {
    this.c = checker;
  }

  /** A link key split into its ends; null when it does not read as {@code a <-> b} or {@code a -> b}. */
  record LinkEnds(String from, String to, boolean bothWays) {
    static LinkEnds parse(String key) {
      Matcher m = LINK_KEY.matcher(key);
      return m.matches() ? new LinkEnds(m.group(1), m.group(3), m.group(2).equals("<->")) : null;
    }

    boolean sameLink(LinkEnds o) {
      return bothWays == o.bothWays && ((from.equals(o.from) && to.equals(o.to))
          || (bothWays && from.equals(o.to) && to.equals(o.from)));
    }
  }

  /** The experiment in {@code root}, or null when a problem was recorded. */
  Experiment experiment(Node rootNode) {
    int before = c.count();
    if (rootNode == null) {
      c.add(Loc.START, "", "the file holds nothing but blanks and comments; an experiment needs at"
          + " least name, seed, duration and hosts");
      return null;
    }
    MapNode root = c.map(rootNode, "", "a map of experiment keys (" + String.join(", ", TOP_KEYS) + ")");
    if (root == null) {
      return null;
    }
    c.onlyKeys(root, "", TOP_KEYS);
    String name = experimentName(root);
    String description = "";
    Entry d = root.entry("description");
    if (d != null) {
      description = c.text(d.value(), "description", "a text", "");
    }
    Long duration = null;
    Entry de = c.require(root, "duration", "", Loc.START);
    if (de != null) {
      duration = c.time(de.value(), "duration", 1, MAX_DURATION_NANOS);
    }
    Long msl = Experiment.DEFAULT_MSL_NANOS;
    Entry me = root.entry("msl");
    if (me != null) {
      msl = c.time(me.value(), "msl", 1, MAX_DURATION_NANOS);
    }
    List<HostSpec> hosts = hosts(root);
    List<LinkSpec> links = links(root, hosts, msl);
    List<App> apps = new AppReader(c, this).apps(root, hosts, links, duration);
    List<Fault> faults = new FaultReader(c, this).faults(root, hosts, links, duration);
    Metrics metrics = metrics(root, duration);
    if (c.count() != before) {
      return null;
    }
    return new Experiment(name, description, duration, msl, hosts, links, apps, faults, metrics);
  }

  private String experimentName(MapNode root) {
    Entry e = c.require(root, "name", "", Loc.START);
    if (e == null) {
      return null;
    }
    String s = c.text(e.value(), "name", "a name", "");
    if (s != null && !NAME.matcher(s).matches()) {
      c.add(e.value().loc(), "name", "'" + s + "' is not a valid experiment name; it names output"
          + " directories, so use letters, digits, '.', '_' and '-' (at most 100)");
    }
    return s;
  }

  // ---- hosts ----

  private List<HostSpec> hosts(MapNode root) {
    List<HostSpec> hosts = new ArrayList<>();
    Entry e = c.require(root, "hosts", "", Loc.START);
    if (e == null) {
      return hosts;
    }
    MapNode m = c.map(e.value(), "hosts", "a map of host names to hosts");
    if (m == null) {
      return hosts;
    }
    if (m.entries().isEmpty()) {
      c.add(e.keyLoc(), "hosts", "no hosts; an experiment needs at least one");
    }
    Map<Integer, String> byAddress = new LinkedHashMap<>();
    for (Entry h : m.entries()) {
      declaredHosts.add(h.key());
    }
    for (Entry h : m.entries()) {
      String path = "hosts." + h.key();
      if (!Checker.isName(h.key())) {
        c.add(h.keyLoc(), path, "'" + h.key() + "' is not a valid host name; use letters, digits,"
            + " '_' and '-', starting with a letter");
        continue;
      }
      HostSpec host = host(h, path);
      if (host == null) {
        continue;
      }
      String other = byAddress.putIfAbsent(host.address(), host.name());
      if (other != null) {
        c.add(((MapNode) h.value()).entry("address").value().loc(), path + ".address",
            Ipv4.format(host.address()) + " is already the address of host '" + other
                + "'; each host needs its own");
        continue;
      }
      hosts.add(host);
    }
    return hosts;
  }

  private HostSpec host(Entry h, String path) {
    MapNode m = c.map(h.value(), path, "a map with " + String.join(", ", HOST_KEYS));
    if (m == null) {
      return null;
    }
    int before = c.count();
    c.onlyKeys(m, path, HOST_KEYS);
    Integer address = null;
    Entry a = c.require(m, "address", path, h.keyLoc());
    if (a != null) {
      String s = c.text(a.value(), path + ".address", "an IPv4 address", "e.g. 10.0.0.1");
      if (s != null) {
        try {
          address = Ipv4.parse(s.strip());
        } catch (RuntimeException ex) {
          c.add(a.value().loc(), path + ".address", "'" + s + "' is not an IPv4 address; write"
              + " four numbers 0-255 separated by dots (e.g. 10.0.0.1)");
        }
      }
    }
    int fdLimit = HostSpec.DEFAULT_FD_LIMIT;
    Entry f = m.entry("fd_limit");
    if (f != null) {
      Long v = c.integer(f.value(), path + ".fd_limit", 1, MAX_FD_LIMIT);
      fdLimit = v == null ? fdLimit : v.intValue();
    }
    TcpSysctls sysctls = TcpSysctls.defaults();
    Entry s = m.entry("sysctls");
    if (s != null) {
      sysctls = sysctls(s, path + ".sysctls");
    }
    if (c.count() != before || sysctls == null) {
      return null;
    }
    return new HostSpec(h.key(), address, sysctls, fdLimit);
  }

  private TcpSysctls sysctls(Entry e, String path) {
    MapNode m = c.map(e.value(), path, "a map of sysctl names to values (net.ipv4.tcp_fin_timeout: 5)");
    if (m == null) {
      return null;
    }
    TcpSysctls result = TcpSysctls.defaults();
    Map<Sysctl, Loc> seen = new LinkedHashMap<>();
    boolean ok = true;
    for (Entry s : m.entries()) {
      String key = Checker.child(path, s.key());
      Sysctl sysctl = Sysctl.byName(s.key());
      if (sysctl == null) {
        c.add(s.keyLoc(), key, "unknown sysctl" + sysctlSuggestion(s.key())
            + "; valid sysctls: " + String.join(", ", sysctlNames()));
        ok = false;
        continue;
      }
      Loc first = seen.putIfAbsent(sysctl, s.keyLoc());
      if (first != null) {
        c.add(s.keyLoc(), key, sysctl.fullName() + " is already set at line " + first.line());
        ok = false;
        continue;
      }
      String value = sysctlValue(s.value(), key, sysctl);
      if (value == null) {
        ok = false;
        continue;
      }
      try {
        result = result.with(sysctl.fullName(), value);
      } catch (IllegalArgumentException ex) {
        String msg = ex.getMessage();
        for (String prefix : new String[] {sysctl.fullName() + ": ", sysctl.fullName() + " "}) {
          if (msg.startsWith(prefix)) {
            msg = msg.substring(prefix.length());
            break;
          }
        }
        c.add(s.value().loc(), key, msg);
        ok = false;
      }
    }
    return ok ? result : null;
  }

  /** A sysctl's value as sysctl(8) would read it: a number, a name, or numbers (a list or "a b"). */
  private String sysctlValue(Node n, String key, Sysctl sysctl) {
    String expected = sysctl.isText() ? "a name" : sysctl.arity() == 1 ? "a whole number"
        : sysctl.arity() + " whole numbers (a list, or separated by blanks)";
    if (n instanceof ListNode l && !sysctl.isText()) {
      StringBuilder b = new StringBuilder();
      for (Node item : l.items()) {
        if (!(item instanceof ScalarNode s && s.kind() == ScalarKind.INT && Checker.isPlainDecimal(s.text()))) {
          c.add(item.loc(), key, "expected a whole number, got " + item.describe());
          return null;
        }
        b.append(b.length() == 0 ? "" : " ").append(s.text());
      }
      return b.toString();
    }
    if (n instanceof ScalarNode s && s.kind() == ScalarKind.INT && !Checker.isPlainDecimal(s.text())) {
      c.add(n.loc(), key, "write whole numbers in plain decimal, got " + s.text());
      return null;
    }
    if (n instanceof ScalarNode s && (s.kind() == ScalarKind.INT
        || (s.kind() == ScalarKind.STRING && (sysctl.isText() || sysctl.arity() > 1)))) {
      return s.text();
    }
    c.add(n.loc(), key, "expected " + expected + ", got " + n.describe());
    return null;
  }

  /** The nearest sysctl's full name, comparing short names when {@code name} has no dots. */
  static String sysctlSuggestion(String name) {
    if (name.contains(".")) {
      return Checker.suggestion(name, sysctlNames());
    }
    List<String> shortNames = new ArrayList<>();
    for (Sysctl s : Sysctl.values()) {
      shortNames.add(s.shortName());
    }
    String near = Checker.suggestion(name, shortNames);
    for (Sysctl s : Sysctl.values()) {
      if (near.equals(" (did you mean '" + s.shortName() + "'?)")) {
        return " (did you mean '" + s.fullName() + "'?)";
      }
    }
    return near;
  }

  static List<String> sysctlNames() {
    List<String> names = new ArrayList<>();
    for (Sysctl s : Sysctl.values()) {
      names.add(s.fullName());
    }
    return names;
  }

  private static List<String> hostNames(List<HostSpec> hosts) {
    List<String> names = new ArrayList<>();
    for (HostSpec h : hosts) {
      names.add(h.name());
    }
    return names;
  }

  /** Records a problem unless {@code name} is a host (or one declared with problems of its own). */
  boolean knownHost(String name, List<HostSpec> hosts, Loc loc, String key) {
    List<String> names = hostNames(hosts);
    if (names.contains(name)) {
      return true;
    }
    if (declaredHosts.contains(name)) {
      return false; // its own problem is reported where it is declared
    }
    names = declaredHosts;
    c.add(loc, key, "unknown host '" + name + "'" + Checker.suggestion(name, names) + "; hosts: "
        + (names.isEmpty() ? "(none)" : String.join(", ", names)));
    return false;
  }

  // ---- links ----

  private List<LinkSpec> links(MapNode root, List<HostSpec> hosts, Long msl) {
    List<LinkSpec> links = new ArrayList<>();
    Entry e = root.entry("links");
    if (e == null) {
      return links;
    }
    MapNode m = c.map(e.value(), "links", "a map of links ('client <-> server: delay 50ms')");
    if (m == null) {
      return links;
    }
    int before = c.count();
    for (Entry l : m.entries()) {
      LinkEnds parsed = LinkEnds.parse(l.key());
      if (parsed != null) {
        declaredLinks.add(parsed);
      }
    }
    for (Entry l : m.entries()) {
      String path = "links." + l.key();
      LinkEnds ends = LinkEnds.parse(l.key());
      if (ends == null) {
        c.add(l.keyLoc(), path, "not a link; write 'HOST <-> HOST' (both ways) or 'HOST -> HOST'"
            + " (one way)");
        continue;
      }
      boolean known = knownHost(ends.from(), hosts, l.keyLoc(), path)
          & knownHost(ends.to(), hosts, l.keyLoc(), path);
      if (known && ends.from().equals(ends.to())) {
        c.add(l.keyLoc(), path, "a link joins two different hosts");
        continue;
      }
      LinkSpec.LateDuplicates late = lateDuplicates(l.value(), path, msl);
      NetemConfig netem = netem(l.value(), path);
      if (!known || netem == null || late == null) {
        continue;
      }
      LinkSpec link = new LinkSpec(ends.from(), ends.to(), ends.bothWays(), netem, late);
      String clash = clash(link, links);
      if (clash != null) {
        c.add(l.keyLoc(), path, "segments from " + clash + " are already carried by another link;"
            + " each direction has one link");
        continue;
      }
      if (msl != null && netem.delayNanos() + netem.jitterNanos() > msl) {
        c.add(l.value().loc(), path, "delay + jitter " + Units.formatTime(netem.delayNanos()
            + netem.jitterNanos()) + " exceeds msl " + Units.formatTime(msl)
            + "; no segment may outlive the maximum segment lifetime (raise msl or lower the delay)");
        continue;
      }
      links.add(link);
    }
    linksBroken = c.count() != before || links.size() != m.entries().size();
    return links;
  }

  private static String clash(LinkSpec link, List<LinkSpec> links) {
    for (LinkSpec other : links) {
      if (other.carries(link.from(), link.to())) {
        return link.from() + " to " + link.to();
      }
      if (link.bothWays() && other.carries(link.to(), link.from())) {
        return link.to() + " to " + link.from();
      }
    }
    return null;
  }

  /**
   * The tcpsim clause at the end of a link's options, if any: {@code late-duplicate P% TIME} or
   * {@code late-duplicate every N TIME}.
   */
  private LinkSpec.LateDuplicates lateDuplicates(Node n, String path, Long msl) {
    if (!(n instanceof ScalarNode s) || s.kind() == ScalarKind.NULL) {
      return LinkSpec.LateDuplicates.NONE;
    }
    String[] t = s.text().trim().split("\\s+");
    int at = java.util.Arrays.asList(t).indexOf(LATE_DUPLICATE);
    if (at < 0) {
      return LinkSpec.LateDuplicates.NONE;
    }
    boolean every = at + 1 < t.length && t[at + 1].equals("every");
    if (at != t.length - (every ? 4 : 3)) {
      c.add(n.loc(), path, "write '" + LATE_DUPLICATE + " P% TIME' or '" + LATE_DUPLICATE
          + " every N TIME' last, after the netem options (e.g. 'delay 10ms " + LATE_DUPLICATE
          + " 1% 20s')");
      return null;
    }
    try {
      int ppm = 0;
      int nth = 0;
      if (every) {
        nth = everyNth(t[at + 2]);
      } else {
        ppm = Units.parsePercentPpm(t[at + 1]);
      }
      long hold = Units.parseTime(t[t.length - 1]);
      if (msl != null && hold > msl) {
        c.add(n.loc(), path, LATE_DUPLICATE + " hold " + Units.formatTime(hold) + " exceeds msl "
            + Units.formatTime(msl) + "; no segment may outlive the maximum segment lifetime");
        return null;
      }
      return new LinkSpec.LateDuplicates(ppm, nth, hold);
    } catch (Units.BadValue e) {
      c.add(n.loc(), path, LATE_DUPLICATE + ": " + e.getMessage());
      return null;
    }
  }

  /** The N of {@code late-duplicate every N TIME}: 1 (every segment) to {@value #MAX_EVERY_NTH}. */
  private static int everyNth(String word) throws Units.BadValue {
    if (!word.matches("[0-9]{1,7}") || Integer.parseInt(word) < 1 || Integer.parseInt(word) > MAX_EVERY_NTH) {
      throw new Units.BadValue("every '" + word + "': write a whole number of segments from 1 to "
          + MAX_EVERY_NTH + " (every 2: the 2nd, 4th, 6th ... segment)");
    }
    return Integer.parseInt(word);
  }

  private static final int MAX_EVERY_NTH = 1_000_000;

  private static final String LATE_DUPLICATE = "late-duplicate";

  private NetemConfig netem(Node n, String path) {
    if (n instanceof ScalarNode s && s.kind() == ScalarKind.NULL) {
      return NetemConfig.NONE;
    }
    String text = c.text(n, path, "netem options (e.g. 'delay 50ms 10ms loss 1%') or nothing",
        "options: delay, loss, duplicate, reorder, gap, corrupt, rate, limit; tcpsim adds"
            + " 'late-duplicate P% TIME' or 'late-duplicate every N TIME' at the end");
    if (text == null) {
      return null;
    }
    int late = text.indexOf(LATE_DUPLICATE);
    if (late >= 0) {
      text = text.substring(0, late); // read by lateDuplicates
    }
    try {
      return NetemConfig.parse(text);
    } catch (IllegalArgumentException ex) {
      String msg = ex.getMessage().startsWith("netem: ") ? ex.getMessage().substring(7) : ex.getMessage();
      c.add(n.loc(), path, msg);
      return null;
    }
  }

  // ---- metrics ----

  private Metrics metrics(MapNode root, Long duration) {
    Entry e = root.entry("metrics");
    if (e == null) {
      return Metrics.ALL;
    }
    MapNode m = c.map(e.value(), "metrics", "a map of metrics (" + String.join(", ", METRIC_KEYS) + ")");
    if (m == null) {
      return null;
    }
    c.onlyKeys(m, "metrics", METRIC_KEYS);
    long states = sampled(m, "socket_states", duration);
    long ports = sampled(m, "ports_in_use", duration);
    List<Integer> percentiles = List.of();
    Entry cl = m.entry("connect_latency");
    if (cl != null) {
      percentiles = percentiles(cl);
    }
    return new Metrics(states, flag(m, "errno_counts"), flag(m, "bytes_delivered"),
        flag(m, "retransmissions"), percentiles, ports);
  }

  private boolean flag(MapNode m, String key) {
    Entry e = m.entry(key);
    if (e == null) {
      return false;
    }
    Boolean b = c.bool(e.value(), "metrics." + key);
    return b != null && b;
  }

  /** {@code true} (default interval), {@code false}, or {@code {every: TIME}}; 0 means off. */
  private long sampled(MapNode m, String key, Long duration) {
    Entry e = m.entry(key);
    String path = "metrics." + key;
    if (e == null) {
      return 0;
    }
    if (e.value() instanceof ScalarNode s && s.kind() == ScalarKind.BOOL) {
      return s.text().equals("true") ? Metrics.DEFAULT_EVERY_NANOS : 0;
    }
    if (!(e.value() instanceof MapNode o)) {
      c.add(e.value().loc(), path, "expected true, false or a map with 'every', got "
          + e.value().describe());
      return 0;
    }
    c.onlyKeys(o, path, List.of("every"));
    Entry ev = o.entry("every");
    if (ev == null) {
      return Metrics.DEFAULT_EVERY_NANOS;
    }
    Long every = c.time(ev.value(), path + ".every", 1_000L, MAX_DURATION_NANOS);
    if (every != null && duration != null && every > duration) {
      c.add(ev.value().loc(), path + ".every", "a sample every " + Units.formatTime(every)
          + " is longer than the run (duration " + Units.formatTime(duration) + ")");
    }
    return every == null ? 0 : every;
  }

  private List<Integer> percentiles(Entry e) {
    String path = "metrics.connect_latency";
    if (e.value() instanceof ScalarNode s && s.kind() == ScalarKind.BOOL) {
      return s.text().equals("true") ? Metrics.DEFAULT_PERCENTILES_PPM : List.of();
    }
    if (!(e.value() instanceof MapNode o)) {
      c.add(e.value().loc(), path, "expected true, false or a map with 'percentiles', got "
          + e.value().describe());
      return List.of();
    }
    c.onlyKeys(o, path, List.of("percentiles"));
    Entry p = o.entry("percentiles");
    if (p == null) {
      return Metrics.DEFAULT_PERCENTILES_PPM;
    }
    ListNode l = c.list(p.value(), path + ".percentiles", "a list of percentiles (e.g. [50, 99, 99.9])");
    if (l == null) {
      return List.of();
    }
    List<Integer> ppm = new ArrayList<>();
    for (Node n : l.items()) {
      String t = c.text(n, path + ".percentiles", "a percentile", "write a number above 0 and at most 100");
      if (t == null) {
        continue;
      }
      try {
        int v = Units.parsePercentPpm(t);
        if (ppm.contains(v)) {
          c.add(n.loc(), path + ".percentiles", t + " is listed twice");
        } else {
          ppm.add(v);
        }
      } catch (Units.BadValue ex) {
        c.add(n.loc(), path + ".percentiles", ex.getMessage());
      }
    }
    if (l.items().isEmpty()) {
      c.add(l.loc(), path + ".percentiles", "no percentiles; list at least one or write"
          + " 'connect_latency: false'");
    }
    ppm.sort(null);
    return ppm;
  }
}
