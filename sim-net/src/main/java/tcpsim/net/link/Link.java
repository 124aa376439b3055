package tcpsim.net.link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tcpsim.core.event.EventHandler;
import tcpsim.core.event.Simulation;
import tcpsim.core.random.SimRandom;
import tcpsim.net.wire.DropReason;
import tcpsim.net.wire.Segment;

/**
 * A one-way link from host {@code from} to host {@code to}, named {@code "from->to"}, impaired as
 * netem impairs an interface ({@link NetemConfig}) and by staged {@link LinkRule}s.
 *
 * <p>What a segment goes through, in order, when a host sends it:
 * <ol>
 *   <li>taps see it {@code transmitted};
 *   <li>a partition in force cuts it ({@code PARTITION});
 *   <li>rules, in the order added: drop ({@code LINK_RULE}), add an exact copy, or hold it;
 *       a held segment skips netem and arrives its hold after the base delay;
 *   <li>netem, as {@code netem_enqueue} in net/sched/sch_netem.c orders it: a duplicate draw, a
 *       loss draw (a duplicated segment that is also lost still goes once), corruption, the queue
 *       limit (tail drop, {@code QDISC_DROP}), then reorder (sent at once) or delay, jitter and
 *       rate; a netem duplicate goes through the same steps again, without duplicating;
 *   <li>at arrival time: a partition in force cuts it; a crashed receiver drops it
 *       ({@code HOST_DOWN}); otherwise taps see it {@code delivered} and the receiver takes it
 *       (dropping it on checksum if corrupted).
 * </ol>
 * A segment whose arrival would come later than its send time plus the network's MSL is dropped
 * ({@code MSL_EXPIRED}) at that instant instead.
 *
 * <p>Order: without jitter and reorder, a link is FIFO: arrival times never decrease and equal
 * times fire in sending order. With jitter and no rate, a later segment may overtake an earlier
 * one, as with netem, whose tfifo queue sorts by time to send. With a rate, arrivals stay FIFO
 * (netem computes a rated segment's time from the last one queued). Reordered segments and rule
 * holds and copies break FIFO on purpose.
 *
 * <p>Randomness: each option draws from its own stream, {@code random.split("link:" + name)}
 * split again by the option's name, so links never share draws and enabling one option (say
 * corrupt) does not change which segments another (say loss) picks.
 *
 * <p>Allocation: a segment in flight sits in a slot of this link's arrays; the arrival event
 * carries the slot number as its {@code long} argument and one handler object serves all of them.
 *
 * <p>Differences from netem: the rate model serializes each segment after the previous one
 * finishes and then adds the delay (for a constant delay this equals netem's arithmetic); jitter
 * is uniform and uncorrelated; a reordered segment skips the rate queue without using its time.
 */
public final class Link {
  private static final int CORRUPTED = 1;
  private static final int QUEUED = 2; // counts against the netem limit
  private static final int EXPIRES = 4; // the event is the MSL expiry, not the arrival

  private final String name;
  private final String from;
  private final String to;
  private final LinkEnvironment env;
  private final Simulation sim;
  private final LinkSink sink;
  private final TapSet taps;
  private final SimRandom lossRandom;
  private final SimRandom duplicateRandom;
  private final SimRandom corruptRandom;
  private final SimRandom reorderRandom;
  private final SimRandom jitterRandom;
  private final ArrayList<LinkRule> rules = new ArrayList<>();
  private final EventHandler arrival = this::arrive;
  private NetemConfig config;

  // netem's queue state.
  private int queued;
  private int reorderCounter;
  private long busyUntilNanos;
  private long lastRatedArrivalNanos;

  // Segments in flight, by slot; the arrival event's argument is the slot.
  private Segment[] slotSegment = new Segment[16];
  private byte[] slotFlags = new byte[16];
  private int[] freeSlots = new int[16];
  private int freeCount;
  private int slotsUsed;
  private int inFlight;

  private long transmitted;
  private long delivered;
  private final long[] dropped = new long[DropReason.values().length];

  public Link(LinkEnvironment env, String from, String to, NetemConfig config, LinkSink sink) {
    this.env = Objects.requireNonNull(env, "env");
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.name = from + "->" + to;
    this.sim = env.simulation();
    this.taps = env.taps();
    setConfig(config);
    SimRandom mine = sim.random().split("link:" + name);
    this.lossRandom = mine.split("loss");
    this.duplicateRandom = mine.split("duplicate");
    this.corruptRandom = mine.split("corrupt");
    this.reorderRandom = mine.split("reorder");
    this.jitterRandom = mine.split("jitter");
  }

