package tcpsim.net.observe;

/** Which end of a link a capture listens at. */
public enum CapturePoint {
  /**
   * What left the sending host, before the link's faults ({@code WireTap.transmitted}): lost
   * segments are in the capture, as in a tcpdump run on the sender.
   */
  SENDER,
  /**
   * What the link handed to the receiving host ({@code WireTap.delivered}): losses are missing,
   * duplicates appear twice, reordering shows, as in a tcpdump run on the receiver.
   */
  RECEIVER
}
