package tcpsim.net.socket;

/**
 * The error numbers a simulated application sees, with Linux's numbers (x86-64,
 * include/uapi/asm-generic/errno-base.h and errno.h) and glibc's strerror text, as packetdrill
 * prints them: {@code -1 ECONNREFUSED (Connection refused)}.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EINTR(4, "Interrupted system call"),
  EBADF(9, "Bad file descriptor"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EFAULT(14, "Bad address"),
  EINVAL(22, "Invalid argument"),
  ENFILE(23, "Too many open files in system"),
  EMFILE(24, "Too many open files"),
  EPIPE(32, "Broken pipe"),
  ENOTSOCK(88, "Socket operation on non-socket"),
  EDESTADDRREQ(89, "Destination address required"),
  EMSGSIZE(90, "Message too long"),
  EPROTOTYPE(91, "Protocol wrong type for socket"),
  ENOPROTOOPT(92, "Protocol not available"),
  EPROTONOSUPPORT(93, "Protocol not supported"),
  EOPNOTSUPP(95, "Operation not supported"),
  EAFNOSUPPORT(97, "Address family not supported by protocol"),
  EADDRINUSE(98, "Address already in use"),
  EADDRNOTAVAIL(99, "Cannot assign requested address"),
  ENETDOWN(100, "Network is down"),
  ENETUNREACH(101, "Network is unreachable"),
  ECONNABORTED(103, "Software caused connection abort"),
  ECONNRESET(104, "Connection reset by peer"),
  ENOBUFS(105, "No buffer space available"),
  EISCONN(106, "Transport endpoint is already connected"),
  ENOTCONN(107, "Transport endpoint is not connected"),
  ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
  ETIMEDOUT(110, "Connection timed out"),
  ECONNREFUSED(111, "Connection refused"),
  EHOSTDOWN(112, "Host is down"),
  EHOSTUNREACH(113, "No route to host"),
  EALREADY(114, "Operation already in progress"),
  EINPROGRESS(115, "Operation now in progress");

  /** EWOULDBLOCK is EAGAIN on Linux. */
  public static final Errno EWOULDBLOCK = EAGAIN;

  private final int number;
  private final String text;

  Errno(int number, String text) {
    this.number = number;
    this.text = text;
  }

  /** Linux's errno value. */
  public int number() {
    return number;
  }

  /** strerror's text, as glibc spells it. */
  public String text() {
    return text;
  }

  /** packetdrill's way of printing a failed call's errno: {@code ECONNREFUSED (Connection refused)}. */
  public String describe() {
    return name() + " (" + text + ")";
  }

  /** The errno with this number. */
  public static Errno ofNumber(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    throw new IllegalArgumentException("no errno with number " + number);
  }
}
