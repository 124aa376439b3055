package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per script of specs/pkt: it reads cleanly, uses only what tcpsim models, and
 * opens with a comment that states the behaviour and cites an RFC section and a kernel function.
 * When the TCP backend lands, each test also runs its script and expects PASS.
 */
class SpecCorpusTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
  private static final Pattern RFC = Pattern.compile("RFC \\d+ §\\d");
  private static final Pattern KERNEL_FUNCTION = Pattern.compile("\\b[a-z0-9]+_[a-z0-9_]+\\b");

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
    }));
  }
}
