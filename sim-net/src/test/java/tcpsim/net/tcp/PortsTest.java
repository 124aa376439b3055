package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;
import static tcpsim.net.tcp.TwoStacks.B_ADDR;

import org.junit.jupiter.api.Test;
import tcpsim.net.socket.Errno;

class PortsTest {
  @Test
  void ephemeralPortsComeFromTheLocalRangeAndRepeatWithTheSeed() {
    int[] first = ports(40);
    int[] again = ports(40);
    assertArrayEquals(first, again);
    for (int p : first) {
      assertTrue(p >= 32768 && p <= 60999, "port " + p);
    }
    assertNotEquals(first[0], first[1]);
    assertEquals(0, first[0] % 2, "connect() tries even ports first");
  }

  private static int[] ports(long seed) {
    TwoStacks t = new TwoStacks(seed);
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      TcpConnection c = t.a.socket();
      assertNull(t.a.connect(c, B_ADDR, 80));
      out[i] = c.localPort();
    }
    return out;
  }

  @Test
  void connectFailsWithEaddrnotavailWhenEveryPortToTheDestinationIsTaken() {
    TwoStacks t = new TwoStacks(41,
        TcpSysctls.defaults().with(Sysctl.IP_LOCAL_PORT_RANGE, 50000, 50001), TcpSysctls.defaults());
    assertNull(t.a.connect(t.a.socket(), B_ADDR, 80));
    assertNull(t.a.connect(t.a.socket(), B_ADDR, 80));
    assertEquals(Errno.EADDRNOTAVAIL, t.a.connect(t.a.socket(), B_ADDR, 80));
    // Another destination port makes another 4-tuple: the same local ports serve again.
    assertNull(t.a.connect(t.a.socket(), B_ADDR, 81));
  }

  @Test
  void bindingAPortInUseIsEaddrinuseUnlessBothSetSoReuseaddr() {
    TwoStacks t = new TwoStacks(42);
    TcpConnection x = t.a.socket();
    TcpConnection y = t.a.socket();
    assertNull(t.a.bind(x, 7000));
    assertEquals(Errno.EADDRINUSE, t.a.bind(y, 7000));
    TcpConnection p = t.a.socket();
    TcpConnection q = t.a.socket();
    p.flags |= TcpConnection.REUSE_ADDR;
    q.flags |= TcpConnection.REUSE_ADDR;
    assertNull(t.a.bind(p, 7001));
    assertNull(t.a.bind(q, 7001));
  }

  @Test
  void soReuseaddrDoesNotShareAPortWithAListener() {
    TwoStacks t = new TwoStacks(43);
    TcpConnection l = t.a.socket();
    l.flags |= TcpConnection.REUSE_ADDR;
    assertNull(t.a.bind(l, 8080));
    assertNull(t.a.listen(l, 10));
    TcpConnection q = t.a.socket();
    q.flags |= TcpConnection.REUSE_ADDR;
    assertEquals(Errno.EADDRINUSE, t.a.bind(q, 8080));
  }
}
