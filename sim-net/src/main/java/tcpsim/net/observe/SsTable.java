package tcpsim.net.observe;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tcpsim.net.wire.Ipv4;

/**
 * A socket table in the form {@code ss -tan}, {@code -tano} or {@code -tanoi} prints when its
 * output is not a terminal (iproute2 6.1, misc/ss.c), and ss's state filters.
 *
 * <p>Layout, as ss's {@code render()} lays out its buffered fields in compact (non-terminal)
 * mode: the columns are State, Recv-Q, Send-Q, Local Address: (right-aligned), Port, Peer
 * Address: (right-aligned), Port, and Process (which holds {@code -o}'s timer and {@code -i}'s
 * second line). Each column is as wide as its widest entry, header included; every column but the
 * first is preceded by its delimiter (a space, none before a Port or Process); Recv-Q and Send-Q
 * are printed {@code %-6d}. Lines end in {@code \n}. With {@code -i}, the Process field of each
 * socket continues with {@code \n\t} and the info text, and is padded as one field, so every
 * socket's second line ends in spaces up to the longest. The last socket's Process field is the
 * exception: ss never flushes the output's last token before measuring, so it does not widen its
 * column (a last row with the longest timer or info line leaves the others padded shorter).
 *
 * <pre>
 * State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
 * LISTEN     0      128          0.0.0.0:80         0.0.0.0:*
 * ESTAB      0      0           10.0.0.2:80        10.0.0.1:40000 timer:(keepalive,119min,0)
 * TIME-WAIT  0      0           10.0.0.1:40002     10.0.0.2:80    timer:(timewait,59sec,0)
 * </pre>
 *
 * <p>The timer reads {@code timer:(KIND,TIME,N)}; TIME is ss's {@code print_ms_timer} of the
 * remaining milliseconds (truncated from virtual nanoseconds, as the kernel reports whole
 * jiffies): {@code 1min39sec}, {@code 59sec}, {@code 1.574ms} (1 s 574 ms: ss 6.1's spelling;
 * later iproute2 prints {@code 1.574sec}), {@code 200ms}; from 10 minutes up only minutes, from
 * 10 seconds up no milliseconds.
 *
 * <p>Differences from ss: rows print in the order given (ss prints the kernel's hash-table
 * order); no Netid column (ss drops it when only TCP is shown); IPv4 only; {@code -i}'s text is
 * the caller's.
 */
public final class SsTable {
  private static final String[] HEADERS = {"State", "Recv-Q", "Send-Q", "Local Address:", "Port",
      "Peer Address:", "Port", "Process"};
  private static final String[] DELIMS = {"", " ", " ", " ", "", " ", "", ""};
  private static final boolean[] RIGHT = {false, false, false, true, false, true, false, false};
  private static final int COLUMNS = HEADERS.length;

  private SsTable() {}

