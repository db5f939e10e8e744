package io.vxswitch.lab.node;

import io.vxswitch.packet.Ipv4Address;

/** IPv4 prefix arithmetic: masks, membership, and the {@code 10.0.0.0/24} notation. */
public final class Prefixes {
    private Prefixes() {
    }

    /** The netmask of a prefix length, 0-32, as an int ({@code /24} is {@code 0xFFFFFF00}). */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** True if {@code address} lies in {@code network/prefixLength}. */
    public static boolean contains(int network, int prefixLength, int address) {
        int mask = mask(prefixLength);
        return (address & mask) == (network & mask);
    }

    public static String format(int network, int prefixLength) {
        return Ipv4Address.format(network) + "/" + prefixLength;
    }
}
