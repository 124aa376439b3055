package tcpsim.lab.kernel;

import java.util.Map;
import java.util.TreeMap;

/**
 * The values of the symbolic constants scripts use, as Linux defines them on x86-64 and arm64
 * (include/uapi/linux/*.h, include/uapi/asm-generic/*.h): what the helper passes to the kernel.
 */
final class LinuxConstants {
  private static final Map<String, Long> VALUES = new TreeMap<>();

  static {
    put("AF_INET", 2); put("PF_INET", 2); put("AF_INET6", 10); put("AF_UNSPEC", 0);
    put("SOCK_STREAM", 1); put("SOCK_DGRAM", 2); put("SOCK_NONBLOCK", 0x800); put("SOCK_CLOEXEC", 0x80000);
    put("IPPROTO_IP", 0); put("IPPROTO_TCP", 6); put("IPPROTO_UDP", 17);
    put("SOL_SOCKET", 1); put("SOL_TCP", 6); put("SOL_IP", 0);
    put("SO_DEBUG", 1); put("SO_REUSEADDR", 2); put("SO_TYPE", 3); put("SO_ERROR", 4);
    put("SO_DONTROUTE", 5); put("SO_BROADCAST", 6); put("SO_SNDBUF", 7); put("SO_RCVBUF", 8);
    put("SO_KEEPALIVE", 9); put("SO_OOBINLINE", 10); put("SO_LINGER", 13); put("SO_REUSEPORT", 15);
    put("SO_RCVLOWAT", 18); put("SO_SNDLOWAT", 19); put("SO_SNDBUFFORCE", 32); put("SO_RCVBUFFORCE", 33);
    put("SO_ZEROCOPY", 60);
    put("TCP_NODELAY", 1); put("TCP_MAXSEG", 2); put("TCP_CORK", 3); put("TCP_KEEPIDLE", 4);
    put("TCP_KEEPINTVL", 5); put("TCP_KEEPCNT", 6); put("TCP_SYNCNT", 7); put("TCP_LINGER2", 8);
    put("TCP_DEFER_ACCEPT", 9); put("TCP_WINDOW_CLAMP", 10); put("TCP_INFO", 11);
    put("TCP_QUICKACK", 12); put("TCP_CONGESTION", 13); put("TCP_THIN_LINEAR_TIMEOUTS", 16);
    put("TCP_USER_TIMEOUT", 18); put("TCP_REPAIR", 19); put("TCP_FASTOPEN", 23);
    put("TCP_TIMESTAMP", 24); put("TCP_NOTSENT_LOWAT", 25); put("TCP_SAVE_SYN", 27);
    put("TCP_FASTOPEN_CONNECT", 30); put("TCP_INQ", 36);
    put("O_RDONLY", 0); put("O_WRONLY", 1); put("O_RDWR", 2); put("O_NONBLOCK", 0x800);
    put("O_NDELAY", 0x800); put("FD_CLOEXEC", 1);
    put("F_DUPFD", 0); put("F_GETFD", 1); put("F_SETFD", 2); put("F_GETFL", 3); put("F_SETFL", 4);
    put("MSG_OOB", 1); put("MSG_PEEK", 2); put("MSG_DONTROUTE", 4); put("MSG_TRUNC", 0x20);
    put("MSG_DONTWAIT", 0x40); put("MSG_EOR", 0x80); put("MSG_WAITALL", 0x100);
    put("MSG_NOSIGNAL", 0x4000); put("MSG_MORE", 0x8000); put("MSG_ZEROCOPY", 0x4000000);
    put("SHUT_RD", 0); put("SHUT_WR", 1); put("SHUT_RDWR", 2);
    put("POLLIN", 0x1); put("POLLPRI", 0x2); put("POLLOUT", 0x4); put("POLLERR", 0x8);
    put("POLLHUP", 0x10); put("POLLNVAL", 0x20); put("POLLRDNORM", 0x40); put("POLLRDBAND", 0x80);
    put("POLLWRNORM", 0x100); put("POLLWRBAND", 0x200); put("POLLMSG", 0x400); put("POLLRDHUP", 0x2000);
    // SIOCINQ is FIONREAD and SIOCOUTQ is TIOCOUTQ (include/uapi/linux/sockios.h).
    put("SIOCINQ", 0x541B); put("FIONREAD", 0x541B); put("SIOCOUTQ", 0x5411); put("TIOCOUTQ", 0x5411);
    put("SIOCOUTQNSD", 0x894B); put("FIONBIO", 0x5421);
  }

  private static void put(String name, long value) {
    VALUES.put(name, value);
  }

  private LinuxConstants() {}

  /** The value of {@code name}, or null when the backend does not know it. */
  static Long value(String name) {
    return VALUES.get(name);
  }
}
