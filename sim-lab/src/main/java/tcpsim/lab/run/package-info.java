/**
 * Running experiments: the workload library (applications on {@link tcpsim.net.socket.SocketApi}
 * driven by virtual-time events and readiness) and {@link tcpsim.lab.run.ExperimentRunner}, which
 * builds the network of an {@link tcpsim.lab.experiment.Experiment}, runs it on one simulation
 * with one seed and returns a {@link tcpsim.lab.run.RunResult}; {@link
 * tcpsim.lab.run.ResultFiles} writes it out. Same experiment and seed, same bytes.
 *
 * <p>What each workload kind does (each application is one process with its own descriptor
 * table, limited by its host's {@code fd_limit}):
 * <ul>
 *   <li>{@code request-response-server}: per connection, read a request, wait the service time,
 *       answer; close when the client closes or after {@code close_after_requests} answers;
 *       {@code read_request: false} answers and closes unread (RST).</li>
 *   <li>{@code never-closing-server}: answer the first request, never close: CLOSE_WAIT until
 *       accept(2) fails with EMFILE (retried every 500 ms, as nginx does).</li>
 *   <li>{@code request-response-client}: {@code connections} at its start, or one per interval
 *       of {@code rate} until {@code connections} were opened; each does {@code
 *       requests_per_connection} exchanges (0: for ever) and closes.</li>
 *   <li>{@code connection-churn}: one connection per interval for the whole run, closed by the
 *       client after {@code hold}: the client's TIME_WAIT. Its payloads carry content: every
 *       byte of a connection (and of the server's answer to it) is that 4-tuple incarnation's
 *       tag, so bytes of an earlier incarnation read by a later one are counted as {@code
 *       stale_bytes_accepted} (the stacks of such a run keep payload bytes).</li>
 *   <li>{@code impatient-client}: closes if the answer is not complete after {@code
 *       give_up_after} (nginx's 499).</li>
 *   <li>{@code bulk-transfer}: one connection, {@code bytes} written, closed.</li>
 *   <li>{@code idle-connections}: {@code count} connections that wait in recv(2), with
 *       SO_KEEPALIVE if asked.</li>
 *   <li>{@code syn-flood}: bare SYNs written onto the wire at the rate, spoofed or not.</li>
 *   <li>{@code echo-server}: RFC 862 as an event loop ({@link tcpsim.lab.run.EventLoopConnection}):
 *       every byte read is written back; closed once the client's end of stream is read and the
 *       echo written.</li>
 *   <li>{@code session-client}: sessions one after another (connect, write, shutdown(SHUT_WR),
 *       read to the end, close, pause), from a fixed {@code local_port} with SO_REUSEADDR if one
 *       is given: the fuzzer's {@code client session N} with {@code read-to-eof-close}. Its bytes,
 *       and the echo's, are tagged as churn's are.</li>
 * </ul>
 * Request and response sizes are the client's: a server answers each client host with the
 * sizes that host's client application asks for (payloads carry no content, except the tags of
 * churn and sessions).
 *
 * <p>{@link tcpsim.lab.run.SweepChart} draws a sweep's sweep.csv as an SVG chart.
 */
package tcpsim.lab.run;
