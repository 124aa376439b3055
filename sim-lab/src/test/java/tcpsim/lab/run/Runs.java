package tcpsim.lab.run;

import tcpsim.lab.experiment.ExperimentFile;
import tcpsim.lab.experiment.ExperimentLoader;
import tcpsim.lab.experiment.GridPoint;

/** Experiments written inline as the user would write the file, run with their first point. */
final class Runs {
  private Runs() {}

  /** Two hosts, client 10.0.0.1 and server 10.0.0.2, and a 5 ms link; {@code rest} adds the rest. */
  static String twoHosts(String clientExtra, String serverExtra, String rest) {
    return "name: story\nseed: 1\n"
        + "hosts:\n"
        + "  client: {address: 10.0.0.1" + clientExtra + "}\n"
        + "  server: {address: 10.0.0.2" + serverExtra + "}\n"
        + "links:\n  client <-> server: delay 5ms\n"
        + rest;
  }

  static RunResult run(String yaml) throws Exception {
    ExperimentFile f = ExperimentLoader.parse("story.yaml", yaml);
    GridPoint p = f.points().get(0);
    return ExperimentRunner.run(p.experiment(), p.seed(), p.id(), ExperimentRunner.Options.DEFAULT);
  }

  /** The first event whose text contains {@code fragment}, or null. */
  static RunResult.Event firstEvent(RunResult r, String fragment) {
    for (RunResult.Event e : r.events()) {
      if (e.text().contains(fragment)) {
        return e;
      }
    }
    return null;
  }
}
