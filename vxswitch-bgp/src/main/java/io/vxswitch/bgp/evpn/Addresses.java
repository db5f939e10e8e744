package io.vxswitch.bgp.evpn;

import io.vxswitch.packet.Ipv6;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Addresses as routes show them, the way FRR and GoBGP print them: dotted IPv4, and IPv6 in RFC 5952's short form
 * ({@code 2001:db8:119::2}, where {@link InetAddress#getHostAddress} writes {@code 2001:db8:119:0:0:0:0:2}).
 */
public final class Addresses {
    private Addresses() {
    }

    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        ByteBuffer b = ByteBuffer.wrap(address.getAddress());
        return Ipv6.format(b.getLong(), b.getLong());
    }
}
