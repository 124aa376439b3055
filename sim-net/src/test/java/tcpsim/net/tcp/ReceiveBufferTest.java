package tcpsim.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tcpsim.net.tcp.ReceiveBuffer.Outcome;

class ReceiveBufferTest {
  private static final int MACHINE_RMEM_MAX = 33_554_432; // tcp_rmem[2] on the checking machine
  private static final int MACHINE_CORE_RMEM_MAX = 4_194_304;

  /** SACK blocks as "start-end" pairs, most recent first, relative to {@code base}. */
  private static String sacks(ReceiveBuffer rb, int base) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rb.sackCount(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(rb.sackStart(i) - base).append('-').append(rb.sackEnd(i) - base);
    }
    return sb.toString();
  }

  private static ReceiveBuffer lengthOnly(int rcvbuf) {
    return new ReceiveBuffer(0, rcvbuf, false); // data starts at sequence 1
  }

  @Test
  void activeOpenWindowsMatchA618KernelWithDefaultBuffers() {
    ReceiveBuffer rb = lengthOnly(ReceiveBuffer.TCP_RMEM_DEFAULT);
    // SYN: 65536 of space rounded down to 44 x 1460; scale from tcp_rmem[2] = 32 MiB -> 10.
    assertEquals(64_240, rb.chooseInitialWindow(1460, true, false, MACHINE_RMEM_MAX, MACHINE_CORE_RMEM_MAX));
    assertEquals(10, rb.rcvWscale());
    rb.startAt(5000); // the SYN-ACK's sequence number
    rb.establish(1448, 1448);
    assertEquals(64_088, rb.windowClamp()); // 65536 - 1448, as tcpi_rcv_ssthresh showed
    assertEquals(64_088, rb.rcvSsthresh());
    assertEquals(536, rb.rcvMss());
    assertEquals(63, rb.selectWindow()); // 63 << 10 = 64512, tcpi_rcv_wnd on the kernel
    assertEquals(64_512, rb.rcvWnd());
  }

  @Test
  void withLinuxDefaultSysctlsTheScaleIs7AndTheFirstAckNeverShrinksTheSynWindow() {
    ReceiveBuffer rb = lengthOnly(ReceiveBuffer.TCP_RMEM_DEFAULT);
    assertEquals(64_240, rb.chooseInitialWindow(1460, true, false,
        ReceiveBuffer.TCP_RMEM_MAX_DEFAULT, ReceiveBuffer.CORE_RMEM_MAX_DEFAULT));
    assertEquals(7, rb.rcvWscale());
    rb.establish(1448, 1448);
    // 64088 rounds up to 64128, below the 64240 offered: the edge stays, rounded up to 64256.
    assertEquals(502, rb.selectWindow());
    assertEquals(64_256, rb.rcvWnd());
  }

  @Test
  void passiveOpenRoundsToTheTimestampMss() {
    ReceiveBuffer rb = lengthOnly(ReceiveBuffer.TCP_RMEM_DEFAULT);
    assertEquals(65_160, rb.chooseInitialWindow(1448, true, false, MACHINE_RMEM_MAX, MACHINE_CORE_RMEM_MAX));
  }

  @Test
  void aSmallSoRcvbufGivesNoScaleAndTheKernelsNumbers() {
    int rcvbuf = ReceiveBuffer.rcvbufFromSetsockopt(8192, MACHINE_CORE_RMEM_MAX);
    assertEquals(16_384, rcvbuf);
    ReceiveBuffer rb = lengthOnly(rcvbuf);
    assertEquals(7_300, rb.chooseInitialWindow(1460, true, true, MACHINE_RMEM_MAX, MACHINE_CORE_RMEM_MAX));
    assertEquals(0, rb.rcvWscale());
    rb.establish(1448, 1448);
    assertEquals(6_744, rb.rcvSsthresh());
    assertEquals(7_300, rb.selectWindow()); // never shrinks below the SYN's offer
  }

  @Test
  void sackBlocksKeepTheMostRecentFirstAndForgetTheOldestBeyondFour() {
    ReceiveBuffer rb = lengthOnly(1 << 20);
    // Segment 1-101 is lost; the rest arrive out of order.
    assertEquals(Outcome.OUT_OF_ORDER, rb.receive(101, 100, false, null, 0));
    assertEquals("101-201", sacks(rb, 0));
    rb.receive(301, 100, false, null, 0);
    assertEquals("301-401 101-201", sacks(rb, 0));
    rb.receive(201, 100, false, null, 0); // extends the second block: rotated first, then merged
    assertEquals("101-401", sacks(rb, 0));
    rb.receive(601, 100, false, null, 0);
    rb.receive(801, 100, false, null, 0);
    rb.receive(1001, 100, false, null, 0);
    assertEquals("1001-1101 801-901 601-701 101-401", sacks(rb, 0));
    rb.receive(1201, 100, false, null, 0);
    assertEquals("1201-1301 1001-1101 801-901 601-701", sacks(rb, 0)); // 101-401 forgotten
    rb.receive(701, 50, false, null, 0); // touches 601-701: back to the front
    assertEquals("601-751 1201-1301 1001-1101 801-901", sacks(rb, 0));
    assertEquals(5, rb.outOfOrderRanges());

    assertEquals(Outcome.IN_ORDER, rb.receive(1, 100, false, null, 0)); // fills up to 401
    assertEquals(401, rb.rcvNxt());
    assertEquals(400, rb.readable());
    rb.receive(401, 200, false, null, 0); // reaches 601-751
    assertEquals(751, rb.rcvNxt());
    assertEquals("1201-1301 1001-1101 801-901", sacks(rb, 0));
  }

  @Test
  void fillingTheLastGapEmptiesTheQueueAndAsksForAnImmediateAck() {
    ReceiveBuffer rb = lengthOnly(1 << 20);
    rb.receive(101, 100, false, null, 0);
    assertEquals(Outcome.IN_ORDER_GAP_FILLED, rb.receive(1, 100, false, null, 0));
    assertEquals(0, rb.sackCount());
    assertEquals(0, rb.outOfOrderRanges());
    assertTrue(rb.retainedBytes() > 0); // kept while data is held
    rb.read(200);
    // All read: the out-of-order arrays are gone; the emptied skb table (four int[8]) stays, so a
    // steady reader does not make a new one for every segment.
    assertEquals(4 * 4 * 8, rb.retainedBytes());
  }

  @Test
  void aTransferWithLossAndReorderingAllocatesNothingPerSegmentOnceWarm() {
    ReceiveBuffer rb = lengthOnly(1 << 20);
    rb.chooseInitialWindow(1000, true, false, ReceiveBuffer.TCP_RMEM_MAX_DEFAULT, 0);
    rb.establish(1000, 1000);
    int[] seq = {1};
    for (int round = 0; round < 2_000; round++) { // warm up: arrays grow, the JIT compiles
      lossyRound(rb, seq);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int round = 0; round < 2_000; round++) {
      lossyRound(rb, seq);
    }
    long bytes = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(bytes < 20_000, bytes + " bytes allocated for 20000 segments"); // slack for the probe
  }

  /** Ten 1000-byte segments, the third arriving last; the reader leaves a little unread. */
  private static void lossyRound(ReceiveBuffer rb, int[] seq) {
    int base = seq[0];
    for (int i = 0; i < 10; i++) {
      if (i != 2) {
        rb.receive(base + i * 1000, 1000, false, null, 0);
        rb.selectWindow();
      }
    }
    rb.receive(base + 2000, 1000, false, null, 0);
    rb.selectWindow();
    rb.clearDsack();
    rb.read(rb.readable() - 1);
    seq[0] = base + 10_000;
  }

  @Test
  void duplicatesAreReportedOnceWithDsack() {
    ReceiveBuffer rb = lengthOnly(1 << 20);
    rb.receive(1, 100, false, null, 0);
    assertEquals(Outcome.DUPLICATE, rb.receive(1, 100, false, null, 0));
    assertTrue(rb.hasDsack());
    assertEquals(1, rb.dsackStart());
    assertEquals(101, rb.dsackEnd());
    rb.clearDsack();
    assertFalse(rb.hasDsack());
    // A retransmission overlapping the edge: its old head is D-SACKed, the rest is new data.
    assertEquals(Outcome.IN_ORDER, rb.receive(51, 100, false, null, 0));
    assertEquals(151, rb.rcvNxt());
    assertEquals(51, rb.dsackStart());
    assertEquals(101, rb.dsackEnd());
    rb.clearDsack();
    // An out-of-order duplicate: D-SACK, and its SACK block still comes first.
    rb.receive(301, 100, false, null, 0);
    rb.receive(501, 100, false, null, 0);
    assertEquals(Outcome.DUPLICATE, rb.receive(301, 100, false, null, 0));
    assertEquals(301, rb.dsackStart());
    assertEquals("301-401 501-601", sacks(rb, 0));
    rb.clearDsack();
    // In-order data that also covers queued data D-SACKs the overlap (tcp_ofo_queue).
    rb.receive(151, 200, false, null, 0);
    assertEquals(401, rb.rcvNxt());
    assertEquals(301, rb.dsackStart());
    assertEquals(351, rb.dsackEnd());
  }

  @Test
  void anOutOfOrderFinWaitsForTheGap() {
    ReceiveBuffer rb = lengthOnly(1 << 20);
    assertEquals(Outcome.OUT_OF_ORDER, rb.receive(101, 100, true, null, 0));
    assertEquals("101-202", sacks(rb, 0)); // the FIN's sequence number is in the block
    assertFalse(rb.finReceived());
    assertEquals(Outcome.IN_ORDER_GAP_FILLED, rb.receive(1, 100, false, null, 0));
    assertTrue(rb.finReceived());
    assertEquals(202, rb.rcvNxt());
    assertEquals(200, rb.readable());
    assertEquals(200, rb.read(1000));
    assertEquals(0, rb.read(1000)); // end of stream
    assertEquals(Outcome.DUPLICATE, rb.receive(201, 0, true, null, 0)); // retransmitted FIN
  }

  /** IPv4 + TCP headers with the timestamp option, as the segments below carry them. */
  private static final int HEADERS_WITH_TS = 52;

  @Test
  void eachSkbChargesItsTruesizeUnlessItFitsTheTailroomOfTheOneBefore() {
    // sk_rmem_alloc after each segment, as `ss -m` showed it (skmem r) on the 6.18 witness for
    // the same segments arriving over tun: 832, 2112, 2112, 3392, 5696.
    ReceiveBuffer rb = lengthOnly(540_000);
    rb.chooseInitialWindow(1448, true, false, 15_728_640, ReceiveBuffer.CORE_RMEM_MAX_DEFAULT);
    rb.establish(1448, 1448);
    int seq = 1;
    int[] lengths = {100, 200, 300, 400, 600};
    int[] rmem = {832, 2112, 2112, 3392, 5696};
    for (int i = 0; i < lengths.length; i++) {
      rb.receive(seq, lengths[i], false, null, 0, HEADERS_WITH_TS + lengths[i]);
      seq += lengths[i];
      assertEquals(rmem[i], rb.rmemAlloc(), "after " + lengths[i] + " bytes");
    }
    // The 600-byte segment re-measured the ratio: 600 * 256 / 2304 (tcp_measure_rcv_mss), which
    // pulled window_clamp and rcv_ssthresh down to 540000 * 66 / 256 = 139218.
    assertEquals(66, rb.scalingRatio());
    assertEquals(139_218, rb.rcvSsthresh());
    rb.read(100 + 200 + 299); // the third skb (200 + 300 coalesced) is not read whole yet
    assertEquals(5696 - 832, rb.rmemAlloc());
    rb.read(1);
    assertEquals(5696 - 832 - 1280, rb.rmemAlloc());
    rb.read(1000);
    assertEquals(0, rb.rmemAlloc());
  }

  /**
   * sk_forward_alloc on the receive side: whole pages are scheduled when an skb does not fit what
   * is left (sk_rmem_schedule), and whole free pages go back as soon as memory is freed
   * (sk_mem_uncharge, sk_mem_reclaim). The fast path takes only an skb that fits it.
   */
  @Test
  void theForwardAllocationGrowsByWholePagesAndGivesFreePagesBack() {
    ReceiveBuffer rb = lengthOnly(540_000);
    rb.chooseInitialWindow(1448, true, false, 15_728_640, ReceiveBuffer.CORE_RMEM_MAX_DEFAULT);
    rb.establish(1448, 1448);
    assertEquals(0, rb.forwardAlloc());
    rb.receive(1, 100, false, null, 0, HEADERS_WITH_TS + 100); // 832 bytes charged
    assertEquals(4096 - 832, rb.forwardAlloc());
    rb.receive(101, 1000, false, null, 0, HEADERS_WITH_TS + 1000); // 2304 more, still one page
    assertEquals(4096 - 832 - 2304, rb.forwardAlloc());
    rb.receive(1101, 1000, false, null, 0, HEADERS_WITH_TS + 1000); // a second page is scheduled
    assertEquals(8192 - 832 - 2 * 2304, rb.forwardAlloc());
    rb.read(2100);
    assertEquals(0, rb.rmemAlloc());
    assertEquals(0, rb.forwardAlloc(), "every page went back");
  }

  @Test
  void theSendQueueDrawsOnTheSamePagesAsTheReceiveQueue() {
    ReceiveBuffer rb = lengthOnly(540_000);
    rb.chooseInitialWindow(1448, true, false, 15_728_640, ReceiveBuffer.CORE_RMEM_MAX_DEFAULT);
    rb.establish(1448, 1448);
    rb.chargeSendQueue(833); // a 1-byte write: one page scheduled
    assertEquals(4096 - 833, rb.forwardAlloc());
    rb.receive(1, 100, false, null, 0, HEADERS_WITH_TS + 100); // 832 more fit the same page
    assertEquals(4096 - 833 - 832, rb.forwardAlloc());
    rb.chargeSendQueue(0); // the write acknowledged: less than a page free, none goes back
    assertEquals(4096 - 832, rb.forwardAlloc());
    rb.read(100);
    assertEquals(0, rb.forwardAlloc(), "every page went back");
  }

  @Test
  void aFullBufferAdvertisesZeroDropsDataAndReopensOnlyForAUsefulRead() {
    ReceiveBuffer rb = lengthOnly(4000); // 2000 bytes of window space
    assertEquals(2000, rb.chooseInitialWindow(500, false, true, 0, 0));
    rb.establish(500, 500);
    assertEquals(2000, rb.selectWindow());
    for (int seq = 1; seq < 2001; seq += 500) {
      assertEquals(Outcome.IN_ORDER, rb.receive(seq, 500, false, null, 0));
    }
    assertEquals(0, rb.selectWindow());
    assertEquals(Outcome.DROPPED_ZERO_WINDOW, rb.receive(2001, 500, false, null, 0));
    assertEquals(Outcome.DROPPED_OUT_OF_WINDOW, rb.receive(2501, 500, false, null, 0));
    rb.read(100); // 100 bytes free: below an MSS, no window update (silly window avoidance)
    assertFalse(rb.windowUpdateWorthSending());
    rb.read(900);
    assertTrue(rb.windowUpdateWorthSending());
    // Two skbs read whole free 2 x 1280 bytes of truesize: (4000 - 2560) / 2 = 720 bytes of space,
    // offered as a multiple of the MSS.
    assertEquals(500, rb.selectWindow());
    assertEquals(Outcome.IN_ORDER, rb.receive(2001, 500, false, null, 0));
  }

  @Test
  void acceptabilityFollowsTcpSequence() {
    ReceiveBuffer rb = lengthOnly(4000);
    rb.receive(1, 100, false, null, 0);
    rb.selectWindow(); // rcv_wup = 101, window 2000
    assertTrue(rb.isOldSequence(100));
    assertFalse(rb.isOldSequence(101));
    assertFalse(rb.isBeyondWindow(101 + 1900));
    assertTrue(rb.isBeyondWindow(101 + 1900 + 1)); // window shrank by the 100 bytes held
  }

  @Test
  void contentArrivesByteForByteThroughReorderingAcrossTheSequenceWrap() {
    int irs = 0xffff_ff00;
    ReceiveBuffer rb = new ReceiveBuffer(irs, 1 << 16, true);
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    int[] order = {3, 0, 2, 9, 1, 5, 4, 8, 6, 7, 2, 9}; // 1000-byte segments, some duplicated
    for (int k : order) {
      rb.receive(irs + 1 + k * 1000, 1000, false, data, k * 1000);
    }
    assertEquals(irs + 1 + 10_000, rb.rcvNxt());
    byte[] got = new byte[10_000];
    assertEquals(6_000, rb.read(got, 0, 6_000));
    assertEquals(4_000, rb.read(got, 6_000, 4_000));
    assertArrayEquals(data, got);
    // Everything read: the ring and out-of-order arrays are released; the emptied skb table
    // (grown to four int[16] by the reordering) stays for the connection's life.
    assertEquals(4 * 4 * 16, rb.retainedBytes());
  }

  @Test
  void theContentRingStartsSmallAndGrowsWithWhatIsHeldNotWithTheBuffer() {
    ReceiveBuffer rb = new ReceiveBuffer(0, 1 << 20, true);
    byte[] data = new byte[20_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13 + 5);
    }
    rb.receive(1, 1000, false, data, 0);
    int small = rb.retainedBytes();
    assertTrue(small < 8192, "1000 bytes held in a 1 MiB buffer retain " + small);
    byte[] got = new byte[20_000];
    assertEquals(500, rb.read(got, 0, 500)); // the ring's start moves off its first byte
    rb.receive(1 + 19_000, 1000, false, data, 19_000); // out of order, 19,500 bytes past it: grows
    rb.receive(1 + 1000, 18_000, false, data, 1000); // the gap filled
    assertTrue(rb.retainedBytes() >= 19_500 && rb.retainedBytes() < 65_536, "retained " + rb.retainedBytes());
    assertEquals(19_500, rb.read(got, 500, 19_500));
    assertArrayEquals(data, got);
  }

  @Test
  void anIdleBufferHoldsNoMemory() {
    ReceiveBuffer rb = new ReceiveBuffer(0, 1 << 20, true);
    assertEquals(0, rb.retainedBytes());
    assertThrows(IllegalArgumentException.class, () -> rb.receive(1, 10, false, null, 0));
    assertThrows(IllegalArgumentException.class, () -> rb.sackStart(0));
  }

  @Test
  void aSegmentWithADuplicateHeadMeasuresTheReceiveMssWithItsWholeLength() {
    // tcp_data_queue queues a partial segment whole (tcp_recvmsg skips its old head), so
    // tcp_event_data_recv sees skb->len: 1000 bytes move the receive MSS though only 500 are new.
    ReceiveBuffer rb = lengthOnly(ReceiveBuffer.TCP_RMEM_DEFAULT);
    rb.chooseInitialWindow(1460, true, false, MACHINE_RMEM_MAX, MACHINE_CORE_RMEM_MAX);
    rb.startAt(500);
    rb.establish(1448, 1448);
    assertEquals(536, rb.rcvMss());
    assertEquals(Outcome.IN_ORDER, rb.receive(1, 1000, false, null, 0));
    assertEquals(1001, rb.rcvNxt());
    assertEquals(1000, rb.rcvMss());
  }
}
