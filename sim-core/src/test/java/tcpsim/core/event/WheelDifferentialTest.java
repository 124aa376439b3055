package tcpsim.core.event;

import static tcpsim.core.event.EventSetScript.EXACT;
import static tcpsim.core.event.EventSetScript.scripts;

import org.junit.jupiter.api.Test;
import tcpsim.core.check.Property;

/**
 * The hierarchical wheel against the reference heap: random scripts of schedules (equal
 * deadlines, deadlines inside one tick, deadlines days out), cancels, polls and clock jumps of
 * hours must give out the same slots at the same times. A failure prints the seed, the shrunk
 * script and the replay line.
 */
class WheelDifferentialTest {

  @Test
  void hierarchicalWheelFiresExactlyAsTheHeapDoes() {
    Property.forAll(scripts(400))
        .named("hierarchical wheel (1 ms ticks) fires as the heap")
        .verify(script -> new EventSetScript(new HierarchicalTimingWheel(), EXACT).play(script));
  }

  @Test
  void aWheelOfOneNanosecondTicksFiresExactlyAsTheHeapDoes() {
    Property.forAll(scripts(400))
        .named("hierarchical wheel (1 ns ticks) fires as the heap")
        .verify(script -> new EventSetScript(new HierarchicalTimingWheel(1, 0), EXACT).play(script));
  }

  @Test
  void aWheelOfCoarseOddTicksFiresExactlyAsTheHeapDoes() {
    // 7.3 ms ticks: many distinct deadlines share a tick, so due ticks must be sorted.
    Property.forAll(scripts(400))
        .named("hierarchical wheel (7.3 ms ticks) fires as the heap")
        .verify(script ->
            new EventSetScript(new HierarchicalTimingWheel(7_300_000, 0), EXACT).play(script));
  }
}
