package io.vxswitch.bgp.evpn;

import io.vxswitch.packet.Ipv4Address;

/**
 * A route distinguisher (RFC 4364 §4.2): 2 bytes of type, 6 of value. Type 0 is {@code asn2:number32}, type 1
 * {@code ipv4:number16} (what FRR derives: {@code router-id:N}), type 2 {@code asn4:number16}.
 */
public record RouteDistinguisher(int type, long value) {
    public RouteDistinguisher {
        if (type < 0 || type > 0xFFFF || (value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("route distinguisher type " + type + " value " + value);
        }
    }

    /** Type 1, {@code a.b.c.d:n}: FRR's auto-derived RD is the router id and a small local number. */
    public static RouteDistinguisher ipv4(int address, int number) {
        if (number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException("route distinguisher number " + number + " is not 0-65535");
        }
        return new RouteDistinguisher(1, (address & 0xFFFF_FFFFL) << 16 | number);
    }

    /** Type 0 for a 2-octet AS ({@code asn:n}, n up to 2^32-1), type 2 for a 4-octet one (n up to 65535). */
    public static RouteDistinguisher asn(long asn, long number) {
        if (asn <= 0xFFFF) {
            if (number < 0 || number > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("route distinguisher number " + number + " is not 0-4294967295");
            }
            return new RouteDistinguisher(0, asn << 32 | number);
        }
        if (number < 0 || number > 0xFFFF || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("route distinguisher " + asn + ":" + number
                    + ": a 4-octet AS allows a number of 0-65535");
        }
        return new RouteDistinguisher(2, asn << 16 | number);
    }

    /**
     * Parses {@code 192.0.2.1:2}, {@code 65000:119} or {@code 4200000000:7}.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static RouteDistinguisher parse(String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon > 0) {
                String left = text.substring(0, colon);
                long number = Long.parseLong(text.substring(colon + 1));
                if (left.contains(".")) {
                    return ipv4(Ipv4Address.parse(left), (int) Math.min(number, Integer.MAX_VALUE));
                }
                return asn(Long.parseLong(left), number);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route distinguisher '" + text + "': " + e.getMessage()
                    + " (write ROUTER-ID:N, ASN:N)", e);
        }
        throw new IllegalArgumentException("route distinguisher '" + text + "' is not ROUTER-ID:N or ASN:N"
                + " (e.g. 192.0.2.1:2, 65000:119)");
    }

    @Override
    public String toString() {
        return switch (type) {
            case 0 -> (value >>> 32) + ":" + (value & 0xFFFF_FFFFL);
            case 1 -> Ipv4Address.format((int) (value >>> 16)) + ":" + (value & 0xFFFF);
            case 2 -> (value >>> 16) + ":" + (value & 0xFFFF);
            default -> "type" + type + ":" + Long.toHexString(value);
        };
    }
}
