package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import java.util.List;

/** A hypervisor running as a VM: its vNIC's MAC and the VMs on its internal bridge. */
public record NestedHypervisorSpec(String name, long mac, List<HostSpec> vms, Where where) {
    public NestedHypervisorSpec {
        vms = List.copyOf(vms);
    }
}
