package tcpsim.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tcpsim.lab.kernel.KernelPkt;
import tcpsim.lab.script.Parser;
import tcpsim.lab.script.Script;
import tcpsim.lab.script.ScriptError;
import tcpsim.lab.script.ScriptLine;
import tcpsim.lab.script.ScriptResult;
import tcpsim.lab.script.SimulatedBackend;

/**
 * {@code tcpsim pkt FILE|DIR...}: reads packetdrill-notation scripts and reports one line per
 * script (PASS, FAIL with the place, or UNSUPPORTED naming the feature), then
 * {@code N passed, N failed, N unsupported}. Exits 0 only when none failed; a script that cannot
 * be read counts as failed and is reported as {@code file:line:col: error: ...}.
 *
 * <p>Scripts run against tcpsim's simulated stack ({@link SimulatedBackend}) with a fixed seed; a
 * FAIL line is followed by the seed and the command that replays it.
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

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = ".pkt scripts or directories")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted()
              .forEach(files::add);
        } catch (IOException | java.io.UncheckedIOException e) {
          err.println("tcpsim pkt: cannot read directory " + p + ": " + e.getMessage());
          return 2;
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        err.println("tcpsim pkt: no such file or directory: " + p);
        return 2;
      }
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
      ScriptResult r = kernel != null ? kernel.run(script)
          : SimulatedBackend.run(script, SimulatedBackend.DEFAULT_SEED,
              verbose ? line -> out.println("    " + line) : null);
      out.println(r.describe());
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
