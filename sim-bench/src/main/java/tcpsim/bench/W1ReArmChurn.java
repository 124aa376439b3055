package tcpsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tcpsim.core.random.SimRandom;

/**
 * W1, re-arm churn: each connection's retransmission timer is re-armed on every ACK, 200 ms plus
 * up to 50 ms of jitter ahead, so nearly every timer is cancelled before it fires. One operation
 * is one ACK: cancel the connection's timer and arm it again. Virtual time moves 50 ns per ACK
 * and due timers are fired every 1,024 ACKs, so the few timers that do expire (connections left
 * untouched for 200 ms, which only random order produces) are part of the cost.
 *
 * <p>Connections are touched in order (round robin) or at random.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class W1ReArmChurn {
  private static final long RTO_NANOS = 200_000_000L;
  private static final long JITTER_NANOS = 50_000_000L;
  private static final long STEP_NANOS = 50;
  private static final int TOUCHES = 1 << 20;
  private static final int JITTERS = 1 << 16;

  @Param({"heap", "wheel", "linux", "pq", "agrona"})
  public String impl;

  @Param({"10000", "1000000"})
  public int pending;

  @Param({"in-order", "random"})
  public String order;

  private TimerQueue queue;
  private int[] touch;
  private long[] jitter;
  private boolean random;
  private long now;
  private int next;
  private int op;

  @Setup
  public void setUp() {
    SimRandom rng = new SimRandom(0x51);
    queue = TimerQueue.create(impl, pending, 256);
    random = order.equals("random");
    touch = new int[TOUCHES];
    for (int i = 0; i < TOUCHES; i++) {
      touch[i] = rng.nextInt(pending);
    }
    jitter = new long[JITTERS];
    for (int i = 0; i < JITTERS; i++) {
      jitter[i] = rng.nextLong(JITTER_NANOS);
    }
    for (int c = 0; c < pending; c++) {
      queue.schedule(c, RTO_NANOS + jitter[c & (JITTERS - 1)]);
    }
  }

  @Benchmark
  public void ack() {
    int k = op++;
    int c;
    if (random) {
      c = touch[k & (TOUCHES - 1)];
    } else {
      c = next++;
      if (next == pending) {
        next = 0;
      }
    }
    now += STEP_NANOS;
    if ((k & 1023) == 0) {
      queue.expire(now);
    }
    queue.cancel(c);
    queue.schedule(c, now + RTO_NANOS + jitter[k & (JITTERS - 1)]);
  }
}
