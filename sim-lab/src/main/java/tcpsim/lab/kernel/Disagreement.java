package tcpsim.lab.kernel;

import java.util.List;
import tcpsim.lab.script.ScriptResult;

/**
 * Where two backends that ran the same script part ways: first by verdict (PASS, FAIL,
 * UNSUPPORTED and the failing line), then observation by observation (each outbound segment and
 * each call result, in order, as {@link RecordingBackend} writes them).
 */
public final class Disagreement {
  private Disagreement() {}

  /** Null when the two runs agree; else one paragraph saying where they differ. */
  public static String between(String nameA, ScriptResult a, List<String> obsA, String nameB,
      ScriptResult b, List<String> obsB) {
    String verdictA = verdict(a);
    String verdictB = verdict(b);
    int n = Math.min(obsA.size(), obsB.size());
    for (int i = 0; i < n; i++) {
      if (!obsA.get(i).equals(obsB.get(i))) {
        return "observation " + (i + 1) + " differs:\n    " + nameA + ": " + obsA.get(i) + "\n    "
            + nameB + ": " + obsB.get(i) + "\n    " + nameA + " verdict: " + a.describe() + "\n    "
            + nameB + " verdict: " + b.describe();
      }
    }
    if (!verdictA.equals(verdictB)) {
      return "verdicts differ:\n    " + nameA + ": " + a.describe() + "\n    " + nameB + ": " + b.describe();
    }
    if (obsA.size() != obsB.size()) {
      List<String> longer = obsA.size() > obsB.size() ? obsA : obsB;
      return "only " + (obsA.size() > obsB.size() ? nameA : nameB) + " went on to observation "
          + (n + 1) + ": " + longer.get(n);
    }
    return null;
  }

  /** The verdict's kind and line: two FAILs agree when they fail at the same line. */
  private static String verdict(ScriptResult r) {
    if (r instanceof ScriptResult.Fail f) {
      return "FAIL:" + f.line();
    }
    if (r instanceof ScriptResult.Unsupported u) {
      return "UNSUPPORTED:" + u.line();
    }
    return "PASS";
  }
}
