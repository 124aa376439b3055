package tcpsim.lab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The workload library: each kind's name as the file writes it ({@code kind:
 * request-response-client}), its parameters with their types, defaults and ranges, and how a
 * checked set of parameters becomes its {@link Workload} record. Every application also takes
 * {@code kind}, {@code host} and {@code start} (a time, default 0s).
 */
public enum WorkloadKind {
  REQUEST_RESPONSE_SERVER("request-response-server", true, List.of(
      Param.port(),
      Param.backlog(),
      Param.time("service_time", "0s"),
      Param.count("close_after_requests", "0", 0, 1_000_000_000),
      Param.bool("read_request", "true"),
      Param.optionalRate("accept_rate")),
      p -> new Workload.RequestResponseServer(p.count("port"), p.count("backlog"),
          p.time("service_time"), p.count("close_after_requests"), p.bool("read_request"),
          p.optionalRate("accept_rate"))),
  REQUEST_RESPONSE_CLIENT("request-response-client", false, List.of(
      Param.target(),
      Param.size("request_size", "100"),
      Param.size("response_size", "1000"),
      Param.time("think_time", "0s"),
      Param.count("connections", "1", 1, 1_000_000),
      Param.optionalRate("rate"),
      Param.count("requests_per_connection", "0", 0, 1_000_000_000),
      Param.count("write_pieces", "1", 1, 1_000_000),
      Param.time("piece_gap", "0s")),
      p -> new Workload.RequestResponseClient(p.app("target"), p.size("request_size"),
          p.size("response_size"), p.time("think_time"), p.count("connections"),
          p.optionalRate("rate"), p.count("requests_per_connection"), p.count("write_pieces"),
          p.time("piece_gap"))),
  BULK_TRANSFER("bulk-transfer", false, List.of(
      Param.target(),
      Param.requiredSize("bytes", 1)),
      p -> new Workload.BulkTransfer(p.app("target"), p.size("bytes"))),
  CONNECTION_CHURN("connection-churn", false, List.of(
      Param.target(),
      Param.requiredRate("rate"),
      Param.size("request_size", "0"),
      Param.size("response_size", "0"),
      Param.time("hold", "0s")),
      p -> new Workload.ConnectionChurn(p.app("target"), p.rate("rate"), p.size("request_size"),
          p.size("response_size"), p.time("hold"))),
  IDLE_CONNECTIONS("idle-connections", false, List.of(
      Param.target(),
      Param.requiredCount("count", 1, 1_000_000),
      Param.bool("keepalive", "false")),
      p -> new Workload.IdleConnections(p.app("target"), p.count("count"), p.bool("keepalive"))),
  NEVER_CLOSING_SERVER("never-closing-server", true, List.of(
      Param.port(),
      Param.backlog(),
      Param.size("response_size", "0")),
      p -> new Workload.NeverClosingServer(p.count("port"), p.count("backlog"),
          p.size("response_size"))),
  IMPATIENT_CLIENT("impatient-client", false, List.of(
      Param.target(),
      Param.requiredRate("rate"),
      Param.size("request_size", "100"),
      Param.size("response_size", "1000"),
      Param.requiredTime("give_up_after", 1)),
      p -> new Workload.ImpatientClient(p.app("target"), p.rate("rate"), p.size("request_size"),
          p.size("response_size"), p.time("give_up_after"))),
  SYN_FLOOD("syn-flood", false, List.of(
      Param.target(),
      Param.requiredRate("rate"),
      Param.bool("spoofed", "true")),
      p -> new Workload.SynFlood(p.app("target"), p.rate("rate"), p.bool("spoofed"))),
  ECHO_SERVER("echo-server", true, List.of(
      Param.port(),
      Param.backlog()),
      p -> new Workload.EchoServer(p.count("port"), p.count("backlog"))),
  SESSION_CLIENT("session-client", false, List.of(
      Param.target(),
      Param.sizes("sizes", 1),
      Param.count("repeat", "1", 1, Param.MAX_SESSIONS),
      Param.time("pause", "0s"),
      Param.count("local_port", "0", 0, 65535)),
      p -> new Workload.SessionClient(p.app("target"), p.sizes("sizes"), p.count("repeat"),
          p.time("pause"), p.count("local_port")));

