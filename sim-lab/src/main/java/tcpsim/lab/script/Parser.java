package tcpsim.lab.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tcpsim.net.wire.TcpFlags;

/**
 * Reads packetdrill notation into a {@link Script}. Written from packetdrill's documentation, not
 * its grammar file. A line is an event: a time column, then a packet ({@code <} injected,
 * {@code >} expected), a system call, a back-quoted command block or a {@code %{ }%} block.
 * Header options {@code --name=value} come before the first event.
 *
 * <p>Every input ends in a {@link Script} or a {@link ScriptError} naming the line, the column and
 * what was expected. Constructs tcpsim reads but does not model (UDP and ICMP lines, IP header
 * fields, TCP options beyond the classic ones, unknown system calls, shell commands outside the
 * usual vocabulary) become {@link ScriptLine.UnsupportedLine}s or unsupported commands, so a
 * runner reports them as UNSUPPORTED rather than failing to read the file.
 */
public final class Parser {
  /** System calls the notation covers (the backend decides which it models). */
  public static final Set<String> SYSCALLS = Set.of("socket", "bind", "listen", "accept", "connect",
      "read", "write", "send", "recv", "sendto", "recvfrom", "sendmsg", "recvmsg", "close",
      "shutdown", "setsockopt", "getsockopt", "fcntl", "ioctl", "poll", "epoll_create",
      "epoll_ctl", "epoll_wait");

  /** Options packetdrill has whose effect tcpsim does not model; a script using one is UNSUPPORTED. */
  private static final Set<String> UNMODELLED_OPTIONS = Set.of("bind_port", "connect_port",
      "local_ip", "remote_ip", "gateway_ip", "netmask_ip", "mtu", "speed", "init_scripts",
      "non_fatal", "define", "wire_client", "wire_server", "so_filename", "tun_dev");

  private static final int MAX_NESTING = 32;
  private static final long MAX_SECONDS = 1_000_000_000L;

  private final String file;
  private final List<Token> toks;
  private int p;
  private int nesting;

  private long toleranceUsecs = ScriptOptions.DEFAULTS.toleranceUsecs();
  private long tolerancePpm = ScriptOptions.DEFAULTS.tolerancePpm();
  private long tsTickUsecs = ScriptOptions.DEFAULTS.tsTickUsecs();
  private int mss = ScriptOptions.DEFAULTS.mss();
  private boolean strictSegments;
  private final List<String> unsupportedOptions = new ArrayList<>();

  private Parser(String file, List<Token> toks) {
    this.file = file;
    this.toks = toks;
  }

  /** Parses {@code text}, naming {@code file} in positions and errors. */
  public static Script parse(String file, String text) throws ScriptError {
    return new Parser(file, Lexer.lex(file, text)).script();
  }

