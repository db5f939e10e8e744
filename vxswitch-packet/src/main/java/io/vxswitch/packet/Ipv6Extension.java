package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 extension headers (RFC 8200 §4), for a reader that wants the upper-layer protocol behind them: which next-header
 * values are extension headers, and how long one is. Each starts with its own Next Header byte. Lengths: the generic
 * Hdr Ext Len in 8-octet units after the first 8 (§4.3, §4.4, §4.6, and RFC 6564's uniform format of later ones),
 * the Fragment header a fixed 8 (§4.5), AH's Payload Len in 4-octet units minus 2 (RFC 4302 §2.2). ESP (50) is not
 * one to walk: what follows it is encrypted, so ESP is the protocol.
 */
public final class Ipv6Extension {
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int AUTHENTICATION = 51;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;
    public static final int EXPERIMENTAL_1 = 253;
    public static final int EXPERIMENTAL_2 = 254;
    /** The bytes every extension header has at least (Next Header, its length, and six more). */
    public static final int MIN_LENGTH = 8;
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    /** Fragment header: offset (13 bits, in 8-octet units), 2 reserved bits, the M flag. */
    public static final int FRAGMENT_OFFSET_OFFSET = 2;

    private Ipv6Extension() {
    }

    /** True if {@code nextHeader} names an extension header that another header follows (IANA's list, RFC 7045). */
    public static boolean isExtension(int nextHeader) {
        return switch (nextHeader) {
            case HOP_BY_HOP, ROUTING, FRAGMENT, AUTHENTICATION, DESTINATION_OPTIONS, MOBILITY, HIP, SHIM6,
                 EXPERIMENTAL_1, EXPERIMENTAL_2 -> true;
            default -> false;
        };
    }

    /** The next header after the extension header of type {@code type} at {@code at}. */
    public static int nextHeader(MemorySegment s, long at) {
        return Wire.u8(s, at + NEXT_HEADER_OFFSET);
    }

    /** Bytes of the extension header of type {@code type} at {@code at} ({@link #MIN_LENGTH} must be readable). */
    public static int length(MemorySegment s, long at, int type) {
        return switch (type) {
            case FRAGMENT -> MIN_LENGTH;
            case AUTHENTICATION -> (Wire.u8(s, at + LENGTH_OFFSET) + 2) * 4;
            default -> (Wire.u8(s, at + LENGTH_OFFSET) + 1) * 8;
        };
    }

    /** True if the Fragment header at {@code at} is of a later fragment (offset not 0): no upper-layer header in it. */
    public static boolean laterFragment(MemorySegment s, long at) {
        return (Wire.u16(s, at + FRAGMENT_OFFSET_OFFSET) & 0xFFF8) != 0;
    }
}
