package tcpsim.lab.report;

import static tcpsim.lab.report.Checks.checkName;

/** One MIB counter as {@code nstat} names it (e.g. {@code TcpRetransSegs}) and its value at the end of the run. */
public record Counter(String name, long value) {
  public Counter {
    checkName("counter name", name);
  }
}
