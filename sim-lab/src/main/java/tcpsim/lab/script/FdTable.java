package tcpsim.lab.script;

import java.util.BitSet;

/**
 * File descriptors as a fresh Linux process gets them: 0-2 are taken, the next is always the
 * lowest free number (POSIX "lowest-numbered file descriptor not currently open").
 */
public final class FdTable {
  private final BitSet used = new BitSet();

  public FdTable() {
    used.set(0, 3);
  }

  /** Takes the lowest free descriptor. */
  public int open() {
    int fd = used.nextClearBit(0);
    used.set(fd);
    return fd;
  }

  /** Frees {@code fd}; false when it was not open (the caller answers EBADF). */
  public boolean close(int fd) {
    if (fd < 0 || !used.get(fd)) {
      return false;
    }
    used.clear(fd);
    return true;
  }

  public boolean isOpen(int fd) {
    return fd >= 0 && used.get(fd);
  }
}
