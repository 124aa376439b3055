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
 * W4, pop + push at steady state (the engine's queue, the "hold" model): take the next timer out
 * and schedule one in its place, between 1 us and 1 s later, at nanosecond resolution. The number
 * pending stays constant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class W4PopPush {
  private static final int DELAYS = 1 << 16;

  @Param({"heap", "wheel", "linux", "pq", "agrona"})
  public String impl;

  @Param({"10000", "1000000"})
  public int pending;

  private TimerQueue queue;
  private long[] delay;
  private int op;

  @Setup
  public void setUp() {
    SimRandom rng = new SimRandom(0x54);
    delay = new long[DELAYS];
    for (int i = 0; i < DELAYS; i++) {
      delay[i] = rng.nextLong(1_000L, 1_000_000_000L);
    }
    queue = TimerQueue.create(impl, pending, 1024);
    for (int i = 0; i < pending; i++) {
      queue.schedule(i, delay[i & (DELAYS - 1)] + i);
    }
  }

  @Benchmark
  public void popPush() {
    int id = queue.pollNext();
    queue.schedule(id, queue.lastFireTime() + delay[op++ & (DELAYS - 1)]);
  }
}
