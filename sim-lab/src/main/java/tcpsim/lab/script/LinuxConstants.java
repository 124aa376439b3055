package tcpsim.lab.script;

import java.util.Map;
import java.util.TreeMap;

/**
 * The values of the symbolic constants a script may write as call arguments or in {@code %{ }%}
 * assertions, with Linux's numbers
 * for x86-64 (include/uapi/asm-generic/socket.h, include/uapi/linux/tcp.h, fcntl.h, poll.h,
 * sockios.h). A script may also write the number itself.
 */
final class LinuxConstants {
  private static final Map<String, Long> VALUES = new TreeMap<>();

  static {
    put("AF_INET", 2);
    put("PF_INET", 2);
    put("SOCK_STREAM", 1);
    put("SOCK_DGRAM", 2);
    put("SOCK_NONBLOCK", 0x800);
    put("IPPROTO_IP", 0);
    put("IPPROTO_TCP", 6);
    put("SOL_SOCKET", 1);
    put("SOL_TCP", 6);
    put("SO_REUSEADDR", 2);
    put("SO_ERROR", 4);
    put("SO_SNDBUF", 7);
    put("SO_RCVBUF", 8);
    put("SO_KEEPALIVE", 9);
    put("SO_LINGER", 13);
    put("TCP_NODELAY", 1);
    put("TCP_MAXSEG", 2);
    put("TCP_KEEPIDLE", 4);
    put("TCP_KEEPINTVL", 5);
    put("TCP_KEEPCNT", 6);
    put("TCP_LINGER2", 8);
    put("TCP_INFO", 11);
    put("TCP_USER_TIMEOUT", 18);
    put("O_RDONLY", 0);
    put("O_WRONLY", 1);
    put("O_RDWR", 2);
    put("O_NONBLOCK", 0x800);
    put("F_GETFL", 3);
    put("F_SETFL", 4);
    put("MSG_PEEK", 0x2);
    put("MSG_DONTWAIT", 0x40);
    put("MSG_NOSIGNAL", 0x4000);
    put("SHUT_RD", 0);
    put("SHUT_WR", 1);
    put("SHUT_RDWR", 2);
    put("SIOCINQ", 0x541B);
    put("FIONREAD", 0x541B);
    put("SIOCOUTQ", 0x5411);
    put("TIOCOUTQ", 0x5411);
    // The states and congestion states tcp_info reports (include/net/tcp_states.h,
    // include/uapi/linux/tcp.h), which packetdrill's %{ }% blocks compare tcpi_state and
    // tcpi_ca_state with.
    put("TCP_ESTABLISHED", 1);
    put("TCP_SYN_SENT", 2);
    put("TCP_SYN_RECV", 3);
    put("TCP_FIN_WAIT1", 4);
    put("TCP_FIN_WAIT2", 5);
    put("TCP_TIME_WAIT", 6);
    put("TCP_CLOSE", 7);
    put("TCP_CLOSE_WAIT", 8);
    put("TCP_LAST_ACK", 9);
    put("TCP_LISTEN", 10);
    put("TCP_CLOSING", 11);
    put("TCP_CA_Open", 0);
    put("TCP_CA_Disorder", 1);
    put("TCP_CA_CWR", 2);
    put("TCP_CA_Recovery", 3);
    put("TCP_CA_Loss", 4);
    put("POLLIN", 0x001);
    put("POLLPRI", 0x002);
    put("POLLOUT", 0x004);
    put("POLLERR", 0x008);
    put("POLLHUP", 0x010);
    put("POLLNVAL", 0x020);
    put("POLLRDNORM", 0x040);
    put("POLLRDBAND", 0x080);
    put("POLLWRNORM", 0x100);
    put("POLLWRBAND", 0x200);
    put("POLLRDHUP", 0x2000);
  }

  private LinuxConstants() {}

  private static void put(String name, long value) {
    VALUES.put(name, value);
  }

  /** The value of a symbol, or null when tcpsim does not know it. */
  static Long value(String name) {
    return VALUES.get(name);
  }

  /** The name of a POLL* mask, for messages: {@code POLLIN|POLLOUT}, or {@code 0}. */
  static String pollNames(long mask) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : VALUES.entrySet()) {
      if (e.getKey().startsWith("POLL") && (mask & e.getValue()) != 0) {
        b.append(b.length() == 0 ? "" : "|").append(e.getKey());
      }
    }
    return b.length() == 0 ? "0" : b.toString();
  }
}
