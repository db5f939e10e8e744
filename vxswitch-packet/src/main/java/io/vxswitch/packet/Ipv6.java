package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 fixed header view (RFC 8200 §3). The switch only needs to recognise and describe IPv6, so an
 * address is two {@code long}s (high and low 64 bits) and nothing here walks extension headers ({@link Ipv6Extension}
 * does, for flow export).
 */
public final class Ipv6 {
    /** Version:4, traffic class:8, flow label:20. */
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;
    public static final int LENGTH = 40;
    public static final int VERSION = 6;

    public static final int NEXT_HEADER_TCP = 6;
    public static final int NEXT_HEADER_UDP = 17;
    public static final int NEXT_HEADER_ICMPV6 = 58;

    private Ipv6() {
    }

    public static int version(MemorySegment s, long ip) {
        return Wire.u8(s, ip + VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    public static int trafficClass(MemorySegment s, long ip) {
        return (int) (Wire.u32(s, ip + VERSION_CLASS_FLOW_OFFSET) >>> 20) & 0xFF;
    }

    public static int flowLabel(MemorySegment s, long ip) {
        return (int) Wire.u32(s, ip + VERSION_CLASS_FLOW_OFFSET) & 0xF_FFFF;
    }

    /** Bytes after the fixed 40-byte header, extension headers included. */
    public static int payloadLength(MemorySegment s, long ip) {
        return Wire.u16(s, ip + PAYLOAD_LENGTH_OFFSET);
    }

    public static int nextHeader(MemorySegment s, long ip) {
        return Wire.u8(s, ip + NEXT_HEADER_OFFSET);
    }

    public static int hopLimit(MemorySegment s, long ip) {
        return Wire.u8(s, ip + HOP_LIMIT_OFFSET);
    }

    public static long srcHigh(MemorySegment s, long ip) {
        return Wire.i64(s, ip + SRC_OFFSET);
    }

    public static long srcLow(MemorySegment s, long ip) {
        return Wire.i64(s, ip + SRC_OFFSET + 8);
    }

    public static long dstHigh(MemorySegment s, long ip) {
        return Wire.i64(s, ip + DST_OFFSET);
    }

    public static long dstLow(MemorySegment s, long ip) {
        return Wire.i64(s, ip + DST_OFFSET + 8);
    }

    public static void versionClassFlow(MemorySegment s, long ip, int trafficClass, int flowLabel) {
        long word = ((long) VERSION << 28) | ((long) (trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF);
        Wire.putU32(s, ip + VERSION_CLASS_FLOW_OFFSET, word);
    }

    public static void payloadLength(MemorySegment s, long ip, int value) {
        Wire.putU16(s, ip + PAYLOAD_LENGTH_OFFSET, value);
    }

    public static void nextHeader(MemorySegment s, long ip, int value) {
        Wire.putU8(s, ip + NEXT_HEADER_OFFSET, value);
    }

    public static void hopLimit(MemorySegment s, long ip, int value) {
        Wire.putU8(s, ip + HOP_LIMIT_OFFSET, value);
    }

    public static void src(MemorySegment s, long ip, long high, long low) {
        Wire.putI64(s, ip + SRC_OFFSET, high);
        Wire.putI64(s, ip + SRC_OFFSET + 8, low);
    }

    public static void dst(MemorySegment s, long ip, long high, long low) {
        Wire.putI64(s, ip + DST_OFFSET, high);
        Wire.putI64(s, ip + DST_OFFSET + 8, low);
    }

    /**
     * Text form per RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero
     * groups (the first, on a tie) shortened to {@code ::}. Not for the hot path.
     */
    public static String format(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
