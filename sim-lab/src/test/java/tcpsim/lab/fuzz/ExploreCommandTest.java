package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tcpsim.lab.cli.Main;

/** {@code tcpsim explore} from the command line: a depth limit says the fixpoint was not reached. */
class ExploreCommandTest {
  private static int run(StringWriter out, StringWriter err, String... args) {
    return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aDepthLimitedExplorationSaysItStoppedShortOfTheFixpoint() {
    StringWriter out = new StringWriter();
    int code = run(out, new StringWriter(), "explore", "teardown", "--depth", "3", "--late", "1", "--drops", "0");
    assertEquals(0, code, out.toString());
    assertTrue(out.toString().contains("fixpoint NOT reached (depth limit)"), out.toString());
    assertTrue(out.toString().contains("no invariant broke"), out.toString());
  }

  @Test
  void anUnknownScenarioIsAnErrorNamingTheKnownOne() {
    StringWriter err = new StringWriter();
    int code = run(new StringWriter(), err, "explore", "handshake");
    assertEquals(2, code);
    assertTrue(err.toString().contains("unknown scenario 'handshake' (known: teardown)"), err.toString());
  }

  @Test
  void theReductionIsOnByDefaultAndNoReduceExpandsEveryStateInFull() {
    StringWriter reduced = new StringWriter();
    StringWriter full = new StringWriter();
    assertEquals(0, run(reduced, new StringWriter(), "explore", "teardown", "--depth", "4", "--late", "1", "--drops", "0"));
    assertEquals(0, run(full, new StringWriter(), "explore", "teardown", "--depth", "4", "--late", "1", "--drops", "0",
        "--no-reduce"));
    assertTrue(reduced.toString().contains("partial-order reduced"), reduced.toString());
    assertTrue(full.toString().contains("every state expanded in full"), full.toString());
    assertTrue(states(reduced) < states(full), reduced + "\n" + full);
  }

  @Test
  void optionsThatDoNotFitTheSearchAreErrorsNotIgnored() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "explore", "teardown", "--drops", "1"));
    assertTrue(err.toString().contains("--drops needs --late N"), err.toString());
    StringWriter bad = new StringWriter();
    assertEquals(2, run(new StringWriter(), bad, "explore", "teardown", "--late", "some"));
    assertTrue(bad.toString().contains("--late must be 'any' or a count >= 0, was 'some'"), bad.toString());
    StringWriter exact = new StringWriter();
    assertEquals(2, run(new StringWriter(), exact, "explore", "teardown", "--late", "1", "--no-cover"));
    assertTrue(exact.toString().contains("--no-cover needs --late any"), exact.toString());
  }

  @Test
  void theDefaultSearchesAnyNumberOfLateSegmentsThroughPools() {
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "explore", "teardown", "--depth", "3"));
    assertTrue(out.toString().contains("any number of segments late, each at most once faulted; searched as pools"),
        out.toString());
    assertTrue(out.toString().contains("covered by a larger pool before expansion"), out.toString());
    StringWriter uncovered = new StringWriter();
    assertEquals(0, run(uncovered, new StringWriter(), "explore", "teardown", "--depth", "3", "--no-cover"));
    assertTrue(uncovered.toString().contains("(only equal pools merged)"), uncovered.toString());
    assertTrue(states(out) < states(uncovered), out + "\n" + uncovered);
  }

  private static int states(StringWriter out) {
    Matcher m = Pattern.compile("(\\d+) distinct states").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    return Integer.parseInt(m.group(1));
  }
}
