package tcpsim.lab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the runs of bulk data that the report folds into bands, so a 10,000-segment transfer
 * reads as a handful of bands around the segments that matter (handshake, losses, FINs).
 *
 * <p>A run is a maximal stretch of consecutive plain segments (ACK/PSH only, delivered once, in
 * order) in which every segment with payload goes the same way; pure ACKs either way ride along.
 * Anything else (a SYN, FIN or RST, a loss, a duplicate, a reordering, or data turning around)
 * ends the run and stays drawn as its own arrow. Only runs with more than {@code longerThan} data
 * segments become bands.
 */
final class BulkRuns {
  private BulkRuns() {}

  static List<BulkRun> find(List<SegmentEvent> segments, int longerThan) {
    if (longerThan < 0) {
      throw new IllegalArgumentException("bulk run threshold " + longerThan + " is negative");
    }
    List<BulkRun> runs = new ArrayList<>();
    int start = -1;
    String from = null;
    String to = null;
    for (int i = 0; i < segments.size(); i++) {
      SegmentEvent s = segments.get(i);
      boolean sameWay = from == null || (s.from().equals(from) && s.to().equals(to));
      boolean fits = s.isPlain() && (s.length() == 0 || sameWay);
      if (start >= 0 && !fits) {
        close(segments, start, i - 1, from, to, longerThan, runs);
        start = -1;
        from = null;
        to = null;
      }
      if (s.isPlain()) {
        if (start < 0) {
          start = i;
        }
        if (s.length() > 0 && from == null) {
          from = s.from();
          to = s.to();
        }
      }
    }
    if (start >= 0) {
      close(segments, start, segments.size() - 1, from, to, longerThan, runs);
    }
    return runs;
  }

  private static void close(List<SegmentEvent> segments, int first, int last, String from, String to,
      int longerThan, List<BulkRun> out) {
    if (from == null) {
      return;
    }
    int data = 0;
    long bytes = 0;
    int firstSeq = 0;
    int endSeq = 0;
    long end = 0;
    for (int i = first; i <= last; i++) {
      SegmentEvent s = segments.get(i);
      end = Math.max(end, s.sentNanos());
      if (s.length() > 0) {
        if (data == 0) {
          firstSeq = s.seq();
        }
        data++;
        bytes += s.length();
        endSeq = s.seq() + s.length();
      }
    }
    if (data > longerThan) {
      out.add(new BulkRun(first, last, from, to, data, bytes, firstSeq, endSeq,
          segments.get(first).sentNanos(), end));
    }
  }
}
