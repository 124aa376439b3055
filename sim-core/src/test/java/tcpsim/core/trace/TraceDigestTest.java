package tcpsim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class TraceDigestTest {
  private static TraceDigest of(long... values) {
    TraceDigest d = new TraceDigest();
    for (long v : values) {
      d.add(v);
    }
    return d;
  }

  @Test
  void theSameValuesGiveTheSameDigest() {
    assertEquals(of(1, 2, 3).hex(), of(1, 2, 3).hex());
  }

  @Test
  void orderMatters() {
    assertNotEquals(of(1, 2, 3).value(), of(3, 2, 1).value());
  }

  @Test
  void aRepeatedValueIsNotCancelledOut() {
    assertNotEquals(of(5).value(), of(5, 5, 5).value());
    assertNotEquals(of().value(), of(0).value());
  }

  @Test
  void hexIsSixteenDigits() {
    assertEquals(16, of(0).hex().length());
  }
}
