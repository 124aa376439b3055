package tcpsim.lab.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tcpsim.lab.report.LadderReport;
import tcpsim.lab.report.LadderTap;

/**
 * Writes a fuzz case's record: the action list ({@code case.txt}, which {@code tcpsim fuzz --replay}
 * reads), a packetdrill-notation sketch ({@code case.pkt}) and the ladder diagram of its replay
 * ({@code ladder.html}).
 */
public final class FuzzReport {
  /**
   * The events per action the ladder of a case that did not settle draws: the start of the loop.
   * All of it (the cap's 100,000 events) makes a ladder of some 30 MB.
   */
  static final long UNSETTLED_LADDER_EVENTS = 2_000;

  private FuzzReport() {}

  /** What a replay found, and the files written. */
  public record Written(String[] broken, Path actions, Path pkt, Path ladder) {}

  public static Written write(Path dir, Fuzzer fuzzer, List<FuzzAction> actions, List<String> header)
      throws IOException {
    FuzzConfig config = fuzzer.config();
    Files.createDirectories(dir);
    LadderTap tap = new LadderTap()
        .name("10.0.0.1", FuzzWorld.CLIENT_PORT, FuzzWorld.CLIENT)
        .name("10.0.0.2", FuzzWorld.SERVER_PORT, FuzzWorld.SERVER);
    String[] broken = fuzzer.replay(actions, null);
    boolean unsettled = broken != null && broken[0].equals(Fuzzer.INV_SETTLE);
    long ladderEvents = unsettled ? Math.min(UNSETTLED_LADDER_EVENTS, fuzzer.maxActionEvents()) : fuzzer.maxActionEvents();
    fuzzer.replayed(actions, tap, ladderEvents);
    Path txt = writeActions(dir, actions, header, broken);
    Path pkt = dir.resolve("case.pkt");
    Files.writeString(pkt, PktSketch.render("tcpsim fuzz case, configuration " + config.name(), actions),
        StandardCharsets.UTF_8);
    Path html = dir.resolve("ladder.html");
    String title = "fuzz case (" + config.name() + ")" + (broken == null ? "" : ": " + broken[0])
        + (unsettled ? " (drawn up to " + ladderEvents + " events in one action)" : "");
    LadderReport.write(tap.toBuilder(title, Fuzzer.WORLD_SEED).build(), html);
    return new Written(broken, txt, pkt, html);
  }

  /**
   * Writes only the action list ({@code case.txt}), with {@code header} and what broke as comments:
   * for a case whose replay would run out of memory again.
   */
  public static Path writeActions(Path dir, List<FuzzAction> actions, List<String> header, String[] broken)
      throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    for (String h : header) {
      lines.add("# " + h);
    }
    if (broken != null) {
      lines.add("# broken: " + broken[0]);
      lines.add("#   " + broken[1]);
    }
    for (FuzzAction a : actions) {
      lines.add(a.text());
    }
    Path txt = dir.resolve("case.txt");
    Files.write(txt, lines, StandardCharsets.UTF_8);
    return txt;
  }
}