  /** Thrown inside a line to give up on it as unsupported; never escapes the parser. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String feature) {
      super(feature, null, false, false);
    }
  }

  private Script script() throws ScriptError {
    List<ScriptLine> lines = new ArrayList<>();
    while (!at(TokenKind.EOF)) {
      if (at(TokenKind.NEWLINE)) {
        p++;
      } else if (at(TokenKind.OPTION)) {
        if (!lines.isEmpty()) {
          throw new ScriptError(peek().pos(), "option --" + peek().text()
              + " must come before the first event");
        }
        option();
      } else {
        lines.add(event());
      }
    }
    return new Script(file, new ScriptOptions(toleranceUsecs, tolerancePpm, tsTickUsecs, mss,
        strictSegments, unsupportedOptions), lines);
  }

  // ---- header options ------------------------------------------------------------------------

  private void option() throws ScriptError {
    Token name = next();
    String value = null;
    if (at(TokenKind.EQ)) {
      p++;
      StringBuilder b = new StringBuilder();
      while (!at(TokenKind.NEWLINE) && !at(TokenKind.EOF)) {
        Token t = next();
        if (b.length() > 0 && t.spaceBefore()) {
          b.append(' ');
        }
        b.append(t.text());
      }
      value = b.toString();
      if (value.isEmpty()) {
        throw new ScriptError(peek().pos(), "expected a value after --" + name.text() + "=");
      }
    }
    endOfLine();
    String n = name.text().replace('-', '_');
    switch (n) {
      case "tolerance_usecs" -> toleranceUsecs = optionInt(name, value, 0, Integer.MAX_VALUE);
      case "tolerance_percent" -> {
        tolerancePpm = decimalMillionths(name.pos(), required(name, value), "--tolerance_percent") / 100;
        if (tolerancePpm > 1_000_000) {
          throw new ScriptError(name.pos(), "--tolerance_percent must be at most 100, was " + value);
        }
      }
      case "tcp_ts_tick_usecs" -> tsTickUsecs = optionInt(name, value, 0, 1_000_000_000);
      case "mss" -> mss = (int) optionInt(name, value, 1, 65535);
      case "strict_segments" -> {
        if (value == null || value.equals("1") || value.equals("true")) {
          strictSegments = true;
        } else if (value.equals("0") || value.equals("false")) {
          strictSegments = false;
        } else {
          throw new ScriptError(name.pos(), "--strict_segments takes no value, 0/1 or true/false, not '"
              + value + "'");
        }
      }
      case "ip_version" -> {
        String v = required(name, value);
        if (!v.equals("ipv4")) {
          if (!v.equals("ipv6") && !v.equals("ipv4_mapped_ipv6") && !v.equals("ipv4-mapped-ipv6")) {
            throw new ScriptError(name.pos(), "--ip_version must be ipv4, ipv6 or ipv4-mapped-ipv6, not '"
                + v + "'");
          }
          unsupportedOptions.add("--ip_version=" + v);
        }
      }
      case "verbose" -> { }
      default -> {
        if (!UNMODELLED_OPTIONS.contains(n)) {
          throw new ScriptError(name.pos(), "unknown option --" + name.text() + " (expected"
              + " tolerance_usecs, tolerance_percent, tcp_ts_tick_usecs, mss, strict_segments"
              + " or ip_version)");
        }
        unsupportedOptions.add("--" + name.text());
      }
    }
  }

  private static String required(Token name, String value) throws ScriptError {
    if (value == null) {
      throw new ScriptError(name.pos(), "--" + name.text() + " needs a value: --" + name.text() + "=N");
    }
    return value;
  }

  private static long optionInt(Token name, String value, long min, long max) throws ScriptError {
    String v = required(name, value);
    long n;
    try {
      n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ScriptError(name.pos(), "--" + name.text() + " expects an integer, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ScriptError(name.pos(), "--" + name.text() + " must be in [" + min + ", " + max
          + "], was " + n);
    }
    return n;
  }

  // ---- events --------------------------------------------------------------------------------

  private ScriptLine event() throws ScriptError {
    SourcePos start = peek().pos();
    Timing timing = at(TokenKind.BACKQUOTE) || at(TokenKind.CODE) ? new Timing.Untimed() : timing();
    Token t = peek();
    ScriptLine line;
    try {
      if (at(TokenKind.LT) || at(TokenKind.GT)) {
        line = packet(start, timing);
      } else if (at(TokenKind.IDENT) && peekAt(1).kind() == TokenKind.LPAREN) {
        line = syscall(start, timing);
      } else if (at(TokenKind.BACKQUOTE)) {
        line = new ScriptLine.CommandLine(start, timing, Commands.parse(next().text()));
      } else if (at(TokenKind.CODE)) {
        line = Assertions.parse(next(), start, timing);
      } else {
        throw new ScriptError(t.pos(), "expected '<', '>', a system call, a `command` or a %{ }% block"
            + " after the time, found " + t.describe());
      }
    } catch (Unsupported u) {
      while (!at(TokenKind.NEWLINE) && !at(TokenKind.EOF)) {
        p++;
      }
      line = new ScriptLine.UnsupportedLine(start, timing, u.getMessage());
    }
    checkTimingFits(timing, line, t);
    endOfLine();
    return line;
  }

  private static void checkTimingFits(Timing timing, ScriptLine line, Token body) throws ScriptError {
    boolean outbound = line instanceof ScriptLine.PacketLine pl && !pl.inbound();
    if ((timing instanceof Timing.Window || timing instanceof Timing.Any) && !outbound
        && !(line instanceof ScriptLine.UnsupportedLine)) {
      throw new ScriptError(line.pos(), "'~' and '*' times are only for outbound packets ('>')");
    }
    if (timing instanceof Timing.Blocking && !(line instanceof ScriptLine.SyscallLine)
        && !(line instanceof ScriptLine.UnsupportedLine)) {
      throw new ScriptError(body.pos(), "only a system call may block (T...E)");
    }
  }

  private Timing timing() throws ScriptError {
    if (at(TokenKind.STAR)) {
      p++;
      return new Timing.Any();
    }
    if (!at(TokenKind.NUMBER) && !at(TokenKind.PLUS)) {
      throw new ScriptError(peek().pos(), "expected the time column (0.100, +0.1, a~b, * or T...E),"
          + " found " + peek().describe());
    }
    Timing.Point a = point();
    if (at(TokenKind.TILDE)) {
      p++;
      return new Timing.Window(a, point());
    }
    if (at(TokenKind.ELLIPSIS)) {
      p++;
      return new Timing.Blocking(a, point());
    }
    return new Timing.At(a);
  }

  private Timing.Point point() throws ScriptError {
    boolean relative = false;
    if (at(TokenKind.PLUS)) {
      p++;
      relative = true;
    }
    Token t = expect(TokenKind.NUMBER, "a time in seconds");
    if (t.text().startsWith("0x") || t.text().startsWith("0X")) {
      throw new ScriptError(t.pos(), "times are decimal seconds, not hex: " + t.text());
    }
    return new Timing.Point(relative, decimalMillionths(t.pos(), t.text(), "a time"));
  }

  /** "12.5" -> 12500000: a non-negative decimal with at most 6 places, in millionths. */
  private static long decimalMillionths(SourcePos pos, String text, String what) throws ScriptError {
    int dot = text.indexOf('.');
    String whole = dot < 0 ? text : text.substring(0, dot);
    String frac = dot < 0 ? "" : text.substring(dot + 1);
    if (!whole.chars().allMatch(Character::isDigit) || !frac.chars().allMatch(Character::isDigit)
        || (whole.isEmpty() && frac.isEmpty())) {
      throw new ScriptError(pos, what + " must be a decimal number, not '" + text + "'");
    }
    if (frac.length() > 6) {
      throw new ScriptError(pos, what + " has more than 6 decimal places (microseconds): " + text);
    }
    if (whole.length() > 10 || (!whole.isEmpty() && Long.parseLong(whole) > MAX_SECONDS)) {
      throw new ScriptError(pos, what + " is too large: " + text);
    }
    long w = whole.isEmpty() ? 0 : Long.parseLong(whole);
    long f = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000").substring(0, 6));
    return w * 1_000_000 + f;
  }

