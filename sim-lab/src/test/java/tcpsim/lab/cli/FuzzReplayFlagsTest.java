package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tcpsim.lab.fuzz.FuzzWorld;

/** A finding's replay command repeats the options the campaign was asked for, and only those. */
class FuzzReplayFlagsTest {
  @Test
  void theReplayLineSaysKnownBugsNoneOnlyWhenItWasAskedFor() {
    // With no open stack bug, step-around and none are the same empty set: the line must still
    // tell them apart by what the user asked.
    assertEquals("", FuzzCommand.replayFlags("step-around", FuzzWorld.StaleScope.FULL));
    assertEquals(" --known-bugs none", FuzzCommand.replayFlags("none", FuzzWorld.StaleScope.FULL));
    assertEquals(" --stale-scope graceful", FuzzCommand.replayFlags("step-around", FuzzWorld.StaleScope.GRACEFUL));
    assertEquals(" --known-bugs none --stale-scope any",
        FuzzCommand.replayFlags("none", FuzzWorld.StaleScope.ANY));
  }
}