  /** Keys every application takes besides its kind's parameters. */
  static final List<String> COMMON_KEYS = List.of("kind", "host", "start");

  private final String yamlName;
  private final boolean server;
  private final List<Param> params;
  private final Function<Params, Workload> make;

  WorkloadKind(String yamlName, boolean server, List<Param> params, Function<Params, Workload> make) {
    this.yamlName = yamlName;
    this.server = server;
    this.params = params;
    this.make = make;
  }

  /** The name the file writes after {@code kind:}. */
  public String yamlName() {
    return yamlName;
  }

  /** Listens on a port, so clients may name it as their target. */
  public boolean isServer() {
    return server;
  }

  List<Param> params() {
    return params;
  }

  Param param(String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** Every key an application of this kind may have, common ones first. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(COMMON_KEYS);
    for (Param p : params) {
      keys.add(p.name());
    }
    return keys;
  }

  Workload make(Params p) {
    return make.apply(p);
  }

  public static WorkloadKind byYamlName(String name) {
    for (WorkloadKind k : values()) {
      if (k.yamlName.equals(name)) {
        return k;
      }
    }
    return null;
  }

  static List<String> yamlNames() {
    List<String> names = new ArrayList<>();
    for (WorkloadKind k : values()) {
      names.add(k.yamlName);
    }
    return names;
  }

  /** How a parameter's value is written. */
  enum Type { TIME, SIZE, SIZES, RATE, COUNT, BOOL, APP }

  /**
   * One parameter: its name in the file, its type, its default as the file would write it (null:
   * required, or {@code optional} for "absent means unset"), and its range in base units
   * (nanoseconds, bytes, events per second, or the count itself; for a list of sizes, the range
   * of each item in bytes).
   */
  record Param(String name, Type type, String defaultText, boolean optional, long min, long max) {
    static final long MAX_SIZE = 1L << 40;
    static final long MAX_TIME = 365L * 24 * 3_600_000_000_000L;
    static final long MAX_RATE_PER_SECOND = 1_000_000;
    /** The most sessions a session-client's list holds, and the most times it is repeated. */
    static final int MAX_SESSIONS = 1_000_000;

    boolean required() {
      return defaultText == null && !optional;
    }

    static Param port() {
      return new Param("port", Type.COUNT, null, false, 1, 65535);
    }

    /** nginx's default listen backlog (NGX_LISTEN_BACKLOG); Linux caps it at net.core.somaxconn. */
    static Param backlog() {
      return new Param("backlog", Type.COUNT, "511", false, 0, 65535);
    }

    static Param target() {
      return new Param("target", Type.APP, null, false, 0, 0);
    }

    static Param time(String name, String def) {
      return new Param(name, Type.TIME, def, false, 0, MAX_TIME);
    }

    static Param requiredTime(String name, long min) {
      return new Param(name, Type.TIME, null, false, min, MAX_TIME);
    }

    static Param size(String name, String def) {
      return new Param(name, Type.SIZE, def, false, 0, MAX_SIZE);
    }

    static Param requiredSize(String name, long min) {
      return new Param(name, Type.SIZE, null, false, min, MAX_SIZE);
    }

    /** A required list of sizes, each from {@code min} bytes, at most {@link #MAX_SESSIONS} of them. */
    static Param sizes(String name, long min) {
      return new Param(name, Type.SIZES, null, false, min, MAX_SIZE);
    }

    static Param count(String name, String def, long min, long max) {
      return new Param(name, Type.COUNT, def, false, min, max);
    }

    static Param requiredCount(String name, long min, long max) {
      return new Param(name, Type.COUNT, null, false, min, max);
    }

    static Param bool(String name, String def) {
      return new Param(name, Type.BOOL, def, false, 0, 1);
    }

    static Param requiredRate(String name) {
      return new Param(name, Type.RATE, null, false, 1, MAX_RATE_PER_SECOND);
    }

    static Param optionalRate(String name) {
      return new Param(name, Type.RATE, null, true, 1, MAX_RATE_PER_SECOND);
    }
  }

  /** Checked parameter values by name, for {@link #make}. */
  interface Params {
    long time(String name);

    long size(String name);

    List<Long> sizes(String name);

    Rate rate(String name);

    java.util.Optional<Rate> optionalRate(String name);

    int count(String name);

    boolean bool(String name);

    String app(String name);
  }
}
