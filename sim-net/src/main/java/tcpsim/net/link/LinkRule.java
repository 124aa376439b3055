package tcpsim.net.link;

import java.util.Objects;
import java.util.function.Predicate;
import tcpsim.core.time.Nanos;
import tcpsim.net.wire.Segment;
import tcpsim.net.wire.TcpFlags;

/**
 * A fault staged exactly on one link: drop, duplicate or hold chosen segments, so that a lost FIN,
 * a lost last ACK or a late old duplicate happens where a test wants it, not where a coin says.
 *
 * <pre>{@code
 * link.addRule(LinkRule.segment(2).drop());                        // the link's 2nd segment
 * link.addRule(LinkRule.withFlags(TcpFlags.FIN).first().drop());   // the first FIN
 * link.addRule(LinkRule.exactFlags(TcpFlags.ACK).every().duplicate());
 * link.addRule(LinkRule.matching("ack of FIN", s -> s.ack() == finSeq + 1).first()
 *     .duplicateHeld(Nanos.seconds(20)));                          // a late old duplicate
 * }</pre>
 *
 * <p>A rule counts the segments that match its filter from the moment it is added; it fires on
 * every match, or only on the N-th. Rules of a link are tried in the order added: a firing drop
 * ends the list for that segment (later rules do not see it); duplicates and holds let the
 * segment go on to later rules. Segments a rule drops, holds or copies are exact: netem's random
 * faults, jitter and rate do not apply to them (see {@link Link}).
 *
 * <p>A rule keeps its own counts and so belongs to one link.
 */
public final class LinkRule {
  /** What a firing rule does. */
  public enum Action {
    /** The segment is lost ({@code LINK_RULE}). */
    DROP,
    /** The segment goes its way and an exact copy arrives {@link #holdNanos()} after the link's delay. */
    DUPLICATE,
    /** The segment itself arrives {@link #holdNanos()} after the link's delay, outside netem. */
    HOLD
  }

  private final String description;
  private final Predicate<Segment> filter;
  private final int occurrence; // 0: every match
  private final Action action;
  private final long holdNanos;
  private long matched;
  private long fired;
  private boolean attached;

  private LinkRule(String description, Predicate<Segment> filter, int occurrence, Action action,
      long holdNanos) {
    this.description = description;
    this.filter = filter;
    this.occurrence = occurrence;
    this.action = action;
    this.holdNanos = holdNanos;
  }

  /** The {@code n}-th segment the link carries after the rule is added (1 is the first). */
  public static Builder segment(int n) {
    return new Builder("segment", s -> true).nth(n);
  }

  /** Segments with every flag in {@code flags} set (others may be set too): {@code FIN} matches F. */
  public static Builder withFlags(int flags) {
    int f = flags;
    return new Builder("flags " + TcpFlags.packetdrill(f) + " set", s -> (s.flags() & f) == f);
  }

  /** Segments whose flags are exactly {@code flags}: {@code ACK} matches a bare ACK only. */
  public static Builder exactFlags(int flags) {
    int f = flags;
    return new Builder("flags exactly " + TcpFlags.packetdrill(f), s -> s.flags() == f);
  }

  /** Segments the predicate accepts; {@code description} names them in {@link #toString()}. */
  public static Builder matching(String description, Predicate<Segment> predicate) {
    return new Builder(Objects.requireNonNull(description, "description"),
        Objects.requireNonNull(predicate, "predicate"));
  }

  /** Chooses which matches fire, then what the rule does. */
  public static final class Builder {
    private final String description;
    private final Predicate<Segment> filter;
    private int occurrence;

    private Builder(String description, Predicate<Segment> filter) {
      this.description = description;
      this.filter = filter;
    }

    /** Only the {@code n}-th matching segment (1 is the first). */
    public Builder nth(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("occurrence must be >= 1, was " + n);
      }
      occurrence = n;
      return this;
    }

    public Builder first() {
      return nth(1);
    }

    /** Every matching segment (the default for a filter). */
    public Builder every() {
      occurrence = 0;
      return this;
    }

    public LinkRule drop() {
      return new LinkRule(description, filter, occurrence, Action.DROP, 0);
    }

    /** An exact copy arrives together with the segment (after the link's base delay). */
    public LinkRule duplicate() {
      return duplicateHeld(0);
    }

    /**
     * An exact copy arrives {@code holdNanos} after the link's base delay, while the segment
     * itself goes its normal way: the late old duplicate. The network's MSL bounds the hold: a
     * copy that would arrive later than its send time plus the MSL expires instead.
     */
    public LinkRule duplicateHeld(long holdNanos) {
      return new LinkRule(description, filter, occurrence, Action.DUPLICATE, checkHold(holdNanos));
    }

    /** The segment itself arrives {@code holdNanos} after the link's base delay. */
    public LinkRule hold(long holdNanos) {
      return new LinkRule(description, filter, occurrence, Action.HOLD, checkHold(holdNanos));
    }

    private static long checkHold(long holdNanos) {
      if (holdNanos < 0) {
        throw new IllegalArgumentException("hold must be >= 0 ns, was " + holdNanos);
      }
      return holdNanos;
    }
  }

  /** Counts {@code segment} if it matches and says whether the rule fires on it. */
  boolean offer(Segment segment) {
    if (!filter.test(segment)) {
      return false;
    }
    matched++;
    if (occurrence != 0 && matched != occurrence) {
      return false;
    }
    fired++;
    return true;
  }

  void attach(String linkName) {
    if (attached) {
      throw new IllegalStateException("rule '" + this + "' already belongs to a link; make one per link"
          + " (adding it to " + linkName + ")");
    }
    attached = true;
  }

  public Action action() {
    return action;
  }

  public long holdNanos() {
    return holdNanos;
  }

  /** How many segments matched the filter so far. */
  public long matched() {
    return matched;
  }

  /** How many times the rule acted. */
  public long fired() {
    return fired;
  }

  @Override
  public String toString() {
    String which = occurrence == 0 ? "every " : "match #" + occurrence + " of ";
    String what = switch (action) {
      case DROP -> "drop";
      case DUPLICATE -> holdNanos == 0 ? "duplicate" : "duplicate held " + Nanos.format(holdNanos);
      case HOLD -> "hold " + Nanos.format(holdNanos);
    };
    return what + " " + which + description;
  }
}
