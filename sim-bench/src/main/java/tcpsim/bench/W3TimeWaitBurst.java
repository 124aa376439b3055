package tcpsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * W3, TIME_WAIT burst: 100 K connections close within one second, each arming a 60 s TIME_WAIT
 * timer; then the clock jumps 61 s and they all expire. Reported per timer (arm plus expiry).
 * The Linux wheel rounds 60 s up to its 4.096 s step, so for it the clock goes on until its
 * timers have fired too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class W3TimeWaitBurst {
  static final int TIMERS = 100_000;
  private static final long TIME_WAIT_NANOS = 60_000_000_000L;
  private static final long CLOSE_SPACING_NANOS = 10_000L; // 100 K closes over one second

  @Param({"heap", "wheel", "linux", "pq", "agrona"})
  public String impl;

  private TimerQueue queue;
  private long now;

  @Setup
  public void setUp() {
    queue = TimerQueue.create(impl, TIMERS, 1024);
  }

  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public int burst() {
    long base = now;
    for (int i = 0; i < TIMERS; i++) {
      queue.schedule(i, base + TIME_WAIT_NANOS + i * CLOSE_SPACING_NANOS);
    }
    now = base + TIME_WAIT_NANOS + 1_000_000_000L;
    int fired = queue.expire(now);
    while (queue.size() > 0) {
      now += 1_000_000_000L;
      fired += queue.expire(now);
    }
    return fired;
  }
}
