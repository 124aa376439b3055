package tcpsim.net.socket;

/** epoll/poll event bits with Linux's values (include/uapi/linux/eventpoll.h, poll.h). */
public final class PollEvents {
  public static final int EPOLLIN = 0x001;
  public static final int EPOLLPRI = 0x002;
  public static final int EPOLLOUT = 0x004;
  public static final int EPOLLERR = 0x008;
  public static final int EPOLLHUP = 0x010;
  public static final int EPOLLRDNORM = 0x040;
  public static final int EPOLLRDBAND = 0x080;
  public static final int EPOLLWRNORM = 0x100;
  public static final int EPOLLWRBAND = 0x200;
  public static final int EPOLLRDHUP = 0x2000;

  private static final int[] BITS = {EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDNORM,
      EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLRDHUP};
  private static final String[] NAMES = {"EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP",
      "EPOLLRDNORM", "EPOLLRDBAND", "EPOLLWRNORM", "EPOLLWRBAND", "EPOLLRDHUP"};

  private PollEvents() {}

  /** {@code EPOLLIN|EPOLLOUT}, or {@code 0}. */
  public static String describe(int mask) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < BITS.length; i++) {
      if ((mask & BITS[i]) != 0) {
        if (b.length() > 0) b.append('|');
        b.append(NAMES[i]);
      }
    }
    return b.length() == 0 ? "0" : b.toString();
  }
}
