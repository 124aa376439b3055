package tcpsim.lab.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips (never passes) a test when this machine cannot run the kernel backend, saying why. */
final class KernelAssumptions {
  private KernelAssumptions() {}

  static void assumeKernelBackend() {
    KernelAvailability a = KernelAvailability.check();
    assumeTrue(a.available(), () -> "kernel backend not run: " + a.reason());
  }
}
