/**
 * Observability: what the simulated network carried, in the forms people already read.
 *
 * <ul>
 *   <li>{@link tcpsim.net.observe.PacketEncoder} / {@link tcpsim.net.observe.PacketDecoder}: a
 *       {@link tcpsim.net.wire.Segment} as real IPv4 + TCP bytes and back, checksums included;
 *       {@link tcpsim.net.observe.IpIdSequence} numbers IP IDs as Linux does.
 *   <li>{@link tcpsim.net.observe.PcapWriter}: classic libpcap files (nanosecond timestamps, raw
 *       IPv4) for tcpdump and Wireshark; {@link tcpsim.net.observe.PcapDirectory} keeps one file
 *       per link or per host; {@link tcpsim.net.observe.PcapReader} reads such files and real
 *       kernel captures back.
 *   <li>{@link tcpsim.net.observe.TcpdumpFormatter}: the line {@code tcpdump -n -S -tt} prints;
 *       {@link tcpsim.net.observe.TcpdumpLog} writes one per segment plus drop annotations.
 *   <li>{@link tcpsim.net.observe.SsTable}: the {@code ss -tano}/{@code -tanoi} socket table
 *       from {@link tcpsim.net.observe.SocketRow}s (a simulated stack's, with the timer
 *       inet_diag reports for each socket: {@code on}, {@code keepalive}, {@code persist},
 *       {@code timewait}), and ss's state filters.
 * </ul>
 *
 * <p>Every tap here only observes: none schedules events or changes a segment, and the same run
 * gives byte-identical output.
 */
package tcpsim.net.observe;
