package tcpsim.core.event;

/**
 * What runs when a scheduled event fires. One handler object usually serves many events (a
 * connection's timers, a link's deliveries); the {@code arg} tells them apart, so scheduling
 * needs no object per event.
 */
@FunctionalInterface
public interface EventHandler {
  /**
   * @param nowNanos the virtual time the event fires at (never earlier than its deadline)
   * @param arg the value given when the event was scheduled
   */
  void fire(long nowNanos, long arg);
}
