package tcpsim.net.observe;

import tcpsim.core.time.Nanos;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Ipv4;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;
import tcpsim.net.wire.TcpOptions;

/**
 * The line {@code tcpdump -n -S -tt} prints for an IPv4 TCP segment (tcpdump 4.99,
 * {@code tcp_print} in print-tcp.c), with absolute sequence numbers:
 *
 * <pre>
 * 12.004512 IP 10.0.0.1.40000 &gt; 10.0.0.2.5001: Flags [S], seq 123, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
 * 12.004700 IP 10.0.0.1.40000 &gt; 10.0.0.2.5001: Flags [P.], seq 124:224, ack 457, win 502, options [nop,nop,TS val 5 ecr 3], length 100
 * 12.004800 IP 10.0.0.2.5001 &gt; 10.0.0.1.40000: Flags [.], ack 224, win 501, options [nop,nop,TS val 6 ecr 5,nop,nop,sack 1 {324:424}], length 0
 * </pre>
 *
 * tcpdump's rules, kept here: the timestamp is seconds.microseconds (truncated); flags are
 * printed in the order {@code F S R P . U E W}, {@code none} when no bit is set; {@code seq} is
 * printed only when the segment has data or SYN, FIN or RST, as {@code seq a:b} with data;
 * {@code ack} only with the ACK flag; {@code urg} only with URG; options in wire order, a SACK
 * option as {@code sack N {s:e}{s:e}}, and the list stops after an {@code eol} (zero padding
 * reads as one); {@code length} is the TCP payload length.
 *
 * <p>Drop annotations, a tcpsim addition, put the reason and the place between the timestamp and
 * the segment, so the segment's part still reads as a tcpdump line:
 * <pre>
 * 12.004512 drop NETEM_LOSS on client-&gt;server: IP 10.0.0.1.40000 &gt; ...
 * 12.004512 drop TCP_CSUM: IP 10.0.0.1.40000 &gt; ...
 * </pre>
 * ({@code on LINK} for a drop on a link; nothing for one off any link: no route, a crashed host,
 * the receiving host's checks; the segment's addresses say where.)
 *
 * <p>Differences from tcpdump: tcpdump decodes the payload of well-known ports (HTTP on 80 and
 * 8080, SSH on 22, DNS on 53, BGP, SMTP, ...) after {@code length N}; tcpsim prints the TCP part
 * only, which is all tcpdump prints for other ports. Without {@code -S} tcpdump prints relative
 * numbers; this class always prints absolute ones.
 */
public final class TcpdumpFormatter {
  private TcpdumpFormatter() {}

  /** The whole line: timestamp, then {@link #describe}. */
  public static String line(long nowNanos, Segment s) {
    StringBuilder b = new StringBuilder(160);
    b.append(Nanos.formatSeconds(nowNanos)).append(' ');
    appendSegment(b, s);
    return b.toString();
  }

  /** The line without its timestamp: {@code IP a.p > b.q: Flags [..], ...}. */
  public static String describe(Segment s) {
    StringBuilder b = new StringBuilder(150);
    appendSegment(b, s);
    return b.toString();
  }

  /**
   * A drop annotation: {@code T drop REASON on LINK: <segment>}, or {@code T drop REASON:
   * <segment>} for a drop off any link (link null).
   */
  public static String dropLine(long nowNanos, String link, Segment s, DropReason reason) {
    StringBuilder b = new StringBuilder(180);
    b.append(Nanos.formatSeconds(nowNanos)).append(" drop ").append(reason.name());
    if (link != null) {
      b.append(" on ").append(link);
    }
    b.append(": ");
    appendSegment(b, s);
    return b.toString();
  }

  /** tcpdump's flag letters: {@code F S R P . U E W} in that order, {@code none} when empty. */
  public static String flags(int flags) {
    return TcpFlags.tcpdump(flags);
  }

  /** The text inside {@code options [...]}, as tcpdump prints the encoded option bytes. */
  public static String options(TcpOptions o) {
    StringBuilder b = new StringBuilder(64);
    appendOptions(b, o);
    return b.toString();
  }

  private static void appendSegment(StringBuilder b, Segment s) {
    b.append("IP ").append(Ipv4.format(s.srcAddr())).append('.').append(s.srcPort())
        .append(" > ").append(Ipv4.format(s.dstAddr())).append('.').append(s.dstPort())
        .append(": Flags [").append(flags(s.flags())).append(']');
    int length = s.payloadLength();
    if (length > 0 || s.has(TcpFlags.SYN) || s.has(TcpFlags.FIN) || s.has(TcpFlags.RST)) {
      b.append(", seq ").append(Integer.toUnsignedString(s.seq()));
      if (length > 0) {
        b.append(':').append(Integer.toUnsignedString(s.seq() + length));
      }
    }
    if (s.has(TcpFlags.ACK)) {
      b.append(", ack ").append(Integer.toUnsignedString(s.ack()));
    }
    b.append(", win ").append(s.window());
    if (s.has(TcpFlags.URG)) {
      b.append(", urg ").append(s.urgentPointer());
    }
    if (!s.options().isEmpty()) {
      b.append(", options [");
      appendOptions(b, s.options());
      b.append(']');
    }
    b.append(", length ").append(length);
  }

  private static void appendOptions(StringBuilder b, TcpOptions o) {
    for (int i = 0; i < o.count(); i++) {
      if (i > 0) {
        b.append(',');
      }
      switch (o.kind(i)) {
        case TcpOptions.EOL -> {
          b.append("eol");
          return; // tcpdump stops at the end-of-list option
        }
        case TcpOptions.NOP -> b.append("nop");
        case TcpOptions.MSS -> b.append("mss ").append(o.mss());
        case TcpOptions.WSCALE -> b.append("wscale ").append(o.windowScale());
        case TcpOptions.SACK_PERMITTED -> b.append("sackOK");
        case TcpOptions.SACK -> {
          b.append("sack ").append(o.sackBlockCount()).append(' ');
          for (int j = 0; j < o.sackBlockCount(); j++) {
            b.append('{').append(Integer.toUnsignedString(o.sackStart(j))).append(':')
                .append(Integer.toUnsignedString(o.sackEnd(j))).append('}');
          }
        }
        case TcpOptions.TIMESTAMP -> b.append("TS val ").append(Integer.toUnsignedString(o.tsVal()))
            .append(" ecr ").append(Integer.toUnsignedString(o.tsEcr()));
        default -> b.append("unknown-").append(o.kind(i));
      }
    }
    if (o.byteLength() % 4 != 0) {
      // The encoder pads with zero bytes; tcpdump reads the first as an EOL option.
      b.append(",eol");
    }
  }
}
