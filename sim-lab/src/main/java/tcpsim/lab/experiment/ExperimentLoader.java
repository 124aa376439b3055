package tcpsim.lab.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tcpsim.lab.experiment.SweepReader.Axis;
import tcpsim.lab.experiment.SweepReader.Target;
import tcpsim.lab.experiment.YamlTree.MapNode;
import tcpsim.lab.experiment.YamlTree.Node;
import tcpsim.lab.experiment.YamlTree.ScalarNode;

/**
 * Reads an experiment file into a checked {@link ExperimentFile}, or fails with an {@link
 * ExperimentError} listing every problem found, each as {@code file:line:column: key: what is
 * wrong; valid choices or units}. Nothing else escapes: not a YAML exception, not an I/O
 * exception, not a bug's NullPointerException (that one is reported as an internal error at 1:1,
 * which a property test watches for).
 *
 * <p>The file's shape, in short (docs and the gallery in specs/experiments show all of it):
 * <pre>{@code
 * name: time-wait-exhaustion
 * description: A busy client runs out of ports.
 * seed: 1                     # or seeds: [1, 2, 3]
 * duration: 120s
 * msl: 30s                    # optional; delay + jitter of every link must stay within it
 * hosts:
 *   client: {address: 10.0.0.1, fd_limit: 65536, sysctls: {net.ipv4.tcp_tw_reuse: 0}}
 *   server: {address: 10.0.0.2}
 * links:
 *   client <-> server: delay 1ms       # netem's syntax; 'a -> b' for one way
 * apps:
 *   web:   {kind: request-response-server, host: server, port: 80}
 *   churn: {kind: connection-churn, host: client, target: web, rate: 500/s}
 * faults:
 *   - {at: 30s, pull_cable: client}
 * metrics:
 *   socket_states: {every: 100ms}
 *   errno_counts: true
 * sweep:
 *   - {path: apps.churn.rate, values: [100/s, 500/s]}
 *   - {path: hosts.client.sysctls.net.ipv4.tcp_tw_reuse, values: [0, 1]}
 * }</pre>
 */
public final class ExperimentLoader {
  private ExperimentLoader() {}

  /** Reads and checks the file at {@code file}; errors name it as given. */
  public static ExperimentFile load(Path file) throws ExperimentError {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new ExperimentError(new Problem(name, 1, 1, "(file)", "cannot read the file: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())));
    }
    return parse(name, decode(name, bytes));
  }

  /** Checks {@code text} as the contents of a file called {@code fileName}. */
  public static ExperimentFile parse(String fileName, String text) throws ExperimentError {
    try {
      return check(fileName, YamlTree.read(fileName, text));
    } catch (ExperimentError e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new ExperimentError(new Problem(fileName, 1, 1, "(internal)", "the loader failed on"
          + " this file, which is a bug in tcpsim: " + e));
    }
  }

  private static ExperimentFile check(String fileName, Node root) throws ExperimentError {
    Checker c = new Checker(fileName);
    Experiment base = new ExperimentReader(c).experiment(root);
    SweepReader sweep = new SweepReader(c);
    List<Long> seeds = root instanceof MapNode m ? sweep.seeds(m) : List.of();
    if (!c.ok()) {
      throw c.error();
    }
    MapNode tree = (MapNode) root;
    List<Axis> axes = sweep.axes(tree, base, seeds);
    if (!c.ok()) {
      throw c.error();
    }
    // Every combination of swept values, the first axis outermost; each checked in full.
    int[] sizes = new int[axes.size()];
    int combinations = 1;
    for (int i = 0; i < axes.size(); i++) {
      sizes[i] = axes.get(i).values().size();
      combinations *= sizes[i];
    }
    List<int[]> combos = new ArrayList<>();
    List<Experiment> experiments = new ArrayList<>();
    for (int n = 0; n < combinations; n++) {
      int[] pick = new int[axes.size()];
      int rest = n;
      for (int i = axes.size() - 1; i >= 0; i--) {
        pick[i] = rest % sizes[i];
        rest /= sizes[i];
      }
      MapNode t = tree;
      Set<YamlTree.Loc> swept = new HashSet<>();
      List<String> settings = new ArrayList<>();
      for (int i = 0; i < axes.size(); i++) {
        Node value = axes.get(i).values().get(pick[i]);
        t = SweepReader.set(t, axes.get(i).target(), value);
        swept.add(value.loc());
        settings.add(axes.get(i).target().path().strip() + "=" + ((ScalarNode) value).text());
      }
      Experiment e = base;
      if (!axes.isEmpty()) {
        Checker pc = new Checker(fileName);
        e = new ExperimentReader(pc).experiment(t);
        c.addAll(pc, swept, String.join(", ", settings));
      }
      combos.add(pick);
      experiments.add(e);
    }
    if (!c.ok()) {
      throw c.error();
    }
    return new ExperimentFile(fileName, base, seeds, sweepAxes(axes),
        points(axes, seeds, combos, experiments));
  }

  private static List<SweepAxis> sweepAxes(List<Axis> axes) {
    List<SweepAxis> result = new ArrayList<>();
    for (Axis a : axes) {
      result.add(new SweepAxis(a.target().path().strip(), texts(a.values())));
    }
    return result;
  }

  private static List<String> texts(List<Node> values) {
    List<String> texts = new ArrayList<>();
    for (Node v : values) {
      texts.add(((ScalarNode) v).text());
    }
    return texts;
  }

  /** The grid in order (combinations as given, seeds innermost), each point with its id. */
  private static List<GridPoint> points(List<Axis> axes, List<Long> seeds, List<int[]> combos,
      List<Experiment> experiments) {
    List<Target> targets = new ArrayList<>();
    for (Axis a : axes) {
      targets.add(a.target());
    }
    List<String> labels = SweepReader.labels(targets);
    List<GridPoint> points = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (int n = 0; n < combos.size(); n++) {
      int[] pick = combos.get(n);
      List<GridPoint.Setting> settings = new ArrayList<>();
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < axes.size(); i++) {
        String value = ((ScalarNode) axes.get(i).values().get(pick[i])).text();
        settings.add(new GridPoint.Setting(axes.get(i).target().path().strip(), value));
        prefix.append(labels.get(i)).append('=').append(SweepReader.idValue(value)).append(',');
      }
      for (long seed : seeds) {
        String id = prefix + "seed=" + Long.toUnsignedString(seed);
        if (!ids.add(id)) {
          id = id + "~" + points.size(); // two values that read alike once made file-safe
          ids.add(id);
        }
        points.add(new GridPoint(points.size(), id, seed, settings, experiments.get(n)));
      }
    }
    return points;
  }

  /** UTF-8, or an error at the line and column of the first byte that is not. */
  private static String decode(String name, byte[] bytes) throws ExperimentError {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = d.decode(in);
      return out.toString();
    } catch (CharacterCodingException e) {
      int bad = findBadByte(bytes);
      int line = 1;
      int column = 1;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      throw new ExperimentError(new Problem(name, line, column, "(file)",
          "not UTF-8 text: byte 0x" + String.format("%02x", bytes[bad] & 0xff)
              + " here starts no character; save the file as UTF-8"));
    }
  }

  private static int findBadByte(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    d.decode(in, out, true);
    return Math.min(in.position(), bytes.length - 1);
  }
}
