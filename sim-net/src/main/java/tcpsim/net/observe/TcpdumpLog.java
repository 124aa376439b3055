package tcpsim.net.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import tcpsim.net.link.WireTap;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

/**
 * A {@link WireTap} writing one {@link TcpdumpFormatter} line per segment its
 * {@link CaptureFilter} takes, and a drop annotation line for each drop it takes
 * ({@link CaptureFilter#takesDrop}). Lines end in {@code \n}.
 */
public final class TcpdumpLog implements WireTap {
  private final Appendable out;
  private final CaptureFilter filter;
  private long lines;

  public TcpdumpLog(Appendable out, CaptureFilter filter) {
    this.out = Objects.requireNonNull(out, "out");
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** Lines written so far, drop annotations included. */
  public long lines() {
    return lines;
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    if (filter.takesTransmitted(link)) {
      emit(TcpdumpFormatter.line(nowNanos, segment));
    }
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    if (filter.takesDelivered(link)) {
      emit(TcpdumpFormatter.line(nowNanos, segment));
    }
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    if (filter.takesDrop(link, segment)) {
      emit(TcpdumpFormatter.dropLine(nowNanos, link, segment, reason));
    }
  }

  private void emit(String line) {
    try {
      out.append(line).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tcpdump text", e);
    }
    lines++;
  }
}
