package io.vxswitch.bgp.evpn;

/**
 * The extended communities EVPN over VXLAN uses, each one 8-byte value held in a {@code long} (RFC 4360 §2:
 * type, subtype, six bytes of value). Route targets (RFC 4360 §4, RFC 5668), the BGP encapsulation community
 * (RFC 9012 §4.1, tunnel type 8 = VXLAN) and MAC mobility (RFC 7432 §7.7).
 */
public final class ExtendedCommunities {
    /** RFC 9012 §4.1 / IANA "BGP Tunnel Encapsulation Attribute Tunnel Types": 8 is VXLAN. */
    public static final int TUNNEL_VXLAN = 8;

    private static final int ROUTE_TARGET_SUBTYPE = 0x02;

    private ExtendedCommunities() {
    }

    /** Route target {@code asn:number}: 2-octet AS specific (type 0x00) when the AS fits, else 4-octet AS (0x02). */
    public static long routeTarget(long asn, long number) {
        if (asn < 0 || asn > 0xFFFF_FFFFL || number < 0) {
            throw new IllegalArgumentException("route target " + asn + ":" + number);
        }
        if (asn <= 0xFFFF) {
            if (number > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("route target " + asn + ":" + number + ": number above 4294967295");
            }
            return 0x0002L << 48 | asn << 32 | number;
        }
        if (number > 0xFFFF) {
            throw new IllegalArgumentException("route target " + asn + ":" + number
                    + ": a 4-octet AS allows a number of 0-65535");
        }
        return 0x0202L << 48 | asn << 16 | number;
    }

    /**
     * Parses {@code 65000:119} or {@code 192.0.2.1:5} (an IPv4-address-specific target, type 0x01).
     *
     * @throws IllegalArgumentException saying the accepted forms
     */
    public static long parseRouteTarget(String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon > 0) {
                String left = text.substring(0, colon);
                long number = Long.parseLong(text.substring(colon + 1));
                if (left.contains(".")) {
                    if (number < 0 || number > 0xFFFF) {
                        throw new IllegalArgumentException("the number after an address is 0-65535");
                    }
                    long address = io.vxswitch.packet.Ipv4Address.parse(left) & 0xFFFF_FFFFL;
                    return 0x0102L << 48 | address << 16 | number;
                }
                return routeTarget(Long.parseLong(left), number);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route target '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("route target '" + text + "' is not ASN:N or ADDRESS:N (e.g. 65000:119)");
    }

    public static boolean isRouteTarget(long community) {
        int type = (int) (community >>> 56) & 0xFF;
        return (type == 0x00 || type == 0x01 || type == 0x02) && ((community >>> 48) & 0xFF) == ROUTE_TARGET_SUBTYPE;
    }

    /** RFC 9012 §4.1: opaque type 0x03, subtype 0x0c, tunnel type in the last two bytes. */
    public static long encapsulation(int tunnelType) {
        return 0x030CL << 48 | (tunnelType & 0xFFFF);
    }

    public static boolean isEncapsulation(long community) {
        return (community >>> 48) == 0x030C;
    }

    /** RFC 7432 §7.7: type 0x06, subtype 0x00, flags (bit 0 sticky), reserved, 4-byte sequence number. */
    public static long macMobility(long sequence, boolean sticky) {
        if (sequence < 0 || sequence > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("MAC mobility sequence " + sequence);
        }
        return 0x0600L << 48 | (sticky ? 1L : 0L) << 40 | sequence;
    }

    public static boolean isMacMobility(long community) {
        return (community >>> 48) == 0x0600;
    }

    public static long mobilitySequence(long community) {
        return community & 0xFFFF_FFFFL;
    }

    public static boolean mobilitySticky(long community) {
        return ((community >>> 40) & 1) != 0;
    }

    /** FRR's notation: {@code RT:65000:119}, {@code ET:8}, {@code MM:3}, {@code MM:0, sticky MAC}; others in hex. */
    public static String format(long c) {
        int type = (int) (c >>> 56) & 0xFF;
        if (isRouteTarget(c)) {
            return switch (type) {
                case 0x00 -> "RT:" + ((c >>> 32) & 0xFFFF) + ":" + (c & 0xFFFF_FFFFL);
                case 0x01 -> "RT:" + io.vxswitch.packet.Ipv4Address.format((int) (c >>> 16)) + ":" + (c & 0xFFFF);
                default -> "RT:" + ((c >>> 16) & 0xFFFF_FFFFL) + ":" + (c & 0xFFFF);
            };
        }
        if (isEncapsulation(c)) {
            return "ET:" + (c & 0xFFFF);
        }
        if (isMacMobility(c)) {
            return "MM:" + mobilitySequence(c) + (mobilitySticky(c) ? ", sticky MAC" : "");
        }
        return String.format("0x%016x", c);
    }
}
