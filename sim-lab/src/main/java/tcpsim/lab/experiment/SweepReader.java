package tcpsim.lab.experiment;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tcpsim.lab.experiment.ExperimentReader.LinkEnds;
import tcpsim.lab.experiment.YamlTree.Entry;
import tcpsim.lab.experiment.YamlTree.ListNode;
import tcpsim.lab.experiment.YamlTree.Loc;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;
import tcpsim.lab.experiment.YamlTree.ScalarKind;
import tcpsim.lab.experiment.YamlTree.ScalarNode;
import tcpsim.net.tcp.Sysctl;

/**
 * Reads the seeds and the sweep, and expands them into the grid. Each grid point is the file's
 * tree with the swept values put in place, checked again in full, so a swept value is held to
 * exactly the rules it would meet written in place, and a bad one is reported where the sweep
 * lists it.
 *
 * <p>Sweepable paths: {@code duration}, {@code msl}, {@code hosts.HOST.fd_limit},
 * {@code hosts.HOST.sysctls.SYSCTL} (any sysctl name, set in the file or not),
 * {@code links.LINK} (the link's key as written, e.g. {@code links.client <-> server}),
 * {@code apps.APP.PARAM} (a parameter of the application's kind, or {@code start}).
 */
final class SweepReader {
  /** The most points a sweep may expand to. */
  static final int MAX_POINTS = 10_000;
  static final String SWEEPABLE = "duration, msl, hosts.HOST.fd_limit, hosts.HOST.sysctls.SYSCTL,"
      + " links.LINK, apps.APP.PARAM";

  private final Checker c;

  SweepReader(Checker c) {
    this.c = c;
  }

  /** Where a sweep path points: the keys to walk from the root; a sysctl is one key. */
  record Target(String path, List<String> walk, boolean sysctl) {
    /** Labels for ids, longest last: "rate", "churn.rate", "apps.churn.rate". */
    String label(int parts) {
      List<String> shown = new ArrayList<>(walk);
      String last = shown.remove(shown.size() - 1);
      if (sysctl) {
        last = last.substring(last.lastIndexOf('.') + 1);
      } else if (walk.get(0).equals("links")) {
        last = last.replace(" <-> ", "-").replace(" -> ", "-to-");
      }
      shown.add(idValue(last));
      int from = Math.max(0, shown.size() - parts);
      return String.join(".", shown.subList(from, shown.size()));
    }
  }

  /** One axis as read: its target and its value nodes (with their locations). */
  record Axis(Target target, List<Node> values) {}

  // ---- seeds ----

  List<Long> seeds(MapNode root) {
    Entry one = root.entry("seed");
    Entry many = root.entry("seeds");
    if (one != null && many != null) {
      c.add(many.keyLoc(), "seeds", "write either 'seed' or 'seeds', not both");
      return List.of();
    }
    if (one == null && many == null) {
      c.add(Loc.START, "seed", "missing required key (or 'seeds: [1, 2, 3]' to run several)");
      return List.of();
    }
    if (one != null) {
      Long s = seed(one.value(), "seed");
      return s == null ? List.of() : List.of(s);
    }
    ListNode l = c.list(many.value(), "seeds", "a list of seeds (e.g. [1, 2, 3])");
    if (l == null) {
      return List.of();
    }
    if (l.items().isEmpty()) {
      c.add(l.loc(), "seeds", "no seeds; list at least one");
    }
    List<Long> seeds = new ArrayList<>();
    for (Node n : l.items()) {
      Long s = seed(n, "seeds");
      if (s != null && seeds.contains(s)) {
        c.add(n.loc(), "seeds", "seed " + s + " is listed twice");
      } else if (s != null) {
        seeds.add(s);
      }
    }
    return seeds;
  }

