package tcpsim.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.core.time.Nanos;
import tcpsim.lab.kernel.DiffFuzz;
import tcpsim.lab.kernel.KernelAvailability;
import tcpsim.lab.kernel.KernelPkt;
import tcpsim.lab.report.LadderReport;
import tcpsim.lab.report.LadderTap;
import tcpsim.lab.report.RunTrace;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptLine;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.SimulatedBackend;
import tcpsim.net.observe.CaptureFilter;
import tcpsim.net.observe.CapturePoint;
import tcpsim.net.observe.PcapWriter;

/**
 * {@code tcpsim pkt FILE|DIR...}: reads packetdrill-notation scripts and reports one line per
 * script (PASS, FAIL with the place, or UNSUPPORTED naming the feature), then
 * {@code N passed, N failed, N unsupported}. Exits 0 only when none failed; a script that cannot
 * be read counts as failed and is reported as {@code file:line:col: error: ...}.
 *
 * <p>Scripts run against tcpsim's simulated stack ({@link SimulatedBackend}) with a fixed seed; a
 * FAIL line is followed by the seed and the command that replays it.
 *
 * <p>Observation (sim backend only): {@code --pcap DIR} writes {@code DIR/<script>.pcap} per
 * script, both directions of its wire at virtual times; {@code --report FILE|DIR} writes the
 * ladder report of the script's wire (to FILE when it ends in .html and one script runs, else
 * {@code DIR/<script>.html} per script); {@code --ss-at TIME} prints the simulated stack's
 * {@code ss -tano} table at that virtual time after the script's result line. {@code <script>}
 * is the script's path below the directory argument that named it, '/' written as '_', without
 * .pkt.
 *
 * <p>{@code --diff-fuzz [--seed S] [--cases N | --case I] [--out DIR]} takes no scripts: it
 * generates short teardown scripts and compares the two backends on them ({@link DiffFuzz}).
 */
@Command(name = "pkt", mixinStandardHelpOptions = true,
    description = "Run packetdrill-notation scripts (.pkt files, or directories of them).")
