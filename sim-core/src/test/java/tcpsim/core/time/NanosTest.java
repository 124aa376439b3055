package tcpsim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NanosTest {
  @Test
  void formatsAsTcpdumpDoesWithMicrosecondDigits() {
    assertEquals("12.004512s", Nanos.format(12_004_512_999L));
    assertEquals("0.000000s", Nanos.format(0));
    assertEquals("60.000001", Nanos.formatSeconds(Nanos.seconds(60) + 1_000));
  }

  @Test
  void unitsConvertAndOverflowIsRefused() {
    assertEquals(1_500_000L, Nanos.micros(1_500));
    assertEquals(200_000_000L, Nanos.millis(200));
    assertThrows(ArithmeticException.class, () -> Nanos.seconds(Long.MAX_VALUE / 10));
  }
}
