package tcpsim.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.lab.run.Runs.firstEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tcpsim.core.time.Nanos;
import tcpsim.lab.experiment.ExperimentFile;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;

/**
 * Each gallery case (specs/experiments) runs to completion at the grid point that tells its
 * story, and shows what its README section promises.
 */
class GalleryRunTest {
  static final Path GALLERY = Path.of("..", "specs", "experiments");

  static RunResult run(String file, String pointId) throws Exception {
    ExperimentFile f = ExperimentLoader.load(GALLERY.resolve(file + ".yaml"));
    GridPoint p = f.point(pointId).orElseThrow(() -> new AssertionError("no point " + pointId));
    return ExperimentRunner.run(p.experiment(), p.seed(), p.id(), ExperimentRunner.Options.DEFAULT);
  }

  @Test
  void closeWaitLeakClimbsToTheDescriptorLimitThenAcceptFailsWithEmfile() throws Exception {
    RunResult r = run("close-wait-leak", "seed=1");
    assertEquals(256 - 3 - 1, r.lastCount("server", "CLOSE_WAIT"));
    RunResult.Event emfile = firstEvent(r, "accept() = EMFILE");
    assertNotNull(emfile);
    assertEquals(252 * Nanos.millis(50) + Nanos.millis(15), emfile.atNanos(),
        "connection 252, opened at 12.6 s, is accepted after its handshake");
    assertNotNull(firstEvent(r, "TCP_LISTEN_OVERFLOW"), "then the accept queue fills and SYNs are dropped");
  }

  @Test
  void timeWaitExhaustionRunsOutOfPortsAfterTheRangeOverTheRate() throws Exception {
    RunResult r = run("time-wait-exhaustion", "rate=20-per-s,tcp_tw_reuse=0,seed=1");
    assertEquals(1000, r.lastCount("client", "TIME_WAIT"), "1000 ports, all in TIME_WAIT");
    RunResult.Event full = firstEvent(r, "connect() = EADDRNOTAVAIL");
    assertNotNull(full);
    assertEquals(Nanos.seconds(50), full.atNanos(), "1000 ports / 20 per second");
    RunResult reuse = run("time-wait-exhaustion", "rate=20-per-s,tcp_tw_reuse=1,seed=1");
    assertEquals(0, reuse.errnoCount("churn", "connect()", "EADDRNOTAVAIL"),
        "tcp_tw_reuse lets connect() take a port whose TIME_WAIT is over a second old");
  }

  @Test
  void aPulledCableEndsAKeepaliveConnectionWithEtimedoutAndLeavesAnotherEstablished() throws Exception {
    RunResult with = run("pulled-cable-keepalive", "keepalive=true,tcp_keepalive_time=60,seed=1");
    RunResult.Event dead = firstEvent(with, "recv() = ETIMEDOUT");
    assertNotNull(dead);
    // Idle 60 s after the handshake's last ACK, then 5 probes 10 s apart; at CONFIG_HZ=250 the
    // kernel's timer wheel fires each long timer late by up to an eighth (kernel/time/timer.c).
    long exact = Nanos.millis(40) + Nanos.seconds(60 + 10 * 5);
    assertTrue(dead.atNanos() >= exact && dead.atNanos() <= exact + exact / 8,
        Nanos.format(dead.atNanos()) + " should be within 1/8 after " + Nanos.format(exact));
    RunResult without = run("pulled-cable-keepalive", "keepalive=false,tcp_keepalive_time=60,seed=1");
    assertEquals(1, without.host("client").orElseThrow().finalStates().get("ESTABLISHED"));
    assertTrue(without.app("pool").orElseThrow().errnos().isEmpty());
  }

  @Test
  void withoutTimeWaitTheLateCopiesReachTheNewIncarnationButTheirOldAckKeepsThemOut() throws Exception {
    RunResult r = run("short-time-wait-stale-segment", "tcp_timewait_len=0,seed=1");
    RunResult.AppResult churn = r.app("churn").orElseThrow();
    assertTrue(churn.connects() > 1, "the one port is used again and again");
    // The copies of an old answer carry the old request's end as their ACK, 15.6 MB a second
    // behind the new one: tcp_ack drops them whole (RFC 5961 5.2, TCP_TOO_OLD_ACK).
    assertEquals(0L, churn.happenings().getOrDefault("stale_bytes_accepted", 0L), churn.happenings().toString());
  }

  @Test
  void linuxsSixtySecondTimeWaitOutlastsEveryLateDuplicate() throws Exception {
    RunResult r = run("short-time-wait-stale-segment", "tcp_timewait_len=60,seed=1");
    RunResult.AppResult churn = r.app("churn").orElseThrow();
    assertEquals(1, churn.connects(), "the port stays in TIME_WAIT for the rest of the run");
    assertEquals(0L, churn.happenings().getOrDefault("stale_bytes_accepted", 0L));
    assertEquals(64L << 20, churn.bytesDelivered());
  }

