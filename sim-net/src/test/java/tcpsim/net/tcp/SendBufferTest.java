package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendBufferTest {
  @Test
  void aWriterFillsTheBufferThenAcksMakeRoom() {
    SendBuffer buf = new SendBuffer(1001, 16_384, false);
    assertEquals(10_000, buf.write(10_000));
    assertEquals(6_384, buf.write(10_000)); // only what fits
    assertEquals(0, buf.write(1)); // full: the caller's EAGAIN
    assertEquals(1001 + 16_384, buf.writeEnd());
    int sndNxt = 1001 + 14_480; // ten 1448-byte segments sent
    assertEquals(14_480, buf.unacked(sndNxt));
    assertEquals(1_904, buf.unsent(sndNxt));
    assertEquals(2_896, buf.ack(1001 + 2_896));
    assertEquals(2_896, buf.freeSpace());
    assertEquals(0, buf.ack(1001)); // an old ACK frees nothing
    assertEquals(0, buf.retainedBytes()); // length-only: never holds bytes
  }

  @Test
  void writabilityNeedsFreeSpaceOfHalfWhatIsQueued() {
    SendBuffer buf = new SendBuffer(1, 12_000, false);
    buf.write(12_000);
    assertFalse(buf.isWritable());
    buf.ack(1 + 3_000); // 9000 queued, 3000 free: not yet
    assertFalse(buf.isWritable());
    buf.ack(1 + 4_000); // 8000 queued, 4000 free: writable
    assertTrue(buf.isWritable());
  }

  @Test
  void contentTravelsAcrossTheRingWrapAndTheSequenceWrap() {
    int iss1 = 0xffff_fff0; // data starts 16 bytes before the sequence wrap
    SendBuffer buf = new SendBuffer(iss1, 64, true);
    byte[] data = new byte[200];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    assertEquals(64, buf.write(data, 0, 200));
    assertEquals(40, buf.ack(iss1 + 40));
    assertEquals(40, buf.write(data, 64, 40)); // wraps inside the ring
    byte[] seg = buf.payload(iss1 + 50, 50);
    for (int i = 0; i < 50; i++) {
      assertEquals((byte) (50 + i), seg[i], "byte " + i);
    }
    assertEquals(iss1 + 104, buf.writeEnd());
    assertEquals(104 - 16, buf.writeEnd()); // crossed 2^32
  }

  @Test
  void anIdleContentBufferHoldsNoMemory() {
    SendBuffer buf = new SendBuffer(1, 1 << 20, true);
    assertEquals(0, buf.retainedBytes());
    buf.write(new byte[1000], 0, 1000);
    assertEquals(4096, buf.retainedBytes()); // lazily allocated, small first
    buf.write(new byte[10_000], 0, 10_000);
    assertEquals(16_384, buf.retainedBytes()); // grew by doubling
    buf.ack(1 + 11_000);
    assertEquals(0, buf.retainedBytes()); // emptied: released
    assertArrayEquals(new byte[0], buf.payload(1 + 11_000, 0));
  }

  @Test
  void lengthOnlySegmentsCarryNoPayloadBytes() {
    SendBuffer buf = new SendBuffer(1, 1000, false);
    buf.write(500);
    assertNull(buf.payload(1, 500));
    assertThrows(IllegalArgumentException.class, () -> buf.payload(1, 501));
    assertThrows(IllegalStateException.class, () -> buf.copyOut(1, 1, new byte[1], 0));
  }

  @Test
  void misuseIsRefusedWithTheBadValue() {
    SendBuffer buf = new SendBuffer(100, 1000, false);
    buf.write(10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buf.ack(111));
    assertTrue(e.getMessage().contains("111"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new SendBuffer(1, 10, true).write(5));
    assertThrows(IllegalArgumentException.class, () -> new SendBuffer(1, 0, false));
  }

  @Test
  void soSndbufIsDoubledCappedAndFloored() {
    assertEquals(131_072, SendBuffer.sndbufFromSetsockopt(65_536, 212_992));
    assertEquals(425_984, SendBuffer.sndbufFromSetsockopt(1 << 20, 212_992)); // wmem_max cap
    assertEquals(4_608, SendBuffer.sndbufFromSetsockopt(1000, 212_992)); // as a 6.18 kernel reports
  }
}
