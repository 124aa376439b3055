package tcpsim.core.event;

/** Sees every event as it fires, in firing order. For traces and reports; must not schedule. */
@FunctionalInterface
public interface TraceObserver {
  void fired(long nowNanos, long seq, long arg);
}
