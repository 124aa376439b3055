package tcpsim.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.lab.run.Runs.firstEvent;
import static tcpsim.lab.run.Runs.run;
import static tcpsim.lab.run.Runs.twoHosts;

import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;

/** One story per workload of the library, each on a 5 ms link (so a round trip is 10 ms). */
class WorkloadsTest {
  @Test
  void aNeverClosingServerFillsItsDescriptorsWithCloseWaitUntilAcceptFailsWithEmfile() throws Exception {
    // fd_limit 20: descriptors 3..19 are 17, one is the listener, so 16 CLOSE_WAIT sockets fit.
    RunResult r = run(twoHosts("", ", fd_limit: 20", """
        duration: 2s
        apps:
          leaky: {kind: never-closing-server, host: server, port: 8080, response_size: 200}
          callers: {kind: request-response-client, host: client, target: leaky, rate: 20/s,
                    connections: 1000, requests_per_connection: 1, request_size: 100, response_size: 200}
        metrics: {socket_states: {every: 100ms}, errno_counts: true}
        """));
    assertEquals(20 - 3 - 1, r.lastCount("server", "CLOSE_WAIT"));
    RunResult.Event emfile = firstEvent(r, "accept() = EMFILE");
    assertNotNull(emfile, r.events().toString());
    // Connection k opens at k x 50 ms and is accepted when its final ACK lands, 15 ms later;
    // connection 16 (the 17th) is the first with no descriptor left.
    assertEquals(16 * Nanos.millis(50) + Nanos.millis(15), emfile.atNanos());
    assertTrue(emfile.text().endsWith("CLOSE_WAIT=16"), emfile.text());
    // Retried every 500 ms (nginx's accept_mutex_delay) while the run lasts: 0.815, 1.315, 1.815 s.
    assertEquals(3, r.errnoCount("leaky", "accept()", "EMFILE"));
  }

