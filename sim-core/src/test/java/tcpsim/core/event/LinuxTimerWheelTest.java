package tcpsim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.core.time.Nanos.millis;
import static tcpsim.core.time.Nanos.seconds;

import org.junit.jupiter.api.Test;

/** Linux timer slack as kernel/time/timer.c produces it, told as the kernel tables tell it. */
class LinuxTimerWheelTest {

  private static long fireTimeOfOneTimer(int hz, long clockNanos, long deadlineNanos) {
    LinuxTimerWheel wheel = new LinuxTimerWheel(hz);
    wheel.advanceTo(clockNanos);
    wheel.add(0, deadlineNanos, 1);
    return wheel.peekTime();
  }

  @Test
  void timeWaitOfSixtySecondsAtHz250LandsOnATwoSecondStep() {
    // 15,000 jiffies: level 3, 512-jiffy (2.048 s) steps; ((15000 >> 9) + 1) << 9 = 15,360.
    assertEquals(millis(61_440), fireTimeOfOneTimer(250, 0, seconds(60)));
  }

  @Test
  void timeWaitOfSixtySecondsAtHz1000LandsOnAFourSecondStep() {
    // 60,000 jiffies: level 4, 4,096-jiffy (4.096 s) steps; 15 * 4096 = 61,440.
    assertEquals(millis(61_440), fireTimeOfOneTimer(1000, 0, seconds(60)));
  }

  @Test
  void aRetransmissionTimeoutOf200MsFiresAFewMillisecondsLate() {
    // HZ=1000: 200 jiffies is level 1 (8 ms steps) -> 208 ms.
    assertEquals(millis(208), fireTimeOfOneTimer(1000, 0, millis(200)));
    // HZ=250: 50 jiffies is level 0, which still rounds up by one jiffy -> 51 jiffies = 204 ms.
    assertEquals(millis(204), fireTimeOfOneTimer(250, 0, millis(200)));
  }

  @Test
  void stepsAreAlignedToTheWheelNotToTheArmingTime() {
    // Armed at 10 s for 60 s: jiffy 17,500 rounds up to the next multiple of 512, 17,920.
    assertEquals(millis(71_680), fireTimeOfOneTimer(250, seconds(10), seconds(70)));
  }

  @Test
  void theLevelDependsOnTheDistanceFromTheClock() {
    // Due at 62 s: from 0 it is level 3 (2.048 s steps), from 61.9 s it is level 0.
    assertEquals(millis(63_488), fireTimeOfOneTimer(250, 0, seconds(62)));
    assertEquals(millis(62_004), fireTimeOfOneTimer(250, millis(61_900), seconds(62)));
  }

  @Test
  void aZeroDelayTimerFiresOneJiffyLater() {
    assertEquals(millis(4), fireTimeOfOneTimer(250, 0, 0));
    assertEquals(millis(1), fireTimeOfOneTimer(1000, 0, 0));
  }

  @Test
  void aDeadlineInsideAJiffyIsRoundedUpToTheJiffyFirst() {
    // 1 ns past jiffy 0 is jiffy 1 (never early), which level 0 rounds to jiffy 2.
    assertEquals(millis(2), fireTimeOfOneTimer(1000, 0, 1));
  }

  @Test
  void aTimerIsLateByLessThanAnEighthOfItsDelayBeyondLevelZero() {
    for (long ms = 64; ms < 10_000_000; ms = ms * 5 / 4 + 1) {
      long fire = fireTimeOfOneTimer(1000, 0, millis(ms));
      long late = fire - millis(ms);
      assertTrue(late > 0 && late * 63 <= millis(ms) * 8,
          ms + " ms fired " + late + " ns late, more than one step of its level");
    }
  }

  @Test
  void aTimerBeyondTheWheelsRangeFiresWhereItsRearmedRemainderLands() {
    // HZ=1000 covers 63 << 24 jiffies (about 12 days). A 30-day timer clamps at jiffy 63 << 24,
    // is re-armed there, clamps again at 126 << 24, and then lands on level 8: 155 << 24.
    long fire = fireTimeOfOneTimer(1000, 0, seconds(30L * 24 * 3600));
    assertEquals(millis(155L << 24), fire);
    assertTrue(fire >= seconds(30L * 24 * 3600));
  }

  @Test
  void theKernelPicksNineLevelsAboveHz100AndEightAtHz100() {
    assertEquals(8, new LinuxTimerWheel(100).depth());
    assertEquals(9, new LinuxTimerWheel(250).depth());
    assertEquals(9, new LinuxTimerWheel(1000).depth());
    assertEquals(4_000_000, new LinuxTimerWheel(250).jiffyNanos());
  }

  @Test
  void aTickRateThatIsNotAWholeNumberOfNanosecondsIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LinuxTimerWheel(300));
    assertTrue(e.getMessage().contains("hz") && e.getMessage().contains("300"), e.getMessage());
  }

  @Test
  void timersWithTheSameFireTimeLeaveFirstInFirstOutAcrossLevels() {
    // At HZ=1000, 63 ms armed at clock 0 is level 1 (8 ms steps) and fires at jiffy 64; armed
    // at clock 1 ms it is level 0 and fires at jiffy 64 too. The first armed leaves first.
    LinuxTimerWheel wheel = new LinuxTimerWheel(1000);
    wheel.add(4, millis(63), 1); // delta 63: level 1, fires at 64
    wheel.advanceTo(millis(1));
    wheel.add(2, millis(63), 2); // delta 62: level 0, fires at 64
    assertEquals(4, wheel.poll());
    assertEquals(2, wheel.poll());
  }

  @Test
  void aSimulationOnTheLinuxWheelRunsItsHandlersAtTheRoundedTime() {
    Simulation sim = new Simulation(7, new LinuxTimerWheel(250));
    long[] firedAt = {-1};
    sim.schedule(seconds(60), (now, arg) -> firedAt[0] = now, 0);
    sim.run();
    assertEquals(millis(61_440), firedAt[0]);
    assertEquals(millis(61_440), sim.now());
  }

  @Test
  void runUntilMovesTheWheelsClockSoLaterTimersMeasureFromIt() {
    Simulation sim = new Simulation(7, new LinuxTimerWheel(250));
    sim.runUntil(millis(61_900));
    long[] firedAt = {-1};
    sim.schedule(seconds(62), (now, arg) -> firedAt[0] = now, 0);
    sim.run();
    assertEquals(millis(62_004), firedAt[0]); // level 0 from the new clock, not level 3 from 0
  }
}
