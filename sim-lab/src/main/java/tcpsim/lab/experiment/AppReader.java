package tcpsim.lab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tcpsim.lab.experiment.WorkloadKind.Param;
import tcpsim.lab.experiment.YamlTree.Entry;
import tcpsim.lab.experiment.YamlTree.Loc;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;
import tcpsim.lab.experiment.YamlTree.ScalarKind;
import tcpsim.lab.experiment.YamlTree.ScalarNode;

/**
 * Checks the {@code apps} section: each application's kind, host and the parameters its kind
 * takes ({@link WorkloadKind}), then across applications that every client names a listening
 * server it can reach and that no two servers share a host and port.
 */
final class AppReader {
  private final Checker c;
  private final ExperimentReader r;

  AppReader(Checker c, ExperimentReader r) {
    this.c = c;
    this.r = r;
  }

  List<App> apps(MapNode root, List<HostSpec> hosts, List<LinkSpec> links, Long duration) {
    List<App> apps = new ArrayList<>();
    Entry e = root.entry("apps");
    if (e == null) {
      return apps;
    }
    MapNode m = c.map(e.value(), "apps", "a map of application names to applications");
    if (m == null) {
      return apps;
    }
    Map<String, Loc> targetLocs = new LinkedHashMap<>();
    for (Entry a : m.entries()) {
      String path = "apps." + a.key();
      if (!Checker.isName(a.key())) {
        c.add(a.keyLoc(), path, "'" + a.key() + "' is not a valid application name; use letters,"
            + " digits, '_' and '-', starting with a letter");
        continue;
      }
      App app = app(a, path, hosts, duration, targetLocs);
      if (app != null) {
        apps.add(app);
      }
    }
    crossCheckApps(apps, m, links, targetLocs);
    return apps;
  }

  private App app(Entry a, String path, List<HostSpec> hosts, Long duration, Map<String, Loc> targetLocs) {
    MapNode m = c.map(a.value(), path, "a map with kind, host and the kind's parameters");
    if (m == null) {
      return null;
    }
    int before = c.count();
    Entry k = c.require(m, "kind", path, a.keyLoc());
    WorkloadKind kind = null;
    if (k != null) {
      String s = c.text(k.value(), path + ".kind", "a workload kind",
          "kinds: " + String.join(", ", WorkloadKind.yamlNames()));
      if (s != null) {
        kind = WorkloadKind.byYamlName(s);
        if (kind == null) {
          c.add(k.value().loc(), path + ".kind", "unknown workload kind '" + s + "'"
              + Checker.suggestion(s, WorkloadKind.yamlNames()) + "; kinds: "
              + String.join(", ", WorkloadKind.yamlNames()));
        }
      }
    }
    if (kind == null) {
      return null; // without a kind, its parameters cannot be checked
    }
    c.onlyKeys(m, path, kind.keys());
    String host = null;
    Entry h = c.require(m, "host", path, a.keyLoc());
    if (h != null) {
      host = c.name(h.value(), path + ".host", "host name");
      if (host != null && !r.knownHost(host, hosts, h.value().loc(), path + ".host")) {
        host = null;
      }
    }
    long start = 0;
    Entry st = m.entry("start");
    if (st != null) {
      Long v = c.time(st.value(), path + ".start", 0, ExperimentReader.MAX_DURATION_NANOS);
      if (v != null && duration != null && v >= duration) {
        c.add(st.value().loc(), path + ".start", "starts at " + Units.formatTime(v)
            + ", not before the end of the run (duration " + Units.formatTime(duration) + ")");
      }
      start = v == null ? 0 : v;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Param p : kind.params()) {
      Entry pe = m.entry(p.name());
      String key = path + "." + p.name();
      if (pe == null) {
        if (p.required()) {
          c.add(a.keyLoc(), key, "missing required key (a " + kind.yamlName() + " needs "
              + requiredParams(kind) + ")");
        } else if (p.defaultText() != null) {
          values.put(p.name(), param(p, defaultNode(p.defaultText()), key));
        }
        continue;
      }
      Object v = param(p, pe.value(), key);
      if (p.type() == WorkloadKind.Type.APP && v != null) {
        targetLocs.put(a.key(), pe.value().loc());
      }
      values.put(p.name(), v);
    }
    if (c.count() != before || host == null) {
      return null;
    }
    return new App(a.key(), host, start, kind.make(new ParamValues(values)));
  }

  /** A default as YAML would type it when written in the file. */
  private static ScalarNode defaultNode(String text) {
    ScalarKind kind = text.equals("true") || text.equals("false") ? ScalarKind.BOOL
        : text.matches("[0-9]+") ? ScalarKind.INT : ScalarKind.STRING;
    return new ScalarNode(Loc.START, kind, text);
  }

  private static String requiredParams(WorkloadKind kind) {
    List<String> names = new ArrayList<>(List.of("host"));
    for (Param p : kind.params()) {
      if (p.required()) {
        names.add(p.name());
      }
    }
    return String.join(", ", names);
  }

