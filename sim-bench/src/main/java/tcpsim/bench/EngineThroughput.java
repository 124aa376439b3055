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
import tcpsim.core.event.EventHandler;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.HierarchicalTimingWheel;
import tcpsim.core.event.LinuxTimerWheel;
import tcpsim.core.event.PendingEventSet;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;

/**
 * Engine throughput: no-op events through {@link Simulation}, one operation per event. 1,000
 * chains of events each schedule their successor 1 us to 10 ms later (the handler does nothing
 * else), so every event costs one schedule and one fire, trace digest included. Events per
 * second = 10^9 / (ns per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineThroughput {
  private static final int CHAINS = 1_000;
  private static final int DELAYS = 1 << 16;

  @Param({"heap", "wheel", "linux"})
  public String impl;

  private Simulation sim;

  /** The next link of a chain: schedules itself again. */
  private static final class Chain implements EventHandler {
    private final Simulation sim;
    private final long[] delay;
    private int k;

    Chain(Simulation sim, long[] delay) {
      this.sim = sim;
      this.delay = delay;
    }

    @Override
    public void fire(long nowNanos, long arg) {
      sim.scheduleAfter(delay[k++ & (DELAYS - 1)], this, arg);
    }
  }

  @Setup
  public void setUp() {
    PendingEventSet set = switch (impl) {
      case "heap" -> new HeapEventSet();
      case "wheel" -> new HierarchicalTimingWheel();
      case "linux" -> new LinuxTimerWheel(1000);
      default -> throw new IllegalArgumentException("impl must be heap, wheel or linux: " + impl);
    };
    sim = new Simulation(0x5eed, set);
    SimRandom rng = new SimRandom(0xe);
    long[] delay = new long[DELAYS];
    for (int i = 0; i < DELAYS; i++) {
      delay[i] = rng.nextLong(1_000L, 10_000_000L);
    }
    Chain chain = new Chain(sim, delay);
    for (int i = 0; i < CHAINS; i++) {
      sim.scheduleAfter(delay[i], chain, i);
    }
  }

  @Benchmark
  public boolean event() {
    return sim.step();
  }
}
