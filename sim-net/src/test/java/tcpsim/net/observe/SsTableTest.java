package tcpsim.net.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Ipv4;

class SsTableTest {
  private static final int SERVER = Ipv4.parse("10.0.0.2");
  private static final int CLIENT = Ipv4.parse("10.0.0.1");

  private static final List<SocketRow> ROWS = List.of(
      SocketRow.of(SsState.LISTEN, 0, 128, 0, 80, 0, 0),
      SocketRow.of(SsState.ESTABLISHED, 0, 1448, SERVER, 80, CLIENT, 40000)
          .withTimer(SsTimer.ON, Nanos.millis(200), 0),
      SocketRow.of(SsState.CLOSE_WAIT, 1, 0, SERVER, 80, CLIENT, 40001),
      SocketRow.of(SsState.TIME_WAIT, 0, 0, CLIENT, 40002, SERVER, 80)
          .withTimer(SsTimer.TIMEWAIT, Nanos.millis(59_999), 0));

  @Test
  void columnsAreAsWideAsTheirWidestEntryWithAddressesRightAligned() {
    // The last row's timer is the longest Process entry, but ss never flushed that last token
    // before measuring: the column is as wide as the ESTAB row's timer.
    assertEquals(""
        + "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process            \n"
        + "LISTEN     0      128          0.0.0.0:80         0.0.0.0:*                       \n"
        + "ESTAB      0      1448        10.0.0.2:80        10.0.0.1:40000 timer:(on,200ms,0)\n"
        + "CLOSE-WAIT 1      0           10.0.0.2:80        10.0.0.1:40001                   \n"
        + "TIME-WAIT  0      0           10.0.0.1:40002     10.0.0.2:80    timer:(timewait,59sec,0)\n",
        SsTable.render(ROWS, true, false));
  }

  @Test
  void timersPrintAsSsPrintsMilliseconds() {
    assertEquals("200ms", SsTable.msTimer(200));
    assertEquals("1.574ms", SsTable.msTimer(1574), "ss 6.1 spells 1 s 574 ms this way");
    assertEquals("59sec", SsTable.msTimer(59_999));
    assertEquals("1min39sec", SsTable.msTimer(99_400));
    assertEquals("1min", SsTable.msTimer(60_000));
    assertEquals("119min", SsTable.msTimer(7_199_000));
    assertEquals("", SsTable.msTimer(0));
    assertEquals("timer:(keepalive,2.500ms,3)", SsTable.timer(
        SocketRow.of(SsState.ESTABLISHED, 0, 0, 1, 1, 2, 2)
            .withTimer(SsTimer.KEEPALIVE, Nanos.millis(2500) + 999_999, 3)));
  }

  @Test
  void kernelStateNumbersMapToSsStatesWithRequestSocketsAsSynRecv() {
    assertEquals(SsState.ESTABLISHED, SsState.ofKernelCode(1));
    assertEquals(SsState.CLOSING, SsState.ofKernelCode(11));
    assertEquals(SsState.SYN_RECV, SsState.ofKernelCode(12));
    assertThrows(IllegalArgumentException.class, () -> SsState.ofKernelCode(13));
  }

  @Test
  void stateFiltersKeepWhatSsKeeps() {
    assertEquals(List.of(SsState.LISTEN),
        SsTable.select(ROWS, "listening").stream().map(SocketRow::state).toList());
    assertEquals(List.of(SsState.ESTABLISHED, SsState.CLOSE_WAIT, SsState.TIME_WAIT),
        SsTable.select(ROWS, "connected").stream().map(SocketRow::state).toList());
    assertEquals(List.of(SsState.TIME_WAIT),
        SsTable.select(ROWS, "bucket").stream().map(SocketRow::state).toList());
    assertEquals(List.of(SsState.ESTABLISHED, SsState.TIME_WAIT),
        SsTable.select(ROWS, "established", "time-wait").stream().map(SocketRow::state).toList());
    assertEquals(List.of(SsState.ESTABLISHED, SsState.CLOSE_WAIT),
        SsTable.selectDefault(ROWS).stream().map(SocketRow::state).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SsTable.select(ROWS, "estab"));
    assertTrue(e.getMessage().startsWith("ss state filter 'estab' is unknown"), e.getMessage());
  }

  @Test
  void infoLinesArePartOfTheProcessFieldAndPaddedWithIt() {
    List<SocketRow> rows = List.of(
        SocketRow.of(SsState.ESTABLISHED, 0, 0, SERVER, 80, CLIENT, 40000).withInfo(" ts sack"),
        SocketRow.of(SsState.TIME_WAIT, 0, 0, CLIENT, 40002, SERVER, 80).withInfo(""));
    assertEquals(""
        // "\n\t ts sack" is 10 characters: the Process field is 10 wide on every line.
        + "State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process   \n"
        + "ESTAB     0      0           10.0.0.2:80        10.0.0.1:40000\n"
        + "\t ts sack\n"
        + "TIME-WAIT 0      0           10.0.0.1:40002     10.0.0.2:80   \n"
        + "\t        \n",
        SsTable.render(rows, false, true));
  }
}
