package io.vxswitch.vxlan;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Ipv6;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An underlay address, IPv4 or IPv6, as 128 bits: an IPv4 address is kept in its IPv4-mapped form
 * {@code ::ffff:a.b.c.d} (RFC 4291 §2.5.5.2), which no VTEP uses as a real IPv6 address, so one table can
 * hold both families. For configuration and the registry; the data path uses the primitives.
 */
public record VtepAddress(long high, long low) {
    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    public static VtepAddress ipv4(int address) {
        return new VtepAddress(0, MAPPED_PREFIX | (address & 0xFFFF_FFFFL));
    }

    public static VtepAddress ipv6(long high, long low) {
        return new VtepAddress(high, low);
    }

    /** True if {@code (high, low)} is an IPv4-mapped address. */
    public static boolean isIpv4(long high, long low) {
        return high == 0 && (low >>> 32) == 0xFFFF;
    }

    /**
     * Parses {@code 192.0.2.1} or an IPv6 literal such as {@code 2001:db8::1}. Never resolves a host name.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static VtepAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("VTEP address is missing (expected 192.0.2.1 or 2001:db8::1)");
        }
        String t = text.trim();
        if (t.indexOf(':') < 0) {
            return ipv4(Ipv4Address.parse(t));
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(t); // JDK 22+: a literal only, no DNS
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "not an IPv6 address: '" + text + "' (expected a literal like 2001:db8::1)", e);
        }
        byte[] b = parsed.getAddress();
        if (parsed instanceof Inet4Address) { // ofLiteral turns ::ffff:a.b.c.d into IPv4
            return ipv4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        }
        return new VtepAddress(bigEndian(b, 0), bigEndian(b, 8));
    }

    private static long bigEndian(byte[] b, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[from + i] & 0xFF);
        }
        return v;
    }

    public boolean isIpv4() {
        return isIpv4(high, low);
    }

    /** The IPv4 address; only meaningful when {@link #isIpv4()}. */
    public int ipv4() {
        return (int) low;
    }

    public boolean isMulticast() {
        return isMulticast(high, low);
    }

    public boolean isUnspecified() {
        return isUnspecified(high, low);
    }

    /** As {@link #isMulticast()}, on the two longs, so the data path can check a sender without an object. */
    public static boolean isMulticast(long high, long low) {
        return isIpv4(high, low) ? Ipv4Address.isMulticast((int) low) : (high >>> 56) == 0xFF; // ff00::/8 (RFC 4291 §2.7)
    }

    public static boolean isUnspecified(long high, long low) {
        return isIpv4(high, low) ? (int) low == 0 : high == 0 && low == 0;
    }

    /**
     * The Ethernet destination for a multicast group: 01:00:5e plus the low 23 bits of an IPv4 group
     * (RFC 1112 §6.4), or 33:33 plus the low 32 bits of an IPv6 group (RFC 2464 §7).
     *
     * @throws IllegalStateException if this is not a multicast address
     */
    public long multicastMac() {
        if (!isMulticast()) {
            throw new IllegalStateException(this + " is not a multicast address: it has no multicast MAC");
        }
        return isIpv4() ? 0x0100_5E00_0000L | (low & 0x7F_FFFF) : 0x3333_0000_0000L | (low & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return isIpv4() ? Ipv4Address.format(ipv4()) : Ipv6.format(high, low);
    }
}
