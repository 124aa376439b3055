package tcpsim.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.random.SimRandom;

/**
 * Generators keep their bounds, replay exactly what they recorded, and give their simplest value
 * when the choices run out: the contract shrinking relies on.
 */
class GenTest {
  private static <T> T simplest(Gen<T> gen) {
    return gen.generate(Choices.replaying(new long[0]));
  }

  @Test
  void whenTheChoicesRunOutEveryGeneratorGivesItsSimplestValue() {
    assertEquals(0L, simplest(Gen.longs(-5, 5)));
    assertEquals(3L, simplest(Gen.longs(3, 9)));
    assertEquals(-3, simplest(Gen.ints(-9, -3)));
    assertEquals(false, simplest(Gen.booleans()));
    assertEquals(false, simplest(Gen.chancePpm(999_999)));
    assertEquals("syn", simplest(Gen.elementOf("syn", "fin", "rst")));
    assertEquals(List.of(), simplest(Gen.ints(0, 9).list(0, 5)));
    assertEquals(List.of(0, 0), simplest(Gen.ints(0, 9).list(2, 5)));
    assertEquals(List.of("a", "b", "c"), simplest(Gen.permutation(List.of("a", "b", "c"))));
    assertEquals("first", simplest(Gen.oneOf(Gen.constant("first"), Gen.constant("second"))));
    assertEquals("heavy?", simplest(Gen.frequency(Gen.weighted(1, Gen.constant("heavy?")), Gen.weighted(99, Gen.constant("light")))));
    assertEquals(new Pair<>(0, false), simplest(Gen.pairs(Gen.ints(0, 3), Gen.booleans())));
  }

  @Test
  void aRecordedChoiceAboveItsBoundIsClampedAndRecordedClamped() {
    Choices replay = Choices.replaying(new long[] {7, 99});

    assertEquals(7L, replay.draw(10));
    assertEquals(3L, replay.draw(3));
    assertEquals(0L, replay.draw(5)); // past the end
    assertEquals(List.of(7L, 3L, 0L), java.util.Arrays.stream(replay.recorded()).boxed().toList());
  }

  @Test
  void aRecordedSequenceReplaysToTheSameValue() {
    Gen<List<Pair<Long, Integer>>> gen = Gen.pairs(Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE), Gen.ints(-3, 1000)).list(0, 40);
    Choices fresh = Choices.generating(new SimRandom(7));
    List<Pair<Long, Integer>> value = gen.generate(fresh);

    assertEquals(value, gen.generate(Choices.replaying(fresh.recorded())));
  }

  @Test
  void everyGeneratedValueIsWithinItsBounds() {
    Property.forAll(Gen.pairs(Gen.longs(-1_000, 1_000), Gen.longs(0, 2_000)).flatMap(p -> {
      long min = p.first();
      long max = min + p.second();
      return Gen.longs(min, max).map(x -> new long[] {min, x, max});
    })).named("longs stay in [min, max]").check(t -> t[0] <= t[1] && t[1] <= t[2]);

    Property.forAll(Gen.ints(Integer.MIN_VALUE, Integer.MAX_VALUE).list(0, 20))
        .check(xs -> xs.stream().allMatch(x -> x >= Integer.MIN_VALUE));
    Property.forAll(Gen.ints(1, 5).list(2, 4)).named("list sizes").check(xs -> xs.size() >= 2 && xs.size() <= 4
        && xs.stream().allMatch(x -> x >= 1 && x <= 5));
  }

  @Test
  void numbersFavourTheEndsOfTheirRange() {
    // 1 in 16 draws lands on each end; over 2,000 draws both ends appear, as they would not uniformly.
    List<Long> seen = new java.util.ArrayList<>();
    Property.forAll(Gen.longs(-1_000_000_000L, 1_000_000_000L)).seed(1).cases(2_000).check(seen::add);

    assertTrue(seen.contains(-1_000_000_000L) && seen.contains(1_000_000_000L), "both bounds drawn");
    assertTrue(seen.contains(0L) && seen.contains(-1L), "0 and -1 drawn");
  }

  @Test
  void aPermutationHoldsEveryElementOnce() {
    List<String> steps = List.of("close(a)", "close(b)", "rst(a)", "fin(b)", "ack(a)");
    Property.forAll(Gen.permutation(steps))
        .check(p -> p.size() == steps.size() && p.containsAll(steps));
  }

  @Test
  void aPermutationShrinksTowardsTheGivenOrder() {
    // "d never comes before a" is false; the smallest reordering that breaks it keeps a..c in order as long as it can.
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.permutation(List.of("a", "b", "c", "d")))
        .check(p -> p.indexOf("d") > p.indexOf("a")));

    assertEquals("[b, c, d, a]", f.counterexample());
  }

  @Test
  void aZeroWeightIsNeverDrawn() {
    Property.forAll(Gen.frequency(Gen.weighted(0, Gen.constant("never")), Gen.weighted(3, Gen.constant("always"))))
        .check("always"::equals);
  }

  @Test
  void aChanceOfZeroPpmIsNeverTrueAndAMillionIsAlwaysTrue() {
    Property.forAll(Gen.pairs(Gen.chancePpm(0), Gen.chancePpm(1_000_000)))
        .check(p -> !p.first() && p.second());
  }

  @Test
  void aFilterKeepsOnlyPassingValues() {
    Property.forAll(Gen.ints(0, 100).filter(x -> x % 2 == 0)).check(x -> x % 2 == 0);
  }

  @Test
  void aFilterThatAlmostNeverPassesMakesTheCheckGiveUpSayingSo() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Property.forAll(Gen.ints(0, 1_000_000).filter(x -> x == 7)).check(x -> true));

    assertTrue(e.getMessage().contains("gave up"), e.getMessage());
  }

  @Test
  void misuseNamesTheBadValue() {
    assertEquals("ints: max 1 < min 2",
        assertThrows(IllegalArgumentException.class, () -> Gen.ints(2, 1)).getMessage());
    assertEquals("lists: need 0 <= minSize <= maxSize, was 3..2",
        assertThrows(IllegalArgumentException.class, () -> Gen.ints(0, 1).list(3, 2)).getMessage());
    assertEquals("chancePpm: ppm must be in [0, 1000000], was 1000001",
        assertThrows(IllegalArgumentException.class, () -> Gen.chancePpm(1_000_001)).getMessage());
    assertEquals("elementOf: no values to choose from",
        assertThrows(IllegalArgumentException.class, () -> Gen.elementOf(List.of())).getMessage());
  }
}
