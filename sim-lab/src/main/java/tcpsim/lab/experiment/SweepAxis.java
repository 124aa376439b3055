package tcpsim.lab.experiment;

import java.util.List;

/**
 * One swept parameter: its path ({@code apps.churn.rate},
 * {@code hosts.client.sysctls.net.ipv4.tcp_tw_reuse}) and its values as the file writes them.
 */
public record SweepAxis(String path, List<String> values) {
  public SweepAxis {
    values = List.copyOf(values);
  }
}
