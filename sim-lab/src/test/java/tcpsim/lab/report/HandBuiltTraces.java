package tcpsim.lab.report;

import static tcpsim.net.wire.TcpFlags.ACK;
import static tcpsim.net.wire.TcpFlags.FIN;
import static tcpsim.net.wire.TcpFlags.PSH;
import static tcpsim.net.wire.TcpFlags.SYN;

import tcpsim.net.wire.DropReason;

/**
 * Traces written by hand, standing in for runs of the stack until it produces real ones. Each
 * title says so, so a reader of a report or screenshot is not misled.
 */
final class HandBuiltTraces {
  static final String HAND_BUILT = "hand-built trace, not a stack run";
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private HandBuiltTraces() {}

  /**
   * A classic active close, client first: the client's FIN is lost on the link, its
   * retransmission timer fires after 204 ms (RTO for a 20 ms RTT, floored at TCP_RTO_MIN 200 ms)
   * and the FIN goes again; the server acknowledges, closes in turn, and the client waits out
   * TIME_WAIT (60 s, TCP_TIMEWAIT_LEN) before the socket is gone. One-way delay 10 ms.
   */
  static RunTrace teardownWithLostFin() {
    return RunTrace.builder("FIN/ACK close with a lost FIN (" + HAND_BUILT + ")", 0x5eedL)
        .lane("client", "10.0.0.1", 40000)
        .lane("server", "10.0.0.2", 80)
        .delivered(0, 10 * MS, "client", "server",
            "Flags [P.], seq 1:101, ack 1, win 502, length 100", 1, 100, PSH | ACK)
        .delivered(10 * MS, 20 * MS, "server", "client", "Flags [.], ack 101, win 509, length 0", 1, 0, ACK)
        .state(1 * S, "client", "ESTABLISHED", "FIN_WAIT1", "close()")
        .dropped(1 * S, 1 * S + 5 * MS, "client", "server",
            "Flags [F.], seq 101, ack 1, win 502, length 0", 101, 0, FIN | ACK, DropReason.NETEM_LOSS)
        .timer(TimerSpan.fired("client", TimerKind.RETRANSMIT, 1 * S, 1 * S + 204 * MS))
        .delivered(1 * S + 204 * MS, 1 * S + 214 * MS, "client", "server",
            "Flags [F.], seq 101, ack 1, win 502, length 0", 101, 0, FIN | ACK)
        .timer(TimerSpan.cancelled("client", TimerKind.RETRANSMIT, 1 * S + 204 * MS, 1 * S + 224 * MS).withBackoff(1))
        .state(1 * S + 214 * MS, "server", "ESTABLISHED", "CLOSE_WAIT", "FIN received")
        .delivered(1 * S + 214 * MS, 1 * S + 224 * MS, "server", "client",
            "Flags [.], ack 102, win 509, length 0", 1, 0, ACK)
        .state(1 * S + 224 * MS, "client", "FIN_WAIT1", "FIN_WAIT2", "ACK of FIN")
        .timer(TimerSpan.cancelled("client", TimerKind.FIN_WAIT2, 1 * S + 224 * MS, 1 * S + 510 * MS))
        .state(1 * S + 500 * MS, "server", "CLOSE_WAIT", "LAST_ACK", "close()")
        .delivered(1 * S + 500 * MS, 1 * S + 510 * MS, "server", "client",
            "Flags [F.], seq 1, ack 102, win 509, length 0", 1, 0, FIN | ACK)
        .timer(TimerSpan.cancelled("server", TimerKind.RETRANSMIT, 1 * S + 500 * MS, 1 * S + 520 * MS))
        .state(1 * S + 510 * MS, "client", "FIN_WAIT2", "TIME_WAIT", "FIN received")
        .delivered(1 * S + 510 * MS, 1 * S + 520 * MS, "client", "server",
            "Flags [.], ack 2, win 502, length 0", 102, 0, ACK)
        .timer(TimerSpan.fired("client", TimerKind.TIME_WAIT, 1 * S + 510 * MS, 61 * S + 510 * MS))
        .state(1 * S + 520 * MS, "server", "LAST_ACK", "CLOSED", "ACK of FIN")
        .state(61 * S + 510 * MS, "client", "TIME_WAIT", "CLOSED", "TIME_WAIT timer")
        .timeline(StateTimeline.builder("ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT")
            .sample(0, 2, 0, 0, 0, 0, 0)
            .sample(1 * S, 1, 1, 0, 0, 0, 0)
            .sample(1 * S + 214 * MS, 0, 1, 0, 1, 0, 0)
            .sample(1 * S + 224 * MS, 0, 0, 1, 1, 0, 0)
            .sample(1 * S + 500 * MS, 0, 0, 1, 0, 1, 0)
            .sample(1 * S + 510 * MS, 0, 0, 0, 0, 1, 1)
            .sample(1 * S + 520 * MS, 0, 0, 0, 0, 0, 1)
            .sample(61 * S + 510 * MS, 0, 0, 0, 0, 0, 0)
            .build())
        .counter("TcpOutSegs", 6)
        .counter("TcpInSegs", 5)
        .counter("TcpRetransSegs", 1)
        .counter("TcpExtTW", 1)
        .counter("TcpExtTCPLostRetransmit", 0)
        .build();
  }

