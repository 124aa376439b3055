package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The teardown scenario explored exhaustively under Linux's defaults, on budgets small enough for
 * the suite (the default, every segment droppable, is in docs/fuzzing.md).
 */
class ExplorerTest {
  @Test
  void everyTeardownOrderingWithOneLossEndsCleanlyAndReachesEachCloseOutcome() {
    Explorer.Result r = new Explorer(FuzzConfig.linux(), Explorer.ANY, 1, 0).run();
    assertNull(r.violation(), () -> r.violation() + " via " + r.violationPath());
    assertTrue(r.fixpoint(), "every reachable state expanded");
    String pairs = r.endPairs().toString();
    // Who closes first holds TIME_WAIT; both at once (simultaneous close) both hold it; a RST
    // (SO_LINGER {1, 0}, or close with unread data) leaves none.
    assertEquals(Set.of("TIME_WAIT | CLOSED", "CLOSED | TIME_WAIT", "TIME_WAIT | TIME_WAIT", "CLOSED | CLOSED"),
        r.endPairs().keySet());
    assertTrue(r.endPairs().get("TIME_WAIT | CLOSED").withoutErrno(), pairs);
    // The reset side's peer reads its data, then recv returns ECONNRESET.
    Explorer.EndPair reset = r.endPairs().get("CLOSED | CLOSED");
    assertTrue(reset.errnos().contains("client recv=ECONNRESET"), pairs);
    assertTrue(reset.errnos().contains("server recv=ECONNRESET"), pairs);
    // A graceful close never shows a reset to either side.
    assertTrue(r.endPairs().get("TIME_WAIT | CLOSED").errnos().stream().noneMatch(e -> e.endsWith("=ECONNRESET")),
        pairs);
  }

  @Test
  void aSegmentHeldOrDuplicatedAnywhereInTheTeardownBreaksNoInvariant() {
    Explorer.Result r = new Explorer(FuzzConfig.linux(), Explorer.ANY, 0, 1).run();
    assertNull(r.violation(), () -> r.violation() + " via " + r.violationPath());
    assertTrue(r.fixpoint(), "every reachable state expanded");
    assertEquals(4, r.endPairs().size(), r.endPairs().toString());
  }
}
