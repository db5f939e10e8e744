package io.vxswitch.linux.udp;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Ipv6;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The local address a {@link UdpSocket} binds to, IPv4 or IPv6, as the 128 bits {@code (high, low)} that the
 * batches use for every datagram: an IPv4 address in its IPv4-mapped form {@code ::ffff:a.b.c.d}
 * (RFC 4291 §2.5.5.2). The socket layer knows addresses and ports, not VXLAN: the caller turns its VTEP
 * address into one of these.
 */
public record IpAddress(long high, long low) {
    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    public static IpAddress ipv4(int address) {
        return new IpAddress(0, MAPPED_PREFIX | (address & 0xFFFF_FFFFL));
    }

    /** True if {@code (high, low)} is an IPv4-mapped address, sent as IPv4. */
    public static boolean isIpv4(long high, long low) {
        return high == 0 && (low >>> 32) == 0xFFFF;
    }

    /**
     * Parses {@code 192.0.2.1} or an IPv6 literal such as {@code 2001:db8::1}. Never resolves a host name.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static IpAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("IP address is missing (expected 192.0.2.1 or 2001:db8::1)");
        }
        String t = text.trim();
        if (t.indexOf(':') < 0) {
            return ipv4(Ipv4Address.parse(t));
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(t); // a literal only, no DNS
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "not an IPv6 address: '" + text + "' (expected a literal like 2001:db8::1)", e);
        }
        byte[] b = parsed.getAddress();
        if (parsed instanceof Inet4Address) { // ofLiteral turns ::ffff:a.b.c.d into IPv4
            return ipv4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        }
        return new IpAddress(bigEndian(b, 0), bigEndian(b, 8));
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

    /** {@code 192.0.2.1}, or {@code 2001:db8::1} (RFC 5952), as in the socket's error messages. */
    @Override
    public String toString() {
        return isIpv4() ? Ipv4Address.format((int) low) : Ipv6.format(high, low);
    }
}
