package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many sockets were in each state over virtual time, e.g. CLOSE_WAIT climbing in a server that
 * leaks sockets. Each sample holds the counts from its time until the next sample's.
 *
 * @param states the state names, in the order the chart lists them
 * @param samples in time order; each has one count per state
 */
public record StateTimeline(List<String> states, List<Sample> samples) {
  /** The counts at {@code atNanos}, one per state of the timeline, in the same order. */
  public record Sample(long atNanos, List<Integer> counts) {
    public Sample {
      counts = List.copyOf(counts);
    }
  }

  public static final StateTimeline EMPTY = new StateTimeline(List.of(), List.of());

  public StateTimeline {
    states = List.copyOf(states);
    samples = List.copyOf(samples);
    Set<String> seen = new HashSet<>();
    for (String s : states) {
      checkName("timeline state", s);
      if (!seen.add(s)) {
        throw new IllegalArgumentException("timeline state " + s + " is listed twice");
      }
    }
    long last = Long.MIN_VALUE;
    for (Sample sample : samples) {
      if (sample.counts().size() != states.size()) {
        throw new IllegalArgumentException("timeline sample at " + sample.atNanos() + " ns has "
            + sample.counts().size() + " counts for " + states.size() + " states " + states);
      }
      if (sample.atNanos() < last) {
        throw new IllegalArgumentException("timeline sample at " + sample.atNanos()
            + " ns comes after one at " + last + " ns; samples must be in time order");
      }
      for (int c : sample.counts()) {
        if (c < 0) {
          throw new IllegalArgumentException("timeline sample at " + sample.atNanos() + " ns has negative count " + c);
        }
      }
      last = sample.atNanos();
    }
  }

  public static Builder builder(String... states) {
    return new Builder(List.of(states));
  }

  /** Collects samples in time order. */
  public static final class Builder {
    private final List<String> states;
    private final List<Sample> samples = new ArrayList<>();

    private Builder(List<String> states) {
      this.states = states;
    }

    public Builder sample(long atNanos, int... counts) {
      List<Integer> c = new ArrayList<>(counts.length);
      for (int n : counts) {
        c.add(n);
      }
      samples.add(new Sample(atNanos, c));
      return this;
    }

    public StateTimeline build() {
      return new StateTimeline(states, samples);
    }
  }
}
