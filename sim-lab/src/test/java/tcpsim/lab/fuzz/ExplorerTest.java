package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The teardown scenario explored exhaustively to a small depth under Linux's defaults. */
class ExplorerTest {
  @Test
  void everyShortTeardownOrderingEndsCleanlyAndReachesBothActiveAndSimultaneousClose() {
    Explorer.Result r = new Explorer(FuzzConfig.linux(), 8, 1).run();
    assertNull(r.violation(), () -> r.violation() + " via " + r.violationPath());
    assertTrue(r.states() > 100, "distinct states: " + r.states());
    // Who closes first holds TIME_WAIT; both at once (simultaneous close) both hold it.
    assertTrue(r.endPairs().containsKey("TIME_WAIT | CLOSED"), r.endPairs().keySet().toString());
    assertTrue(r.endPairs().containsKey("CLOSED | TIME_WAIT"), r.endPairs().keySet().toString());
    assertTrue(r.endPairs().containsKey("TIME_WAIT | TIME_WAIT"), r.endPairs().keySet().toString());
    // SO_LINGER {1, 0} on either side: a RST, no TIME_WAIT anywhere.
    assertTrue(r.endPairs().containsKey("CLOSED | CLOSED"), r.endPairs().keySet().toString());
  }
}
