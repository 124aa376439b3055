package tcpsim.lab.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian Chromium for tests: no sandbox (tests may run as root), no GPU, no network
 * features, a fresh profile per run. A test process, so a wall-clock timeout is fine here.
 */
final class Chromium {
  private static final long TIMEOUT_SECONDS = 180;
  private final Path executable;

  private Chromium(Path executable) {
    this.executable = executable;
  }

  /** Chromium from the PATH ({@code chromium}, or {@code chromium-browser}), if installed. */
  static Optional<Chromium> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(new Chromium(candidate));
        }
      }
    }
    return Optional.empty();
  }

  /** The DOM after the page's script ran, as Chromium serializes it. */
  String dumpDom(Path html, Path workDir) throws IOException, InterruptedException {
    return dumpDom(html, "", workDir);
  }

  /** As {@link #dumpDom(Path, Path)}, with {@code fragment} (e.g. "zoom=2") after a '#' in the address. */
  String dumpDom(Path html, String fragment, Path workDir) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "dom", ".html");
    String log = run(workDir, out, List.of("--enable-logging=stderr", "--v=0", "--dump-dom",
        html.toUri() + (fragment.isEmpty() ? "" : "#" + fragment)));
    // The page's console goes to stderr as INFO:CONSOLE lines; an uncaught exception there is a broken report.
    List<String> errors = log.lines().filter(l -> l.contains(":CONSOLE") && l.contains("Uncaught")).toList();
    if (!errors.isEmpty()) {
      throw new AssertionError("the page's script failed:\n" + String.join("\n", errors));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** A PNG of the page at {@code width}x{@code height}. */
  void screenshot(Path html, Path png, int width, int height, Path workDir) throws IOException, InterruptedException {
    run(workDir, workDir.resolve("screenshot.log"), List.of("--screenshot=" + png.toAbsolutePath(),
        "--window-size=" + width + "," + height, "--hide-scrollbars", html.toUri().toString()));
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
  }

  /** Runs Chromium with {@code args}; returns what it wrote to stderr. */
  private String run(Path workDir, Path stdout, List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "profile");
    List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path stderr = workDir.resolve("chromium-stderr-" + profile.getFileName() + ".log");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited " + p.exitValue() + ": " + cmd + "\n"
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }
}
