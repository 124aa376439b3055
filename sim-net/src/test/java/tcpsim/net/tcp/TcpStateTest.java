package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TcpStateTest {
  @Test
  void statesCarryTheKernelsCodesAndSsNames() {
    assertEquals(1, TcpState.ESTABLISHED.code());
    assertEquals(6, TcpState.TIME_WAIT.code());
    assertEquals(10, TcpState.LISTEN.code());
    assertEquals(12, TcpState.NEW_SYN_RECV.code());
    assertEquals("ESTAB", TcpState.ESTABLISHED.ssName());
    assertEquals("TIME-WAIT", TcpState.TIME_WAIT.ssName());
    assertEquals("time-wait", TcpState.TIME_WAIT.ssFilterName());
    assertEquals("listening", TcpState.LISTEN.ssFilterName()); // ss state listening
    assertEquals(TcpState.CLOSE_WAIT, TcpState.ofCode(8));
  }

  @Test
  void everyTransitionCitesAnRfcSectionAndAKernelFunction() {
    for (TcpTransitions.Transition t : TcpTransitions.TABLE) {
      assertTrue(t.rfc().startsWith("RFC 9293 §"), t.toString());
      assertFalse(t.kernel().isBlank(), t.toString());
    }
  }

  @Test
  void aPairNotInTheTableIsRefusedByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TcpTransitions.require(TcpState.LISTEN, TcpState.ESTABLISHED, "test"));
    assertEquals("illegal TCP state transition LISTEN -> ESTABLISHED (cause: test)", e.getMessage());
    assertNotNull(TcpTransitions.require(TcpState.FIN_WAIT1, TcpState.CLOSING, "FIN"));
  }
}
