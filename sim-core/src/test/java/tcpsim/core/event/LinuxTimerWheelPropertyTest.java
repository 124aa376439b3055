package tcpsim.core.event;

import static tcpsim.core.event.EventSetScript.scripts;

import org.junit.jupiter.api.Test;
import tcpsim.core.check.Property;

/**
 * The Linux wheel against a model of its rounding written here from the kernel's level table
 * (kernel/time/timer.c), independently of the wheel's code: level n holds deltas below
 * 63 * 8^n jiffies, fires at the next multiple of 8^n strictly after the expiry, and the last
 * level clamps (the clamped timer is re-armed for the rest, as its owner would). Every timer
 * must fire at exactly that time, never early, in (time, seq) order.
 */
class LinuxTimerWheelPropertyTest {

  /** The expected fire time, from the kernel's table: granularities 8^n, ranges 63 * 8^n. */
  static long expectedFireNanos(int hz, long deadlineNanos, long clockNanos) {
    long jiffy = 1_000_000_000L / hz;
    int depth = hz > 100 ? 9 : 8;
    long clk = clockNanos / jiffy;
    long expires = (deadlineNanos + jiffy - 1) / jiffy;
    long top = 1L << (3 * (depth - 1));
    while (expires - clk >= 63 * top) {
      // Clamped to WHEEL_TIMEOUT_MAX: fires there early and is re-armed for the rest.
      clk = ((clk + 62 * top) / top + 1) * top;
    }
    long delta = expires - clk;
    if (delta < 0) {
      return clk * jiffy;
    }
    long granularity = 1;
    int level = 0;
    while (level < depth - 1 && delta >= 63 * granularity) {
      granularity *= 8;
      level++;
    }
    return (expires / granularity + 1) * granularity * jiffy;
  }

  private static void check(int hz) {
    Property.forAll(scripts(400))
        .named("Linux wheel at HZ=" + hz + " fires at the kernel's rounded times")
        .verify(script -> new EventSetScript(new LinuxTimerWheel(hz),
            (deadline, clock) -> expectedFireNanos(hz, deadline, clock)).play(script));
  }

  @Test
  void atHz250EveryTimerFiresAtItsLevelsRoundedTime() {
    check(250);
  }

  @Test
  void atHz1000EveryTimerFiresAtItsLevelsRoundedTime() {
    check(1000);
  }

  @Test
  void atHz100EveryTimerFiresAtItsLevelsRoundedTime() {
    check(100);
  }
}
