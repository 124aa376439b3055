package tcpsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.HierarchicalTimingWheel;
import tcpsim.core.event.PendingEventSet;
import tcpsim.core.time.Nanos;

/**
 * TCP throughput: simulated segments per wall-clock second in a bulk transfer between two hosts
 * through the {@link tcpsim.net.host.Network}, one thread. One operation is one segment put on a
 * link by either host (data one way, ACKs the other, retransmissions and lost ones included), so
 * JMH's ns/op is wall time per segment and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes
 * allocated per segment. Segments per second = 10^9 / (ns per op).
 *
 * <p>Links: 5 ms one way, 1 Gbit/s, a queue of 10,000 (large enough that the clean link never
 * tail-drops with Linux's default 6 MiB receive buffer); {@code loss1} adds 1% random loss both
 * ways. Each iteration also prints its payload bytes per wall second and the virtual/real time
 * ratio, and segments per second of the benchmark thread's CPU time, which other processes on a
 * shared machine do not inflate ({@code [tcp-throughput] ...} lines).
 *
 * <p>Warm-up matters: TcpConnection's big methods reach C2 only after several million segments,
 * and until then a lossy run goes 10 times slower; on a loaded 2-core machine that takes 10-15 s,
 * hence 5 warm-up iterations of 3 s (pass {@code -wi 5 -w 3s} through {@code ./bench}, whose
 * shorter defaults replace these).
 *
 * <p>Target (issue 3): at least 2 M segments/s on one core, i.e. at most 500 ns per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class TcpThroughputBench {
  static final int SEGMENTS_PER_CALL = 10_000;
  /** The benchmark thread's CPU time: on a shared machine, wall time also counts other work. */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  static final String BASE = "delay 5ms rate 1gbit limit 10000";

  @Param({"clean", "loss1"})
  public String link;

  /**
   * The simulation's pending-event set: the default heap, or the hierarchical timing wheel. Named
   * {@code impl} like the timer benchmarks' parameter, so {@link BenchMain}'s table puts the two
   * in its heap and wheel columns.
   */
  @Param({"heap", "wheel"})
  public String impl;

  private BulkTransfer bulk;
  private long wallStart;
  private long virtualStart;
  private long bytesStart;
  private long segmentsStart;
  private long dataStart;
  private long cpuStart;

  static String netem(String link) {
    return switch (link) {
      case "clean" -> BASE;
      case "loss1" -> BASE + " loss 1%";
      default -> throw new IllegalArgumentException("link must be clean or loss1: " + link);
    };
  }

  @Setup(Level.Trial)
  public void setUp() {
    PendingEventSet set = switch (impl) {
      case "heap" -> new HeapEventSet();
      case "wheel" -> new HierarchicalTimingWheel();
      default -> throw new IllegalArgumentException("impl must be heap or wheel: " + impl);
    };
    bulk = new BulkTransfer(0x5eed, netem(link), set);
    bulk.warmUp(Nanos.seconds(5));
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    wallStart = System.nanoTime();
    cpuStart = CPU.getCurrentThreadCpuTime();
    virtualStart = bulk.sim.now();
    bytesStart = bulk.payloadBytesRead();
    segmentsStart = bulk.segments();
    dataStart = bulk.dataSegments();
  }

  @TearDown(Level.Iteration)
  public void reportIteration() {
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double cpu = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    double virtual = (bulk.sim.now() - virtualStart) / 1e9;
    long segments = bulk.segments() - segmentsStart;
    long data = bulk.dataSegments() - dataStart;
    long bytes = bulk.payloadBytesRead() - bytesStart;
    System.out.printf(Locale.ROOT,
        "%n[tcp-throughput] %s, %s: %.2f M segments/s of wall time, %.2f M per CPU second"
            + " (%.0f%% data), payload %.1f MB/s of wall time,"
            + " virtual %.3f s in %.3f s wall (virtual/real %.2f), virtual goodput %.0f Mbit/s%n",
        link, impl, segments / wall / 1e6, segments / cpu / 1e6,
        100.0 * data / Math.max(1, segments), bytes / wall / 1e6,
        virtual, wall, virtual / wall, bytes * 8 / Math.max(virtual, 1e-9) / 1e6);
  }

  @Benchmark
  @OperationsPerInvocation(SEGMENTS_PER_CALL)
  public long segment() {
    bulk.runSegments(SEGMENTS_PER_CALL);
    return bulk.sim.now();
  }
}