  /**
   * The table with its header line.
   *
   * @param showTimers {@code -o}: the timer field
   * @param showInfo {@code -i}: a second line per socket
   */
  public static String render(List<SocketRow> rows, boolean showTimers, boolean showInfo) {
    List<String[]> lines = new ArrayList<>(rows.size() + 1);
    lines.add(HEADERS);
    for (SocketRow r : rows) {
      lines.add(fields(r, showTimers, showInfo));
    }
    int[] width = new int[COLUMNS];
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i);
      // render(): the output's very last token was never flushed (field_flush), so its length
      // does not count towards its column's width.
      int counted = i == lines.size() - 1 ? COLUMNS - 1 : COLUMNS;
      for (int c = 0; c < counted; c++) {
        width[c] = Math.max(width[c], f[c].length());
      }
    }
    boolean first = true;
    for (int c = 0; c < COLUMNS; c++) {
      // render_calc_width: every column after the first non-empty one counts its delimiter.
      if (!first && width[c] > 0) {
        width[c] += DELIMS[c].length();
      }
      if (width[c] > 0) {
        first = false;
      }
    }
    StringBuilder out = new StringBuilder(lines.size() * 100);
    for (String[] f : lines) {
      boolean started = false;
      for (int c = 0; c < COLUMNS; c++) {
        int printed = 0;
        if (started) {
          out.append(DELIMS[c]);
          printed = DELIMS[c].length();
        }
        started = true;
        String token = f[c];
        if (width[c] > 0 && RIGHT[c]) {
          printed += pad(out, width[c] - token.length() - printed);
        }
        out.append(token);
        printed += token.length();
        if (width[c] > 0 && !RIGHT[c]) {
          pad(out, width[c] - printed);
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** {@code timer:(on,200ms,0)}, or "" when the row has no timer. */
  public static String timer(SocketRow r) {
    if (r.timer() == SsTimer.OFF) {
      return "";
    }
    return "timer:(" + r.timer().ssName() + "," + msTimer(Math.max(0, r.timerRemainingNanos())
        / 1_000_000L) + "," + r.retransmits() + ")";
  }

  /** ss's {@code print_ms_timer}: {@code 1min39sec}, {@code 59sec}, {@code 1.574ms}, {@code 200ms}. */
  public static String msTimer(long millis) {
    long secs = millis / 1000;
    long minutes = secs / 60;
    secs %= 60;
    long ms = millis % 1000;
    StringBuilder b = new StringBuilder(12);
    if (minutes != 0) {
      ms = 0;
      b.append(minutes).append("min");
      if (minutes > 9) {
        secs = 0;
      }
    }
    if (secs != 0) {
      if (secs > 9) {
        ms = 0;
      }
      b.append(secs).append(ms != 0 ? "." : "sec");
    }
    if (ms != 0) {
      b.append(String.format(Locale.ROOT, "%03dms", ms));
    }
    return b.toString();
  }

  /**
   * The rows {@code ss state FILTER ...} keeps: each filter is a state name ({@code established},
   * {@code syn-sent}, {@code syn-recv}, {@code fin-wait-1}, {@code fin-wait-2}, {@code
   * time-wait}, {@code closed}, {@code close-wait}, {@code last-ack}, {@code listening}, {@code
   * closing}) or a group ({@code all}, {@code connected}, {@code synchronized}, {@code bucket},
   * {@code big}); several filters add up (ss's {@code scan_state}).
   *
   * @throws IllegalArgumentException naming an unknown filter
   */
  public static List<SocketRow> select(List<SocketRow> rows, String... filters) {
    Set<SsState> keep = EnumSet.noneOf(SsState.class);
    for (String f : filters) {
      keep.addAll(states(f));
    }
    return select(rows, keep);
  }

  /** What {@code ss -t} shows without {@code -a} or a state filter (ss's {@code SS_CONN}). */
  public static List<SocketRow> selectDefault(List<SocketRow> rows) {
    return select(rows, EnumSet.complementOf(EnumSet.of(SsState.LISTEN, SsState.CLOSE,
        SsState.TIME_WAIT, SsState.SYN_RECV)));
  }

  /** The states one {@code ss state} filter word names. */
  public static Set<SsState> states(String filter) {
    String f = filter.toLowerCase(Locale.ROOT);
    switch (f) {
      case "all":
        return EnumSet.allOf(SsState.class);
      case "connected":
        return EnumSet.complementOf(EnumSet.of(SsState.CLOSE, SsState.LISTEN));
      case "synchronized":
        return EnumSet.complementOf(EnumSet.of(SsState.CLOSE, SsState.LISTEN, SsState.SYN_SENT));
      case "bucket":
        return EnumSet.of(SsState.SYN_RECV, SsState.TIME_WAIT);
      case "big":
        return EnumSet.complementOf(EnumSet.of(SsState.SYN_RECV, SsState.TIME_WAIT));
      case "close", "closed":
        return EnumSet.of(SsState.CLOSE);
      case "syn-rcv":
        return EnumSet.of(SsState.SYN_RECV);
      default:
        for (SsState s : SsState.values()) {
          if (s.filterName().equals(f)) {
            return EnumSet.of(s);
          }
        }
        throw new IllegalArgumentException("ss state filter '" + filter + "' is unknown; use a "
            + "state (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, "
            + "close-wait, last-ack, listening, closing) or all, connected, synchronized, bucket, "
            + "big");
    }
  }

  private static List<SocketRow> select(List<SocketRow> rows, Set<SsState> keep) {
    List<SocketRow> out = new ArrayList<>();
    for (SocketRow r : rows) {
      if (keep.contains(r.state())) {
        out.add(r);
      }
    }
    return out;
  }

  private static String[] fields(SocketRow r, boolean showTimers, boolean showInfo) {
    String ext = "";
    if (showTimers && r.timer() != SsTimer.OFF) {
      ext = " " + timer(r);
    }
    if (showInfo) {
      ext += "\n\t" + (r.info() == null ? "" : r.info());
    }
    return new String[] {
        r.state().ssName(),
        String.format(Locale.ROOT, "%-6d", r.recvQ()),
        String.format(Locale.ROOT, "%-6d", r.sendQ()),
        Ipv4.format(r.localAddr()) + ":",
        port(r.localPort()),
        Ipv4.format(r.peerAddr()) + ":",
        port(r.peerPort()),
        ext};
  }

  private static String port(int port) {
    return port == 0 ? "*" : Integer.toString(port);
  }

  private static int pad(StringBuilder out, int n) {
    for (int i = 0; i < n; i++) {
      out.append(' ');
    }
    return Math.max(n, 0);
  }
}
