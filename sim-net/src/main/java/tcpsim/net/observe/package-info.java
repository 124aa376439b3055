/**
 * Observability: what the simulated network carried, in the forms people already read.
 *
 * <ul>
 *   <li>{@link tcpsim.net.observe.PacketEncoder} / {@link tcpsim.net.observe.PacketDecoder}: a
 *       {@link tcpsim.net.wire.Segment} as real IPv4 + TCP bytes and back, checksums included.
 *   <li>{@link tcpsim.net.observe.PcapWriter}: classic libpcap files (nanosecond timestamps, raw
 *       IPv4) for tcpdump and Wireshark; {@link tcpsim.net.observe.PcapDirectory} keeps one file
 *       per link or per host.
 *   <li>{@link tcpsim.net.observe.TcpdumpFormatter}: the line {@code tcpdump -n -S -tt} prints;
 *       {@link tcpsim.net.observe.TcpdumpLog} writes one per segment plus drop annotations.
 *   <li>{@link tcpsim.net.observe.SsTable}: {@code ss -tanoi}-style socket lines.
 * </ul>
 *
 * <p>Every tap here only observes: none schedules events or changes a segment, and the same run
 * gives byte-identical output.
 */
package tcpsim.net.observe;