  public String name() {
    return name;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  public NetemConfig config() {
    return config;
  }

  /** Changes the impairments from now on, as {@code tc qdisc change} does; segments in flight keep theirs. */
  public void setConfig(NetemConfig config) {
    Objects.requireNonNull(config, "config");
    config.checkUsable();
    this.config = config;
  }

  /** Adds a staged fault; rules are tried in the order added. Returns this link. */
  public Link addRule(LinkRule rule) {
    rule.attach(name);
    rules.add(rule);
    return this;
  }

  public List<LinkRule> rules() {
    return List.copyOf(rules);
  }

  /** Segments hosts handed to this link. */
  public long transmittedCount() {
    return transmitted;
  }

  /** Segments handed to the receiving host, duplicates counted each time. */
  public long deliveredCount() {
    return delivered;
  }

  /** Segments this link lost for {@code reason}. */
  public long droppedCount(DropReason reason) {
    return dropped[reason.ordinal()];
  }

  /** Segments (and copies) on the way now. */
  public int inFlight() {
    return inFlight;
  }

  /** Takes {@code segment} from the sending host now. */
  public void transmit(Segment segment) {
    long now = sim.now();
    transmitted++;
    taps.transmitted(now, name, segment);
    if (env.partitions().isCut(from, to, now)) {
      drop(now, segment, DropReason.PARTITION);
      return;
    }
    long holdNanos = -1;
    for (int i = 0; i < rules.size(); i++) {
      LinkRule rule = rules.get(i);
      if (!rule.offer(segment)) {
        continue;
      }
      switch (rule.action()) {
        case DROP -> {
          drop(now, segment, DropReason.LINK_RULE);
          return;
        }
        case DUPLICATE -> schedule(segment, now, now + config.delayNanos() + rule.holdNanos(), 0);
        case HOLD -> holdNanos = Math.max(holdNanos, 0) + rule.holdNanos();
      }
    }
    if (holdNanos >= 0) {
      schedule(segment, now, now + config.delayNanos() + holdNanos, 0);
      return;
    }
    netem(segment, now, true);
  }

  /** netem_enqueue's order: duplicate and loss draws, then corruption, limit, reorder or delay. */
  private void netem(Segment segment, long now, boolean mayDuplicate) {
    NetemConfig c = config;
    int count = 1;
    if (mayDuplicate && duplicateRandom.chancePpm(c.duplicatePpm())) {
      count++;
    }
    if (lossRandom.chancePpm(c.lossPpm())) {
      count--;
    }
    if (count == 0) {
      drop(now, segment, DropReason.NETEM_LOSS);
      return;
    }
    enqueue(segment, now, c);
    if (count > 1) {
      netem(segment, now, false); // sch_netem.c re-enqueues the clone at the root, duplicate off
    }
  }

  private void enqueue(Segment segment, long now, NetemConfig c) {
    int flags = QUEUED;
    if (corruptRandom.chancePpm(c.corruptPpm())) {
      flags |= CORRUPTED;
    }
    if (queued >= c.limit()) {
      drop(now, segment, DropReason.QDISC_DROP);
      return;
    }
    long at;
    if (reordersNow(c)) {
      at = now; // enqueued at the head with time_to_send = now: skips delay and rate
    } else {
      long delay = c.delayNanos();
      if (c.jitterNanos() > 0) {
        // tabledist without a table: uniform in [mu - sigma, mu + sigma).
        delay = Math.max(0, delay - c.jitterNanos() + jitterRandom.nextLong(2 * c.jitterNanos()));
      }
      if (c.rateBitsPerSecond() > 0) {
        long start = Math.max(now, busyUntilNanos);
        busyUntilNanos = start + c.serializationNanos(segment.wireLength());
        at = Math.max(busyUntilNanos + delay, lastRatedArrivalNanos);
        lastRatedArrivalNanos = at;
      } else {
        at = now + delay;
      }
    }
    schedule(segment, now, at, flags);
  }

  /** netem's gap counter: after gap-1 segments delayed, the next reorders with its probability. */
  private boolean reordersNow(NetemConfig c) {
    if (c.reorderPpm() == 0 || reorderCounter < c.gap() - 1
        || !reorderRandom.chancePpm(c.reorderPpm())) {
      reorderCounter++;
      return false;
    }
    reorderCounter = 0;
    return true;
  }

  private void schedule(Segment segment, long now, long at, int flags) {
    long expiry = now + env.mslNanos();
    if (expiry < now) {
      expiry = Long.MAX_VALUE;
    }
    if (at > expiry) {
      at = expiry;
      flags |= EXPIRES;
    }
    int slot = takeSlot();
    slotSegment[slot] = segment;
    slotFlags[slot] = (byte) flags;
    inFlight++;
    if ((flags & QUEUED) != 0) {
      queued++;
    }
    sim.schedule(at, arrival, slot);
  }

  private void arrive(long now, long arg) {
    int slot = (int) arg;
    Segment segment = slotSegment[slot];
    int flags = slotFlags[slot];
    slotSegment[slot] = null;
    freeSlots[freeCount++] = slot;
    inFlight--;
    if ((flags & QUEUED) != 0) {
      queued--;
    }
    if ((flags & EXPIRES) != 0) {
      drop(now, segment, DropReason.MSL_EXPIRED);
    } else if (env.partitions().isCut(from, to, now)) {
      drop(now, segment, DropReason.PARTITION);
    } else if (!sink.isUp()) {
      drop(now, segment, DropReason.HOST_DOWN);
    } else {
      delivered++;
      taps.delivered(now, name, segment);
      sink.receive(now, this, segment, (flags & CORRUPTED) != 0);
    }
  }

  private void drop(long now, Segment segment, DropReason reason) {
    dropped[reason.ordinal()]++;
    taps.dropped(now, name, segment, reason);
  }

  private int takeSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotsUsed == slotSegment.length) {
      int cap = slotSegment.length * 2;
      slotSegment = Arrays.copyOf(slotSegment, cap);
      slotFlags = Arrays.copyOf(slotFlags, cap);
      freeSlots = Arrays.copyOf(freeSlots, cap);
    }
    return slotsUsed++;
  }

  @Override
  public String toString() {
    String c = config.toString();
    return name + (c.isEmpty() ? "" : " netem " + c);
  }
}
