package tcpsim.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.lab.fuzz.FuzzConfig;
import tcpsim.lab.fuzz.Fuzzer;
import tcpsim.lab.fuzz.KnownStackBugs;

/**
 * A case that ran out of memory is reported with its replay command, what ran out and its action
 * list unshrunk; only the list is written (replaying it for a ladder would run out again).
 */
class FuzzExhaustionReportTest {
  @Test
  void aResourceExhaustionFindingPrintsItsUnshrunkListAndWritesOnlyTheList(@TempDir Path dir) throws Exception {
    FuzzCommand cmd = new FuzzCommand();
    cmd.out = dir;
    cmd.maxActions = 40;
    Fuzzer.Finding f = new Fuzzer.Finding(41634, 0x1234L, List.of("connect", "advance 100us"),
        Fuzzer.KIND_EXHAUSTION, "in action 2 (advance 100us): java.lang.OutOfMemoryError: Java heap space;"
        + " the list is unshrunk (each shrink replay would run out again)", "");
    StringWriter out = new StringWriter();
    cmd.report(new PrintWriter(out, true), new Fuzzer(FuzzConfig.linux(), KnownStackBugs.ALL, 40), 0x5372a6c20499d65aL, f);
    assertEquals(String.join("\n",
        "replay: ./tcpsim fuzz --config linux --seed 0x5372a6c20499d65a --case 41634 --max-actions 40",
        "        ./tcpsim fuzz --config linux --replay " + dir.resolve("case.txt"),
        "broken: resource exhaustion (the case ran out of memory)",
        "        in action 2 (advance 100us): java.lang.OutOfMemoryError: Java heap space; the list is unshrunk"
            + " (each shrink replay would run out again)",
        "action list, unshrunk (2 actions):",
        "  1. connect",
        "  2. advance 100us",
        "wrote " + dir.resolve("case.txt") + " (no ladder: its replay would fail the same way)",
        ""), out.toString().replace(System.lineSeparator(), "\n"));
    assertEquals(List.of("connect", "advance 100us"), Files.readAllLines(dir.resolve("case.txt")).subList(5, 7));
    assertFalse(Files.exists(dir.resolve("ladder.html")));
  }
}