  @Test
  void theFuzzersSessionsLetTheEchoServerReadStaleBytesUnderAZeroTimeWaitWithoutTimestamps() throws Exception {
    RunResult r = run("stale-segment-found-by-fuzzer", "tcp_timewait_len=0,tcp_timestamps=0,seed=1");
    RunResult.AppResult echo = r.app("echo").orElseThrow();
    assertTrue(echo.happenings().getOrDefault("stale_bytes_accepted", 0L) > 0, echo.happenings().toString());
    RunResult.Event stale = firstEvent(r, "a stale segment accepted");
    assertNotNull(stale, r.events().toString());
    assertEquals("server", stale.host(), "the late copies are the client's");
    assertEquals(2, echo.happenings().get("accepted"), "both sessions reached the server");
  }

  @Test
  void underLinuxsDefaultsTheSameSessionsReadNoStaleByte() throws Exception {
    RunResult r = run("stale-segment-found-by-fuzzer", "tcp_timewait_len=60,tcp_timestamps=1,seed=1");
    for (String app : new String[] {"echo", "sessions"}) {
      RunResult.AppResult a = r.app(app).orElseThrow();
      assertEquals(0L, a.happenings().getOrDefault("stale_bytes_accepted", 0L), app + " " + a.happenings());
      assertEquals(512 * 1024 + 512 * 1024, a.bytesDelivered(), app + " read both sessions");
    }
    // The reconnect took over the 60 s TIME_WAIT (timestamps on: tcp_twsk_unique).
    assertTrue(r.app("sessions").orElseThrow().errnos().isEmpty());
    assertEquals(null, firstEvent(r, "a stale segment accepted"));
  }

  @Test
  void eachDefenceAloneKeepsTheFuzzersStaleSegmentOut() throws Exception {
    // A 60 s TIME_WAIT without timestamps: connect(2) from the port fails (no tcp_twsk_unique).
    RunResult noTimestamps = run("stale-segment-found-by-fuzzer", "tcp_timewait_len=60,tcp_timestamps=0,seed=1");
    assertEquals(1, noTimestamps.errnoCount("sessions", "connect()", "EADDRNOTAVAIL"));
    // Timestamps with a 0 s TIME_WAIT: the copies arrive in range and PAWS drops them.
    RunResult paws = run("stale-segment-found-by-fuzzer", "tcp_timewait_len=0,tcp_timestamps=1,seed=1");
    assertNotNull(firstEvent(paws, "TCP_RFC7323_PAWS"), paws.events().toString());
    for (RunResult r : new RunResult[] {noTimestamps, paws}) {
      assertEquals(0L, r.app("echo").orElseThrow().happenings().getOrDefault("stale_bytes_accepted", 0L));
    }
  }

  @Test
  void writingAfterThePeerClosedGetsEpipeOnTheSecondWrite() throws Exception {
    RunResult r = run("write-after-peer-close", "seed=1");
    assertEquals(1, r.errnoCount("browser", "send()", "EPIPE"));
    RunResult.Event epipe = firstEvent(r, "send() = EPIPE");
    // Answer read by 0.09 s, think 100 ms, first piece at 0.19 s draws RST, second at 0.24 s fails.
    assertEquals(Nanos.millis(240), epipe.atNanos());
  }

  @Test
  void closingWithUnreadDataSendsResetInsteadOfFin() throws Exception {
    RunResult r = run("close-with-unread-data", "seed=1");
    assertTrue(r.host("server").orElseThrow().counters().getOrDefault("TcpExtTCPAbortOnClose", 0L) >= 1);
    assertNotNull(firstEvent(r, "ESTABLISHED -> CLOSE"), r.events().toString());
  }

  @Test
  void aSmallBacklogMakesATailOfRetransmittedHandshakesThatALargeOneDoesNot() throws Exception {
    RunResult small = run("listen-backlog-burst", "backlog=4,seed=1");
    RunResult large = run("listen-backlog-burst", "backlog=511,seed=1");
    long smallTail = small.app("burst").orElseThrow().connectLatency().get(3).nanos();
    long largeTail = large.app("burst").orElseThrow().connectLatency().get(3).nanos();
    assertEquals(Nanos.millis(20), largeTail, "every handshake in one round trip");
    assertTrue(smallTail >= Nanos.seconds(1), "dropped SYNs wait for the 1 s retransmission: " + smallTail);
    assertNotNull(firstEvent(small, "drops S "), "the server drops SYNs: " + small.events());
    assertEquals(null, firstEvent(large, "drops S "));
  }

  @Test
  void aClientThatGivesUpLeavesTheServerAnsweringIntoAClosedConnection() throws Exception {
    RunResult r = run("client-gives-up-499", "seed=1");
    assertTrue(r.app("impatient").orElseThrow().happenings().get("gave up (499)") > 100);
    RunResult.Event closeWait = firstEvent(r, "-> CLOSE_WAIT");
    assertEquals("server", closeWait.host());
  }

  @Test
  void everyGalleryFileIsCoveredHere() throws Exception {
    try (var files = Files.list(GALLERY)) {
      assertEquals(9, files.filter(p -> p.toString().endsWith(".yaml")).count(),
          "a new gallery case needs a story here");
    }
  }
}