  // ---- packets -------------------------------------------------------------------------------

  private ScriptLine.PacketLine packet(SourcePos start, Timing timing) throws ScriptError, Unsupported {
    boolean inbound = next().kind() == TokenKind.LT;
    if (at(TokenKind.IDENT) && Set.of("udp", "icmp", "GRE", "gre", "mpls").contains(peek().text())) {
      throw new Unsupported(peek().text() + " packets");
    }
    if (at(TokenKind.LBRACKET) || at(TokenKind.LPAREN)) {
      throw new Unsupported("IP header fields before the TCP flags");
    }
    int flags = flags();
    long seqStart = u32(expect(TokenKind.NUMBER, "a sequence range start:end(length)"), "sequence number");
    expect(TokenKind.COLON, "':' in start:end(length)");
    long seqEnd = u32(expect(TokenKind.NUMBER, "the end of start:end(length)"), "sequence number");
    expect(TokenKind.LPAREN, "'(' before the payload length in start:end(length)");
    Token lenTok = expect(TokenKind.NUMBER, "the payload length in start:end(length)");
    long len = integer(lenTok);
    expect(TokenKind.RPAREN, "')' after the payload length");
    if (len < 0 || len > 0xffff || ((seqStart + len) & 0xffffffffL) != seqEnd) {
      throw new ScriptError(lenTok.pos(), "the range " + seqStart + ":" + seqEnd + " does not hold "
          + len + " bytes (end must be start + length)");
    }
    long ack = ScriptLine.ABSENT;
    long win = ScriptLine.ABSENT;
    long remotePort = ScriptLine.ABSENT;
    int urg = 0;
    boolean urgSeen = false;
    while (at(TokenKind.IDENT)) {
      Token k = peek();
      switch (k.text()) {
        case "ack" -> {
          if (ack != ScriptLine.ABSENT) throw new ScriptError(k.pos(), "ack given twice");
          p++;
          ack = u32(expect(TokenKind.NUMBER, "the acknowledgment number after 'ack'"), "ack number");
        }
        case "win" -> {
          if (win != ScriptLine.ABSENT) throw new ScriptError(k.pos(), "win given twice");
          p++;
          win = bounded(expect(TokenKind.NUMBER, "the window after 'win'"), 0, 0xffff,
              "win is the raw 16-bit window field");
        }
        case "urg" -> {
          if (urgSeen) throw new ScriptError(k.pos(), "urg given twice");
          p++;
          urgSeen = true;
          urg = (int) bounded(expect(TokenKind.NUMBER, "the urgent pointer after 'urg'"), 0, 0xffff,
              "urg is the 16-bit urgent pointer");
        }
        case "remote_port" -> {
          if (remotePort != ScriptLine.ABSENT) throw new ScriptError(k.pos(), "remote_port given twice");
          p++;
          remotePort = bounded(expect(TokenKind.NUMBER, "the remote's port after 'remote_port'"), 1,
              0xffff, "remote_port is a TCP port");
        }
        default -> throw new ScriptError(k.pos(), "expected 'ack', 'win', 'urg', 'remote_port', an"
            + " option list <...> or the end of the line, found '" + k.text() + "'");
      }
    }
    List<PacketOption> options = new ArrayList<>();
    boolean any = false;
    if (at(TokenKind.LT)) {
      Token open = next();
      if (at(TokenKind.ELLIPSIS)) {
        p++;
        any = true;
      } else {
        options.add(packetOption());
        while (at(TokenKind.COMMA)) {
          p++;
          options.add(packetOption());
        }
      }
      expect(TokenKind.GT, "',' or '>' in the option list");
      checkOptionSpace(open.pos(), options);
    }
    if (inbound && any) {
      throw new ScriptError(start, "an inbound packet needs its options spelled out, not <...>");
    }
    if (inbound && win == ScriptLine.ABSENT) {
      throw new ScriptError(start, "an inbound packet needs 'win N' (the raw window field)");
    }
    return new ScriptLine.PacketLine(start, timing, inbound, flags, seqStart, seqEnd, (int) len, ack, win,
        urg, options, any, remotePort);
  }

