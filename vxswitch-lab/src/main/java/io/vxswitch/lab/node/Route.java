package io.vxswitch.lab.node;

import io.vxswitch.packet.Ipv4Address;

/**
 * One entry of a router's table: a destination prefix and where packets to it go.
 *
 * @param iface   the outgoing interface
 * @param via     the next hop, or {@link #CONNECTED} for the interface's own subnet
 */
public record Route(int network, int prefixLength, String iface, int via) {
    public static final int CONNECTED = 0;

    public boolean connected() {
        return via == CONNECTED;
    }

    /** As {@code show ip route} prints it: {@code C 192.0.2.0/24 is directly connected, vlan20}. */
    @Override
    public String toString() {
        return connected()
            ? "C " + Prefixes.format(network, prefixLength) + " is directly connected, " + iface
            : "S " + Prefixes.format(network, prefixLength) + " via " + Ipv4Address.format(via) + ", " + iface;
    }
}
