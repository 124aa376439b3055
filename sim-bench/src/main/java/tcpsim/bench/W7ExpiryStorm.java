package tcpsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tcpsim.core.random.SimRandom;

/**
 * W7, expiry storm: 1 M timers due in the same millisecond (armed 100 ms earlier), all expired
 * by one clock move; reported per expired timer (arming is outside the measurement). Either
 * they share one deadline (armed by one event) or their deadlines are spread over the
 * millisecond at nanosecond resolution, which makes an exact wheel sort the tick.
 *
 * <p>Agrona is left out: its timers share one array per tick, searched linearly for a free
 * place, so arming 1 M timers into one tick takes about 5 * 10^11 probes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class W7ExpiryStorm {
  static final int TIMERS = 1_000_000;
  private static final long MS = 1_000_000L;

  @Param({"heap", "wheel", "linux", "pq"})
  public String impl;

  @Param({"same-deadline", "spread-in-1ms"})
  public String deadlines;

  private TimerQueue queue;
  private long[] offset;
  private long now;

  @Setup(Level.Trial)
  public void setUp() {
    queue = TimerQueue.create(impl, TIMERS, 16);
    offset = new long[TIMERS];
    if (deadlines.equals("spread-in-1ms")) {
      SimRandom rng = new SimRandom(0x57);
      for (int i = 0; i < TIMERS; i++) {
        offset[i] = rng.nextLong(MS);
      }
    }
  }

  @Setup(Level.Invocation)
  public void arm() {
    long due = now + 100 * MS;
    for (int i = 0; i < TIMERS; i++) {
      queue.schedule(i, due + offset[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public int storm() {
    now += 120 * MS; // past the storm, and past the Linux wheel's 8 ms rounding at 100 ms
    return queue.expire(now);
  }
}
