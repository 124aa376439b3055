package tcpsim.lab.fuzz;

import java.util.function.Predicate;
import tcpsim.net.host.Host;
import tcpsim.net.link.LinkRule;
import tcpsim.net.socket.Errno;
import tcpsim.net.socket.SocketApi;
import tcpsim.net.socket.SocketOption;
import tcpsim.net.socket.SysResult;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * One step of a fuzz case. Each action prints as one line ({@link #text()}) that
 * {@link #parse(String)} reads back, so a shrunk case saved as text replays exactly.
 *
 * <pre>
 * connect                                   client: socket, SO_REUSEADDR, bind :40000, connect :80
 * client send 1460                          checkable content, see FuzzWorld#content
 * client send-all 400000 [shut-wr]         an event loop's output buffer: written as the socket
 *                                           allows, then (shut-wr) shutdown(SHUT_WR)
 * client session 400000                     connect, then send-all 400000 shut-wr (one request)
 * server read-to-eof-close                  from now on: read as data arrives, close at end of stream
 * server echo-to-eof-close                  the same, answering each byte read with one of its own
 * server recv
 * client shutdown SHUT_WR
 * server close linger0                      SO_LINGER {1, 0} first
 * advance 1600us
 * duplicate client->server data#3 hold 25600us
 * duplicate client->server data%8 hold 25600us  every 8th data segment from now on gets a late copy
 * drop server->client fin#1
 * hold client->server any#1 400us           the segment itself is late: later ones overtake it
 * partition / heal / crash server / recover server / reboot client / quiesce
 * </pre>
 */
public sealed interface FuzzAction {
  /** The action as one line. */
  String text();

  /** Whether the action can run now (a close needs an open socket, a recover a crashed host). */
  boolean applicable(FuzzWorld w);

  /** Runs the action at the current virtual time. */
  void apply(FuzzWorld w);

  /** Which segments a link fault picks, counted from the moment it is added. */
  enum Filter {
    ANY("any", s -> true),
    DATA("data", s -> s.payloadLength() > 0),
    SYN("syn", s -> s.has(TcpFlags.SYN)),
    FIN("fin", s -> s.has(TcpFlags.FIN)),
    RST("rst", s -> s.has(TcpFlags.RST)),
    ACK("ack", s -> s.flags() == TcpFlags.ACK && s.payloadLength() == 0);

    final String word;
    final Predicate<Segment> test;

    Filter(String word, Predicate<Segment> test) {
      this.word = word;
      this.test = test;
    }

    static Filter of(String word) {
      for (Filter f : values()) {
        if (f.word.equals(word)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown segment filter '" + word + "' (any, data, syn, fin, rst, ack)");
    }
  }

  /** What a link fault does to the segment it picks. */
  enum FaultKind { DROP, DUPLICATE, HOLD }

  static String sideName(int side) {
    return side == 0 ? FuzzWorld.CLIENT : FuzzWorld.SERVER;
  }

  static int side(String word) {
    return switch (word) {
      case FuzzWorld.CLIENT -> 0;
      case FuzzWorld.SERVER -> 1;
      default -> throw new IllegalArgumentException("expected client or server, got '" + word + "'");
    };
  }

  static Host host(FuzzWorld w, int side) {
    return side == 0 ? w.clientHost : w.serverHost;
  }

  static boolean canCall(FuzzWorld w, int side) {
    return w.endpoint(side) != null && host(w, side).isUp();
  }

  /** The client opens incarnation n+1 of the 4-tuple 10.0.0.1:40000 -> 10.0.0.2:80. */
  record Connect() implements FuzzAction {
    public String text() { return "connect"; }

    public boolean applicable(FuzzWorld w) { return w.client == null && w.clientHost.isUp(); }

    public void apply(FuzzWorld w) {
      SocketApi api = w.clientApi;
      int fd = api.socket().intValue();
      api.setNonBlocking(fd, true);
      api.setsockopt(fd, SocketOption.SO_REUSEADDR, 1);
      SysResult<Integer> b = api.bind(fd, 0, FuzzWorld.CLIENT_PORT);
      if (!b.isOk()) {
        w.noteErrno("bind(:40000)", b.errno(), ErrnoTable.bind(), FuzzWorld.before(api.socketOf(fd)));
        api.close(fd);
        return;
      }
      w.incarnation++;
      w.sent.add(new long[2]);
      SysResult<Integer> c = api.connect(fd, FuzzWorld.SERVER_ADDR, FuzzWorld.SERVER_PORT);
      if (c.errno() != Errno.EINPROGRESS) {
        w.noteErrno("connect", c.errno(), ErrnoTable.connect(), FuzzWorld.before(api.socketOf(fd)));
        api.close(fd);
        w.incarnation--;
        w.sent.remove(w.sent.size() - 1);
        return;
      }
      w.registerClient(fd);
      w.incarnationBegan();
    }
  }

  record Send(int side, int bytes) implements FuzzAction {
    public String text() { return sideName(side) + " send " + bytes; }

    public boolean applicable(FuzzWorld w) { return canCall(w, side); }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      ErrnoTable.Before before = FuzzWorld.before(e.conn);
      long off = w.sentBy(e.incarnation, side);
      byte[] data = new byte[bytes];
      FuzzWorld.fillContent(e.incarnation, side, off, data, bytes);
      SysResult<Integer> r = w.api(side).send(e.fd, data, 0, bytes);
      if (r.isOk()) {
        w.sent.get(e.incarnation)[side] += r.intValue();
      } else {
        w.noteErrno(sideName(side) + " send", r.errno(), ErrnoTable.send(before), before);
      }
    }
  }

  record Recv(int side) implements FuzzAction {
    public String text() { return sideName(side) + " recv"; }

    public boolean applicable(FuzzWorld w) { return canCall(w, side); }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      ErrnoTable.Before before = FuzzWorld.before(e.conn);
      // One call takes what is readable, however large the buffer: size it to that (at least one
      // byte, or recv would read nothing by definition) rather than zero RECV_MAX bytes per call.
      byte[] buf = new byte[Math.max(1, Math.min(FuzzWorld.RECV_MAX, e.conn.readableBytes()))];
      SysResult<Integer> r = w.api(side).recv(e.fd, buf, 0, buf.length);
      if (r.isOk()) {
        w.checkReceived(e, buf, r.intValue());
      } else {
        w.noteErrno(sideName(side) + " recv", r.errno(), ErrnoTable.recv(before), before);
      }
    }
  }

  record Shutdown(int side, int how) implements FuzzAction {
    static final String[] HOW = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};

    public String text() { return sideName(side) + " shutdown " + HOW[how]; }

    public boolean applicable(FuzzWorld w) {
      return canCall(w, side);
    }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      ErrnoTable.Before before = FuzzWorld.before(e.conn);
      SysResult<Integer> r = w.api(side).shutdown(e.fd, how);
      if (!r.isOk()) {
        w.noteErrno(sideName(side) + " shutdown(" + HOW[how] + ")", r.errno(), ErrnoTable.shutdown(before), before);
      }
    }

    static int how(String word) {
      for (int i = 0; i < HOW.length; i++) {
        if (HOW[i].equals(word)) {
          return i;
        }
      }
      throw new IllegalArgumentException("expected SHUT_RD, SHUT_WR or SHUT_RDWR, got '" + word + "'");
    }
  }

  /** close(), after SO_LINGER {1, 0} when {@code linger0} (an abortive close: RST, no TIME_WAIT). */
  record Close(int side, boolean linger0) implements FuzzAction {
    public String text() { return sideName(side) + " close" + (linger0 ? " linger0" : ""); }

    public boolean applicable(FuzzWorld w) { return canCall(w, side); }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      if (linger0) {
        w.api(side).setLinger(e.fd, true, 0);
      }
      w.api(side).close(e.fd);
      w.forget(e);
    }
  }

  /**
   * The common application ending: read until nothing is left (EAGAIN, end of stream or an
   * error), then close. Reading first keeps the close a FIN rather than a RST (tcp_close resets
   * when unread data remains).
   */
  record DrainClose(int side) implements FuzzAction {
    public String text() { return sideName(side) + " drain-close"; }

    public boolean applicable(FuzzWorld w) { return canCall(w, side); }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      byte[] buf = w.io();
      while (true) {
        ErrnoTable.Before before = FuzzWorld.before(e.conn);
        SysResult<Integer> r = w.api(side).recv(e.fd, buf, 0, buf.length);
        if (!r.isOk()) {
          w.noteErrno(sideName(side) + " recv", r.errno(), ErrnoTable.recv(before), before);
          break;
        }
        if (r.intValue() == 0) {
          break;
        }
        w.checkReceived(e, buf, r.intValue());
      }
      w.api(side).close(e.fd);
      w.forget(e);
    }
  }

  /**
   * The application sends {@code bytes} through an output buffer, as an event loop does: as much
   * as the socket takes now, the rest each time it becomes writable (EPOLLOUT), until all is
   * written, the socket is closed, or a send fails. Other calls on the side go on meanwhile.
   * With {@code thenShutWr} it half-closes once all is written, as {@code nc -N} does at the end
   * of its input.
   */
  record SendAll(int side, int bytes, boolean thenShutWr) implements FuzzAction {
    public String text() { return sideName(side) + " send-all " + bytes + (thenShutWr ? " shut-wr" : ""); }

    public boolean applicable(FuzzWorld w) { return canCall(w, side); }

    public void apply(FuzzWorld w) {
      FuzzWorld.Endpoint e = w.endpoint(side);
      e.toWrite += bytes;
      e.shutWrWhenWritten |= thenShutWr;
      w.pump(e);
    }
  }

  /**
   * A client session, the unit a client program repeats: {@code connect} from port 40000 (a new
   * incarnation of the 4-tuple), then {@code send-all bytes shut-wr} (the request, then the end of
   * it, as {@code nc -N} sends a file). A scenario action: one draw for the two steps every
   * request-response exchange starts with, so that chains of several sessions on the same 4-tuple,
   * the workload where old duplicates meet new incarnations, are drawn as often as single ones.
   */
  record Session(int bytes) implements FuzzAction {
    public String text() { return "client session " + bytes; }

    public boolean applicable(FuzzWorld w) { return new Connect().applicable(w); }

    public void apply(FuzzWorld w) {
      new Connect().apply(w);
      if (w.client != null) {
        new SendAll(0, bytes, true).apply(w);
      }
    }
  }

  /**
   * The common server loop, {@code while ((n = read(fd, ...)) > 0) ...; close(fd);}, run by an
   * event loop on the side's current connection and every later one (a server program serves
   * every connection it accepts the same way): the application reads whatever arrives (EPOLLIN)
   * and closes the socket once recv returns 0 (end of stream) or an error. With {@code echo} it
   * also answers each byte it reads with one byte of its own stream (an echo or RPC server,
   * RFC 862), so both directions carry as much.
   */
  record ReadToEofClose(int side, boolean echo) implements FuzzAction {
    public String text() { return sideName(side) + (echo ? " echo-to-eof-close" : " read-to-eof-close"); }

    /** Two echoing ends would bounce the same bytes forever, so an echo needs a peer that does not. */
    public boolean applicable(FuzzWorld w) {
      return host(w, side).isUp() && w.loop[side] == FuzzWorld.LOOP_NONE
          && !(echo && w.loop[1 - side] == FuzzWorld.LOOP_ECHO);
    }

    public void apply(FuzzWorld w) {
      w.loop[side] = echo ? FuzzWorld.LOOP_ECHO : FuzzWorld.LOOP_READ;
      w.startLoops();
    }
  }

  record Advance(long micros) implements FuzzAction {
    public String text() { return "advance " + micros + "us"; }

    public boolean applicable(FuzzWorld w) { return true; }

    public void apply(FuzzWorld w) { w.advance(micros * 1000); }
  }

  /**
   * A staged fault on the link {@code from -> other side}: the {@code nth} segment matching
   * {@code filter} ({@code data#3}), or, with {@code every}, every {@code nth} one from now on
   * ({@code data%3}: a share of the traffic, as netem's loss, duplicate and delay clauses hit).
   */
  record Fault(FaultKind kind, int from, Filter filter, int nth, long holdMicros, boolean every) implements FuzzAction {
    /** The one {@code nth} matching segment. */
    public Fault(FaultKind kind, int from, Filter filter, int nth, long holdMicros) {
      this(kind, from, filter, nth, holdMicros, false);
    }

    public String text() {
      String dir = sideName(from) + "->" + sideName(1 - from);
      String base = kind.name().toLowerCase(java.util.Locale.ROOT) + " " + dir + " " + filter.word
          + (every ? "%" : "#") + nth;
      return switch (kind) {
        case DROP -> base;
        case DUPLICATE -> base + (holdMicros == 0 ? "" : " hold " + holdMicros + "us");
        case HOLD -> base + " " + holdMicros + "us";
      };
    }

    public boolean applicable(FuzzWorld w) { return true; }

    public void apply(FuzzWorld w) {
      LinkRule.Builder b;
      if (every) {
        Predicate<Segment> test = filter.test;
        int[] seen = {0};
        b = LinkRule.matching(filter.word + " 1 in " + nth, seg -> test.test(seg) && ++seen[0] % nth == 0).every();
      } else {
        b = LinkRule.matching(filter.word, filter.test).nth(nth);
      }
      LinkRule rule = switch (kind) {
        case DROP -> b.drop();
        case DUPLICATE -> b.duplicateHeld(holdMicros * 1000);
        case HOLD -> b.hold(holdMicros * 1000);
      };
      w.net.link(sideName(from), sideName(1 - from)).addRule(rule);
    }
  }

  /** Cuts the link both ways ({@code on}) or heals it. */
  record Partition(boolean on) implements FuzzAction {
    public String text() { return on ? "partition" : "heal"; }

    public boolean applicable(FuzzWorld w) { return w.partitioned != on; }

    public void apply(FuzzWorld w) {
      if (on) {
        w.net.partition(FuzzWorld.CLIENT, FuzzWorld.SERVER);
      } else {
        w.net.heal();
      }
      w.partitioned = on;
    }
  }

  /** The host goes silent with its state kept ({@code crash}) or comes back ({@code recover}). */
  record Crash(int side, boolean down) implements FuzzAction {
    public String text() { return (down ? "crash " : "recover ") + sideName(side); }

    public boolean applicable(FuzzWorld w) { return host(w, side).isUp() == down; }

    public void apply(FuzzWorld w) {
      if (down) {
        host(w, side).crash();
      } else {
        host(w, side).recover();
        w.resumeLoops(side); // the application's loop slept while the host was down
      }
    }
  }

  /** The host reboots: every socket and timer is gone; its process starts over (the server listens again). */
  record Reboot(int side) implements FuzzAction {
    public String text() { return "reboot " + sideName(side); }

    public boolean applicable(FuzzWorld w) { return true; }

    public void apply(FuzzWorld w) {
      w.aborted.set(w.incarnation); // its connections vanish without a TIME_WAIT
      host(w, side).reboot();
      if (side == 0) {
        w.clientApi = new SocketApi(w.clientStack);
        w.client = null;
      } else {
        w.servers.clear();
        w.startServer();
        w.armListener();
      }
    }
  }

  /** Heal, recover, close everything, wait FuzzWorld.QUIESCE_NANOS, and look for leftovers. */
  record Quiesce() implements FuzzAction {
    public String text() { return "quiesce"; }

    public boolean applicable(FuzzWorld w) { return true; }

    public void apply(FuzzWorld w) { w.quiesce(); }
  }

  /** Reads one line as {@link #text()} prints it. */
  static FuzzAction parse(String line) {
    String[] w = line.trim().split("\\s+");
    try {
      switch (w[0]) {
        case "connect": return new Connect();
        case "advance": return new Advance(micros(w[1]));
        case "partition": return new Partition(true);
        case "heal": return new Partition(false);
        case "crash": return new Crash(side(w[1]), true);
        case "recover": return new Crash(side(w[1]), false);
        case "reboot": return new Reboot(side(w[1]));
        case "quiesce": return new Quiesce();
        case "drop", "duplicate", "hold": {
          FaultKind kind = FaultKind.valueOf(w[0].toUpperCase(java.util.Locale.ROOT));
          String[] dir = w[1].split("->");
          boolean every = w[2].contains("%");
          String[] pick = w[2].split(every ? "%" : "#");
          long hold = 0;
          if (kind == FaultKind.DUPLICATE && w.length > 3) {
            hold = micros(w[4]);
          } else if (kind == FaultKind.HOLD) {
            hold = micros(w[3]);
          }
          int from = side(dir[0]);
          if (side(dir[1]) != 1 - from) {
            throw new IllegalArgumentException("link must be client->server or server->client");
          }
          int nth = Integer.parseInt(pick[1]);
          if (nth < 1) {
            throw new IllegalArgumentException("segment count must be >= 1 in '" + w[2] + "'");
          }
          return new Fault(kind, from, Filter.of(pick[0]), nth, hold, every);
        }
        default:
          break;
      }
      int side = side(w[0]);
      return switch (w[1]) {
        case "send" -> new Send(side, Integer.parseInt(w[2]));
        case "recv" -> new Recv(side);
        case "shutdown" -> new Shutdown(side, Shutdown.how(w[2]));
        case "close" -> new Close(side, w.length > 2 && w[2].equals("linger0"));
        case "drain-close" -> new DrainClose(side);
        case "send-all" -> new SendAll(side, Integer.parseInt(w[2]), w.length > 3 && w[3].equals("shut-wr"));
        case "session" -> {
          if (side != 0) {
            throw new IllegalArgumentException("only the client opens sessions");
          }
          yield new Session(Integer.parseInt(w[2]));
        }
        case "read-to-eof-close" -> new ReadToEofClose(side, false);
        case "echo-to-eof-close" -> new ReadToEofClose(side, true);
        default -> throw new IllegalArgumentException("unknown call '" + w[1] + "'");
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("cannot read action '" + line.trim() + "': " + e.getMessage());
    }
  }

  private static long micros(String word) {
    if (!word.endsWith("us")) {
      throw new IllegalArgumentException("expected a time in microseconds like 1600us, got '" + word + "'");
    }
    return Long.parseLong(word.substring(0, word.length() - 2));
  }
}
