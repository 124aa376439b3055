package tcpsim.net.observe;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tcpsim.net.link.WireTap;
import tcpsim.net.wire.Segment;

/**
 * A {@link WireTap} that keeps one pcap file per link or per host in a directory, opening each
 * file the first time its link or host carries a segment.
 *
 * <p>File names: per link, {@code a->b} becomes {@code a_to_b.pcap}; per host, {@code a.pcap}.
 * Characters other than letters, digits, '.', '_' and '-' become '_'.
 */
public final class PcapDirectory implements WireTap, Closeable {
  private enum Mode { PER_LINK, PER_HOST }

  private final Path dir;
  private final Mode mode;
  private final CapturePoint point;
  // Insertion-ordered, so closing and listing follow first use.
  private final Map<String, PcapWriter> writers = new LinkedHashMap<>();
  private final Map<String, Path> files = new LinkedHashMap<>();

  private PcapDirectory(Path dir, Mode mode, CapturePoint point) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.mode = mode;
    this.point = point;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create capture directory " + dir, e);
    }
  }

  /** One file per link, each recording the link at {@code point}. */
  public static PcapDirectory perLink(Path dir, CapturePoint point) {
    return new PcapDirectory(dir, Mode.PER_LINK, Objects.requireNonNull(point, "point"));
  }

  /** One file per host: what its interface saw, both directions. */
  public static PcapDirectory perHost(Path dir) {
    return new PcapDirectory(dir, Mode.PER_HOST, null);
  }

  @Override
  public void transmitted(long nowNanos, String link, Segment segment) {
    if (link == null) {
      return;
    }
    if (mode == Mode.PER_HOST) {
      writerFor(sender(link)).transmitted(nowNanos, link, segment);
    } else if (point == CapturePoint.SENDER) {
      writerFor(link).transmitted(nowNanos, link, segment);
    }
  }

  @Override
  public void delivered(long nowNanos, String link, Segment segment) {
    if (link == null) {
      return;
    }
    if (mode == Mode.PER_HOST) {
      writerFor(receiver(link)).delivered(nowNanos, link, segment);
    } else if (point == CapturePoint.RECEIVER) {
      writerFor(link).delivered(nowNanos, link, segment);
    }
  }

  /** The files written so far, in the order they were opened. */
  public List<Path> files() {
    return new ArrayList<>(files.values());
  }

  /** File name for a link or host name. */
  public static String fileName(String linkOrHost) {
    String base = linkOrHost.replace("->", "_to_");
    StringBuilder b = new StringBuilder(base.length() + 5);
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      b.append(ok ? c : '_');
    }
    return b.append(".pcap").toString();
  }

  @Override
  public void close() {
    UncheckedIOException first = null;
    for (PcapWriter w : writers.values()) {
      try {
        w.close();
      } catch (UncheckedIOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private PcapWriter writerFor(String name) {
    PcapWriter w = writers.get(name);
    if (w == null) {
      Path file = dir.resolve(fileName(name));
      CaptureFilter filter = mode == Mode.PER_HOST ? CaptureFilter.atHost(name)
          : CaptureFilter.onLink(name, point);
      try {
        w = new PcapWriter(Files.newOutputStream(file), filter);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create capture file " + file, e);
      }
      writers.put(name, w);
      files.put(name, file);
    }
    return w;
  }

  private static String sender(String link) {
    int arrow = arrow(link);
    return link.substring(0, arrow);
  }

  private static String receiver(String link) {
    return link.substring(arrow(link) + 2);
  }

  private static int arrow(String link) {
    int arrow = link.indexOf("->");
    if (arrow <= 0 || arrow + 2 >= link.length()) {
      throw new IllegalArgumentException("link name must be 'a->b', was '" + link + "'");
    }
    return arrow;
  }
}
