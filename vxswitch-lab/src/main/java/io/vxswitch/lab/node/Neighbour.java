package io.vxswitch.lab.node;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

/** One row of a host's neighbour table, as {@code ip neigh show} prints it. */
public record Neighbour(int ip, long mac, NeighbourState state) {
    public static final long NO_MAC = -1;

    @Override
    public String toString() {
        return Ipv4Address.format(ip) + " dev eth0" + (mac == NO_MAC ? "" : " lladdr " + MacAddress.format(mac)) + " "
            + state;
    }
}
