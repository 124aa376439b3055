package tcpsim.lab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The C helper, compiled on first use with the machine's gcc into the build directory (next to
 * the classes or the jar: {@code target/kernel-helper/}), never committed. The binary's name holds
 * a hash of its source, so an edited source is rebuilt and two versions never collide.
 */
final class HelperBinary {
  static final String RESOURCE = "/tcpsim/lab/kernel/tcpsim-kernel-helper.c";

  private HelperBinary() {}

  /** The compiled helper, building it if needed. */
  static synchronized Path get() {
    byte[] source = source();
    String hash = HexFormat.of().formatHex(sha256(source)).substring(0, 12);
    Path dir = buildDir();
    Path binary = dir.resolve("tcpsim-kernel-helper-" + hash);
    if (Files.isExecutable(binary)) {
      return binary;
    }
    try {
      Files.createDirectories(dir);
      Path src = dir.resolve("tcpsim-kernel-helper-" + hash + ".c");
      Files.write(src, source);
      Path tmp = dir.resolve(binary.getFileName() + ".tmp" + ProcessHandle.current().pid());
      String cc = Tools.find("gcc") != null ? "gcc" : "cc";
      Tools.Output o = Tools.run(cc, "-O2", "-Wall", "-pthread", "-o", tmp.toString(), src.toString());
      if (!o.ok()) {
        throw new KernelBackendException("compiling the kernel helper failed:\n" + o.out());
      }
      Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return binary;
    } catch (IOException e) {
      throw new KernelBackendException("cannot build the kernel helper in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static byte[] source() {
    try (InputStream in = HelperBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new KernelBackendException("the helper source " + RESOURCE + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new KernelBackendException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** target/kernel-helper next to target/classes or target/tcpsim.jar; else a temp directory. */
  private static Path buildDir() {
    try {
      Path here = Path.of(HelperBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path parent = here.getParent();
      if (parent != null && Files.isWritable(parent)) {
        return parent.resolve("kernel-helper");
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the temp directory
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "tcpsim-kernel-helper");
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
