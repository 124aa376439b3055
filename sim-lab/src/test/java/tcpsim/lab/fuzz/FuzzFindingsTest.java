package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Stack bugs the fuzzer found, kept as failing cases until sim-net fixes them (the fuzzer steps
 * around them meanwhile, see {@link KnownStackBugs}), then as regressions. Each replays its shrunk
 * action list from specs/fuzz/stack-bugs/ with no workaround; the file says what Linux does
 * instead. A test is @Disabled while its bug is open and enabled once the fix lands.
 */
class FuzzFindingsTest {
  static final Path BUGS = Path.of("").toAbsolutePath().getParent().resolve("specs/fuzz/stack-bugs");

  private static void assertNoInvariantBreaks(String file) throws Exception {
    String[] broken = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.NONE, Fuzzer.DEFAULT_MAX_ACTIONS)
        .replay(Fuzzer.parse(Files.readAllLines(BUGS.resolve(file))), null);
    assertNull(broken, () -> "replay: ./tcpsim fuzz --config linux --known-bugs none --replay specs/fuzz/stack-bugs/"
        + file + "\n" + broken[0] + ": " + broken[1]);
  }

  /** Fixed in sim-net (SocketApi.shutdown -> TcpConnection.disconnectSynSent); kept as a regression. */
  @Test
  void shutdownInSynSentDisconnectsAndReturnsZero() throws Exception {
    assertNoInvariantBreaks("shutdown-in-syn-sent.txt");
  }

  /**
   * Fixed in sim-net: the window probe that carries data leaves the RTO it armed in place
   * (TcpConnection.sendProbe0, as tcp_send_probe0); kept as a regression.
   */
  @Test
  void anOrphanInFinWait1RetransmitsOrGivesUp() throws Exception {
    assertNoInvariantBreaks("fin-wait1-without-timer.txt");
  }

  /**
   * Fixed in sim-net: any state with data or a FIN held back by the window and nothing in flight
   * runs the persist timer (TcpConnection.checkProbeTimer, as tcp_check_probe_timer); kept as a
   * regression.
   */
  @Test
  void anOrphanInLastAckProbesTheZeroWindowOrGivesUp() throws Exception {
    assertNoInvariantBreaks("last-ack-without-timer.txt");
  }
}
