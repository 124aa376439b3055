package tcpsim.lab.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.lab.experiment.ExperimentReader.LinkEnds;
import tcpsim.lab.experiment.YamlTree.Entry;
import tcpsim.lab.experiment.YamlTree.ListNode;
import tcpsim.lab.experiment.YamlTree.Loc;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;

/**
 * Checks the {@code faults} section: each item's time and its one action, the host or link it
 * names, and, in time order, that each fault makes sense after the ones before it.
 */
final class FaultReader {
  static final List<String> ACTIONS =
      List.of("partition", "heal", "crash", "reboot", "pull_cable", "plug_cable");

  private final Checker c;
  private final ExperimentReader r;

  FaultReader(Checker c, ExperimentReader r) {
    this.c = c;
    this.r = r;
  }

  List<Fault> faults(MapNode root, List<HostSpec> hosts, List<LinkSpec> links, Long duration) {
    List<Fault> faults = new ArrayList<>();
    List<LocatedFault> located = new ArrayList<>();
    Entry e = root.entry("faults");
    if (e == null) {
      return faults;
    }
    ListNode l = c.list(e.value(), "faults", "a list of faults ('- at: 30s' and one of "
        + String.join(", ", ACTIONS) + ")");
    if (l == null) {
      return faults;
    }
    List<String> keys = new ArrayList<>(List.of("at"));
    keys.addAll(ACTIONS);
    for (int i = 0; i < l.items().size(); i++) {
      String path = "faults[" + i + "]";
      Node item = l.items().get(i);
      MapNode m = c.map(item, path, "a map with 'at' and one of " + String.join(", ", ACTIONS));
      if (m == null) {
        continue;
      }
      c.onlyKeys(m, path, keys);
      Long at = null;
      Entry a = c.require(m, "at", path, item.loc());
      if (a != null) {
        at = c.time(a.value(), path + ".at", 0, ExperimentReader.MAX_DURATION_NANOS);
        if (at != null && duration != null && at > duration) {
          c.add(a.value().loc(), path + ".at", "at " + Units.formatTime(at)
              + " is after the end of the run (duration " + Units.formatTime(duration) + ")");
          at = null;
        }
      }
      Entry action = null;
      for (Entry x : m.entries()) {
        if (ACTIONS.contains(x.key())) {
          if (action != null) {
            c.add(x.keyLoc(), path + "." + x.key(), "a fault does one thing, and this one already"
                + " does '" + action.key() + "'; write a second fault");
          } else {
            action = x;
          }
        }
      }
      if (action == null) {
        c.add(item.loc(), path, "missing the action; one of: " + String.join(", ", ACTIONS));
        continue;
      }
      Fault f = fault(action, path + "." + action.key(), at, hosts, links);
      if (f != null && at != null) {
        located.add(new LocatedFault(f, action.value().loc(), path + "." + action.key()));
      }
    }
    located.sort(Comparator.comparingLong(x -> x.fault().atNanos())); // stable: ties keep file order
    checkSequence(located);
    for (LocatedFault x : located) {
      faults.add(x.fault());
    }
    return faults;
  }

  private record LocatedFault(Fault fault, Loc loc, String key) {}

  /** In time order, each fault must make sense after the ones before it. */
  private void checkSequence(List<LocatedFault> located) {
    Map<String, Long> partitioned = new LinkedHashMap<>();
    Map<String, Long> pulled = new LinkedHashMap<>();
    Map<String, Long> crashed = new LinkedHashMap<>();
    for (LocatedFault l : located) {
      Fault f = l.fault();
      String at = Units.formatTime(f.atNanos());
      String problem = null;
      if (f instanceof Fault.Partition p && partitioned.putIfAbsent(p.link(), f.atNanos()) != null) {
        problem = "'" + p.link() + "' is already partitioned at " + at + " (since "
            + Units.formatTime(partitioned.get(p.link())) + "); heal it first";
      } else if (f instanceof Fault.Heal h && partitioned.remove(h.link()) == null) {
        problem = "'" + h.link() + "' is not partitioned at " + at + "; a heal follows a partition";
      } else if (f instanceof Fault.PullCable p && pulled.putIfAbsent(p.host(), f.atNanos()) != null) {
        problem = p.host() + "'s cable is already out at " + at + " (since "
            + Units.formatTime(pulled.get(p.host())) + "); plug it back first";
      } else if (f instanceof Fault.PlugCable p && pulled.remove(p.host()) == null) {
        problem = p.host() + "'s cable is not out at " + at + "; plug_cable follows pull_cable";
      } else if (f instanceof Fault.Crash cr && crashed.putIfAbsent(cr.host(), f.atNanos()) != null) {
        problem = cr.host() + " is already down at " + at + " (crashed at "
            + Units.formatTime(crashed.get(cr.host())) + "); reboot it first";
      } else if (f instanceof Fault.Reboot r) {
        crashed.remove(r.host()); // a reboot brings a crashed host back, or restarts a live one
      }
      if (problem != null) {
        c.add(l.loc(), l.key(), problem);
      }
    }
  }

  private Fault fault(Entry action, String key, Long at, List<HostSpec> hosts, List<LinkSpec> links) {
    Node v = action.value();
    long t = at == null ? 0 : at;
    switch (action.key()) {
      case "partition", "heal" -> {
        String s = c.text(v, key, "a link ('client <-> server')", "links: " + linkKeys(links));
        if (s == null) {
          return null;
        }
        LinkEnds ends = LinkEnds.parse(s);
        LinkSpec link = null;
        for (LinkSpec l : links) {
          if (ends != null && ends.sameLink(new LinkEnds(l.from(), l.to(), l.bothWays()))) {
            link = l;
          }
        }
        if (link == null && ends != null && r.declaredLink(ends)) {
          return null; // reported where the link is declared
        }
        if (link == null) {
          c.add(v.loc(), key, "no link '" + s + "'" + Checker.suggestion(s, linkKeyList(links))
              + "; links: " + linkKeys(links));
          return null;
        }
        return action.key().equals("partition") ? new Fault.Partition(t, link.key())
            : new Fault.Heal(t, link.key());
      }
      default -> {
        String host = c.name(v, key, "host name");
        if (host == null || !r.knownHost(host, hosts, v.loc(), key)) {
          return null;
        }
        return switch (action.key()) {
          case "crash" -> new Fault.Crash(t, host);
          case "reboot" -> new Fault.Reboot(t, host);
          case "pull_cable" -> new Fault.PullCable(t, host);
          default -> new Fault.PlugCable(t, host);
        };
      }
    }
  }

  private static List<String> linkKeyList(List<LinkSpec> links) {
    List<String> keys = new ArrayList<>();
    for (LinkSpec l : links) {
      keys.add(l.key());
    }
    return keys;
  }

  private static String linkKeys(List<LinkSpec> links) {
    return links.isEmpty() ? "(none)" : String.join(", ", linkKeyList(links));
  }
}
