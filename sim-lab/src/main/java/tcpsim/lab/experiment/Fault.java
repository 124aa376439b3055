package tcpsim.lab.experiment;

/** Something that happens to the network or a host at a time of the run. */
public sealed interface Fault {
  long atNanos();

  /** The fault's name as the file writes it. */
  String action();

  /** The link named by its key ({@code client <-> server}) drops everything, both ways. */
  record Partition(long atNanos, String link) implements Fault {
    @Override
    public String action() {
      return "partition";
    }
  }

  /** A partitioned link carries segments again. */
  record Heal(long atNanos, String link) implements Fault {
    @Override
    public String action() {
      return "heal";
    }
  }

  /** The host stops: no segment in or out, no timer fires, and it does not come back. */
  record Crash(long atNanos, String host) implements Fault {
    @Override
    public String action() {
      return "crash";
    }
  }

  /**
   * The host restarts at once with an empty TCP stack and its applications started again: a
   * peer's next segment meets no socket and gets a RST (tcp_v4_send_reset).
   */
  record Reboot(long atNanos, String host) implements Fault {
    @Override
    public String action() {
      return "reboot";
    }
  }

  /**
   * Every link of the host silently drops everything; unlike a crash, the host keeps running,
   * its timers fire and it sends into the void (no carrier-loss notice reaches TCP).
   */
  record PullCable(long atNanos, String host) implements Fault {
    @Override
    public String action() {
      return "pull_cable";
    }
  }

  /** A pulled cable is back in. */
  record PlugCable(long atNanos, String host) implements Fault {
    @Override
    public String action() {
      return "plug_cable";
    }
  }
}
