package tcpsim.net.observe;

import tcpsim.net.wire.Segment;

/**
 * A decoded IPv4 TCP packet: the segment and the IPv4 fields a {@link Segment} does not hold.
 *
 * @param segment the TCP segment; its payload bytes are present when its length is not 0
 * @param ipId the IPv4 identification field
 * @param ttl time to live
 * @param tos the type-of-service byte (DSCP and ECN)
 * @param dontFragment whether DF was set
 */
public record DecodedPacket(Segment segment, int ipId, int ttl, int tos, boolean dontFragment) {}
