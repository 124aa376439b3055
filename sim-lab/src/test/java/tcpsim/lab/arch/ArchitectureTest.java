package tcpsim.lab.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering rule (sim-lab -> sim-net -> sim-core, never upwards) and the determinism rule (no
 * wall clock, no unseeded randomness in the simulated world), checked on the sources themselves.
 */
class ArchitectureTest {
  /** Surefire runs in the module's folder; the project root is its parent. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static List<String> violations(String module, String set, List<String> forbidden,
      boolean checkDeterminism) {
    List<String> out = new ArrayList<>();
    for (Path f : SourceRules.javaFiles(ROOT.resolve(module).resolve("src").resolve(set).resolve("java"))) {
      List<String> src = SourceRules.lines(f);
      for (int line : SourceRules.referencesTo(src, forbidden)) {
        out.add(ROOT.relativize(f) + ":" + line + ": names a higher layer: " + src.get(line - 1).strip());
      }
      if (checkDeterminism) {
        for (int line : SourceRules.nondeterministicCalls(src)) {
          out.add(ROOT.relativize(f) + ":" + line + ": wall clock or unseeded randomness: "
              + src.get(line - 1).strip());
        }
      }
    }
    return out;
  }

  @Test
  void theProjectRootIsFound() {
    assertTrue(Files.isRegularFile(ROOT.resolve("sim-core/pom.xml")), "project root not found at " + ROOT);
    assertFalse(SourceRules.javaFiles(ROOT.resolve("sim-core/src/main/java")).isEmpty());
    assertFalse(SourceRules.javaFiles(ROOT.resolve("sim-net/src/main/java")).isEmpty());
  }

  @Test
  void simCoreNamesNeitherNetNorLab() {
    List<String> v = new ArrayList<>();
    v.addAll(violations("sim-core", "main", List.of("tcpsim.net", "tcpsim.lab", "tcpsim.bench"), false));
    v.addAll(violations("sim-core", "test", List.of("tcpsim.net", "tcpsim.lab", "tcpsim.bench"), false));
    assertEquals(List.of(), v);
  }

  @Test
  void simNetDoesNotNameLab() {
    List<String> v = new ArrayList<>();
    v.addAll(violations("sim-net", "main", List.of("tcpsim.lab", "tcpsim.bench"), false));
    v.addAll(violations("sim-net", "test", List.of("tcpsim.lab", "tcpsim.bench"), false));
    assertEquals(List.of(), v);
  }

  @Test
  void simLabDoesNotNameBench() {
    assertEquals(List.of(), violations("sim-lab", "main", List.of("tcpsim.bench"), false));
  }

  @Test
  void theSimulatedWorldReadsNoClockAndNoUnseededRandomness() {
    List<String> v = new ArrayList<>();
    v.addAll(violations("sim-core", "main", List.of(), true));
    v.addAll(violations("sim-net", "main", List.of(), true));
    assertEquals(List.of(), v);
  }

  @Test
  void theRulesCatchWhatTheyForbid() {
    List<String> bad = List.of(
        "package tcpsim.core.event;",
        "import tcpsim.net.wire.Segment;",
        "class X { long t = System.nanoTime(); java.util.Random r = new Random(); }",
        "  double d = Math.random(); // a comment naming System.currentTimeMillis() is fine",
        "  Object o = tcpsim.lab.cli.Main.class;",
        "  long u = java.util.concurrent.ThreadLocalRandom.current().nextLong();",
        "  var i = java.time.Instant.now(); var id = java.util.UUID.randomUUID();",
        "  // System.nanoTime() in a comment is prose",
        "import tcpsim.core.time.Nanos;");
    assertEquals(List.of(2, 5), SourceRules.referencesTo(bad, List.of("tcpsim.net", "tcpsim.lab")));
    assertEquals(List.of(3, 4, 6, 7), SourceRules.nondeterministicCalls(bad));
  }
}
