package tcpsim.lab.script;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Property;

/**
 * Mutations of the spec corpus (lines dropped, swapped, duplicated, truncated, numbers changed)
 * run on the simulated stack end in PASS, FAIL, UNSUPPORTED or a located parse error: never an
 * exception, never a hang, never a "tcpsim internal error". A failure prints the property's seed
 * and case first, as {@link Property} does.
 */
class SimulatedBackendRobustnessTest {
  private static final Path SPECS = Path.of("").toAbsolutePath().getParent().resolve("specs/pkt");
  private static final List<String> SAMPLES = new ArrayList<>();

  @BeforeAll
  static void readTheCorpus() throws IOException {
    try (Stream<Path> walk = Files.walk(SPECS)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".pkt")).sorted().toList()) {
        SAMPLES.add(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    assertFalse(SAMPLES.isEmpty(), "the spec corpus was not found under " + SPECS);
  }

  @Test
  void mutatedSpecsEndInAResultOnTheSimulatedStack() {
    Gen<ParserRobustnessTest.Mutation> mutation = Gen.combine(Gen.ints(0, 4), Gen.ints(0, 10_000),
        Gen.ints(0, 10_000), (k, a, b) -> new ParserRobustnessTest.Mutation(k, a, b, 0L))
        .flatMap(m -> Gen.frequency(Gen.weighted(3, Gen.longs(0, 100)),
            Gen.weighted(1, Gen.longs(0, Long.MAX_VALUE)))
            .map(n -> new ParserRobustnessTest.Mutation(m.kind(), m.a(), m.b(), n)));
    Gen<String> mutant = Gen.combine(Gen.ints(0, SAMPLES.size() - 1), mutation.list(1, 3), (i, ms) -> {
      String s = SAMPLES.get(i);
      for (ParserRobustnessTest.Mutation m : ms) {
        s = ParserRobustnessTest.apply(s, m);
      }
      return s;
    });
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Property.forAll(mutant)
        .named("mutated corpus on the simulated stack").cases(150).verify(text -> {
          Script script;
          try {
            script = Parser.parse("mutant.pkt", text);
          } catch (ScriptError e) {
            return;
          }
          ScriptResult r = SimulatedBackend.run(script, SimulatedBackend.DEFAULT_SEED, null);
          assertNotNull(r);
          assertTrue(!(r instanceof ScriptResult.Fail f) || !f.message().contains("internal error"),
              r::describe);
        }));
  }
}
