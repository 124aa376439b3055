package tcpsim.lab.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads Java sources as text and reports lines that break the project's architecture rules. */
final class SourceRules {
  /** Calls that read a wall clock or an unseeded random source. */
  static final Pattern NONDETERMINISM = Pattern.compile(
      "System\\s*\\.\\s*(nanoTime|currentTimeMillis)\\s*\\(|Instant\\s*\\.\\s*now\\s*\\("
          + "|new\\s+(java\\.util\\.)?Random\\s*\\(|Math\\s*\\.\\s*random\\s*\\("
          + "|ThreadLocalRandom|UUID\\s*\\.\\s*randomUUID\\s*\\(|SecureRandom"
          + "|LocalDateTime\\s*\\.\\s*now\\s*\\(|Clock\\s*\\.\\s*system");

  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?(tcpsim\\.[\\w.]+)");
  private static final Pattern QUALIFIED = Pattern.compile("\\btcpsim\\.(core|net|lab|bench)\\.");

  private SourceRules() {}

  /** One broken rule at a file and line. */
  record Violation(Path file, int line, String text) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + text.strip();
    }
  }

  static List<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of {@code source} that name a package under any of {@code forbiddenRoots} (e.g. "tcpsim.net"). */
  static List<Integer> referencesTo(List<String> source, List<String> forbiddenRoots) {
    List<Integer> hits = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      String line = stripComment(source.get(i));
      Matcher m = IMPORT.matcher(line);
      String named = m.find() ? m.group(2) : null;
      Matcher q = QUALIFIED.matcher(line);
      boolean hit = false;
      for (String root : forbiddenRoots) {
        if (named != null && (named.equals(root) || named.startsWith(root + "."))) {
          hit = true;
        }
      }
      while (!hit && q.find()) {
        String pkg = "tcpsim." + q.group(1);
        hit = forbiddenRoots.contains(pkg);
      }
      if (hit) {
        hits.add(i + 1);
      }
    }
    return hits;
  }

  /** Lines of {@code source} that call a wall clock or an unseeded random source. */
  static List<Integer> nondeterministicCalls(List<String> source) {
    List<Integer> hits = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      if (NONDETERMINISM.matcher(stripComment(source.get(i))).find()) {
        hits.add(i + 1);
      }
    }
    return hits;
  }

  /** Drops a trailing // comment and whole-line comment text, so prose may name what code may not. */
  private static String stripComment(String line) {
    String t = line.strip();
    if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
      return "";
    }
    int at = line.indexOf("//");
    return at >= 0 ? line.substring(0, at) : line;
  }
}
