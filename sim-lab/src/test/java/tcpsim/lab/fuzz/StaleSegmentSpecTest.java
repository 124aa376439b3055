package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stale-segment cases saved under specs/fuzz/, replayed. An old copy enters a new incarnation
 * of the 4-tuple only if its sequence number falls in the new window and its ACK passes tcp_ack's
 * RFC 5961 §5.2 check: both old streams must have outrun the ISN clock and line up with the new
 * ones.
 */
class StaleSegmentSpecTest {
  static final Path FUZZ = Path.of("").toAbsolutePath().getParent().resolve("specs/fuzz");

  private static List<FuzzAction> spec(String name) throws Exception {
    return Fuzzer.parse(Files.readAllLines(FUZZ.resolve(name)));
  }

  private static String[] replay(String spec, FuzzConfig config, FuzzWorld.StaleScope scope) throws Exception {
    return new Fuzzer(config, KnownStackBugs.ALL, Fuzzer.DEFAULT_MAX_ACTIONS, scope).replay(spec(spec), null);
  }

  @Test
  void throughAShortTimeWaitALateCopyOfAnEchoedBulkExchangeEntersTheNextIncarnation() throws Exception {
    String[] broken = replay("stale-segment-after-time-wait.txt", FuzzConfig.shortTimeWait(),
        FuzzWorld.StaleScope.GRACEFUL);
    assertNotNull(broken, "replay: ./tcpsim fuzz --config short-time-wait --replay specs/fuzz/stale-segment-after-time-wait.txt");
    assertEquals(Fuzzer.INV_STALE, broken[0]);
    assertTrue(broken[1].contains("sent in incarnation 1") && broken[1].contains("incarnation 2's server"),
        broken[1]);
  }

  @Test
  void underLinuxDefaultsTheSameExchangeKeepsItsIncarnationsApart() throws Exception {
    // The reconnect takes over the 60 s TIME_WAIT with ISN = old SND.NXT + 65537 (tcp_twsk_unique).
    assertNull(replay("stale-segment-after-time-wait.txt", FuzzConfig.linux(), FuzzWorld.StaleScope.GRACEFUL));
  }

  @Test
  void afterAnAbortiveCloseTheOldCopyIsDroppedForItsTooOldAck() throws Exception {
    // The old server's bytes fall in the new client's window, but their ACK is the old client's
    // ISN + 1, below the new SND.UNA on a connection that has had nothing acknowledged.
    for (FuzzConfig config : new FuzzConfig[] {FuzzConfig.shortTimeWait(), FuzzConfig.linux()}) {
      assertNull(replay("stale-segment-after-abort.txt", config, FuzzWorld.StaleScope.ANY), config.name());
    }
  }

  @Test
  void theSavedCaseIsAHandfulOfActions() throws Exception {
    assertTrue(spec("stale-segment-after-time-wait.txt").size() <= 10);
  }
}
