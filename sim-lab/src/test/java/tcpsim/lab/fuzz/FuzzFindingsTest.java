package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Stack bugs the fuzzer found, kept as failing cases until sim-net fixes them (the fuzzer steps
 * around them meanwhile, see {@link KnownStackBugs}). Each replays its shrunk action list from
 * specs/fuzz/stack-bugs/ with no workaround; the file says what Linux does instead. Enable a test
 * once the fix lands.
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

  @Disabled("stack bug: a lost segment sent into a nearly closed window is never retransmitted; the orphan stays in FIN_WAIT1")
  @Test
  void anOrphanInFinWait1RetransmitsOrGivesUp() throws Exception {
    assertNoInvariantBreaks("fin-wait1-without-timer.txt");
  }

  @Disabled("stack bug: an orphan in LAST_ACK facing a zero window has no persist timer and stays for ever")
  @Test
  void anOrphanInLastAckProbesTheZeroWindowOrGivesUp() throws Exception {
    assertNoInvariantBreaks("last-ack-without-timer.txt");
  }

  /** The records still fail: a fix in sim-net shows up here first, so the @Disabled can go. */
  @Test
  void eachRecordedStackBugStillReproduces() throws Exception {
    for (String file : new String[] {"fin-wait1-without-timer.txt", "last-ack-without-timer.txt"}) {
      String[] broken = new Fuzzer(FuzzConfig.linux(), KnownStackBugs.NONE, Fuzzer.DEFAULT_MAX_ACTIONS)
          .replay(Fuzzer.parse(Files.readAllLines(BUGS.resolve(file))), null);
      assertNotNull(broken, file + " no longer breaks an invariant: the stack bug is fixed, enable its test"
          + " and drop its workaround from KnownStackBugs");
    }
  }
}
