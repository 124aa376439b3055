package tcpsim.bench;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;
import tcpsim.core.event.HeapEventSet;
import tcpsim.core.event.HierarchicalTimingWheel;
import tcpsim.core.event.LinuxTimerWheel;
import tcpsim.core.event.PendingEventSet;

/**
 * What the workloads do to a timer queue, over each queue under test. Timers are named by small
 * ids ({@code 0 <= id < capacity}). JMH runs each implementation in its own fork, so the calls
 * through this class stay monomorphic there.
 */
abstract class TimerQueue {
  /** Implementation names, as the {@code impl} parameter of the benchmarks spells them. */
  static final String HEAP = "heap";
  static final String WHEEL = "wheel";
  static final String LINUX = "linux";
  static final String PRIORITY_QUEUE = "pq";
  static final String AGRONA = "agrona";

  /** A timer id, due at {@code deadlineNanos}; the id is not pending. */
  abstract void schedule(int id, long deadlineNanos);

  /** Cancels the id's timer if it is still pending. */
  abstract void cancel(int id);

  /** Fires every timer due at or before {@code nowNanos}; returns how many fired. */
  abstract int expire(long nowNanos);

  /** Fires the next timer, whenever it is due; returns its id (-1 if not known). */
  abstract int pollNext();

  /** The fire time of the timer {@link #pollNext()} gave out. */
  abstract long lastFireTime();

  abstract long size();

  /**
   * @param agronaTicksPerWheel Agrona's wheel size (a power of two) for the workload's horizon;
   *     its tick is 2^20 ns, the power of two nearest 1 ms
   */
  static TimerQueue create(String impl, int capacity, int agronaTicksPerWheel) {
    return switch (impl) {
      case HEAP -> new OfSet(new HeapEventSet(capacity));
      case WHEEL -> new OfSet(
          new HierarchicalTimingWheel(HierarchicalTimingWheel.DEFAULT_TICK_NANOS, capacity));
      case LINUX -> new OfSet(new LinuxTimerWheel(1000, capacity));
      case PRIORITY_QUEUE -> new OfPriorityQueue(capacity);
      case AGRONA -> new OfAgrona(capacity, agronaTicksPerWheel);
      default -> throw new IllegalArgumentException("impl must be one of heap, wheel, linux, pq,"
          + " agrona; was '" + impl + "'");
    };
  }

  /** One of tcpsim's pending-event sets. */
  static final class OfSet extends TimerQueue {
    private final PendingEventSet set;
    private long seq;
    private long last;

    OfSet(PendingEventSet set) {
      this.set = set;
    }

    @Override
    void schedule(int id, long deadlineNanos) {
      set.add(id, deadlineNanos, ++seq);
    }

    @Override
    void cancel(int id) {
      set.remove(id);
    }

    @Override
    int expire(long nowNanos) {
      int n = 0;
      while (set.peekTimeUpTo(nowNanos) <= nowNanos) {
        set.poll();
        n++;
      }
      set.advanceTo(nowNanos);
      return n;
    }

    @Override
    int pollNext() {
      last = set.peekTime();
      return set.poll();
    }

    @Override
    long lastFireTime() {
      return last;
    }

    @Override
    long size() {
      return set.size();
    }
  }

  /**
   * The JDK baseline: {@link PriorityQueue} of one preallocated node per id, ordered by
   * (deadline, seq). Cancelling is {@code PriorityQueue.remove(Object)}, a linear scan: the JDK
   * queue has no handle to remove by.
   */
  static final class OfPriorityQueue extends TimerQueue {
    private static final Comparator<Node> ORDER = (a, b) -> a.deadline != b.deadline
        ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq);

    private static final class Node {
      final int id;
      long deadline;
      long seq;
      boolean queued;

      Node(int id) {
        this.id = id;
      }
    }

    private final PriorityQueue<Node> queue;
    private final Node[] nodes;
    private long seq;
    private long last;

    OfPriorityQueue(int capacity) {
      queue = new PriorityQueue<>(capacity, ORDER);
      nodes = new Node[capacity];
      for (int i = 0; i < capacity; i++) {
        nodes[i] = new Node(i);
      }
    }

    @Override
    void schedule(int id, long deadlineNanos) {
      Node n = nodes[id];
      n.deadline = deadlineNanos;
      n.seq = ++seq;
      n.queued = true;
      queue.add(n);
    }

    @Override
    void cancel(int id) {
      Node n = nodes[id];
      if (n.queued) {
        queue.remove(n);
        n.queued = false;
      }
    }

    @Override
    int expire(long nowNanos) {
      int count = 0;
      Node head;
      while ((head = queue.peek()) != null && head.deadline <= nowNanos) {
        queue.poll().queued = false;
        count++;
      }
      return count;
    }

    @Override
    int pollNext() {
      Node n = queue.poll();
      n.queued = false;
      last = n.deadline;
      return n.id;
    }

    @Override
    long lastFireTime() {
      return last;
    }

    @Override
    long size() {
      return queue.size();
    }
  }

  /**
   * Agrona's {@link DeadlineTimerWheel}: one hashed wheel of 2^20 ns ticks, polled a tick at a
   * time; timers within a tick leave in array order, not deadline order. Its timer ids are array
   * positions that are reused once a timer fires, so cancelling checks the stored deadline first.
   */
  static final class OfAgrona extends TimerQueue implements DeadlineTimerWheel.TimerHandler {
    private final DeadlineTimerWheel wheel;
    private final long[] timerId;
    private final long[] deadline;
    private long last;
    private boolean fired;

    OfAgrona(int capacity, int ticksPerWheel) {
      wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, 0, 1L << 20, ticksPerWheel, 16);
      timerId = new long[capacity];
      deadline = new long[capacity];
      java.util.Arrays.fill(timerId, DeadlineTimerWheel.NULL_DEADLINE);
    }

    @Override
    public boolean onTimerExpiry(TimeUnit timeUnit, long now, long id) {
      fired = true;
      return true;
    }

    @Override
    void schedule(int id, long deadlineNanos) {
      timerId[id] = wheel.scheduleTimer(deadlineNanos);
      deadline[id] = deadlineNanos;
    }

    @Override
    void cancel(int id) {
      long t = timerId[id];
      if (t != DeadlineTimerWheel.NULL_DEADLINE && wheel.deadline(t) == deadline[id]) {
        wheel.cancelTimer(t);
      }
      timerId[id] = DeadlineTimerWheel.NULL_DEADLINE;
    }

    @Override
    int expire(long nowNanos) {
      int n = 0;
      do {
        n += wheel.poll(nowNanos, this, Integer.MAX_VALUE);
      } while (nowNanos >= wheel.currentTickTime());
      return n;
    }

    /** Walks the wheel a tick at a time, as an event loop would, until one timer fires. */
    @Override
    int pollNext() {
      fired = false;
      while (true) {
        long now = wheel.currentTickTime();
        if (wheel.poll(now, this, 1) > 0 && fired) {
          last = now;
          return 0; // workloads without cancels do not need the id
        }
      }
    }

    @Override
    long lastFireTime() {
      return last;
    }

    @Override
    long size() {
      return wheel.timerCount();
    }
  }
}
