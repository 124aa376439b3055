package tcpsim.net.tcp;

import tcpsim.net.wire.SeqNum;

/**
 * The send buffer: bytes the application has written that the peer has not yet acknowledged, as
 * the sequence range {@code [una, writeEnd)} (snd_una to write_seq), with a capacity in bytes
 * (sk_sndbuf). Where the connection's snd_nxt falls inside that range is the connection's business;
 * the buffer answers questions about it ({@link #unsent}, {@link #unacked}).
 *
 * <p>Two modes. Length-only (the default): the buffer holds no bytes at all, only the range, which
 * is what a simulation of a million connections needs. Content: the bytes themselves sit in a ring
 * so that segments can carry the application's payload end to end; the ring is allocated on the
 * first write, grows by doubling up to the capacity, and is released whenever the buffer empties,
 * so an idle connection holds no buffer memory.
 *
 * <p>Sequence numbers are modulo 2^32 ints compared with {@link SeqNum}; lengths are bytes. SYN
 * and FIN occupy sequence space but no buffer space: the buffer's range starts after the SYN and
 * {@link #ack} must not be given a FIN's sequence number (the connection strips it). No method
 * allocates except a content-mode write that grows the ring and {@link #payload}.
 *
 * <p>Invariants: {@code 0 <= size() <= max(capacity, size at the last capacity change)}; {@code
 * una <= writeEnd} in sequence space; in content mode the ring holds exactly {@code size()} bytes
 * starting at {@code una}.
 *
 * <p>Differences from Linux: Linux charges sk_wmem_queued with each skb's truesize (payload plus
 * struct sk_buff and page overhead), not payload bytes, and writes block when sk_wmem_queued
 * reaches sk_sndbuf. Here payload bytes are counted against the capacity. Because Linux builds send
 * skbs of up to 64 KB whose overhead is small, the payload that fits is close to sk_sndbuf, so the
 * connection should pass sk_sndbuf itself (the doubled SO_SNDBUF, see {@link
 * #sndbufFromSetsockopt}). Linux also grows sk_sndbuf when the connection is established
 * ({@code tcp_sndbuf_expand}: 2 x cwnd x per-segment truesize, 69120 bytes at MSS 1448 on a 6.18
 * kernel) unless SO_SNDBUF was set; the connection does that through {@link #setCapacity}.
 */
public final class SendBuffer {
  /**
   * SOCK_MIN_SNDBUF, include/net/sock.h: 2 x (2048 + the aligned size of struct sk_buff) on
   * x86-64. A 6.18 kernel reports 4608 for SO_SNDBUF set to 1000.
   */
  public static final int SOCK_MIN_SNDBUF = 4608;
  /** tcp_wmem[1]: the initial send buffer, 16 KiB (net/ipv4/tcp.c, tcp_init). */
  public static final int TCP_WMEM_DEFAULT = 16 * 1024;

  private static final int INITIAL_RING_BYTES = 4096;

  private final boolean carriesContent;
  private int capacity;
  private int una;
  private int writeEnd;
  /** Ring of content bytes; null when empty or in length-only mode. */
  private byte[] ring;
  /** Ring index of the byte at {@code una}. */
  private int head;

  /**
   * @param firstSeq the sequence number of the first data byte (ISS + 1)
   * @param capacityBytes sk_sndbuf, bytes; at least 1
   * @param carriesContent whether to keep the bytes themselves (tests of content end to end)
   */
  public SendBuffer(int firstSeq, int capacityBytes, boolean carriesContent) {
    checkCapacity(capacityBytes);
    this.una = firstSeq;
    this.writeEnd = firstSeq;
    this.capacity = capacityBytes;
    this.carriesContent = carriesContent;
  }

  /**
   * sk_sndbuf after {@code setsockopt(SO_SNDBUF, value)} ({@code sk_setsockopt}): the value,
   * capped at net.core.wmem_max, doubled to allow for bookkeeping overhead, at least {@link
   * #SOCK_MIN_SNDBUF}.
   */
  public static int sndbufFromSetsockopt(int value, int wmemMax) {
    long v = Math.min(Math.max(value, 0), (long) wmemMax);
    return (int) Math.max(v * 2, SOCK_MIN_SNDBUF);
  }

  /**
   * Length-only write ({@code tcp_sendmsg}): accepts as many of {@code n} bytes as fit.
   *
   * @return bytes accepted, 0 when the buffer is full (the caller's EAGAIN or block)
   * @throws IllegalStateException in content mode, which needs the bytes
   */
  public int write(int n) {
    if (carriesContent) {
      throw new IllegalStateException("content-mode send buffer needs the bytes, not a length");
    }
    if (n < 0) {
      throw new IllegalArgumentException("negative write length " + n);
    }
    int accepted = Math.min(n, freeSpace());
    writeEnd += accepted;
    return accepted;
  }

  /**
   * Writes bytes ({@code tcp_sendmsg}). In length-only mode only the length counts.
   *
   * @return bytes accepted from {@code src[off..off+len)}, 0 when the buffer is full
   */
  public int write(byte[] src, int off, int len) {
    if (off < 0 || len < 0 || off + len > src.length) {
      throw new IllegalArgumentException(
          "bad range off=" + off + " len=" + len + " for " + src.length + " bytes");
    }
    int accepted = Math.min(len, freeSpace());
    if (accepted == 0) {
      return 0;
    }
    if (carriesContent) {
      int size = size();
      ensureRing(size + accepted);
      int tail = (head + size) % ring.length;
      int first = Math.min(accepted, ring.length - tail);
      System.arraycopy(src, off, ring, tail, first);
      System.arraycopy(src, off + first, ring, 0, accepted - first);
    }
    writeEnd += accepted;
    return accepted;
  }

