package tcpsim.lab.run;

import java.util.LinkedHashMap;
import java.util.Map;
import tcpsim.core.event.Simulation;

/**
 * What the processes of one run share: the simulation, the recorder, where each server listens,
 * and what each client host asks of each server (the request and response sizes), which stands
 * in for the application protocol: payload bytes carry no content in these runs.
 */
final class RunContext {
  /** Where a server application listens. */
  record Endpoint(int address, int port) {}

  /** What clients on one host send to a server and expect back, in bytes. */
  record Exchange(long requestBytes, long responseBytes) {}

  private final Simulation sim;
  private final Recorder recorder;
  private final Map<String, Endpoint> servers = new LinkedHashMap<>();
  /** server app -> client address -> exchange (the first client app on a host wins). */
  private final Map<String, Map<Integer, Exchange>> exchanges = new LinkedHashMap<>();

  RunContext(Simulation sim, Recorder recorder) {
    this.sim = sim;
    this.recorder = recorder;
  }

  Simulation sim() {
    return sim;
  }

  Recorder recorder() {
    return recorder;
  }

  void addServer(String app, Endpoint at) {
    servers.put(app, at);
  }

  Endpoint server(String app) {
    Endpoint e = servers.get(app);
    if (e == null) {
      throw new IllegalStateException("no server application '" + app + "'; servers are "
          + servers.keySet());
    }
    return e;
  }

  void addExchange(String serverApp, int clientAddress, Exchange exchange) {
    exchanges.computeIfAbsent(serverApp, k -> new LinkedHashMap<>())
        .putIfAbsent(clientAddress, exchange);
  }

  /** What a client at {@code clientAddress} asks of {@code serverApp}; a 1-byte request and no answer if unknown. */
  Exchange exchange(String serverApp, int clientAddress) {
    Map<Integer, Exchange> m = exchanges.get(serverApp);
    Exchange e = m == null ? null : m.get(clientAddress);
    return e == null ? new Exchange(1, 0) : e;
  }
}
