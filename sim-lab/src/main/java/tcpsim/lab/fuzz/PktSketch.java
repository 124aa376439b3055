package tcpsim.lab.fuzz;

import java.util.List;

/**
 * A fuzz case written in packetdrill's notation, as far as it goes: a packetdrill script plays one
 * endpoint against a kernel, while a fuzz case drives two simulated endpoints and the link, so
 * each call is prefixed with the side that makes it and link faults, crashes and reboots are
 * comments. It is for reading next to the ladder diagram, not for running; the action list is
 * what replays.
 */
public final class PktSketch {
  private PktSketch() {}

  public static String render(String title, List<FuzzAction> actions) {
    StringBuilder b = new StringBuilder();
    b.append("// ").append(title).append('\n');
    b.append("// A sketch in packetdrill notation: both ends are simulated, so calls name their side;\n");
    b.append("// link faults are comments. Replay the action list, not this file.\n");
    long pendingMicros = 0;
    int fd = 3;
    int serverFd = 4;
    for (FuzzAction a : actions) {
      if (a instanceof FuzzAction.Advance adv) {
        pendingMicros += adv.micros();
        continue;
      }
      String at = "+" + seconds(pendingMicros);
      pendingMicros = 0;
      String line;
      if (a instanceof FuzzAction.Connect) {
        line = connect(fd);
      } else if (a instanceof FuzzAction.Session s) {
        line = connect(fd) + "\n+0 client: write(" + fd + ", ..., " + s.bytes() + ") = ... // all of it,"
            + " as the socket takes it\n+0 client: shutdown(" + fd + ", SHUT_WR) = 0";
      } else if (a instanceof FuzzAction.SendAll s) {
        line = side(s.side()) + ": write(" + fdOf(s.side(), fd, serverFd) + ", ..., " + s.bytes()
            + ") = ... // all of it, as the socket takes it" + (s.thenShutWr() ? "\n+0 "
            + side(s.side()) + ": shutdown(" + fdOf(s.side(), fd, serverFd) + ", SHUT_WR) = 0" : "");
      } else if (a instanceof FuzzAction.Send s) {
        line = side(s.side()) + ": write(" + fdOf(s.side(), fd, serverFd) + ", ..., " + s.bytes() + ") = ...";
      } else if (a instanceof FuzzAction.Recv r) {
        line = side(r.side()) + ": read(" + fdOf(r.side(), fd, serverFd) + ", ..., 262144) = ...";
      } else if (a instanceof FuzzAction.Shutdown s) {
        line = side(s.side()) + ": shutdown(" + fdOf(s.side(), fd, serverFd) + ", "
            + FuzzAction.Shutdown.HOW[s.how()] + ") = ...";
      } else if (a instanceof FuzzAction.Close c) {
        line = (c.linger0() ? side(c.side()) + ": setsockopt(" + fdOf(c.side(), fd, serverFd)
            + ", SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n+0 " : "")
            + side(c.side()) + ": close(" + fdOf(c.side(), fd, serverFd) + ") = 0";
      } else if (a instanceof FuzzAction.DrainClose c) {
        line = side(c.side()) + ": read(" + fdOf(c.side(), fd, serverFd) + ", ..., 262144) = ... // until EAGAIN or 0"
            + "\n+0 " + side(c.side()) + ": close(" + fdOf(c.side(), fd, serverFd) + ") = 0";
      } else {
        line = "// " + a.text();
      }
      b.append(at).append(' ').append(line).append('\n');
    }
    if (pendingMicros > 0) {
      b.append('+').append(seconds(pendingMicros)).append(" // (time passes)\n");
    }
    return b.toString();
  }

  private static String connect(int fd) {
    return "client: socket(..., SOCK_STREAM, IPPROTO_TCP) = " + fd
        + "\n+0 client: setsockopt(" + fd + ", SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
        + "\n+0 client: bind(" + fd + ", 10.0.0.1:40000, ...) = 0"
        + "\n+0 client: connect(" + fd + ", 10.0.0.2:80, ...) = -1 EINPROGRESS";
  }

  private static String side(int side) {
    return FuzzAction.sideName(side);
  }

  private static int fdOf(int side, int clientFd, int serverFd) {
    return side == 0 ? clientFd : serverFd;
  }

  private static String seconds(long micros) {
    if (micros == 0) {
      return "0";
    }
    String s = String.format(java.util.Locale.ROOT, "%.6f", micros / 1e6);
    s = s.replaceAll("0+$", "");
    return s.startsWith("0.") ? s.substring(1) : s;
  }
}
