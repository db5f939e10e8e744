package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import java.util.List;

/** A plain learning switch (the Nexus of the story); VLAN-aware unless it is a transparent bridge. */
public record PhysicalSwitchSpec(String name, boolean vlanAware, int agingSeconds, List<BridgePortSpec> ports,
                                 Where where) {
    public PhysicalSwitchSpec {
        ports = List.copyOf(ports);
    }
}
