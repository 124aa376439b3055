package tcpsim.lab.experiment;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tcpsim.lab.experiment.YamlTree.Entry;
import tcpsim.lab.experiment.YamlTree.ListNode;
import tcpsim.lab.experiment.YamlTree.Loc;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;
import tcpsim.lab.experiment.YamlTree.ScalarKind;
import tcpsim.lab.experiment.YamlTree.ScalarNode;

/**
 * Collects located problems and reads typed values out of tree nodes. Each reader returns null
 * after recording a problem, so a caller goes on and finds the next one instead of stopping.
 */
final class Checker {
  final String file;
  private final Set<Problem> found = new LinkedHashSet<>();
  private int omitted;

  Checker(String file) {
    this.file = file;
  }

  void add(Loc loc, String key, String message) {
    Problem p = new Problem(file, loc.line(), loc.column(), key.isEmpty() ? "(top)" : key, message);
    if (found.contains(p)) {
      return;
    }
    if (found.size() >= ExperimentError.MAX_PROBLEMS) {
      omitted++;
    } else {
      found.add(p);
    }
  }

  /**
   * Takes the problems of one sweep point. One at a swept value's place speaks for itself; one
   * elsewhere (a fault after a swept duration) is told which point it arises in.
   */
  void addAll(Checker other, Set<Loc> sweptValues, String point) {
    for (Problem p : other.found) {
      Loc loc = new Loc(p.line(), p.column());
      add(loc, p.key(), sweptValues.contains(loc) ? p.message()
          : p.message() + " (in the sweep point " + point + ")");
    }
    omitted += other.omitted;
  }

  int count() {
    return found.size() + omitted;
  }

  boolean ok() {
    return count() == 0;
  }

  ExperimentError error() {
    return new ExperimentError(new ArrayList<>(found), omitted);
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  // ---- structure ----

  MapNode map(Node n, String key, String what) {
    if (n instanceof MapNode m) {
      return m;
    }
    add(n.loc(), key, "expected " + what + ", got " + n.describe());
    return null;
  }

  ListNode list(Node n, String key, String what) {
    if (n instanceof ListNode l) {
      return l;
    }
    add(n.loc(), key, "expected " + what + ", got " + n.describe());
    return null;
  }

  /** Records every key of {@code m} not in {@code valid}, suggesting the nearest valid one. */
  void onlyKeys(MapNode m, String path, List<String> valid) {
    for (Entry e : m.entries()) {
      if (!valid.contains(e.key())) {
        add(e.keyLoc(), child(path, e.key()), "unknown key" + suggestion(e.key(), valid)
            + "; valid keys: " + String.join(", ", valid));
      }
    }
  }

  /** The entry for {@code key}, or null after recording that it is missing. */
  Entry require(MapNode m, String key, String path, Loc owner) {
    Entry e = m.entry(key);
    if (e == null) {
      add(owner, child(path, key), "missing required key");
    }
    return e;
  }

  /** " (did you mean 'x'?)" for the nearest of {@code choices}, or "" when none is near. */
  static String suggestion(String wrong, List<String> choices) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : choices) {
      int d = distance(wrong.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, wrong.length() / 3);
    return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
  }

  /** Levenshtein distance, with swapping two neighbours counting as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  // ---- scalars ----

  /** The text of a string or number scalar; null (recorded) for maps, lists, booleans, null. */
  String text(Node n, String key, String what, String valid) {
    if (n instanceof ScalarNode s && (s.kind() == ScalarKind.STRING || s.kind() == ScalarKind.INT
        || s.kind() == ScalarKind.FLOAT)) {
      return s.text();
    }
    add(n.loc(), key, "expected " + what + ", got " + n.describe() + (valid.isEmpty() ? "" : "; " + valid));
    return null;
  }

