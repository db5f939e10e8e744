package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/** UDP header view (RFC 768). */
public final class Udp {
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    /** Header length; also the smallest legal value of the length field. */
    public static final int LENGTH = 8;
    /** IANA port for VXLAN (RFC 7348 §5). */
    public static final int VXLAN_PORT = 4789;

    private Udp() {
    }

    public static int srcPort(MemorySegment s, long udp) {
        return Wire.u16(s, udp + SRC_PORT_OFFSET);
    }

    public static int dstPort(MemorySegment s, long udp) {
        return Wire.u16(s, udp + DST_PORT_OFFSET);
    }

    /** Length of header plus data, in bytes. */
    public static int length(MemorySegment s, long udp) {
        return Wire.u16(s, udp + LENGTH_OFFSET);
    }

    public static int checksum(MemorySegment s, long udp) {
        return Wire.u16(s, udp + CHECKSUM_OFFSET);
    }

    public static void srcPort(MemorySegment s, long udp, int port) {
        Wire.putU16(s, udp + SRC_PORT_OFFSET, port);
    }

    public static void dstPort(MemorySegment s, long udp, int port) {
        Wire.putU16(s, udp + DST_PORT_OFFSET, port);
    }

    public static void length(MemorySegment s, long udp, int value) {
        Wire.putU16(s, udp + LENGTH_OFFSET, value);
    }

    public static void checksum(MemorySegment s, long udp, int value) {
        Wire.putU16(s, udp + CHECKSUM_OFFSET, value);
    }

    /**
     * Computes and stores the checksum of a UDP datagram over IPv4, using the length field. RFC 768: the
     * sum covers a pseudo-header (source, destination, protocol, UDP length), and a computed zero is sent
     * as all ones because zero on the wire means "no checksum".
     */
    public static void updateChecksum(MemorySegment s, long udp, int srcIp, int dstIp) {
        int length = length(s, udp);
        checksum(s, udp, 0);
        long pseudo = Ipv4.pseudoHeaderSum(srcIp, dstIp, Ipv4.PROTOCOL_UDP, length);
        int sum = InternetChecksum.checksum(s, udp, length, pseudo);
        checksum(s, udp, sum == 0 ? 0xFFFF : sum);
    }

    /** True if the checksum is correct, or absent (zero), which RFC 768 allows over IPv4. */
    public static boolean checksumValid(MemorySegment s, long udp, int srcIp, int dstIp) {
        if (checksum(s, udp) == 0) {
            return true;
        }
        int length = length(s, udp);
        long pseudo = Ipv4.pseudoHeaderSum(srcIp, dstIp, Ipv4.PROTOCOL_UDP, length);
        return InternetChecksum.verify(s, udp, length, pseudo);
    }
}
