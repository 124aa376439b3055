package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples the documentation shows load, so the documentation cannot drift from the loader. */
class DocExamplesTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theReadmesShapeExampleLoadsAndExpandsToFourPoints() throws IOException, ExperimentError {
    String readme = Files.readString(ROOT.resolve("specs/experiments/README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```yaml\n");
    assertTrue(start >= 0, "the README has no yaml example");
    String yaml = readme.substring(start + 8, readme.indexOf("```", start + 8));
    ExperimentFile f = ExperimentLoader.parse("README.md", yaml);
    assertEquals(List.of("rate=100-per-s,tcp_tw_reuse=0,seed=1", "rate=100-per-s,tcp_tw_reuse=1,seed=1",
        "rate=500-per-s,tcp_tw_reuse=0,seed=1", "rate=500-per-s,tcp_tw_reuse=1,seed=1"),
        f.points().stream().map(GridPoint::id).toList());
  }

  @Test
  void theLoadersJavadocExampleLoads() throws IOException, ExperimentError {
    String source = Files.readString(ROOT.resolve(
        "sim-lab/src/main/java/tcpsim/lab/experiment/ExperimentLoader.java"), StandardCharsets.UTF_8);
    int start = source.indexOf("<pre>{@code\n");
    String block = source.substring(start + 12, source.indexOf("}</pre>", start));
    StringBuilder yaml = new StringBuilder();
    for (String line : block.split("\n")) {
      yaml.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
    }
    ExperimentFile f = ExperimentLoader.parse("ExperimentLoader.java", yaml.toString());
    assertEquals(4, f.points().size());
    assertEquals(List.of(new Fault.PullCable(30_000_000_000L, "client")), f.base().faults());
  }
}
