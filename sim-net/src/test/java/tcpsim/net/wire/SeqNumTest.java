package tcpsim.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumTest {
  @Test
  void comparisonsHoldAcrossTheWrap() {
    int justBeforeWrap = 0xffff_fff0;
    int afterWrap = justBeforeWrap + 0x20;
    assertEquals(0x10, afterWrap);
    assertTrue(SeqNum.lt(justBeforeWrap, afterWrap));
    assertTrue(SeqNum.gt(afterWrap, justBeforeWrap));
    assertTrue(SeqNum.inWindow(0, justBeforeWrap, afterWrap));
    assertFalse(SeqNum.inWindow(afterWrap, justBeforeWrap, afterWrap));
    assertEquals(afterWrap, SeqNum.max(justBeforeWrap, afterWrap));
    assertEquals(0x20, SeqNum.distance(justBeforeWrap, afterWrap));
  }

  @Test
  void printsUnsigned() {
    assertEquals("4294967295", SeqNum.toString(-1));
    assertEquals(4294967295L, SeqNum.unsigned(-1));
  }
}
