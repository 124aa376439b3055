package tcpsim.net.observe;

/**
 * A packet's bytes are not a well-formed IPv4 TCP packet tcpsim can represent. The message names
 * the field and its byte offset from the start of the IPv4 header.
 */
public final class PacketFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int byteOffset;

  public PacketFormatException(int byteOffset, String message) {
    super("at byte " + byteOffset + ": " + message);
    this.byteOffset = byteOffset;
  }

  /** Where the problem is, counted from the first byte of the IPv4 header. */
  public int byteOffset() {
    return byteOffset;
  }
}
