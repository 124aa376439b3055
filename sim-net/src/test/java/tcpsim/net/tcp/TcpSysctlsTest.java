package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TcpSysctlsTest {
  @Test
  void defaultsAreLinux6s() {
    TcpSysctls d = TcpSysctls.defaults();
    assertEquals(6, d.synRetries());
    assertEquals(4, d.synLinearTimeouts());
    assertEquals(5, d.synackRetries());
    assertEquals(3, d.retries1());
    assertEquals(15, d.retries2());
    assertEquals(0, d.orphanRetries());
    assertEquals(60, d.finTimeoutSeconds());
    assertEquals(7200, d.keepaliveTimeSeconds());
    assertEquals(75, d.keepaliveIntvlSeconds());
    assertEquals(9, d.keepaliveProbes());
    assertEquals(2, d.twReuse());
    assertFalse(d.rfc1337());
    assertTrue(d.timestamps());
    assertTrue(d.sack());
    assertTrue(d.windowScaling());
    assertFalse(d.abortOnOverflow());
    assertEquals(4096, d.somaxconn());
    assertEquals(1, d.syncookies());
    assertArrayEquals(new int[] {4096, 131072, 6291456}, d.get(Sysctl.TCP_RMEM));
    assertArrayEquals(new int[] {4096, 16384, 4194304}, d.get(Sysctl.TCP_WMEM));
    assertEquals(32768, d.localPortLow());
    assertEquals(60999, d.localPortHigh());
    assertEquals(60, d.timeWaitLenSeconds());
    assertEquals("(Linux defaults)", d.toString());
  }

  @Test
  void everyDefaultSaysWhereItComesFrom() {
    for (Sysctl s : Sysctl.values()) {
      assertFalse(s.source().isBlank(), s.fullName());
    }
  }

  @Test
  void parsesSysctlConfLinesWithAndWithoutPrefix() {
    TcpSysctls s = TcpSysctls.parse("""
        # a comment
        ; another
        net.ipv4.tcp_syn_retries = 3

        tcp_rmem = 4096 540000 15728640
        net.core.somaxconn=128
        tcp_congestion_control = reno
        """, "test.conf");
    assertEquals(3, s.synRetries());
    assertEquals(540000, s.rmemDefault());
    assertEquals(128, s.somaxconn());
    assertEquals("reno", s.congestionControl());
    assertEquals("""
        net.ipv4.tcp_syn_retries = 3
        net.core.somaxconn = 128
        net.ipv4.tcp_rmem = 4096 540000 15728640
        net.ipv4.tcp_congestion_control = reno
        """, s.toString());
  }

  @Test
  void unknownNameIsAnErrorNamingItAndTheLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.parse("tcp_sack = 1\ntcp_bogus = 3\n", "my.conf"));
    assertEquals("my.conf:2: unknown sysctl 'tcp_bogus'", e.getMessage());
  }

  @Test
  void badValueIsAnErrorNamingTheSysctlAndTheLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.parse("\n\ntcp_fin_timeout = soon", "x.conf"));
    assertEquals("x.conf:3: net.ipv4.tcp_fin_timeout: 'soon' is not a number", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.parse("tcp_tw_reuse = 3", "x.conf"));
    assertEquals("x.conf:1: net.ipv4.tcp_tw_reuse must be in [0, 2], was 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.parse("tcp_rmem = 1 2", "x.conf"));
    assertEquals("x.conf:1: net.ipv4.tcp_rmem takes 3 number(s), got '1 2'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TcpSysctls.parse("tcp_sack 1", "x.conf"));
    assertEquals("x.conf:1: expected 'name = value', got 'tcp_sack 1'", e.getMessage());
  }

  @Test
  void procSysPathsNameTheSameSysctl() {
    TcpSysctls s = TcpSysctls.defaults().with("/proc/sys/net/ipv4/tcp_timestamps", "0");
    assertFalse(s.timestamps());
  }
}