  private int flags() throws ScriptError {
    Token t = peek();
    if (at(TokenKind.MINUS)) {
      p++;
      return 0;
    }
    if (at(TokenKind.DOT)) {
      p++;
      return TcpFlags.ACK;
    }
    if (!at(TokenKind.IDENT)) {
      throw new ScriptError(t.pos(), "expected TCP flags (S F R P U E W, then '.' for ACK, or '-'),"
          + " found " + t.describe());
    }
    p++;
    int flags = 0;
    for (int i = 0; i < t.text().length(); i++) {
      char c = t.text().charAt(i);
      int bit = switch (c) {
        case 'S' -> TcpFlags.SYN;
        case 'F' -> TcpFlags.FIN;
        case 'R' -> TcpFlags.RST;
        case 'P' -> TcpFlags.PSH;
        case 'U' -> TcpFlags.URG;
        case 'E' -> TcpFlags.ECE;
        case 'W' -> TcpFlags.CWR;
        default -> 0;
      };
      SourcePos at = new SourcePos(t.pos().file(), t.pos().line(), t.pos().column() + i);
      if (bit == 0) {
        throw new ScriptError(at, "unknown TCP flag '" + c + "' (expected S F R P U E W, '.' or '-')");
      }
      if ((flags & bit) != 0) {
        throw new ScriptError(at, "TCP flag '" + c + "' given twice");
      }
      flags |= bit;
    }
    if (at(TokenKind.DOT) && !peek().spaceBefore()) {
      p++;
      flags |= TcpFlags.ACK;
    }
    return flags;
  }