public final class PktCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--verbose"},
      description = "Print each script's events as parsed, then the wire in tcpdump's format.")
  boolean verbose;

  @Option(names = "--backend", paramLabel = "sim|linux|both", description = "sim (default); linux: "
      + "the host's kernel in a fresh network namespace (root, /dev/net/tun, ip, gcc); both: run "
      + "each script on both and report where they disagree.")
  KernelPkt.Backend backend = KernelPkt.Backend.sim;

  @Option(names = "--slow", description = "linux/both: also run scripts that span more than 10 s.")
  boolean slow;

  @Option(names = "--pcap", paramLabel = "DIR",
      description = "sim: write DIR/<script>.pcap per script, both directions, virtual times.")
  Path pcap;

  @Option(names = "--report", paramLabel = "FILE|DIR", description = "sim: write the HTML ladder"
      + " report of each script's wire: to FILE (.html, one script) or DIR/<script>.html.")
  Path report;

  @Option(names = "--ss-at", paramLabel = "TIME", converter = TimeConverter.class,
      description = "sim: print the stack's `ss -tano` table at this virtual time (e.g. 500ms;"
          + " repeatable).")
  List<Long> ssAt = List.of();

  @Option(names = "--diff-fuzz", description = "Instead of scripts: generate short random teardown "
      + "scripts, run each on both backends, and report, shrink and write (--out) where they "
      + "disagree.")
  boolean diffFuzz;

  @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "S",
      description = "--diff-fuzz: the run seed (decimal or 0x hex). Default: 0x5eed.")
  long seed = 0x5eed;

  @Option(names = "--cases", paramLabel = "N", description = "--diff-fuzz: how many cases. Default: 200.")
  int cases = 200;

  @Option(names = "--case", paramLabel = "I", description = "--diff-fuzz: run only case I of the seed.")
  Integer onlyCase;

  @Option(names = "--timers", description = "--diff-fuzz: end each body with a wait of 0.13 to 2.6 s for the timers it"
      + " started (delayed ACK, loss probe, retransmissions, probes), then a few more steps.")
  boolean timers;

  @Option(names = "--out", paramLabel = "DIR",
      description = "--diff-fuzz: write each shrunk disagreement to DIR/case-I.pkt.")
  Path outDir;

  @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = ".pkt scripts or directories")
  List<Path> paths = List.of();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (diffFuzz) {
      return diffFuzz(out, err);
    }
    for (String only : new String[] {"--seed", "--cases", "--case", "--timers", "--out"}) {
      if (spec.commandLine().getParseResult().hasMatchedOption(only)) {
        err.println("tcpsim pkt: " + only + " is an option of --diff-fuzz");
        return 2;
      }
    }
    if (paths.isEmpty()) {
      err.println("tcpsim pkt: give .pkt files or directories (or --diff-fuzz)");
      spec.commandLine().usage(err);
      return 2;
    }
    boolean observing = pcap != null || report != null || !ssAt.isEmpty();
    if (observing && backend != KernelPkt.Backend.sim) {
      err.println("tcpsim pkt: --pcap, --report and --ss-at observe the simulated stack: use them"
          + " with --backend sim");
      return 2;
    }
    List<Path> files = new ArrayList<>();
    Map<Path, String> captureNames = new LinkedHashMap<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted()
              .forEach(f -> {
                files.add(f);
                captureNames.put(f, captureName(p.relativize(f)));
              });
        } catch (IOException | java.io.UncheckedIOException e) {
          err.println("tcpsim pkt: cannot read directory " + p + ": " + e.getMessage());
          return 2;
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
        captureNames.put(p, captureName(p.getFileName()));
      } else {
        err.println("tcpsim pkt: no such file or directory: " + p);
        return 2;
      }
    }
    boolean reportToFile = report != null && files.size() == 1 && !Files.isDirectory(report)
        && report.getFileName().toString().endsWith(".html");
    try {
      if (pcap != null) {
        Files.createDirectories(pcap);
      }
      if (report != null && !reportToFile) {
        Files.createDirectories(report);
      }
    } catch (IOException | UncheckedIOException e) {
      err.println("tcpsim pkt: cannot create the output directory: " + e.getMessage());
      return 2;
    }
    KernelPkt kernel = backend == KernelPkt.Backend.sim ? null
        : new KernelPkt(backend, slow, verbose, out, SimulatedBackend::new);
    if (kernel != null) {
      kernel.printHeader();
    }
    int passed = 0;
    int failed = 0;
    int unsupported = 0;
    for (Path f : files) {
      String name = f.toString();
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        out.println("FAIL         " + name + ": cannot read: " + e.getMessage());
        failed++;
        continue;
      }
      Script script;
      try {
        script = Parser.parse(name, text);
      } catch (ScriptError e) {
        out.println("FAIL         " + e.getMessage());
        failed++;
        continue;
      }
      if (verbose) {
        for (ScriptLine line : script.lines()) {
          out.println("    " + line.pos().line() + ": " + describe(line));
        }
      }
      List<String> notes = new ArrayList<>();
      ScriptResult r;
      if (kernel != null) {
        r = kernel.run(script);
      } else if (observing) {
        Path reportFile = report == null ? null
            : reportToFile ? report : report.resolve(captureNames.get(f) + ".html");
        try {
          r = observed(script, pcap == null ? null : pcap.resolve(captureNames.get(f) + ".pcap"),
              reportFile, notes, verbose ? line -> out.println("    " + line) : null);
        } catch (IOException | UncheckedIOException e) {
          err.println("tcpsim pkt: " + name + ": cannot write: " + e.getMessage());
          return 2;
        }
      } else {
        r = SimulatedBackend.run(script, SimulatedBackend.DEFAULT_SEED,
            verbose ? line -> out.println("    " + line) : null);
      }
      out.println(r.describe());
      for (String note : notes) {
        out.println(note);
      }
      if (r instanceof ScriptResult.Fail && kernel == null) {
        out.println("    replay: ./tcpsim pkt -v " + name + "   (seed 0x"
            + Long.toHexString(SimulatedBackend.DEFAULT_SEED) + ")");
      }
      if (r instanceof ScriptResult.Pass) {
        passed++;
      } else if (r instanceof ScriptResult.Fail) {
        failed++;
      } else {
        unsupported++;
      }
    }
    out.println(passed + " passed, " + failed + " failed, " + unsupported + " unsupported");
    return failed == 0 ? 0 : 1;
  }

  private int diffFuzz(PrintWriter out, PrintWriter err) {
    if (!paths.isEmpty() || backend == KernelPkt.Backend.sim && spec.commandLine().getParseResult()
        .hasMatchedOption("--backend")) {
      err.println("tcpsim pkt: --diff-fuzz makes its own scripts and runs them on both backends:"
          + " give no files and no --backend");
      return 2;
    }
    if (cases < 1 || onlyCase != null && onlyCase < 0) {
      err.println("tcpsim pkt: --cases must be at least 1 and --case at least 0");
      return 2;
    }
    KernelAvailability a = KernelAvailability.check();
    if (!a.available()) {
      err.println("tcpsim pkt: --diff-fuzz needs the kernel backend: " + a.reason());
      return 2;
    }
    DiffFuzz.Summary s = new DiffFuzz(out, outDir).campaign(seed,
        onlyCase == null ? 0 : onlyCase, onlyCase == null ? cases : 1, timers);
    return s.disagreements() == 0 ? 0 : 1;
  }

  /**
   * Runs {@code script} on the simulated stack with the asked-for observers: a pcap to
   * {@code pcapFile}, a ladder report to {@code reportFile} (either may be null), and the
   * {@code ss} tables at {@link #ssAt} appended to {@code notes}.
   */
  private ScriptResult observed(Script script, Path pcapFile, Path reportFile, List<String> notes,
      java.util.function.Consumer<String> wireLog) throws IOException {
    SimulatedBackend b = new SimulatedBackend(SimulatedBackend.DEFAULT_SEED);
    b.setWireLog(wireLog);
    LadderTap ladder = null;
    if (reportFile != null) {
      ladder = new LadderTap();
      b.addWireTap(ladder);
      b.stack().addStateObserver(ladder);
    }
    Map<Long, String> tables = new LinkedHashMap<>();
    for (long at : ssAt) {
      b.observeAt(at, now -> tables.put(now, b.ssTable()));
    }
    ScriptResult r;
    if (pcapFile != null) {
      try (PcapWriter w = new PcapWriter(Files.newOutputStream(pcapFile),
          CaptureFilter.everywhere(CapturePoint.SENDER))) {
        b.addWireTap(w);
        r = b.execute(script);
      }
    } else {
      r = b.execute(script);
    }
    for (long at : ssAt) {
      String table = tables.get(at);
      if (table == null) {
        notes.add("    ss -tano at " + Nanos.format(at) + ": not reached, the script ended at "
            + Nanos.format(b.nowNanos()));
      } else {
        notes.add("    ss -tano at " + Nanos.format(at) + ":");
        table.lines().forEach(l -> notes.add("    " + l));
      }
    }
    if (ladder != null) {
      RunTrace.Builder t = ladder.toBuilder(script.file() + " (tcpsim, seed 0x"
          + Long.toHexString(b.seed()) + ")", b.seed());
      for (Map.Entry<String, Long> e : b.stack().counters().entrySet()) {
        if (e.getValue() != 0) {
          t.counter(e.getKey(), e.getValue());
        }
      }
      Path parent = reportFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(reportFile, LadderReport.standard().render(t.build()), StandardCharsets.UTF_8);
    }
    return r;
  }

  /** "close/fin-wait-2-timeout.pkt" -> "close_fin-wait-2-timeout". */
  static String captureName(Path relative) {
    String n = relative.toString().replace('\\', '_').replace('/', '_');
    return n.endsWith(".pkt") ? n.substring(0, n.length() - 4) : n;
  }

  private static String describe(ScriptLine line) {
    String time = line.timing().toString();
    String body;
    if (line instanceof ScriptLine.PacketLine p) {
      body = p.describe();
    } else if (line instanceof ScriptLine.SyscallLine s) {
      body = s.describe();
    } else if (line instanceof ScriptLine.CommandLine c) {
      body = "`" + String.join("; ", c.commands().stream().map(x -> x.text()).toList()) + "`";
    } else if (line instanceof ScriptLine.AssertBlock a) {
      body = a.unsupported() != null ? "%{ " + a.unsupported() + " }%"
          : "%{ assert " + String.join(" and ", a.assertions().stream().map(Object::toString).toList()) + " }%";
    } else {
      body = "(unsupported: " + ((ScriptLine.UnsupportedLine) line).feature() + ")";
    }
    return time.isEmpty() ? body : time + " " + body;
  }
}
