package tcpsim.net.link;

import java.util.Arrays;
import java.util.Objects;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

/** Every tap of a network, called in the order added; an array so reporting allocates nothing. */
public final class TapSet implements WireTap {
  private WireTap[] taps = new WireTap[0];

  public void add(WireTap tap) {
    Objects.requireNonNull(tap, "tap");
    taps = Arrays.copyOf(taps, taps.length + 1);
    taps[taps.length - 1] = tap;
  }

  public boolean remove(WireTap tap) {
    for (int i = 0; i < taps.length; i++) {
      if (taps[i] == tap) {
        WireTap[] next = new WireTap[taps.length - 1];
        System.arraycopy(taps, 0, next, 0, i);
        System.arraycopy(taps, i + 1, next, i, taps.length - i - 1);
        taps = next;
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return taps.length == 0;
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    WireTap[] t = taps;
    for (int i = 0; i < t.length; i++) {
      t[i].transmitted(nowNanos, link, segment);
    }
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    WireTap[] t = taps;
    for (int i = 0; i < t.length; i++) {
      t[i].delivered(nowNanos, link, segment);
    }
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    WireTap[] t = taps;
    for (int i = 0; i < t.length; i++) {
      t[i].dropped(nowNanos, link, segment, reason);
    }
  }
}
