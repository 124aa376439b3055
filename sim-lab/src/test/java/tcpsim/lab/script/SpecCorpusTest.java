package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per script of specs/pkt: it reads cleanly, uses only what tcpsim models, opens
 * with a comment that states the behaviour and cites an RFC section and a kernel function, and
 * PASSes on tcpsim's simulated stack ({@link SimulatedBackend}).
 *
 * <p>A script whose behaviour the stack lacks says so in a header line
 * {@code // known-gap: <reason>}: it is run and reported as skipped with that reason (never as
 * passed), and must not pass, so that a gap that closes is noticed and its marker removed.
 */
class SpecCorpusTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
  private static final Pattern RFC = Pattern.compile("RFC \\d+ §\\d");
  private static final Pattern KERNEL_FUNCTION = Pattern.compile("\\b[a-z0-9]+_[a-z0-9_]+\\b");
  private static final Pattern KNOWN_GAP = Pattern.compile("(?m)^// known-gap: (.+)$");

  @TestFactory
  Stream<DynamicTest> everySpecReadsAndCitesItsSources() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SPECS)) {
      files = walk.filter(f -> f.toString().endsWith(".pkt")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "expected the spec corpus under " + SPECS);
    return files.stream().map(f -> DynamicTest.dynamicTest(SPECS.relativize(f).toString(), () -> {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      Script script = Parser.parse(SPECS.relativize(f).toString(), text);
      assertNull(ScriptRunner.unsupportedFeature(script));
      String opening = text.lines().takeWhile(l -> l.startsWith("//")).reduce("", (a, b) -> a + b + "\n");
      assertTrue(RFC.matcher(opening).find(), "the opening comment cites no RFC section:\n" + opening);
      assertTrue(opening.contains("Kernel:") && KERNEL_FUNCTION.matcher(opening).find(),
          "the opening comment names no kernel function:\n" + opening);
      assertEquals(f.getParent().getParent(), SPECS, "specs live at specs/pkt/<area>/<behaviour>.pkt");
      ScriptResult result = SimulatedBackend.run(script, SimulatedBackend.DEFAULT_SEED, null);
      Matcher gap = KNOWN_GAP.matcher(text);
      if (gap.find()) {
        assertFalse(result instanceof ScriptResult.Pass, "the known gap is closed, remove its marker: "
            + gap.group(1));
        Assumptions.abort("known gap: " + gap.group(1) + " [" + result.describe() + "]");
      }
      assertInstanceOf(ScriptResult.Pass.class, result, () -> result.describe()
          + "\n  replay: ./tcpsim pkt -v specs/pkt/" + SPECS.relativize(f));
    }));
  }
}
