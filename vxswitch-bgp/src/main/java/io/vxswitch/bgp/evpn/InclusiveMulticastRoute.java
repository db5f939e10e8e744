package io.vxswitch.bgp.evpn;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3): "send me this VNI's BUM traffic". With the PMSI tunnel
 * attribute's ingress replication (RFC 8365 §5.1.3) it puts {@code originator} in the VNI's flood list.
 */
public record InclusiveMulticastRoute(RouteDistinguisher rd, long ethernetTag, InetAddress originator)
        implements EvpnRoute {
    public InclusiveMulticastRoute {
        if ((ethernetTag & ~0xFFFF_FFFFL) != 0 || originator == null) {
            throw new IllegalArgumentException("inclusive multicast route tag " + ethernetTag + " originator " + originator);
        }
    }

    @Override
    public int routeType() {
        return INCLUSIVE_MULTICAST;
    }

    @Override
    public Object key() {
        return this;
    }

    /** FRR's notation: {@code [3]:[0]:[32]:[192.0.2.1]}. */
    @Override
    public String toString() {
        return "[3]:[" + ethernetTag + "]:[" + (originator instanceof Inet4Address ? 32 : 128) + "]:["
                + Addresses.format(originator) + "] rd " + rd;
    }
}
