package tcpsim.lab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds and runs the machine's tools (ip, tc, ss, gcc) with a time limit. */
final class Tools {
  /** iproute2 lives in /sbin on many systems, which a non-login PATH may lack. */
  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Tools() {}

  /** The executable {@code name} on PATH (or the sbin directories), or null. */
  static Path find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** What a command printed and its exit code. */
  record Output(int code, String out) {
    boolean ok() {
      return code == 0;
    }
  }

  /** Runs {@code command} (stdout and stderr merged) for at most 20 s. */
  static Output run(List<String> command) {
    return run(command, "");
  }

  /** Runs {@code command} with {@code stdin} as its input (stdout and stderr merged), 20 s at most. */
  static Output run(List<String> command, String stdin) {
    List<String> cmd = new ArrayList<>(command);
    Path exe = find(cmd.get(0));
    if (exe != null) {
      cmd.set(0, exe.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (java.io.OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = readAll(p.getInputStream());
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Output(-1, String.join(" ", command) + ": timed out");
      }
      return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Output(-1, String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Output(-1, String.join(" ", command) + ": interrupted");
    }
  }

  static Output run(String... command) {
    return run(List.of(command));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }
}
