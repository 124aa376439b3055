package tcpsim.lab.report;

/**
 * A run of consecutive plain segments (see {@link SegmentEvent#isPlain()}) whose data all flows
 * one way, drawn as one collapsible band: indices {@code first..last} (inclusive) into
 * {@link RunTrace#segments()}.
 *
 * @param from the lane the data comes from
 * @param to the lane the data goes to
 * @param dataSegments segments that carry payload; the rest are pure ACKs
 * @param bytes payload bytes in the run
 * @param startNanos first send in the run
 * @param endNanos last send in the run. Sends, not arrivals, bound a band: runs are cut in send
 *     order, so the send ranges of two bands never overlap and each band gets its own rows even
 *     when the last arrivals of one come after the first sends of the next.
 */
record BulkRun(int first, int last, String from, String to, int dataSegments, long bytes,
    int firstSeq, int endSeq, long startNanos, long endNanos) {

  int segmentCount() {
    return last - first + 1;
  }
}