  /**
   * A handshake, a little data, one duplicate and one reordering, then a bulk transfer of
   * {@code bulkSegments} full-sized segments each acknowledged, with a loss every
   * {@code lossEvery} segments (0: none). RTT 20 ms, 1 ms between data segments.
   */
  static RunTrace transfer(int bulkSegments, int lossEvery) {
    RunTrace.Builder b = RunTrace.builder("bulk transfer of " + bulkSegments + " segments (" + HAND_BUILT + ")", 42)
        .lane("client", "10.0.0.1", 40000)
        .lane("server", "10.0.0.2", 80)
        .delivered(0, 10 * MS, "client", "server",
            "Flags [S], seq 0, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0", 0, 0, SYN)
        .state(0, "client", "CLOSED", "SYN_SENT", "connect()")
        .state(10 * MS, "server", "LISTEN", "SYN_RECV", "SYN received")
        .delivered(10 * MS, 20 * MS, "server", "client",
            "Flags [S.], seq 0, ack 1, win 65160, options [mss 1460,sackOK,TS val 2 ecr 1,nop,wscale 7], length 0",
            0, 0, SYN | ACK)
        .state(20 * MS, "client", "SYN_SENT", "ESTABLISHED", "SYN-ACK received")
        .delivered(20 * MS, 30 * MS, "client", "server", "Flags [.], ack 1, win 502, length 0", 1, 0, ACK)
        .state(30 * MS, "server", "SYN_RECV", "ESTABLISHED", "ACK received")
        .segment(SegmentEvent.delivered(30 * MS, 40 * MS, "client", "server",
            "Flags [P.], seq 1:11, ack 1, win 502, length 10", 1, 10, PSH | ACK))
        .segment(SegmentEvent.delivered(31 * MS, 41 * MS, "client", "server",
            "Flags [P.], seq 1:11, ack 1, win 502, length 10", 1, 10, PSH | ACK).asDuplicate())
        .segment(SegmentEvent.delivered(32 * MS, 47 * MS, "client", "server",
            "Flags [P.], seq 11:21, ack 1, win 502, length 10", 11, 10, PSH | ACK).asReordered())
        .segment(SegmentEvent.delivered(33 * MS, 43 * MS, "client", "server",
            "Flags [P.], seq 21:31, ack 1, win 502, length 10", 21, 10, PSH | ACK))
        .delivered(47 * MS, 57 * MS, "server", "client", "Flags [.], ack 31, win 509, length 0", 1, 0, ACK);
    long t = 60 * MS;
    int seq = 31;
    for (int i = 0; i < bulkSegments; i++) {
      String label = "Flags [.], seq " + seq + ":" + (seq + 1448) + ", ack 1, win 502, length 1448";
      if (lossEvery > 0 && i % lossEvery == lossEvery - 1) {
        b.dropped(t, t + 5 * MS, "client", "server", label, seq, 1448, ACK, DropReason.NETEM_LOSS);
      } else {
        b.delivered(t, t + 10 * MS, "client", "server", label, seq, 1448, ACK);
        b.delivered(t + 10 * MS, t + 20 * MS, "server", "client",
            "Flags [.], ack " + (seq + 1448) + ", win 509, length 0", 1, 0, ACK);
      }
      seq += 1448;
      t += MS;
    }
    return b.counter("TcpOutSegs", bulkSegments + 6).build();
  }
}
