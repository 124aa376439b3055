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
 * W6, sparse jumps: 10 K timers 2 to 3 hours out (keepalive-like, whole milliseconds), so the
 * clock jumps about 360 ms of empty time from one to the next. One operation is one advance:
 * jump to the next timer, fire it, and arm it again 2 to 3 hours ahead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class W6SparseJumps {
  static final int TIMERS = 10_000;
  private static final long MS = 1_000_000L;
  private static final long TWO_HOURS_MS = 2 * 3_600_000L;
  private static final int DELAYS = 1 << 14;

  @Param({"heap", "wheel", "linux", "pq", "agrona"})
  public String impl;

  private TimerQueue queue;
  private long[] delay;
  private int op;

  @Setup
  public void setUp() {
    SimRandom rng = new SimRandom(0x56);
    delay = new long[DELAYS];
    for (int i = 0; i < DELAYS; i++) {
      delay[i] = (TWO_HOURS_MS + rng.nextLong(3_600_000L)) * MS;
    }
    queue = TimerQueue.create(impl, TIMERS, 4096);
    for (int i = 0; i < TIMERS; i++) {
      queue.schedule(i, delay[i]);
    }
  }

  @Benchmark
  public void advance() {
    int id = queue.pollNext();
    queue.schedule(id, queue.lastFireTime() + delay[op++ & (DELAYS - 1)]);
  }
}