  /** A seed: a whole number, decimal or 0x hex, 0 to 2^64-1 (printed as unsigned). */
  private Long seed(Node n, String key) {
    if (n instanceof ScalarNode s && (s.kind() == ScalarKind.INT || s.kind() == ScalarKind.STRING)) {
      String t = s.text().strip();
      try {
        BigInteger v = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16)
            : new BigInteger(t);
        if (v.signum() >= 0 && v.bitLength() <= 64) {
          return v.longValue();
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    c.add(n.loc(), key, "expected a seed, got " + n.describe()
        + "; valid: a whole number 0 to 2^64-1, decimal or 0x hex (e.g. 42, 0x5eed)");
    return null;
  }

  // ---- axes ----

  /** The sweep's axes checked against the base experiment, or null after recording a problem. */
  List<Axis> axes(MapNode root, Experiment base, List<Long> seeds) {
    Entry e = root.entry("sweep");
    if (e == null) {
      return List.of();
    }
    ListNode l = c.list(e.value(), "sweep", "a list of axes ('- path: apps.churn.rate' with"
        + " 'values: [100/s, 500/s]')");
    if (l == null) {
      return null;
    }
    int before = c.count();
    List<Axis> axes = new ArrayList<>();
    Set<String> targets = new LinkedHashSet<>();
    BigInteger points = BigInteger.valueOf(Math.max(1, seeds.size()));
    for (int i = 0; i < l.items().size(); i++) {
      String path = "sweep[" + i + "]";
      Node item = l.items().get(i);
      MapNode m = c.map(item, path, "a map with 'path' and 'values'");
      if (m == null) {
        continue;
      }
      c.onlyKeys(m, path, List.of("path", "values"));
      Entry p = c.require(m, "path", path, item.loc());
      Entry v = c.require(m, "values", path, item.loc());
      Target target = null;
      if (p != null) {
        String text = c.text(p.value(), path + ".path", "a parameter path", "sweepable: " + SWEEPABLE);
        target = text == null ? null : target(text, base, p.value().loc(), path + ".path");
        if (target != null && !targets.add(target.walk().toString())) {
          c.add(p.value().loc(), path + ".path", "'" + text + "' is already swept by an earlier axis");
          target = null;
        }
      }
      List<Node> values = v == null ? null : values(v.value(), path + ".values");
      if (target != null && values != null) {
        axes.add(new Axis(target, values));
        points = points.multiply(BigInteger.valueOf(values.size()));
      }
    }
    if (points.compareTo(BigInteger.valueOf(MAX_POINTS)) > 0) {
      c.add(e.keyLoc(), "sweep", "the grid has " + points + " points (values multiplied across"
          + " axes and seeds); at most " + MAX_POINTS + " are allowed");
    }
    return c.count() == before ? axes : null;
  }

  private List<Node> values(Node n, String key) {
    ListNode l = c.list(n, key, "a list of values (e.g. [0, 1])");
    if (l == null) {
      return null;
    }
    if (l.items().isEmpty()) {
      c.add(l.loc(), key, "no values; an axis needs at least one");
      return null;
    }
    List<Node> values = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    boolean ok = true;
    for (Node item : l.items()) {
      if (!(item instanceof ScalarNode s) || s.kind() == ScalarKind.NULL || s.kind() == ScalarKind.OTHER) {
        c.add(item.loc(), key, "expected a plain value (a number, a time, a word), got " + item.describe());
        ok = false;
      } else if (!seen.add(s.text())) {
        c.add(item.loc(), key, "'" + s.text() + "' is listed twice");
        ok = false;
      } else {
        values.add(item);
      }
    }
    return ok ? values : null;
  }

  /** Resolves a path against the base experiment, or records why it names nothing sweepable. */
  private Target target(String path, Experiment base, Loc loc, String key) {
    String[] parts = path.strip().split("\\.", -1);
    String why;
    switch (parts[0]) {
      case "duration", "msl" -> {
        if (parts.length == 1) {
          return new Target(path, List.of(parts[0]), false);
        }
        why = "'" + parts[0] + "' has no parts";
      }
      case "hosts" -> {
        if (parts.length < 3) {
          why = "name a host and its setting: hosts.HOST.fd_limit or hosts.HOST.sysctls.SYSCTL";
        } else if (base.host(parts[1]).isEmpty()) {
          why = "no host '" + parts[1] + "'" + Checker.suggestion(parts[1], hostNames(base))
              + " (hosts: " + String.join(", ", hostNames(base)) + ")";
        } else if (parts[2].equals("fd_limit") && parts.length == 3) {
          return new Target(path, List.of("hosts", parts[1], "fd_limit"), false);
        } else if (parts[2].equals("sysctls") && parts.length > 3) {
          String name = String.join(".", java.util.Arrays.copyOfRange(parts, 3, parts.length));
          Sysctl s = Sysctl.byName(name);
          if (s != null) {
            return new Target(path, List.of("hosts", parts[1], "sysctls", s.fullName()), true);
          }
          why = "no sysctl '" + name + "'" + ExperimentReader.sysctlSuggestion(name);
        } else {
          why = "a host sweeps fd_limit or sysctls.SYSCTL" + Checker.suggestion(parts[2],
              List.of("fd_limit", "sysctls"));
        }
      }
      case "links" -> {
        String link = path.strip().substring("links".length()).replaceFirst("^\\.", "");
        LinkEnds ends = LinkEnds.parse(link);
        for (LinkSpec l : base.links()) {
          if (ends != null && ends.sameLink(new LinkEnds(l.from(), l.to(), l.bothWays()))) {
            return new Target(path, List.of("links", l.key()), false);
          }
        }
        List<String> keys = new ArrayList<>();
        for (LinkSpec l : base.links()) {
          keys.add(l.key());
        }
        why = "no link '" + link + "' (links: " + (keys.isEmpty() ? "none" : String.join(", ", keys)) + ")";
      }
      case "apps" -> {
        if (parts.length != 3) {
          why = "name an application and one parameter: apps.APP.PARAM";
        } else if (base.app(parts[1]).isEmpty()) {
          List<String> names = new ArrayList<>();
          for (App a : base.apps()) {
            names.add(a.name());
          }
          why = "no application '" + parts[1] + "'" + Checker.suggestion(parts[1], names)
              + " (apps: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")";
        } else {
          WorkloadKind kind = base.app(parts[1]).get().kind();
          List<String> params = new ArrayList<>(kind.keys());
          params.remove("kind");
          params.remove("host");
          if (params.contains(parts[2])) {
            return new Target(path, List.of("apps", parts[1], parts[2]), false);
          }
          why = "a " + kind.yamlName() + " has no parameter '" + parts[2] + "'"
              + Checker.suggestion(parts[2], params) + " (parameters: " + String.join(", ", params) + ")";
        }
      }
      default -> why = "'" + parts[0] + "' cannot be swept" + Checker.suggestion(parts[0],
          List.of("duration", "msl", "hosts", "links", "apps"));
    }
    c.add(loc, key, "cannot sweep '" + path + "': " + why + "; sweepable: " + SWEEPABLE);
    return null;
  }

  private static List<String> hostNames(Experiment base) {
    List<String> names = new ArrayList<>();
    for (HostSpec h : base.hosts()) {
      names.add(h.name());
    }
    return names;
  }

  // ---- substitution ----

  /** The tree with the target set to {@code value}, maps on the way made if missing. */
  static MapNode set(MapNode root, Target target, Node value) {
    return set(root, target.walk(), 0, target.sysctl(), value);
  }

  private static MapNode set(MapNode m, List<String> walk, int i, boolean sysctl, Node value) {
    String key = walk.get(i);
    if (i == walk.size() - 1) {
      if (sysctl) {
        Sysctl wanted = Sysctl.byName(key);
        for (Entry e : m.entries()) {
          if (Sysctl.byName(e.key()) == wanted) {
            return m.with(e.key(), e.keyLoc(), value); // keep the file's spelling of the name
          }
        }
      }
      if (walk.get(0).equals("links")) {
        LinkEnds wanted = LinkEnds.parse(key);
        for (Entry e : m.entries()) {
          LinkEnds ends = LinkEnds.parse(e.key());
          if (ends != null && ends.sameLink(wanted)) {
            return m.with(e.key(), e.keyLoc(), value);
          }
        }
      }
      return m.with(key, value.loc(), value);
    }
    Entry e = m.entry(key);
    MapNode inner = e != null && e.value() instanceof MapNode n ? n : new MapNode(value.loc(), List.of());
    return m.with(key, e == null ? value.loc() : e.keyLoc(), set(inner, walk, i + 1, sysctl, value));
  }

  // ---- ids ----

  /** Labels for the axes: the shortest path suffixes that tell every axis apart. */
  static List<String> labels(List<Target> targets) {
    for (int parts = 1; ; parts++) {
      List<String> labels = new ArrayList<>();
      boolean longest = true;
      for (Target t : targets) {
        labels.add(t.label(parts));
        longest &= parts >= t.walk().size();
      }
      if (new LinkedHashSet<>(labels).size() == labels.size() || longest) {
        return labels;
      }
    }
  }

  /** A value as it appears in an id: '/' as "-per-", blanks as '_', nothing a file name fears. */
  static String idValue(String text) {
    String s = text.strip().replace("/", "-per-").replaceAll("\\s+", "_");
    return s.replaceAll("[^A-Za-z0-9._+-]", "_");
  }
}
