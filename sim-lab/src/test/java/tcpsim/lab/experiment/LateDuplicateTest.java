package tcpsim.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A link's tcpsim clause 'late-duplicate P% TIME': read after the netem options, checked against msl. */
class LateDuplicateTest {
  static String file(String link) {
    return """
        name: late
        seed: 1
        duration: 1s
        msl: 10s
        hosts:
          a: {address: 10.0.0.1}
          b: {address: 10.0.0.2}
        links:
          a <-> b: %s
        """.formatted(link);
  }

  static List<String> errors(String link) {
    ExperimentError e = assertThrows(ExperimentError.class,
        () -> ExperimentLoader.parse("late.yaml", file(link)));
    return e.problems().stream().map(Object::toString).toList();
  }

  @Test
  void theClauseFollowsTheNetemOptions() throws ExperimentError {
    LinkSpec l = ExperimentLoader.parse("late.yaml", file("delay 1ms late-duplicate 2.5% 4s"))
        .base().links().get(0);
    assertEquals(new LinkSpec.LateDuplicates(25_000, 4_000_000_000L), l.lateDuplicates());
    assertEquals(1_000_000L, l.netem().delayNanos());
  }

  @Test
  void aHoldBeyondTheMslOrAMisplacedClauseIsALocatedError() {
    assertEquals(List.of("late.yaml:9:12: links.a <-> b: late-duplicate hold 20s exceeds msl 10s;"
        + " no segment may outlive the maximum segment lifetime"), errors("delay 1ms late-duplicate 1% 20s"));
    assertEquals(List.of("late.yaml:9:12: links.a <-> b: write 'late-duplicate P% TIME' or"
        + " 'late-duplicate every N TIME' last, after the netem options (e.g. 'delay 10ms"
        + " late-duplicate 1% 20s')"), errors("late-duplicate 1% 2s delay 1ms"));
    assertEquals(1, errors("delay 1ms late-duplicate lots 2s").size());
  }

  @Test
  void everyNthSegmentIsCopiedAfterExactlyTheHold() throws ExperimentError {
    LinkSpec l = ExperimentLoader.parse("late.yaml", file("delay 100us late-duplicate every 2 6400us"))
        .base().links().get(0);
    assertEquals(new LinkSpec.LateDuplicates(0, 2, 6_400_000L), l.lateDuplicates());
    assertEquals("a <-> b: delay 100us late-duplicate every 2 6400us", l.toString());
  }

  @Test
  void aBadEveryCountIsALocatedError() {
    assertEquals(List.of("late.yaml:9:12: links.a <-> b: late-duplicate: every '0': write a whole"
        + " number of segments from 1 to 1000000 (every 2: the 2nd, 4th, 6th ... segment)"),
        errors("delay 1ms late-duplicate every 0 2s"));
    assertEquals(List.of("late.yaml:9:12: links.a <-> b: write 'late-duplicate P% TIME' or"
        + " 'late-duplicate every N TIME' last, after the netem options (e.g. 'delay 10ms"
        + " late-duplicate 1% 20s')"), errors("delay 1ms late-duplicate every 2"));
    assertEquals(1, errors("delay 1ms late-duplicate every 2 20s").size(), "a hold beyond the msl");
  }
}
