package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

/** A VM or workstation: one NIC with a MAC and an address in a directly connected subnet. */
public record HostSpec(String name, long mac, int ip, int prefixLength, Where where) {
    @Override
    public String toString() {
        return name + " " + MacAddress.format(mac) + " " + Ipv4Address.format(ip) + "/" + prefixLength;
    }
}