  /** A name: a string of letters, digits, '_' and '-' starting with a letter. */
  String name(Node n, String key, String what) {
    String s = text(n, key, what, "");
    if (s != null && !isName(s)) {
      add(n.loc(), key, "'" + s + "' is not a valid " + what
          + "; use letters, digits, '_' and '-', starting with a letter");
      return null;
    }
    return s;
  }

  static boolean isName(String s) {
    return s.matches("[A-Za-z][A-Za-z0-9_-]{0,63}");
  }

  Long time(Node n, String key, long min, long max) {
    String s = text(n, key, "a time", "units: " + Units.TIME_UNITS);
    if (s == null) {
      return null;
    }
    try {
      long v = Units.parseTime(s);
      if (v < min || v > max) {
        add(n.loc(), key, "'" + s + "' is out of range; valid: " + Units.formatTime(min) + " to "
            + Units.formatTime(max));
        return null;
      }
      return v;
    } catch (Units.BadValue e) {
      add(n.loc(), key, e.getMessage());
      return null;
    }
  }

  Long size(Node n, String key, long min, long max) {
    String s = text(n, key, "a size", "units: " + Units.SIZE_UNITS);
    if (s == null) {
      return null;
    }
    try {
      long v = Units.parseSize(s);
      if (v < min || v > max) {
        add(n.loc(), key, "'" + s + "' is out of range; valid: " + min + " to " + max + " bytes");
        return null;
      }
      return v;
    } catch (Units.BadValue e) {
      add(n.loc(), key, e.getMessage());
      return null;
    }
  }

  Rate rate(Node n, String key, long maxPerSecond) {
    String s = text(n, key, "a rate", "units: " + Units.RATE_UNITS);
    if (s == null) {
      return null;
    }
    try {
      Rate r = Units.parseRate(s);
      // count / perNanos > max / 1 s, compared without division or overflow
      BigInteger lhs = BigInteger.valueOf(r.count()).multiply(BigInteger.valueOf(1_000_000_000L));
      BigInteger rhs = BigInteger.valueOf(maxPerSecond).multiply(BigInteger.valueOf(r.perNanos()));
      if (lhs.compareTo(rhs) > 0) {
        add(n.loc(), key, "'" + s + "' is out of range; valid: above 0 and at most " + maxPerSecond + "/s");
        return null;
      }
      return r;
    } catch (Units.BadValue e) {
      add(n.loc(), key, e.getMessage());
      return null;
    } catch (ArithmeticException | IllegalArgumentException e) {
      add(n.loc(), key, "'" + s + "' is out of range; valid: above 0 and at most " + maxPerSecond + "/s");
      return null;
    }
  }

  Long integer(Node n, String key, long min, long max) {
    if (n instanceof ScalarNode s && s.kind() == ScalarKind.INT) {
      if (!isPlainDecimal(s.text())) {
        // YAML 1.1 reads 0x50, 010 (octal!) and 1_000 as numbers; say what is meant instead.
        add(n.loc(), key, "write whole numbers in plain decimal, got " + s.text() + "; valid: "
            + min + " to " + max);
        return null;
      }
      try {
        long v = Long.parseLong(s.text().startsWith("+") ? s.text().substring(1) : s.text());
        if (v >= min && v <= max) {
          return v;
        }
      } catch (NumberFormatException e) {
        // out of a long's range: reported below as out of range
      }
      add(n.loc(), key, s.text() + " is out of range; valid: " + min + " to " + max);
      return null;
    }
    add(n.loc(), key, "expected a whole number, got " + n.describe() + "; valid: " + min + " to " + max);
    return null;
  }

  /** An optional sign and decimal digits, no leading zero: what a reader takes at face value. */
  static boolean isPlainDecimal(String text) {
    return text.matches("[-+]?(0|[1-9][0-9]*)");
  }

  Boolean bool(Node n, String key) {
    if (n instanceof ScalarNode s && s.kind() == ScalarKind.BOOL) {
      return s.text().equals("true");
    }
    add(n.loc(), key, "expected true or false, got " + n.describe());
    return null;
  }
}
