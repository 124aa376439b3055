package tcpsim.lab.run;

import java.util.LinkedHashMap;
import java.util.Map;
import tcpsim.core.event.Simulation;

/**
 * What the processes of one run share: the simulation, the recorder, where each server listens,
 * and what each client host asks of each server (the request and response sizes), which stands
 * in for the application protocol: payload bytes carry no content, except the incarnation
 * tags of connection churn ({@link #tagContent}).
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

  /** "client:port>server:port" -> how many connections that 4-tuple has carried (lookups only). */
  private final Map<String, Integer> incarnations = new java.util.TreeMap<>();
  private boolean contentTagged;

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

  /**
   * From now on payload bytes carry content: every byte a connection-churn client sends, and
   * every byte the server answers it with, is its incarnation's tag ({@link #tag}). A byte
   * read with another tag belongs to an earlier connection on the same 4-tuple: a stale
   * segment the new incarnation accepted (RFC 9293 section 3.4.2, RFC 1337 hazard H1).
   */
  void tagContent() {
    contentTagged = true;
  }

  boolean contentTagged() {
    return contentTagged;
  }

  /** A client's connection on this 4-tuple is established: its incarnation number, 1, 2, ... */
  int newIncarnation(int clientAddress, int clientPort, int serverAddress, int serverPort) {
    return incarnations.merge(tuple(clientAddress, clientPort, serverAddress, serverPort), 1,
        Integer::sum);
  }

  /** The latest incarnation a client established on this 4-tuple, 0 if none. */
  int incarnation(int clientAddress, int clientPort, int serverAddress, int serverPort) {
    return incarnations.getOrDefault(tuple(clientAddress, clientPort, serverAddress, serverPort), 0);
  }

  /** The byte an incarnation's payload is made of: never 0 (a write without content is zeros). */
  static byte tag(int incarnation) {
    return (byte) (1 + Math.floorMod(incarnation - 1, 255));
  }

  private static String tuple(int ca, int cp, int sa, int sp) {
    return Integer.toUnsignedString(ca) + ":" + cp + ">" + Integer.toUnsignedString(sa) + ":" + sp;
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
