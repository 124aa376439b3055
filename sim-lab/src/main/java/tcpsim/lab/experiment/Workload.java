package tcpsim.lab.experiment;

import java.util.List;
import java.util.Optional;

/**
 * What an application does, one record per kind of the workload library (see {@link
 * WorkloadKind} for the parameters as the file writes them, their defaults and ranges). Sizes
 * are bytes, times nanoseconds. A client names its server application in {@code target}.
 */
public sealed interface Workload {
  WorkloadKind kind();

  /** The server application this one connects to, if it is a client. */
  default Optional<String> target() {
    return Optional.empty();
  }

  /** The port a server listens on; -1 for a client. */
  default int listenPort() {
    return -1;
  }

  /**
   * Listens on a port; answers each request with the size the client asked for after {@code
   * serviceTimeNanos}. {@code closeAfterRequests} > 0: the server closes after that many answers
   * (0: the client closes). {@code readRequest} false: the server answers and closes without
   * reading the request, so its close finds unread data and sends RST (tcp_close). {@code
   * acceptRate}: accept(2) is called at most this often, so a burst waits in the accept queue;
   * empty: each connection is accepted as soon as it is ready.
   */
  record RequestResponseServer(int port, int backlog, long serviceTimeNanos, int closeAfterRequests,
      boolean readRequest, Optional<Rate> acceptRate) implements Workload {
    @Override
    public int listenPort() {
      return port;
    }

    @Override
    public WorkloadKind kind() {
      return WorkloadKind.REQUEST_RESPONSE_SERVER;
    }
  }

  /**
   * Keeps {@code connections} connections, each sending requests of {@code requestBytes} and
   * reading answers of {@code responseBytes}, pausing {@code thinkTimeNanos} between. With a
   * {@code rate}, opens connections at that rate instead (at most {@code connections} at once).
   * {@code requestsPerConnection} 0: unlimited. Each request goes out in {@code writePieces}
   * write(2) calls {@code pieceGapNanos} apart.
   */
  record RequestResponseClient(String server, long requestBytes, long responseBytes,
      long thinkTimeNanos, int connections, Optional<Rate> rate, int requestsPerConnection,
      int writePieces, long pieceGapNanos) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.REQUEST_RESPONSE_CLIENT;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /** Connects once, sends {@code bytes}, closes. */
  record BulkTransfer(String server, long bytes) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.BULK_TRANSFER;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /**
   * Opens connections at {@code rate}; each sends {@code requestBytes}, reads {@code
   * responseBytes}, holds {@code holdNanos}, then the client closes first (so TIME_WAIT is the
   * client's).
   */
  record ConnectionChurn(String server, Rate rate, long requestBytes, long responseBytes,
      long holdNanos) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.CONNECTION_CHURN;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /** Opens {@code count} connections and leaves them idle, with SO_KEEPALIVE if asked. */
  record IdleConnections(String server, int count, boolean keepalive) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.IDLE_CONNECTIONS;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /** Accepts, answers {@code responseBytes} to the first request, and never closes a socket. */
  record NeverClosingServer(int port, int backlog, long responseBytes) implements Workload {
    @Override
    public int listenPort() {
      return port;
    }

    @Override
    public WorkloadKind kind() {
      return WorkloadKind.NEVER_CLOSING_SERVER;
    }
  }

  /**
   * Opens connections at {@code rate}, sends a request and closes if no answer came within
   * {@code giveUpAfterNanos}: what nginx logs as 499 on the server side.
   */
  record ImpatientClient(String server, Rate rate, long requestBytes, long responseBytes,
      long giveUpAfterNanos) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.IMPATIENT_CLIENT;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /**
   * Sends bare SYNs at {@code rate} and never completes a handshake; {@code spoofed}: from
   * random unreachable source addresses, so SYN-ACKs go nowhere and are retransmitted.
   */
  record SynFlood(String server, Rate rate, boolean spoofed) implements Workload {
    @Override
    public WorkloadKind kind() {
      return WorkloadKind.SYN_FLOOD;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }

  /**
   * Listens on a port and echoes every byte it reads (RFC 862), as an event loop: it reads
   * whatever arrives, writes it back as far as the socket takes it, and at the end of the
   * stream writes what is left of the echo and closes.
   */
  record EchoServer(int port, int backlog) implements Workload {
    @Override
    public int listenPort() {
      return port;
    }

    @Override
    public WorkloadKind kind() {
      return WorkloadKind.ECHO_SERVER;
    }
  }

  /**
   * Runs sessions one after another, {@code sessionBytes} in order, the whole list {@code
   * repeat} times. A session: connect (from {@code localPort} with SO_REUSEADDR when it is not
   * 0, so every session is a new incarnation of the same 4-tuple), write its bytes as the socket
   * takes them, shutdown(SHUT_WR), read to the end of the stream, close; then {@code
   * pauseNanos} until the next connect. Aimed at an echo-server.
   */
  record SessionClient(String server, List<Long> sessionBytes, int repeat, long pauseNanos,
      int localPort) implements Workload {
    public SessionClient {
      sessionBytes = List.copyOf(sessionBytes);
    }

    @Override
    public WorkloadKind kind() {
      return WorkloadKind.SESSION_CLIENT;
    }

    @Override
    public Optional<String> target() {
      return Optional.of(server);
    }
  }
}
