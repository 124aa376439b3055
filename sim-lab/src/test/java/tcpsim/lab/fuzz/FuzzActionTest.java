package tcpsim.lab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every action prints as one line that reads back as the same action, so a saved case replays. */
class FuzzActionTest {
  @Test
  void everyKindOfActionRoundTripsThroughItsText() {
    List<FuzzAction> all = List.of(
        new FuzzAction.Connect(),
        new FuzzAction.Send(0, 1460), new FuzzAction.Send(1, 1),
        new FuzzAction.Recv(1),
        new FuzzAction.Shutdown(0, 0), new FuzzAction.Shutdown(1, 1), new FuzzAction.Shutdown(0, 2),
        new FuzzAction.Close(0, false), new FuzzAction.Close(1, true), new FuzzAction.DrainClose(1),
        new FuzzAction.Advance(1600),
        new FuzzAction.Fault(FuzzAction.FaultKind.DROP, 1, FuzzAction.Filter.FIN, 1, 0),
        new FuzzAction.Fault(FuzzAction.FaultKind.DUPLICATE, 0, FuzzAction.Filter.DATA, 3, 25600),
        new FuzzAction.Fault(FuzzAction.FaultKind.DUPLICATE, 0, FuzzAction.Filter.SYN, 1, 0),
        new FuzzAction.Fault(FuzzAction.FaultKind.HOLD, 1, FuzzAction.Filter.ANY, 2, 400),
        new FuzzAction.Fault(FuzzAction.FaultKind.DUPLICATE, 0, FuzzAction.Filter.DATA, 8, 25600, true),
        new FuzzAction.Fault(FuzzAction.FaultKind.DROP, 1, FuzzAction.Filter.ANY, 3, 0, true),
        new FuzzAction.SendAll(0, 400000, false), new FuzzAction.SendAll(1, 1, true),
        new FuzzAction.Session(262144),
        new FuzzAction.ReadToEofClose(0, false), new FuzzAction.ReadToEofClose(1, true),
        new FuzzAction.Partition(true), new FuzzAction.Partition(false),
        new FuzzAction.Crash(1, true), new FuzzAction.Crash(1, false),
        new FuzzAction.Reboot(0), new FuzzAction.Quiesce());
    for (FuzzAction a : all) {
      assertEquals(a, FuzzAction.parse(a.text()), a.text());
    }
  }

  @Test
  void aNumberedListWithCommentsReadsAsItsActions() {
    List<FuzzAction> read = Fuzzer.parse(List.of("# a comment", "", "1. connect", "2. client send 10"));
    assertEquals(List.of(new FuzzAction.Connect(), new FuzzAction.Send(0, 10)), read);
  }

  @Test
  void aBadLineIsAnErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FuzzAction.parse("advance 3ms"));
    assertTrue(e.getMessage().contains("3ms"), e.getMessage());
  }
}
