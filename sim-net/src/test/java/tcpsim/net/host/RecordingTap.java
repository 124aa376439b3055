package tcpsim.net.host;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.time.Nanos;
import tcpsim.net.link.WireTap;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

/** A tap for tests: one line per event, "0.010000 delivered client->server seq 1". */
final class RecordingTap implements WireTap {
  final List<String> lines = new ArrayList<>();

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    lines.add(Nanos.formatSeconds(nowNanos) + " transmitted " + link + " seq " + segment.seq());
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    lines.add(Nanos.formatSeconds(nowNanos) + " delivered " + link + " seq " + segment.seq());
  }

  @Override
  public void dropped(long nowNanos, String link, Segment segment, DropReason reason) {
    lines.add(Nanos.formatSeconds(nowNanos) + " dropped " + link + " seq " + segment.seq() + " "
        + reason);
  }

  long count(String word) {
    return lines.stream().filter(l -> l.contains(word)).count();
  }
}
