package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * The IPv6 pseudo-header that upper-layer checksums cover (RFC 8200 §8.1): source and destination address,
 * upper-layer packet length and next header, summed straight from the IPv6 header in place. The switch
 * does not walk extension headers, so the addresses are the fixed header's (no routing header).
 */
public final class Ipv6PseudoHeader {
    private Ipv6PseudoHeader() {
    }

    /** Running sum of the pseudo-header for an upper-layer packet of {@code length} bytes. */
    public static long sum(MemorySegment s, long ip, int nextHeader, int length) {
        long sum = InternetChecksum.add(s, ip + Ipv6.SRC_OFFSET, 32, 0); // source then destination address
        sum = InternetChecksum.addU32(sum, length); // a 32-bit length field in RFC 8200's layout
        return InternetChecksum.addU16(sum, nextHeader);
    }

    /**
     * Computes and stores the checksum of the UDP datagram at {@code udp}, using its length field. Unlike
     * over IPv4 the checksum is mandatory (RFC 8200 §8.1); a computed zero is sent as all ones (RFC 768).
     */
    public static void updateUdpChecksum(MemorySegment s, long ip, long udp) {
        int length = Udp.length(s, udp);
        Udp.checksum(s, udp, 0);
        int sum = InternetChecksum.checksum(s, udp, length, sum(s, ip, Ipv6.NEXT_HEADER_UDP, length));
        Udp.checksum(s, udp, sum == 0 ? 0xFFFF : sum);
    }

    /**
     * True if the UDP checksum is present and correct. A zero checksum is refused: RFC 8200 §8.1 says a
     * receiver discards it (RFC 6935/6936 relax that for tunnels by configuration, which is not done here).
     */
    public static boolean udpChecksumValid(MemorySegment s, long ip, long udp) {
        if (Udp.checksum(s, udp) == 0) {
            return false;
        }
        int length = Udp.length(s, udp);
        return InternetChecksum.verify(s, udp, length, sum(s, ip, Ipv6.NEXT_HEADER_UDP, length));
    }
}