  private PacketOption packetOption() throws ScriptError, Unsupported {
    Token name = expect(TokenKind.IDENT, "a TCP option (nop, eol, mss N, wscale N, sackOK, sack a:b,"
        + " TS val X ecr Y)");
    return switch (name.text()) {
      case "nop" -> new PacketOption.Nop();
      case "eol" -> new PacketOption.Eol();
      case "sackOK" -> new PacketOption.SackPermitted();
      case "mss" -> new PacketOption.Mss((int) bounded(expect(TokenKind.NUMBER, "the MSS after 'mss'"),
          0, 0xffff, "mss is a 16-bit value"));
      case "wscale" -> new PacketOption.WindowScale((int) bounded(
          expect(TokenKind.NUMBER, "the shift after 'wscale'"), 0, 255, "wscale is an 8-bit value"));
      case "sack" -> {
        List<Long> blocks = new ArrayList<>();
        do {
          blocks.add(u32(expect(TokenKind.NUMBER, "a SACK block start:end"), "SACK edge"));
          expect(TokenKind.COLON, "':' in the SACK block start:end");
          blocks.add(u32(expect(TokenKind.NUMBER, "the end of the SACK block"), "SACK edge"));
        } while (at(TokenKind.NUMBER));
        if (blocks.size() > 8) {
          throw new ScriptError(name.pos(), "at most 4 SACK blocks fit a TCP header, found "
              + blocks.size() / 2);
        }
        long[] b = new long[blocks.size()];
        for (int i = 0; i < b.length; i++) {
          b[i] = blocks.get(i);
        }
        yield new PacketOption.Sack(b);
      }
      case "TS" -> {
        expectWord("val", "'val' after 'TS'");
        long val = u32(expect(TokenKind.NUMBER, "the TS value after 'val'"), "TS val");
        expectWord("ecr", "'ecr' after the TS value");
        long ecr = u32(expect(TokenKind.NUMBER, "the echoed TS after 'ecr'"), "TS ecr");
        yield new PacketOption.Timestamp(val, ecr);
      }
      default -> throw new Unsupported("TCP option '" + name.text() + "'");
    };
  }

  private static void checkOptionSpace(SourcePos pos, List<PacketOption> options) throws ScriptError {
    int bytes = 0;
    for (PacketOption o : options) {
      if (o instanceof PacketOption.Sack s) {
        bytes += 2 + 8 * s.count();
      } else if (o instanceof PacketOption.Timestamp) {
        bytes += 10;
      } else if (o instanceof PacketOption.Mss) {
        bytes += 4;
      } else if (o instanceof PacketOption.WindowScale) {
        bytes += 3;
      } else if (o instanceof PacketOption.SackPermitted) {
        bytes += 2;
      } else {
        bytes += 1;
      }
    }
    if (bytes > 40) {
      throw new ScriptError(pos, "the options take " + bytes + " bytes; a TCP header holds at most 40");
    }
  }

  // ---- system calls --------------------------------------------------------------------------

  private ScriptLine syscall(SourcePos start, Timing timing) throws ScriptError {
    Token name = next();
    expect(TokenKind.LPAREN, "'('");
    List<Expr> args = exprList(TokenKind.RPAREN, "',' or ')' in the argument list");
    expect(TokenKind.EQ, "'= result' after the call");
    Expr result = expr();
    String errno = null;
    if (at(TokenKind.IDENT) && peek().text().matches("E[A-Z0-9]+")) {
      errno = next().text();
    }
    String note = null;
    if (at(TokenKind.LPAREN)) {
      note = parenthesisedText();
    }
    if (!SYSCALLS.contains(name.text())) {
      return new ScriptLine.UnsupportedLine(start, timing, "system call " + name.text() + "()");
    }
    return new ScriptLine.SyscallLine(start, timing, name.text(), args, result, errno, note);
  }

  private String parenthesisedText() throws ScriptError {
    Token open = next();
    int level = 1;
    StringBuilder b = new StringBuilder();
    while (true) {
      Token t = peek();
      if (t.kind() == TokenKind.EOF) {
        throw new ScriptError(open.pos(), "expected ')' to close the errno text");
      }
      p++;
      if (t.kind() == TokenKind.LPAREN) {
        level++;
      } else if (t.kind() == TokenKind.RPAREN && --level == 0) {
        return b.toString();
      }
      if (b.length() > 0 && t.spaceBefore()) {
        b.append(' ');
      }
      b.append(t.text());
    }
  }

  private List<Expr> exprList(TokenKind close, String expected) throws ScriptError {
    List<Expr> out = new ArrayList<>();
    if (at(close)) {
      p++;
      return out;
    }
    out.add(expr());
    while (at(TokenKind.COMMA)) {
      p++;
      out.add(expr());
    }
    expect(close, expected);
    return out;
  }

  private Expr expr() throws ScriptError {
    SourcePos pos = peek().pos();
    if (++nesting > MAX_NESTING) {
      throw new ScriptError(pos, "arguments nested more than " + MAX_NESTING + " deep");
    }
    try {
      Expr first = unary();
      if (!at(TokenKind.PIPE)) {
        return first;
      }
      List<Expr> terms = new ArrayList<>();
      terms.add(first);
      while (at(TokenKind.PIPE)) {
        p++;
        terms.add(unary());
      }
      return new Expr.BitOr(pos, terms);
    } finally {
      nesting--;
    }
  }

