package tcpsim.net.host;

import java.util.ArrayList;
import java.util.List;
import tcpsim.core.event.Simulation;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Segment;

/** A transport for tests: it remembers what arrived and when, and how often it was rebooted. */
final class RecordingTransport implements Transport {
  private final Simulation sim;
  final List<Segment> segments = new ArrayList<>();
  final List<Long> times = new ArrayList<>();
  int reboots;

  RecordingTransport(Simulation sim) {
    this.sim = sim;
  }

  @Override
  public void input(Segment segment) {
    segments.add(segment);
    times.add(sim.now());
  }

  @Override
  public void reboot() {
    reboots++;
  }

  /** Sequence numbers in arrival order. */
  List<Integer> seqs() {
    List<Integer> out = new ArrayList<>();
    for (Segment s : segments) {
      out.add(s.seq());
    }
    return out;
  }

  /** "seq@time" lines, e.g. "1@0.010000". */
  List<String> arrivals() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      out.add(segments.get(i).seq() + "@" + Nanos.formatSeconds(times.get(i)));
    }
    return out;
  }
}
