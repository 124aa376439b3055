package tcpsim.core.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimRandomTest {
  private static long[] draws(SimRandom r, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextLong();
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameStream() {
    assertEquals(java.util.Arrays.toString(draws(new SimRandom(7), 50)),
        java.util.Arrays.toString(draws(new SimRandom(7), 50)));
  }

  @Test
  void anotherSeedGivesAnotherStream() {
    assertNotEquals(draws(new SimRandom(7), 1)[0], draws(new SimRandom(8), 1)[0]);
  }

  @Test
  void aSplitStreamDependsOnTheNameNotOnWhatWasDrawnBefore() {
    SimRandom fresh = new SimRandom(99);
    SimRandom used = new SimRandom(99);
    draws(used, 1000);
    assertEquals(fresh.split("link:a->b").nextLong(), used.split("link:a->b").nextLong());
  }

  @Test
  void addingAComponentLeavesOtherComponentsDrawsAlone() {
    SimRandom root = new SimRandom(5);
    long before = root.split("host:a").nextLong();
    root.split("host:new-component").nextLong();
    assertEquals(before, root.split("host:a").nextLong());
  }

  @Test
  void differentNamesGiveDifferentStreams() {
    SimRandom root = new SimRandom(5);
    assertNotEquals(root.split("a").nextLong(), root.split("b").nextLong());
  }

  @Test
  void boundedDrawsStayInRangeAndReachBothEnds() {
    SimRandom r = new SimRandom(1);
    boolean sawMin = false;
    boolean sawMax = false;
    for (int i = 0; i < 10_000; i++) {
      long v = r.nextLong(3, 9);
      assertTrue(v >= 3 && v <= 9, "out of range: " + v);
      sawMin |= v == 3;
      sawMax |= v == 9;
    }
    assertTrue(sawMin && sawMax);
  }

  @Test
  void chancePpmHitsAboutItsRate() {
    SimRandom r = new SimRandom(2);
    int hits = 0;
    for (int i = 0; i < 100_000; i++) {
      if (r.chancePpm(10_000)) {
        hits++;
      }
    }
    // 1% of 100,000 is 1,000; the seeded count sits well inside 5 standard deviations (about 157).
    assertTrue(hits > 843 && hits < 1157, "hits " + hits);
  }

  @Test
  void chanceZeroNeverAndAMillionAlways() {
    SimRandom r = new SimRandom(3);
    for (int i = 0; i < 1000; i++) {
      assertTrue(!r.chancePpm(0) && r.chancePpm(SimRandom.PPM));
    }
  }

  @Test
  void badBoundsAreRefusedByName() {
    SimRandom r = new SimRandom(4);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> r.nextLong(0)).getMessage().contains("bound"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> r.chancePpm(1_000_001)).getMessage().contains("ppm"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> r.nextLong(5, 4)).getMessage().contains("max"));
  }
}
