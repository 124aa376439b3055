package tcpsim.net.tcp;

import java.util.Arrays;

/**
 * A FIFO of stream bytes: a growable ring when the stack keeps content, a bare count when it does
 * not (so an idle or content-free connection holds no array). Placeholder for the send and
 * receive buffers until the pure {@code SendBuffer}/{@code ReceiveBuffer} components are wired in.
 */
final class ByteQueue {
  private static final byte[] EMPTY = new byte[0];
  private final boolean keepContent;
  private byte[] ring = EMPTY;
  private int head;
  private int size;

  ByteQueue(boolean keepContent) {
    this.keepContent = keepContent;
  }

  int size() {
    return size;
  }

  boolean keepsContent() {
    return keepContent;
  }

  /** Appends {@code len} bytes; {@code src} null means zeros (or just a count without content). */
  void append(byte[] src, int off, int len) {
    if (keepContent) {
      ensure(size + len);
      for (int i = 0; i < len; i++) {
        ring[(head + size + i) % ring.length] = src == null ? 0 : src[off + i];
      }
    }
    size += len;
  }

  /** A copy of {@code len} bytes starting {@code offset} bytes past the head; null without content. */
  byte[] copy(int offset, int len) {
    if (offset < 0 || len < 0 || offset + len > size) {
      throw new IllegalArgumentException("copy [" + offset + ", +" + len + ") outside queue of " + size);
    }
    if (!keepContent) {
      return null;
    }
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = ring[(head + offset + i) % ring.length];
    }
    return out;
  }

  /** Removes {@code n} bytes from the head, copying them into {@code dst} when it is not null. */
  void take(int n, byte[] dst, int dstOff) {
    if (n < 0 || n > size) {
      throw new IllegalArgumentException("take " + n + " from queue of " + size);
    }
    if (keepContent) {
      if (dst != null) {
        for (int i = 0; i < n; i++) {
          dst[dstOff + i] = ring[(head + i) % ring.length];
        }
      }
      head = (head + n) % ring.length;
    }
    size -= n;
    if (size == 0) {
      head = 0;
      if (keepContent && ring.length > 65536) {
        ring = EMPTY; // an idle connection holds no big array
      }
    }
  }

  private void ensure(int capacity) {
    if (capacity <= ring.length) {
      return;
    }
    int cap = Math.max(capacity, Math.max(1024, ring.length * 2));
    byte[] n = new byte[cap];
    for (int i = 0; i < size; i++) {
      n[i] = ring[(head + i) % ring.length];
    }
    ring = n;
    head = 0;
  }

  @Override
  public String toString() {
    return "ByteQueue[" + size + (keepContent ? " bytes kept" : " bytes counted") + "]";
  }

  static byte[] slice(byte[] a, int from, int to) {
    return a == null ? null : Arrays.copyOfRange(a, from, to);
  }
}
