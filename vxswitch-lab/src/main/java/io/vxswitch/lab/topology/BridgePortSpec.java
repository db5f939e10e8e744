package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.forwarding.policy.VlanPolicy;

/** A port of a physical switch: access to one VLAN, or a trunk with a native VLAN. */
public record BridgePortSpec(String name, VlanPolicy vlan, Where where) {
}
