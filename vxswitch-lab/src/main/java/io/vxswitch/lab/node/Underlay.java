package io.vxswitch.lab.node;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

/**
 * The underlay NIC of a VTEP host: the interface its VXLAN packets leave and arrive by.
 *
 * @param nic     the interface name, e.g. {@code eth1}; also the link end {@code host:eth1}
 * @param gateway the next hop for VTEPs outside the NIC's subnet, or {@link #NO_GATEWAY}
 * @param mtu     the largest outer IP packet the underlay carries (1500 on most networks)
 */
public record Underlay(String nic, long mac, int ip, int prefixLength, int gateway, int mtu) {
    public static final int NO_GATEWAY = 0;
    public static final int DEFAULT_MTU = 1500;

    @Override
    public String toString() {
        return nic + " " + MacAddress.format(mac) + " " + Prefixes.format(ip, prefixLength)
            + (gateway == NO_GATEWAY ? "" : " via " + Ipv4Address.format(gateway)) + " mtu " + mtu;
    }
}
