package tcpsim.net.observe;

import java.util.Objects;
import java.util.OptionalInt;
import tcpsim.net.wire.Segment;

/**
 * Which of the network's segment events a capture records. Link names are {@code "a->b"}, the
 * names of the hosts at each end (see {@code tcpsim.net.link.WireTap}).
 */
public sealed interface CaptureFilter {

  /** Whether the capture records a segment {@code transmitted} onto {@code link}. */
  boolean takesTransmitted(String link);

  /** Whether the capture records a segment {@code delivered} by {@code link}. */
  boolean takesDelivered(String link);

  /**
   * Whether the drop of {@code segment} on {@code link} belongs to this capture's annotations.
   * {@code link} is null for drops off any link (no route, a crashed sender, the receiving host's
   * checks or its stack).
   */
  default boolean takesDrop(String link, Segment segment) {
    return link != null && (takesTransmitted(link) || takesDelivered(link));
  }

  /** Every link, at one end. */
  static CaptureFilter everywhere(CapturePoint point) {
    return new Everywhere(point);
  }

  /** One link, at one end. */
  static CaptureFilter onLink(String link, CapturePoint point) {
    return new OnLink(link, point);
  }

  /**
   * What one host's interface saw, both directions: its segments as they left it (transmitted on
   * links {@code host->*}) and the segments that reached it (delivered on links {@code *->host}).
   * Drop annotations: drops on those links.
   */
  static CaptureFilter atHost(String host) {
    return new AtHost(host, OptionalInt.empty());
  }

  /**
   * As {@link #atHost(String)}, and drops off any link of segments from or to {@code address}
   * (the host's own stack's drops, no route, a crash) are annotated too.
   */
  static CaptureFilter atHost(String host, int address) {
    return new AtHost(host, OptionalInt.of(address));
  }

  /** See {@link CaptureFilter#everywhere}. */
  record Everywhere(CapturePoint point) implements CaptureFilter {
    public Everywhere {
      Objects.requireNonNull(point, "point");
    }

    @Override
    public boolean takesTransmitted(String link) {
      return link != null && point == CapturePoint.SENDER;
    }

    @Override
    public boolean takesDelivered(String link) {
      return link != null && point == CapturePoint.RECEIVER;
    }

    /** Every drop, including those off any link. */
    @Override
    public boolean takesDrop(String link, Segment segment) {
      return true;
    }
  }

  /** See {@link CaptureFilter#onLink}. */
  record OnLink(String link, CapturePoint point) implements CaptureFilter {
    public OnLink {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(point, "point");
    }

    @Override
    public boolean takesTransmitted(String l) {
      return point == CapturePoint.SENDER && link.equals(l);
    }

    @Override
    public boolean takesDelivered(String l) {
      return point == CapturePoint.RECEIVER && link.equals(l);
    }

    @Override
    public boolean takesDrop(String l, Segment segment) {
      return link.equals(l);
    }
  }

  /** See {@link CaptureFilter#atHost}. */
  record AtHost(String host, OptionalInt address) implements CaptureFilter {
    public AtHost {
      if (host == null || host.isEmpty() || host.contains("->")) {
        throw new IllegalArgumentException("host name must be non-empty without '->', was '"
            + host + "'");
      }
      Objects.requireNonNull(address, "address");
    }

    @Override
    public boolean takesDrop(String link, Segment segment) {
      if (link != null) {
        return takesTransmitted(link) || takesDelivered(link);
      }
      return address.isPresent() && (segment.srcAddr() == address.getAsInt()
          || segment.dstAddr() == address.getAsInt());
    }

    @Override
    public boolean takesTransmitted(String link) {
      return link != null && link.startsWith(host + "->");
    }

    @Override
    public boolean takesDelivered(String link) {
      return link != null && link.endsWith("->" + host);
    }
  }
}
