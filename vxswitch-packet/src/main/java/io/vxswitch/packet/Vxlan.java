package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * VXLAN header view (RFC 7348 §5), the 8 bytes between the outer UDP header and the inner Ethernet frame:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |R|R|R|R|I|R|R|R|            Reserved (24 bits)                 |
 * |         VXLAN Network Identifier (VNI)        |   Reserved    |
 * </pre>
 * RFC 7348 §5: the I flag MUST be 1 for a valid VNI; the other flag bits and both reserved fields MUST be
 * zero on transmission and are "ignored on receipt". The Linux kernel is stricter and drops a packet with
 * any of them set; this view only reads and writes, the receive policy lives with the decapsulator.
 */
public final class Vxlan {
    public static final int FLAGS_OFFSET = 0;
    /** The 24 reserved bits after the flags octet. */
    public static final int RESERVED24_OFFSET = 1;
    /** The VNI takes the three high octets of the second word; the low octet is reserved. */
    public static final int VNI_OFFSET = 4;
    public static final int RESERVED8_OFFSET = 7;
    public static final int LENGTH = 8;

    /** The I ("VNI valid") flag: bit 4 of the flags octet counting from the left, value 0x08. */
    public static final int FLAG_I = 0x08;
    public static final int MIN_VNI = 1;
    /** VNIs are 24 bits: up to 16 million segments (RFC 7348 §3.3). */
    public static final int MAX_VNI = 0xFF_FFFF;
    /** IANA port for VXLAN (RFC 7348 §5). */
    public static final int IANA_PORT = Udp.VXLAN_PORT;
    /**
     * The Linux kernel's port when {@code ip link add ... type vxlan} is given no {@code dstport}: the
     * pre-IANA value kept for compatibility. Peers must agree on the port, so configure it explicitly.
     */
    public static final int LINUX_DEFAULT_PORT = 8472;

    private Vxlan() {
    }

    public static int flags(MemorySegment s, long vxlan) {
        return Wire.u8(s, vxlan + FLAGS_OFFSET);
    }

    public static boolean hasIFlag(MemorySegment s, long vxlan) {
        return (flags(s, vxlan) & FLAG_I) != 0;
    }

    /** The 24-bit VNI. Meaningful only when the I flag is set. */
    public static int vni(MemorySegment s, long vxlan) {
        return (int) (Wire.u32(s, vxlan + VNI_OFFSET) >>> 8);
    }

    public static int reserved24(MemorySegment s, long vxlan) {
        return (int) (Wire.u32(s, vxlan + FLAGS_OFFSET) & 0xFF_FFFF);
    }

    public static int reserved8(MemorySegment s, long vxlan) {
        return Wire.u8(s, vxlan + RESERVED8_OFFSET);
    }

    /** True when every bit other than the I flag and the VNI is zero, as RFC 7348 §5 requires of a sender. */
    public static boolean reservedBitsClear(MemorySegment s, long vxlan) {
        return (Wire.u32(s, vxlan + FLAGS_OFFSET) & ~((long) FLAG_I << 24) & 0xFFFF_FFFFL) == 0
            && reserved8(s, vxlan) == 0;
    }

    /** Writes a conforming header: I flag set, all reserved bits zero (RFC 7348 §5), the low 24 bits of vni. */
    public static void write(MemorySegment s, long vxlan, int vni) {
        Wire.putU32(s, vxlan + FLAGS_OFFSET, (long) FLAG_I << 24);
        Wire.putU32(s, vxlan + VNI_OFFSET, (long) (vni & MAX_VNI) << 8);
    }

    /** Raw flags octet, for building malformed test input; {@link #write} is the sending path. */
    public static void flags(MemorySegment s, long vxlan, int flags) {
        Wire.putU8(s, vxlan + FLAGS_OFFSET, flags);
    }

    /** Sets the VNI and leaves the reserved octet after it untouched. */
    public static void vni(MemorySegment s, long vxlan, int vni) {
        long word = Wire.u32(s, vxlan + VNI_OFFSET);
        Wire.putU32(s, vxlan + VNI_OFFSET, ((long) (vni & MAX_VNI) << 8) | (word & 0xFF));
    }

    public static boolean isValidVni(int vni) {
        return vni >= MIN_VNI && vni <= MAX_VNI;
    }
}
