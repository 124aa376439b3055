package tcpsim.net.wire;

import java.util.Arrays;

/**
 * The options of one TCP header, kept with their wire layout: the kinds in the order they stand,
 * NOP and EOL padding included, because packetdrill compares the option list kind by kind and
 * Linux lays options out in a fixed way (tcp_options_write in net/ipv4/tcp_output.c).
 *
 * <p>Immutable. Build one with {@link #builder()}, adding options in wire order.
 */
public final class TcpOptions {
  public static final int EOL = 0;
  public static final int NOP = 1;
  public static final int MSS = 2;
  public static final int WSCALE = 3;
  public static final int SACK_PERMITTED = 4;
  public static final int SACK = 5;
  public static final int TIMESTAMP = 8;

  private static final int[] NO_BLOCKS = new int[0];
  public static final TcpOptions NONE = new TcpOptions(new byte[0], -1, -1, false, false, 0, 0, NO_BLOCKS);

  private final byte[] layout;
  private final int mss;
  private final int windowScale;
  private final boolean sackPermitted;
  private final boolean hasTimestamp;
  private final int tsVal;
  private final int tsEcr;
  /** SACK blocks as (start, end) pairs. */
  private final int[] sackBlocks;

  private TcpOptions(byte[] layout, int mss, int windowScale, boolean sackPermitted,
      boolean hasTimestamp, int tsVal, int tsEcr, int[] sackBlocks) {
    this.layout = layout;
    this.mss = mss;
    this.windowScale = windowScale;
    this.sackPermitted = sackPermitted;
    this.hasTimestamp = hasTimestamp;
    this.tsVal = tsVal;
    this.tsEcr = tsEcr;
    this.sackBlocks = sackBlocks;
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isEmpty() {
    return layout.length == 0;
  }

  /** The MSS option's value, or -1 when absent. */
  public int mss() {
    return mss;
  }

  /** The window-scale shift, or -1 when absent. */
  public int windowScale() {
    return windowScale;
  }

  public boolean sackPermitted() {
    return sackPermitted;
  }

  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  public int tsVal() {
    return tsVal;
  }

  public int tsEcr() {
    return tsEcr;
  }

  public int sackBlockCount() {
    return sackBlocks.length / 2;
  }

  public int sackStart(int i) {
    return sackBlocks[2 * i];
  }

  public int sackEnd(int i) {
    return sackBlocks[2 * i + 1];
  }

  /** The number of options (NOP and EOL included). */
  public int count() {
    return layout.length;
  }

  /** The kind of the i-th option in wire order. */
  public int kind(int i) {
    return layout[i];
  }

  /** Bytes the options take in the header, before padding to 4. */
  public int byteLength() {
    int n = 0;
    for (byte k : layout) {
      n += switch (k) {
        case EOL, NOP -> 1;
        case MSS -> 4;
        case WSCALE -> 3;
        case SACK_PERMITTED -> 2;
        case SACK -> 2 + 4 * sackBlocks.length;
        case TIMESTAMP -> 10;
        default -> throw new IllegalStateException("unknown option kind " + k);
      };
    }
    return n;
  }

  /** A copy with another timestamp value and echo, same layout (the stack stamps at send time). */
  public TcpOptions withTimestamp(int val, int ecr) {
    if (!hasTimestamp) {
      throw new IllegalStateException("no timestamp option to restamp");
    }
    return new TcpOptions(layout, mss, windowScale, sackPermitted, true, val, ecr, sackBlocks);
  }

  /** packetdrill's form without brackets: {@code mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < layout.length; i++) {
      if (i > 0) b.append(',');
      switch (layout[i]) {
        case EOL -> b.append("eol");
        case NOP -> b.append("nop");
        case MSS -> b.append("mss ").append(mss);
        case WSCALE -> b.append("wscale ").append(windowScale);
        case SACK_PERMITTED -> b.append("sackOK");
        case SACK -> {
          b.append("sack");
          for (int j = 0; j < sackBlocks.length; j += 2) {
            b.append(' ').append(Integer.toUnsignedString(sackBlocks[j])).append(':')
                .append(Integer.toUnsignedString(sackBlocks[j + 1]));
          }
        }
        case TIMESTAMP -> b.append("TS val ").append(Integer.toUnsignedString(tsVal))
            .append(" ecr ").append(Integer.toUnsignedString(tsEcr));
        default -> b.append("kind ").append(layout[i]);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "<" + describe() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpOptions t && Arrays.equals(layout, t.layout) && mss == t.mss
        && windowScale == t.windowScale && sackPermitted == t.sackPermitted
        && hasTimestamp == t.hasTimestamp && tsVal == t.tsVal && tsEcr == t.tsEcr
        && Arrays.equals(sackBlocks, t.sackBlocks);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(layout) * 31 + mss * 7 + windowScale + tsVal * 13 + tsEcr
        + Arrays.hashCode(sackBlocks);
  }

  /** Adds options in wire order. */
  public static final class Builder {
    private byte[] layout = new byte[8];
    private int n;
    private int mss = -1;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean hasTimestamp;
    private int tsVal;
    private int tsEcr;
    private int[] sack = NO_BLOCKS;

    private Builder() {}

    private Builder kind(int k) {
      if (n == layout.length) {
        layout = Arrays.copyOf(layout, n * 2);
      }
      layout[n++] = (byte) k;
      return this;
    }

    public Builder nop() {
      return kind(NOP);
    }

    public Builder eol() {
      return kind(EOL);
    }

    public Builder mss(int value) {
      if (value < 0 || value > 0xffff) {
        throw new IllegalArgumentException("mss must be in [0, 65535], was " + value);
      }
      mss = value;
      return kind(MSS);
    }

    public Builder windowScale(int shift) {
      if (shift < 0 || shift > 255) {
        throw new IllegalArgumentException("wscale must be in [0, 255], was " + shift);
      }
      windowScale = shift;
      return kind(WSCALE);
    }

    public Builder sackPermitted() {
      sackPermitted = true;
      return kind(SACK_PERMITTED);
    }

    public Builder timestamp(int val, int ecr) {
      hasTimestamp = true;
      tsVal = val;
      tsEcr = ecr;
      return kind(TIMESTAMP);
    }

    /** SACK blocks as (start, end) pairs; at most 4 blocks fit a header. */
    public Builder sack(int... startEndPairs) {
      if (startEndPairs.length == 0 || startEndPairs.length % 2 != 0 || startEndPairs.length > 8) {
        throw new IllegalArgumentException("sack takes 1 to 4 (start, end) pairs, got "
            + startEndPairs.length + " numbers");
      }
      sack = startEndPairs.clone();
      return kind(SACK);
    }

    public TcpOptions build() {
      if (n == 0) {
        return NONE;
      }
      TcpOptions t = new TcpOptions(Arrays.copyOf(layout, n), mss, windowScale, sackPermitted,
          hasTimestamp, tsVal, tsEcr, sack);
      if (t.byteLength() > 40) {
        throw new IllegalArgumentException("options take " + t.byteLength()
            + " bytes; a TCP header holds at most 40");
      }
      return t;
    }
  }
}
