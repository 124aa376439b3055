/**
 * The HTML ladder report: one self-contained file that shows a run the way people draw TCP on a
 * whiteboard. A lane per endpoint, an arrow per segment labelled in tcpdump words, a cross where
 * a segment was lost, each endpoint's state changes and timers on its lane, a state-count chart
 * and the run's counters.
 *
 * <p>The report reads a plain trace model ({@link tcpsim.lab.report.RunTrace} and its records),
 * not the network or the stack, so it can be fed by hand-built traces in tests and by an adapter
 * from the network's wire tap later. {@link tcpsim.lab.report.LadderReport} renders it.
 */
package tcpsim.lab.report;
