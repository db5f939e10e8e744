package io.vxswitch.vxlan;

import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;

/**
 * What VXLAN adds to a frame. The outer headers written in front of the inner frame are outer Ethernet
 * 14 + IP (20 or 40) + UDP 8 + VXLAN 8 = 50 bytes over IPv4, 70 over IPv6. The same numbers are the gap
 * between the underlay MTU and the largest VM MTU: a VM's IP packet of MTU bytes becomes an inner frame of
 * MTU + 14 (its own Ethernet header), inside an outer IP packet of MTU + 14 + 8 + 8 + 20 = MTU + 50.
 * An 802.1Q tag on the inner frame costs 4 more.
 */
public final class VxlanOverhead {
    /** 14 + 20 + 8 + 8: outer Ethernet, IPv4, UDP and VXLAN headers. */
    public static final int IPV4 = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + Udp.LENGTH + Vxlan.LENGTH;
    /** 14 + 40 + 8 + 8: outer Ethernet, IPv6, UDP and VXLAN headers. */
    public static final int IPV6 = Ethernet.HEADER_LENGTH + Ipv6.LENGTH + Udp.LENGTH + Vxlan.LENGTH;
    /** An 802.1Q tag kept on the inner frame. */
    public static final int INNER_TAG = 4;
    /** Headroom that suits either underlay family: leave this many bytes free before the inner frame. */
    public static final int MAX_HEADROOM = IPV6;

    private VxlanOverhead() {
    }

    /** Bytes in front of the inner frame once encapsulated: the VXLAN header and the outer headers. */
    public static int headroom(boolean ipv6) {
        return ipv6 ? IPV6 : IPV4;
    }

    /** Underlay MTU minus the largest VM MTU: 50 or 70, plus 4 when the VM's frames carry a VLAN tag. */
    public static int of(boolean ipv6, boolean innerTagged) {
        return headroom(ipv6) + (innerTagged ? INNER_TAG : 0);
    }

    /** Bytes the outer IP packet has beyond the inner frame: IP + UDP + VXLAN (36 or 56). */
    public static int outerIpOverInner(boolean ipv6) {
        return headroom(ipv6) - Ethernet.HEADER_LENGTH;
    }
}