  @Test
  void aRequestResponseClientGetsEveryAnswerAndClosesAfterItsRequests() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 5s
        apps:
          web: {kind: request-response-server, host: server, port: 80}
          user: {kind: request-response-client, host: client, target: web, connections: 2,
                 requests_per_connection: 3, request_size: 100, response_size: 5000, think_time: 100ms}
        metrics: {bytes_delivered: true, errno_counts: true, connect_latency: true}
        """));
    assertEquals(2 * 3 * 5000, r.app("user").orElseThrow().bytesDelivered());
    assertEquals(2 * 3 * 100, r.app("web").orElseThrow().bytesDelivered());
    assertTrue(r.app("user").orElseThrow().errnos().isEmpty());
    assertEquals(Nanos.millis(10), r.app("user").orElseThrow().connectLatency().get(0).nanos(),
        "connect takes one round trip");
    // The client closed first, so its sockets sit in TIME_WAIT; the server's are gone.
    assertEquals(2, r.host("client").orElseThrow().finalStates().get("TIME_WAIT"));
    assertEquals(null, r.host("server").orElseThrow().finalStates().get("ESTABLISHED"));
  }

  @Test
  void connectionChurnHoldsEveryPortInTimeWaitUntilConnectFailsWithEaddrnotavail() throws Exception {
    RunResult r = run(twoHosts(", sysctls: {net.ipv4.ip_local_port_range: 40000 40009}", "", """
        duration: 3s
        apps:
          web: {kind: request-response-server, host: server, port: 80}
          churn: {kind: connection-churn, host: client, target: web, rate: 10/s, request_size: 10,
                  response_size: 10}
        metrics: {socket_states: {every: 1s}, ports_in_use: {every: 1s}, errno_counts: true}
        """));
    assertEquals(10, r.lastCount("client", "TIME_WAIT"));
    RunResult.Event full = firstEvent(r, "connect() = EADDRNOTAVAIL");
    assertNotNull(full, r.events().toString());
    assertEquals(Nanos.seconds(1), full.atNanos(), "the 11th connection, at 1.0 s, finds no port");
    assertEquals(10, r.portSamples().get(r.portSamples().size() - 2).portsInUse());
  }

  @Test
  void anImpatientClientClosesBeforeTheSlowServerAnswers() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 6s
        apps:
          slow: {kind: request-response-server, host: server, port: 80, service_time: 3s}
          impatient: {kind: impatient-client, host: client, target: slow, rate: 1/s, give_up_after: 1s}
        metrics: {errno_counts: true}
        """));
    RunResult.AppResult client = r.app("impatient").orElseThrow();
    RunResult.Event gaveUp = firstEvent(r, "gave up after 1.000000s");
    assertNotNull(gaveUp);
    assertEquals(Nanos.millis(10) + Nanos.seconds(1), gaveUp.atNanos(),
        "the request went out once connected (10 ms) and the client waited 1 s");
    // Connections open at 0, 1, ... 5 s; each gives up 1.01 s later, the last one after the run.
    assertEquals(6, client.connects());
    assertEquals(5, client.happenings().get("gave up (499)"));
    RunResult.Event closeWait = firstEvent(r, "-> CLOSE_WAIT");
    assertEquals("server", closeWait.host(), "the server learns of it by the client's FIN");
  }

  @Test
  void anIdleConnectionWithKeepaliveEndsWithEtimedoutAfterThePulledCable() throws Exception {
    // tcpsim.config_hz 0: timers fire on the nanosecond, without the kernel wheel's slack.
    RunResult r = run(twoHosts(", sysctls: {net.ipv4.tcp_keepalive_time: 60, net.ipv4.tcp_keepalive_intvl: 10,"
        + " net.ipv4.tcp_keepalive_probes: 5, tcpsim.config_hz: 0}", "", """
        duration: 150s
        apps:
          db: {kind: request-response-server, host: server, port: 5432}
          pool: {kind: idle-connections, host: client, target: db, count: 1, keepalive: true}
        faults:
          - {at: 30s, pull_cable: client}
        metrics: {errno_counts: true}
        """));
    RunResult.Event dead = firstEvent(r, "recv() = ETIMEDOUT");
    assertNotNull(dead, r.events().toString());
    // Idle 60 s from the last segment (the handshake's ACK at 10 ms), then 5 probes 10 s apart.
    assertEquals(Nanos.millis(10) + Nanos.seconds(60 + 5 * 10), dead.atNanos());
  }

  @Test
  void anIdleConnectionWithoutKeepaliveStaysEstablishedForEver() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 300s
        apps:
          db: {kind: request-response-server, host: server, port: 5432}
          pool: {kind: idle-connections, host: client, target: db, count: 3}
        faults:
          - {at: 30s, pull_cable: client}
        metrics: {errno_counts: true}
        """));
    assertEquals(3, r.host("client").orElseThrow().finalStates().get("ESTABLISHED"));
    assertTrue(r.app("pool").orElseThrow().errnos().isEmpty());
  }

  @Test
  void aBulkTransferDeliversEveryByteAndEndsInTimeWait() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 10s
        apps:
          sink: {kind: request-response-server, host: server, port: 9000}
          upload: {kind: bulk-transfer, host: client, target: sink, bytes: 1MB}
        metrics: {bytes_delivered: true}
        """));
    assertEquals(1_000_000, r.app("sink").orElseThrow().bytesDelivered());
    assertEquals(1, r.host("client").orElseThrow().finalStates().get("TIME_WAIT"));
  }

  /** A spoofed flood of 1000 SYNs a second, and a real client connecting 10 times a second. */
  private static RunResult flood(String serverSysctls) throws Exception {
    return run(twoHosts("", serverSysctls, """
        duration: 3s
        apps:
          web: {kind: request-response-server, host: server, port: 80}
          flood: {kind: syn-flood, host: client, target: web, rate: 1000/s, start: 0s}
          real: {kind: connection-churn, host: client, target: web, rate: 10/s, start: 1s}
        metrics: {errno_counts: true, connect_latency: {percentiles: [50, 100]}}
        """));
  }

  @Test
  void aSpoofedSynFloodFillsTheSynQueueSoRealClientsCannotConnectWithoutSynCookies() throws Exception {
    RunResult r = flood(", sysctls: {net.ipv4.tcp_syncookies: 0, net.ipv4.tcp_max_syn_backlog: 128}");
    assertNotNull(firstEvent(r, "TCP_REQQFULLDROP"), r.events().toString());
    assertTrue(r.app("flood").orElseThrow().happenings().get("SYNs sent") >= 3000);
    // The spoofed requests wait out their SYN-ACK retransmissions (about a minute), so the queue
    // stays full and every real SYN, first try or retransmitted, is dropped.
    assertEquals(0, r.app("real").orElseThrow().connects());
    assertTrue(r.host("client").orElseThrow().finalStates().get("SYN_SENT") >= 20);
  }

  @Test
  void synCookiesLetRealClientsThroughTheSameFlood() throws Exception {
    RunResult r = flood(", sysctls: {net.ipv4.tcp_max_syn_backlog: 128}");
    assertEquals(Nanos.millis(10), r.app("real").orElseThrow().connectLatency().get(1).nanos(),
        "every real connect in one round trip");
  }

  @Test
  void aRebootedServerForgetsItsConnectionsAndItsPeerGetsReset() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 10s
        apps:
          web: {kind: request-response-server, host: server, port: 80}
          user: {kind: request-response-client, host: client, target: web, connections: 1,
                 request_size: 100, response_size: 100, think_time: 1s}
        faults:
          - {at: 2500ms, reboot: server}
        metrics: {errno_counts: true}
        """));
    assertNotNull(firstEvent(r, "fault: reboot"));
    assertEquals(1, r.errnoCount("user", "recv()", "ECONNRESET") + r.errnoCount("user", "send()", "ECONNRESET"),
        r.app("user").orElseThrow().errnos().toString());
    assertNull(r.host("client").orElseThrow().finalStates().get("ESTABLISHED"));
  }

  @Test
  void anEchoServerAnswersEverySessionInFullAndClosesAfterTheClientsHalfClose() throws Exception {
    RunResult r = run(twoHosts("", "", """
        duration: 2s
        apps:
          echo: {kind: echo-server, host: server, port: 7}
          sessions: {kind: session-client, host: client, target: echo, sizes: [1000, 50000],
                     repeat: 2, pause: 100ms}
        metrics: {bytes_delivered: true, errno_counts: true, connect_latency: true}
        """));
    RunResult.AppResult sessions = r.app("sessions").orElseThrow();
    assertEquals(2 * (1000 + 50000), sessions.bytesDelivered(), "every byte came back");
    assertEquals(2 * (1000 + 50000), r.app("echo").orElseThrow().bytesDelivered());
    assertEquals(4, sessions.connects());
    assertTrue(sessions.errnos().isEmpty(), sessions.errnos().toString());
    assertEquals(1, sessions.happenings().get("sessions done"));
    assertEquals(0L, sessions.happenings().get("stale_bytes_accepted"), "tagged, and nothing stale");
    // The client half-closed first, so each session's TIME_WAIT is its own, one per ephemeral port.
    assertEquals(4, r.host("client").orElseThrow().finalStates().get("TIME_WAIT"));
    assertNull(r.host("server").orElseThrow().finalStates().get("LAST_ACK"));
  }

  @Test
  void sessionsFromOneFixedPortTakeOverTheirOwnTimeWaitWhenTimestampsAreOn() throws Exception {
    // tcp_twsk_unique: a connect(2) from a bound port may reuse a TIME_WAIT 4-tuple that saw
    // timestamps; ISN = the old SND.NXT + 65535 + 2.
    RunResult r = run(twoHosts("", "", """
        duration: 2s
        apps:
          echo: {kind: echo-server, host: server, port: 7}
          sessions: {kind: session-client, host: client, target: echo, sizes: [3000], repeat: 3,
                     pause: 50ms, local_port: 40000}
        metrics: {bytes_delivered: true, errno_counts: true}
        """));
    RunResult.AppResult sessions = r.app("sessions").orElseThrow();
    assertEquals(3 * 3000, sessions.bytesDelivered());
    assertTrue(sessions.errnos().isEmpty(), sessions.errnos().toString());
    assertEquals(1, r.host("client").orElseThrow().finalStates().get("TIME_WAIT"), "one 4-tuple");
  }
}
