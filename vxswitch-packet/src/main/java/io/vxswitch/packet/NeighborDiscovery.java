package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 neighbour solicitation and advertisement view (RFC 4861 §4.3, §4.4), the IPv6 counterpart of {@link Arp}: what
 * a switch that snoops and answers for its hosts (RFC 9161, ND suppression) reads and writes. Offsets are from the
 * start of the ICMPv6 message; an address is two {@code long}s, as in {@link Ipv6}.
 */
public final class NeighborDiscovery {
    public static final int SOLICITATION = 135;
    public static final int ADVERTISEMENT = 136;

    public static final int CHECKSUM_OFFSET = 2;
    public static final int FLAGS_OFFSET = 4;
    public static final int TARGET_OFFSET = 8;
    /** Type, code, checksum, the reserved/flags word and the target: the options follow. */
    public static final int HEADER_LENGTH = 24;
    public static final int OPTION_SOURCE_LINK_LAYER = 1;
    public static final int OPTION_TARGET_LINK_LAYER = 2;
    /** One link-layer address option for Ethernet: type, length 1 (in units of 8 bytes), the MAC. */
    public static final int LINK_LAYER_OPTION_LENGTH = 8;

    /** Advertisement flags (RFC 4861 §4.4): the sender is a router; a reply to a solicitation; replace a cached MAC. */
    public static final int FLAG_ROUTER = 0x8000_0000;
    public static final int FLAG_SOLICITED = 0x4000_0000;
    public static final int FLAG_OVERRIDE = 0x2000_0000;

    /** Returned by {@link #linkLayerOption} when the message has no such option. */
    public static final long NO_MAC = -1;

    /** RFC 4861 §7.1: the hop limit neighbour discovery is sent with, so no router can have forwarded it. */
    private static final int HOP_LIMIT = 255;

    private NeighborDiscovery() {
    }

    public static int type(MemorySegment s, long icmp) {
        return Wire.u8(s, icmp);
    }

    public static int flags(MemorySegment s, long icmp) {
        return (int) Wire.u32(s, icmp + FLAGS_OFFSET);
    }

    public static long targetHigh(MemorySegment s, long icmp) {
        return Wire.i64(s, icmp + TARGET_OFFSET);
    }

    public static long targetLow(MemorySegment s, long icmp) {
        return Wire.i64(s, icmp + TARGET_OFFSET + 8);
    }

    /**
     * The ICMPv6 message of the IPv6 packet at {@code ip} if it is a solicitation or advertisement a receiver would
     * accept (RFC 4861 §7.1.1, §7.1.2: no extension header, hop limit 255, code 0, at least {@link #HEADER_LENGTH}
     * bytes inside the {@code available} ones, a correct checksum, a target that is not multicast), else -1.
     */
    public static long message(MemorySegment s, long ip, int available) {
        if (available < Ipv6.LENGTH + HEADER_LENGTH || Ipv6.version(s, ip) != Ipv6.VERSION
            || Ipv6.nextHeader(s, ip) != Ipv6.NEXT_HEADER_ICMPV6 || Ipv6.hopLimit(s, ip) != HOP_LIMIT) {
            return -1;
        }
        long icmp = ip + Ipv6.LENGTH;
        int type = type(s, icmp);
        int length = Ipv6.payloadLength(s, ip);
        if ((type != SOLICITATION && type != ADVERTISEMENT) || Wire.u8(s, icmp + 1) != 0
            || length < HEADER_LENGTH || length > available - Ipv6.LENGTH || isMulticast(targetHigh(s, icmp))
            || !InternetChecksum.verify(s, icmp, length, Ipv6PseudoHeader.sum(s, ip, Ipv6.NEXT_HEADER_ICMPV6, length))) {
            return -1;
        }
        return icmp;
    }

    /**
     * The MAC in the first link-layer address option of {@code optionType} ({@link #OPTION_SOURCE_LINK_LAYER} in a
     * solicitation, {@link #OPTION_TARGET_LINK_LAYER} in an advertisement) of a message {@code length} bytes long, or
     * {@link #NO_MAC}. Stops at a zero-length option, which RFC 4861 §4.6 says makes the message invalid.
     */
    public static long linkLayerOption(MemorySegment s, long icmp, int length, int optionType) {
        int at = HEADER_LENGTH;
        while (at + 2 <= length) {
            int size = Wire.u8(s, icmp + at + 1) * 8;
            if (size == 0 || at + size > length) {
                return NO_MAC;
            }
            if (Wire.u8(s, icmp + at) == optionType && size == LINK_LAYER_OPTION_LENGTH) {
                return Wire.u48(s, icmp + at + 2);
            }
            at += size;
        }
        return NO_MAC;
    }

    /**
     * Turns the solicitation at {@code ip} into the advertisement that answers it for {@code mac}, in place: a
     * solicitation with only its source link-layer option has exactly the length of an advertisement with only its
     * target link-layer option (RFC 4861 §4.3, §4.4), so the frame keeps its size and tag. The answer goes back to
     * the solicitation's source, from the target address, solicited and override set (what Linux's bridge sends
     * for its {@code neigh_suppress}), with its checksum.
     */
    public static void answer(MemorySegment s, long ip, long mac) {
        long icmp = ip + Ipv6.LENGTH;
        long askerHigh = Ipv6.srcHigh(s, ip);
        long askerLow = Ipv6.srcLow(s, ip);
        Ipv6.versionClassFlow(s, ip, 0, 0);
        Ipv6.payloadLength(s, ip, HEADER_LENGTH + LINK_LAYER_OPTION_LENGTH);
        Ipv6.src(s, ip, targetHigh(s, icmp), targetLow(s, icmp));
        Ipv6.dst(s, ip, askerHigh, askerLow);
        Wire.putU8(s, icmp, ADVERTISEMENT);
        Wire.putU8(s, icmp + 1, 0);
        Wire.putU16(s, icmp + CHECKSUM_OFFSET, 0);
        Wire.putU32(s, icmp + FLAGS_OFFSET, (FLAG_SOLICITED | FLAG_OVERRIDE) & 0xFFFF_FFFFL);
        long option = icmp + HEADER_LENGTH;
        Wire.putU8(s, option, OPTION_TARGET_LINK_LAYER);
        Wire.putU8(s, option + 1, 1);
        Wire.putU48(s, option + 2, mac);
        int length = HEADER_LENGTH + LINK_LAYER_OPTION_LENGTH;
        Wire.putU16(s, icmp + CHECKSUM_OFFSET,
            InternetChecksum.checksum(s, icmp, length, Ipv6PseudoHeader.sum(s, ip, Ipv6.NEXT_HEADER_ICMPV6, length)));
    }

    /** ff00::/8. */
    public static boolean isMulticast(long high) {
        return high >>> 56 == 0xFF;
    }

    /** fe80::/10: never advertised in a MAC/IP route (it is the same prefix on every link). */
    public static boolean isLinkLocal(long high) {
        return high >>> 54 == 0x3FA;
    }

    /** An address a host can own and a MAC/IP route can carry: not ::, not multicast, not link-local. */
    public static boolean isHostAddress(long high, long low) {
        return !(high == 0 && low == 0) && !isMulticast(high) && !isLinkLocal(high);
    }
}
