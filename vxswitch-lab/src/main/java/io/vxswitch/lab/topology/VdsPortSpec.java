package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.forwarding.PortKind;

/**
 * A port of a host switch. Port ids follow the order of the file, and the team pins a vNIC to an uplink by
 * its port id, so the order decides which uplink each vNIC uses.
 *
 * @param mac the vNIC's configured MAC (taken from the VM at the other end of its link unless given);
 *            {@link io.vxswitch.forwarding.Port#NO_MAC} for uplinks
 */
public record VdsPortSpec(String name, PortKind kind, String portGroup, long mac, Where where) {
}
