package io.vxswitch.lab.explain;

import io.vxswitch.packet.Ipv4Address;

/**
 * Who the ARP story is about: the host that asks (the first ping's host) and the address it asks for.
 *
 * @param target the name of the host that owns {@code targetIp}, or its address if no host in the topology has it
 */
record Cast(String asker, int askerIp, String target, int targetIp) {
    String targetAddress() {
        return Ipv4Address.format(targetIp);
    }
}
