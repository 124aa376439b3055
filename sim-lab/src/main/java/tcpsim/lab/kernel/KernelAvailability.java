package tcpsim.lab.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine can run scripts on its own kernel: Linux, root (network namespaces and
 * tun devices need CAP_NET_ADMIN and CAP_SYS_ADMIN), {@code /dev/net/tun}, iproute2's {@code ip},
 * and a C compiler for the helper. The reason names the first thing missing.
 */
public record KernelAvailability(boolean available, String reason) {
  /** Checks this machine; never throws. */
  public static KernelAvailability check() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return no("not Linux (" + System.getProperty("os.name") + ")");
    }
    if (!isRoot()) {
      return no("not root (network namespaces and tun devices need CAP_NET_ADMIN)");
    }
    Path tun = Path.of("/dev/net/tun");
    if (!Files.exists(tun)) {
      return no("no /dev/net/tun");
    }
    if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
      return no("/dev/net/tun is not readable and writable");
    }
    if (Tools.find("ip") == null) {
      return no("iproute2's `ip` is not installed");
    }
    if (Tools.find("gcc") == null && Tools.find("cc") == null) {
      return no("no C compiler (gcc or cc) to build the kernel helper");
    }
    return new KernelAvailability(true, "");
  }

  private static KernelAvailability no(String reason) {
    return new KernelAvailability(false, reason);
  }

  /** Effective uid 0, from /proc/self/status ("Uid: real effective saved fs"). */
  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length > 1 && f[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /** {@code uname -r}: the running kernel's release, read from /proc. */
  public static String kernelRelease() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
