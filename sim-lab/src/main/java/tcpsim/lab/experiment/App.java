package tcpsim.lab.experiment;

/**
 * One application from the workload library, running on a host from {@code startNanos}.
 *
 * @param name the name the file gives it; clients name their server by it
 */
public record App(String name, String host, long startNanos, Workload workload) {
  public WorkloadKind kind() {
    return workload.kind();
  }
}
