package tcpsim.core.collect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tcpsim.core.check.Gen;
import tcpsim.core.check.Property;

/**
 * The primitive map behaves as {@code LinkedHashMap<Long, V>}: same lookups, same size, same
 * iteration order, whatever the history of puts, removals, growth and compaction.
 */
class OrderedLongMapTest {

  /** A 4-tuple key as TcpStack makes it: remote address, local port, remote port. */
  private static long tuple(int remoteAddr, int localPort, int remotePort) {
    return ((long) remoteAddr << 32) | ((long) localPort << 16) | remotePort;
  }

  @Test
  void replacingAValueKeepsItsPlaceAndReAddingMovesItToTheEnd() {
    OrderedLongMap<String> m = new OrderedLongMap<>();
    m.put(7, "a");
    m.put(3, "b");
    assertEquals("a", m.put(7, "c"));
    assertEquals("b", m.remove(3));
    m.put(3, "d");

    assertEquals(List.of("c", "d"), m.values());
    assertArrayEquals(new long[] {7, 3}, m.keys());
  }

  @Test
  void absentKeysReadAsNullAndRemoveNothing() {
    OrderedLongMap<String> m = new OrderedLongMap<>();
    m.put(1, "a");

    assertNull(m.get(2));
    assertFalse(m.containsKey(2));
    assertNull(m.remove(2));
    assertEquals(1, m.size());
  }

  @Test
  void aNullValueIsRefusedWithTheKeyNamed() {
    OrderedLongMap<String> m = new OrderedLongMap<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.put(42, null));
    assertTrue(e.getMessage().contains("42"), e.getMessage());
  }

  @Test
  void aHundredThousandConnectionsFromOnePeerAreAllFoundAfterGrowthAndChurn() {
    // The keys differ only in their low 32 bits, as one peer's connections do.
    OrderedLongMap<Integer> m = new OrderedLongMap<>();
    int peer = 0x0a000001;
    for (int i = 0; i < 100_000; i++) {
      m.put(tuple(peer, 32768 + i % 28232, 10_000 + i / 28232), i);
    }
    for (int i = 0; i < 100_000; i += 2) {
      assertEquals(i, m.remove(tuple(peer, 32768 + i % 28232, 10_000 + i / 28232)));
    }
    for (int i = 0; i < 100_000; i++) {
      Integer v = m.get(tuple(peer, 32768 + i % 28232, 10_000 + i / 28232));
      assertEquals(i % 2 == 0 ? null : Integer.valueOf(i), v, "connection " + i);
    }
    assertEquals(50_000, m.size());
    assertEquals(1, m.values().get(0));
    assertEquals(99_999, m.values().get(49_999));
  }

  @Test
  void clearEmptiesTheMapAndItFillsAgain() {
    OrderedLongMap<String> m = new OrderedLongMap<>();
    for (int i = 0; i < 100; i++) {
      m.put(i, "v" + i);
    }
    m.clear();
    assertTrue(m.isEmpty());
    assertNull(m.get(5));
    m.put(5, "again");
    assertEquals(List.of("again"), m.values());
  }

  // ---- differential: random histories against LinkedHashMap ----

  sealed interface Op permits Put, Remove, Clear {}

  record Put(long key, int value) implements Op {}

  record Remove(long key) implements Op {}

  record Clear() implements Op {}

  /**
   * Keys from a small pool so that puts hit present keys and removals hit live ones, with
   * neighbouring 4-tuples (probe runs that cross each other) and a few arbitrary longs (0,
   * negative, extreme).
   */
  private static Gen<Long> keys() {
    return Gen.frequency(
        Gen.weighted(6, Gen.combine(Gen.ints(0, 2), Gen.ints(0, 40),
            (a, p) -> tuple(0x0a000000 + a, 32768 + p, 80))),
        Gen.weighted(2, Gen.longs(0, 64)),
        Gen.weighted(1, Gen.elementOf(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L)));
  }

  private static Gen<Op> ops() {
    return Gen.frequency(
        Gen.weighted(10, Gen.combine(keys(), Gen.ints(0, 1_000), Put::new)),
        Gen.weighted(7, keys().map(Remove::new)),
        Gen.weighted(1, Gen.constant(new Clear())));
  }

  @Test
  void randomHistoriesGiveTheSameLookupsSizesAndOrderAsLinkedHashMap() {
    Property.forAll(ops().list(0, 400))
        .named("OrderedLongMap behaves as LinkedHashMap<Long, Integer>")
        .verify(OrderedLongMapTest::play);
  }

  private static void play(List<Op> ops) {
    OrderedLongMap<Integer> m = new OrderedLongMap<>();
    Map<Long, Integer> model = new LinkedHashMap<>();
    int step = 0;
    for (Op op : ops) {
      String at = "after step " + step++ + " " + op;
      if (op instanceof Put p) {
        assertEquals(model.put(p.key(), p.value()), m.put(p.key(), p.value()), at);
      } else if (op instanceof Remove r) {
        assertEquals(model.remove(r.key()), m.remove(r.key()), at);
      } else {
        model.clear();
        m.clear();
      }
      assertEquals(model.size(), m.size(), at);
      assertEquals(new ArrayList<>(model.values()), m.values(), at);
      long[] expectedKeys = new long[model.size()];
      int i = 0;
      for (long k : model.keySet()) {
        expectedKeys[i++] = k;
        assertEquals(model.get(k), m.get(k), at + ": get(" + k + ")");
      }
      assertArrayEquals(expectedKeys, m.keys(), at);
    }
  }
}