  /**
   * The peer acknowledged everything before {@code upToSeq} ({@code tcp_clean_rtx_queue}). An ACK
   * at or before {@code una} frees nothing.
   *
   * @return bytes freed
   * @throws IllegalArgumentException when {@code upToSeq} is beyond the data written
   */
  public int ack(int upToSeq) {
    if (SeqNum.gt(upToSeq, writeEnd)) {
      throw new IllegalArgumentException(
          "ack " + SeqNum.toString(upToSeq) + " beyond write end " + SeqNum.toString(writeEnd));
    }
    if (SeqNum.le(upToSeq, una)) {
      return 0;
    }
    int freed = upToSeq - una;
    una = upToSeq;
    if (carriesContent && ring != null) {
      if (una == writeEnd) {
        ring = null; // empty: give the memory back
        head = 0;
      } else {
        head = (head + freed) % ring.length;
      }
    }
    return freed;
  }

  /**
   * Copies the content of {@code [seq, seq + len)} into {@code dst} at {@code dstOff}: the payload
   * of a segment being sent or retransmitted.
   *
   * @throws IllegalStateException in length-only mode
   * @throws IllegalArgumentException when the range is not inside {@code [una, writeEnd)}
   */
  public void copyOut(int seq, int len, byte[] dst, int dstOff) {
    if (!carriesContent) {
      throw new IllegalStateException("length-only send buffer holds no bytes");
    }
    checkRange(seq, len);
    if (len == 0) {
      return;
    }
    int start = (head + (seq - una)) % ring.length;
    int first = Math.min(len, ring.length - start);
    System.arraycopy(ring, start, dst, dstOff, first);
    System.arraycopy(ring, 0, dst, dstOff + first, len - first);
  }

  /**
   * The payload for a segment covering {@code [seq, seq + len)}: a new array in content mode, null
   * in length-only mode (a {@code Segment} without payload bytes).
   */
  public byte[] payload(int seq, int len) {
    if (!carriesContent) {
      checkRange(seq, len);
      return null;
    }
    byte[] out = new byte[len];
    copyOut(seq, len, out, 0);
    return out;
  }

  /** Changes sk_sndbuf. Shrinking below the bytes held refuses writes until acks drain it. */
  public void setCapacity(int capacityBytes) {
    checkCapacity(capacityBytes);
    capacity = capacityBytes;
  }

  /** Bytes that can still be written now. */
  public int freeSpace() {
    return Math.max(0, capacity - size());
  }

  /**
   * {@code sk_stream_is_writeable}: EPOLLOUT is reported when the free space is at least half of
   * what is queued ({@code sk_stream_wspace >= sk_stream_min_wspace}), so a writer blocked on a full
   * buffer wakes when a third of it has drained, not at the first acked byte.
   */
  public boolean isWritable() {
    return freeSpace() >= (size() >> 1) && freeSpace() > 0;
  }

  /** Bytes held: written and not yet acknowledged (write_seq - snd_una). */
  public int size() {
    return writeEnd - una;
  }

  /** Bytes sent and not yet acknowledged, given the connection's snd_nxt (snd_nxt - snd_una). */
  public int unacked(int sndNxt) {
    return Math.max(0, Math.min(sndNxt - una, size()));
  }

  /** Bytes written and not yet sent, given the connection's snd_nxt (write_seq - snd_nxt). */
  public int unsent(int sndNxt) {
    return Math.max(0, Math.min(writeEnd - sndNxt, size()));
  }

  /** snd_una: the first unacknowledged data byte. */
  public int una() {
    return una;
  }

  /** write_seq: the sequence number the next written byte will get. */
  public int writeEnd() {
    return writeEnd;
  }

  /** sk_sndbuf, bytes. */
  public int capacity() {
    return capacity;
  }

  public boolean carriesContent() {
    return carriesContent;
  }

  /** Bytes of buffer memory held right now (the ring), for memory accounting. */
  public int retainedBytes() {
    return ring == null ? 0 : ring.length;
  }

  private void ensureRing(int needed) {
    if (ring != null && ring.length >= needed) {
      return;
    }
    int size = ring == null ? Math.min(INITIAL_RING_BYTES, Math.max(capacity, 1)) : ring.length;
    while (size < needed) {
      size = (int) Math.min((long) size << 1, Integer.MAX_VALUE - 8);
    }
    byte[] grown = new byte[size];
    if (ring != null) {
      int held = size();
      int first = Math.min(held, ring.length - head);
      System.arraycopy(ring, head, grown, 0, first);
      System.arraycopy(ring, 0, grown, first, held - first);
    }
    ring = grown;
    head = 0;
  }

  private void checkRange(int seq, int len) {
    if (len < 0 || SeqNum.lt(seq, una) || SeqNum.gt(seq + len, writeEnd)) {
      throw new IllegalArgumentException(
          "range [" + SeqNum.toString(seq) + ", +" + len + ") outside ["
              + SeqNum.toString(una) + ", " + SeqNum.toString(writeEnd) + ")");
    }
  }

  private static void checkCapacity(int capacityBytes) {
    if (capacityBytes < 1) {
      throw new IllegalArgumentException("send buffer capacity must be >= 1, got " + capacityBytes);
    }
  }
}