  private Object param(Param p, Node n, String key) {
    return switch (p.type()) {
      case TIME -> c.time(n, key, p.min(), p.max());
      case SIZE -> c.size(n, key, p.min(), p.max());
      case SIZES -> sizes(p, n, key);
      case RATE -> c.rate(n, key, p.max());
      case COUNT -> {
        Long v = c.integer(n, key, p.min(), p.max());
        yield v == null ? null : v.intValue();
      }
      case BOOL -> c.bool(n, key);
      case APP -> c.name(n, key, "application name");
    };
  }

  /**
   * A list of sizes ({@code [256KiB, 64KiB]}), one or more, each checked where it is written; a
   * single size stands for a list of one (so a sweep can set it).
   */
  private List<Long> sizes(Param p, Node n, String key) {
    if (n instanceof ScalarNode) {
      Long v = c.size(n, key, p.min(), p.max());
      return v == null ? null : List.of(v);
    }
    YamlTree.ListNode l = c.list(n, key, "a list of sizes, e.g. [256KiB, 64KiB]");
    if (l == null) {
      return null;
    }
    if (l.items().isEmpty() || l.items().size() > Param.MAX_SESSIONS) {
      c.add(n.loc(), key, "holds " + l.items().size() + " sizes; valid: 1 to " + Param.MAX_SESSIONS);
      return null;
    }
    List<Long> sizes = new ArrayList<>();
    boolean bad = false;
    for (int i = 0; i < l.items().size(); i++) {
      Long v = c.size(l.items().get(i), key + "[" + i + "]", p.min(), p.max());
      bad |= v == null;
      sizes.add(v);
    }
    return bad ? null : sizes;
  }

  /** Targets name server applications on reachable hosts; no two servers share a port. */
  private void crossCheckApps(List<App> apps, MapNode m, List<LinkSpec> links, Map<String, Loc> targetLocs) {
    List<String> servers = new ArrayList<>();
    Map<String, String> ports = new LinkedHashMap<>();
    for (App a : apps) {
      if (a.kind().isServer()) {
        servers.add(a.name());
        int port = a.workload().listenPort();
        String other = ports.putIfAbsent(a.host() + ":" + port, a.name());
        if (other != null) {
          c.add(m.entry(a.name()).value() instanceof MapNode am ? am.entry("port").value().loc()
              : m.entry(a.name()).keyLoc(), "apps." + a.name() + ".port", "port " + port + " on "
              + a.host() + " is already taken by '" + other + "' (EADDRINUSE)");
        }
      }
    }
    List<String> allNames = new ArrayList<>();
    for (Entry e : m.entries()) {
      allNames.add(e.key());
    }
    for (App a : apps) {
      Optional<String> target = a.workload().target();
      if (target.isEmpty()) {
        continue;
      }
      String t = target.get();
      Loc loc = targetLocs.get(a.name());
      String key = "apps." + a.name() + ".target";
      Optional<App> server = Optional.empty();
      for (App s : apps) {
        if (s.name().equals(t)) {
          server = Optional.of(s);
        }
      }
      if (server.isEmpty()) {
        if (!allNames.contains(t)) {
          c.add(loc, key, "unknown application '" + t + "'" + Checker.suggestion(t, servers)
              + "; servers: " + (servers.isEmpty() ? "(none)" : String.join(", ", servers)));
        }
        continue; // a target with problems of its own was reported there
      }
      if (!server.get().kind().isServer()) {
        c.add(loc, key, "'" + t + "' is a " + server.get().kind().yamlName()
            + ", which does not listen; servers: " + (servers.isEmpty() ? "(none)" : String.join(", ", servers)));
        continue;
      }
      String from = a.host();
      String to = server.get().host();
      if (!r.linksBroken() && !from.equals(to) && !(carried(links, from, to) && carried(links, to, from))) {
        c.add(loc, key, a.name() + " on " + from + " cannot reach " + t + " on " + to
            + ": no link carries segments both ways between them; add '" + from + " <-> " + to
            + ":' under links");
      }
    }
  }

  private static boolean carried(List<LinkSpec> links, String a, String b) {
    for (LinkSpec l : links) {
      if (l.carries(a, b)) {
        return true;
      }
    }
    return false;
  }

  private record ParamValues(Map<String, Object> values) implements WorkloadKind.Params {
    @Override
    public long time(String name) {
      return (Long) values.get(name);
    }

    @Override
    public long size(String name) {
      return (Long) values.get(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Long> sizes(String name) {
      return (List<Long>) values.get(name);
    }

    @Override
    public Rate rate(String name) {
      return (Rate) values.get(name);
    }

    @Override
    public Optional<Rate> optionalRate(String name) {
      return Optional.ofNullable((Rate) values.get(name));
    }

    @Override
    public int count(String name) {
      return (Integer) values.get(name);
    }

    @Override
    public boolean bool(String name) {
      return (Boolean) values.get(name);
    }

    @Override
    public String app(String name) {
      return (String) values.get(name);
    }
  }
}