  private Expr unary() throws ScriptError {
    Token t = peek();
    switch (t.kind()) {
      case MINUS -> {
        p++;
        Token n = expect(TokenKind.NUMBER, "a number after '-'");
        return new Expr.IntLit(t.pos(), -integer(n));
      }
      case NUMBER -> {
        p++;
        return new Expr.IntLit(t.pos(), integer(t));
      }
      case STRING -> {
        p++;
        return new Expr.Str(t.pos(), t.text());
      }
      case ELLIPSIS -> {
        p++;
        return new Expr.Ellipsis(t.pos());
      }
      case IDENT -> {
        p++;
        if (t.text().equals("NULL")) {
          return new Expr.Null(t.pos());
        }
        if (at(TokenKind.LPAREN) && !peek().spaceBefore()) {
          p++;
          return new Expr.Call(t.pos(), t.text(), exprList(TokenKind.RPAREN, "',' or ')' after the arguments"));
        }
        return new Expr.Sym(t.pos(), t.text());
      }
      case LBRACKET -> {
        p++;
        return new Expr.Array(t.pos(), exprList(TokenKind.RBRACKET, "',' or ']'"));
      }
      case LBRACE -> {
        p++;
        List<Expr.Field> fields = new ArrayList<>();
        if (!at(TokenKind.RBRACE)) {
          fields.add(field());
          while (at(TokenKind.COMMA)) {
            p++;
            fields.add(field());
          }
        }
        expect(TokenKind.RBRACE, "',' or '}' in the struct");
        return new Expr.Struct(t.pos(), fields);
      }
      default -> throw new ScriptError(t.pos(), "expected an argument (a number, a NAME, NULL, ...,"
          + " [v] or {field=value}), found " + t.describe());
    }
  }

  private Expr.Field field() throws ScriptError {
    Token name = peek();
    if (at(TokenKind.ELLIPSIS)) {
      p++;
      return new Expr.Field(name.pos(), "...", null, new Expr.Ellipsis(name.pos()));
    }
    expect(TokenKind.IDENT, "a field name in {name=value}");
    Expr count = null;
    if (at(TokenKind.LPAREN)) {
      p++;
      count = expr();
      expect(TokenKind.RPAREN, "')' after the element count");
    }
    expect(TokenKind.EQ, "'=' after the field name " + name.text());
    return new Expr.Field(name.pos(), name.text(), count, expr());
  }

  // ---- tokens --------------------------------------------------------------------------------

  /** A non-negative integer, decimal or hex. */
  private static long integer(Token t) throws ScriptError {
    String s = t.text();
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        long v = Long.parseUnsignedLong(s.substring(2), 16);
        if (v < 0) {
          throw new NumberFormatException(s);
        }
        return v;
      }
      if (s.indexOf('.') >= 0) {
        throw new ScriptError(t.pos(), "expected an integer, found " + s);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ScriptError(t.pos(), "number too large: " + s);
    }
  }

  private static long u32(Token t, String what) throws ScriptError {
    long v = integer(t);
    if (v > 0xffffffffL) {
      throw new ScriptError(t.pos(), what + " must fit 32 bits, was " + v);
    }
    return v;
  }

  private static long bounded(Token t, long min, long max, String rule) throws ScriptError {
    long v = integer(t);
    if (v < min || v > max) {
      throw new ScriptError(t.pos(), rule + ": expected " + min + " to " + max + ", was " + v);
    }
    return v;
  }

  private void expectWord(String word, String what) throws ScriptError {
    Token t = peek();
    if (t.kind() != TokenKind.IDENT || !t.text().equals(word)) {
      throw new ScriptError(t.pos(), "expected " + what + ", found " + t.describe());
    }
    p++;
  }

  private void endOfLine() throws ScriptError {
    if (at(TokenKind.EOF)) {
      return;
    }
    expect(TokenKind.NEWLINE, "the end of the line");
  }

  private Token expect(TokenKind kind, String what) throws ScriptError {
    Token t = peek();
    if (t.kind() != kind) {
      throw new ScriptError(t.pos(), "expected " + what + ", found " + t.describe());
    }
    p++;
    return t;
  }

  private boolean at(TokenKind k) {
    return peek().kind() == k;
  }

  private Token peek() {
    return toks.get(p);
  }

  private Token peekAt(int ahead) {
    return toks.get(Math.min(p + ahead, toks.size() - 1));
  }

  private Token next() {
    return toks.get(p++);
  }
}
