package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * The explorer's world copy: what one world shares stays shared in the copy, nothing of the copy
 * reaches back into the original, and a world holding something the copy does not know is refused.
 */
class GraphCopyTest {
  /** A socket-like node: a counter, a peer (a cycle), a buffer, what it holds by identity, a callback. */
  static final class Node {
    int bytes;
    Node peer;
    int[] ring = new int[4];
    final IdentityHashMap<Node, Integer> tags = new IdentityHashMap<>();
    final List<Segment> queue = new ArrayList<>();
    IntSupplier wakeUp;
    transient byte[] scratch = new byte[16];
  }

  /** Two nodes that are each other's peer; the first has 1000 bytes, a 7 in its ring and its peer tagged 3. */
  private static Node peers() {
    Node a = new Node();
    Node b = new Node();
    a.peer = b;
    b.peer = a;
    a.bytes = 1000;
    a.ring[0] = 7;
    a.tags.put(b, 3);
    return a;
  }

  @Test
  void aCopyKeepsCyclesAndSharingAndOwnsEveryMutablePart() {
    Node a = peers();
    Node b = a.peer;
    Segment syn = new Segment(1, 40000, 2, 80, 0, 0, TcpFlags.SYN, 65535, 0, TcpOptions.NONE, 0, null);
    a.queue.add(syn);
    a.wakeUp = () -> a.peer.bytes; // a lambda capturing a

    Node c = new GraphCopy().copy(a);

    assertNotSame(a, c);
    assertNotSame(b, c.peer);
    assertSame(c, c.peer.peer, "the cycle closes on the copy");
    assertEquals(1000, c.bytes);
    assertNotSame(a.ring, c.ring);
    assertEquals(7, c.ring[0]);
    assertEquals(3, c.tags.get(c.peer), "an identity map is keyed by the copies");
    assertNull(c.tags.get(b), "and not by the originals");
    assertSame(syn, c.queue.get(0), "records are values and shared");
    assertNull(c.scratch, "a transient field is left out");

    c.peer.bytes = 5;
    c.ring[0] = 9;
    assertEquals(5, c.wakeUp.getAsInt(), "the lambda reads the copy's peer");
    assertEquals(0, a.wakeUp.getAsInt(), "and the original's is untouched");
    assertEquals(7, a.ring[0]);
  }

  @Test
  void aRestoreUndoesEveryChangeInPlaceAndDropsWhatTheChangeMade() {
    Node a = peers();
    Node b = a.peer;
    int[] ring = a.ring;
    GraphCopy.Snapshot kept = new GraphCopy().snapshot(a);

    Node stranger = new Node();
    a.bytes = 0;
    a.ring[0] = 9;
    a.ring = new int[8];
    a.peer = stranger;
    a.tags.clear();
    a.tags.put(stranger, 1);
    b.bytes = 42;
    kept.restore();

    assertSame(b, a.peer, "the peer the change dropped is referred to again");
    assertSame(ring, a.ring, "the same array, its content put back");
    assertEquals(7, a.ring[0]);
    assertEquals(1000, a.bytes);
    assertEquals(0, b.bytes);
    assertEquals(3, a.tags.get(b));
    assertNull(a.tags.get(stranger), "what the change made is gone");
    assertEquals(1, a.tags.size());
  }

  @Test
  void aWorldHoldingAnUnknownJdkObjectIsRefusedByName() {
    Node a = new Node();
    a.wakeUp = new java.util.concurrent.atomic.AtomicInteger(1)::get;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new GraphCopy().copy(a));
    assertTrue(e.getMessage().contains("java.util.concurrent.atomic.AtomicInteger"), e.getMessage());
  }
}
