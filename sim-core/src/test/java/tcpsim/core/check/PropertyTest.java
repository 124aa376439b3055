package tcpsim.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The property runner finds false properties, shrinks them to their known minimum, and replays them. */
class PropertyTest {
  private static final Pattern REPLAY = Pattern.compile("^replay: -Dtcpsim\\.seed=0x([0-9a-f]+) -Dtcpsim\\.case=(\\d+)\n");

  private static int sum(List<Integer> xs) {
    int total = 0;
    for (int x : xs) {
      total += x;
    }
    return total;
  }

  private static boolean noEqualNeighbours(List<Integer> xs) {
    for (int i = 1; i < xs.size(); i++) {
      if (xs.get(i).equals(xs.get(i - 1))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aFalseSumPropertyShrinksToTheSingleSmallestOffendingElement() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 10_000).list(0, 50))
        .named("sum < 1000")
        .check(xs -> sum(xs) < 1000));

    assertEquals("[1000]", f.counterexample());
    assertTrue(f.getMessage().startsWith("replay: -Dtcpsim.seed=" + Settings.hex(f.seed())
        + " -Dtcpsim.case=" + f.caseIndex() + "\n"), f.getMessage());
    assertTrue(f.getMessage().contains("\nminimal counterexample:\n  [1000]\n"), f.getMessage());
    assertTrue(f.getMessage().contains("-Dtest=PropertyTest#aFalseSumPropertyShrinksToTheSingleSmallestOffendingElement "
        + f.replayArguments()), f.getMessage());
    assertInstanceOf(Falsified.class, f.getCause());
  }

  @Test
  void aFalseSumPropertyOverSmallElementsShrinksToTheFewestLargestOnes() {
    // No single element reaches 1000, so the minimum needs value moved between elements.
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 400).list(0, 30))
        .check(xs -> sum(xs) < 1000));

    assertEquals("[200, 400, 400]", f.counterexample());
  }

  @Test
  void noEqualNeighboursShrinksToTwoZeros() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 100).list(0, 30))
        .named("no two equal adjacent elements")
        .check(PropertyTest::noEqualNeighbours));

    assertEquals("[0, 0]", f.counterexample());
    assertTrue(f.getMessage().contains("property \"no two equal adjacent elements\" failed on case "), f.getMessage());
  }

  @Test
  void theFailureReplaysFromItsPrintedLineToTheSameFailure() {
    PropertyFailure first = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 100).list(0, 30))
        .seed(0xfeedL)
        .check(PropertyTest::noEqualNeighbours));

    Matcher m = REPLAY.matcher(first.getMessage());
    assertTrue(m.find(), first.getMessage());
    long seed = Long.parseUnsignedLong(m.group(1), 16);
    int caseIndex = Integer.parseInt(m.group(2));
    PropertyFailure replayed = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.ints(0, 100).list(0, 30))
        .seed(seed)
        .onlyCase(caseIndex)
        .check(PropertyTest::noEqualNeighbours));

    assertEquals(first.getMessage(), replayed.getMessage());
    assertEquals(first.caseSeed(), replayed.caseSeed());
  }
}
