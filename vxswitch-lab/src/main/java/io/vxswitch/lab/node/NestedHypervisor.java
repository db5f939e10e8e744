package io.vxswitch.lab.node;

import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.MacAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * A VM that is itself a hypervisor (nested ESXi, or a Linux host running KVM): one vNIC towards the outer
 * switch, and inside, a learning bridge that connects that vNIC to its own VMs. Seen from the outer
 * switch, every inner VM's MAC sits behind the one vNIC port, which is the whole problem of the seed story.
 */
public final class NestedHypervisor {
    /** The bridge port facing the outer switch, named like the guest's NIC. */
    public static final String UPLINK_PORT = "eth0";

    private final Simulator simulator;
    private final String name;
    private final long vnicMac;
    private final long innerLatencyNanos;
    private final PhysicalSwitch bridge;
    private final List<Host> vms = new ArrayList<>();
    private final List<Link> innerLinks = new ArrayList<>();

    public NestedHypervisor(Simulator simulator, String name, long vnicMac, long innerLatencyNanos) {
        if (!MacAddress.isUnicast(vnicMac)) {
            throw new IllegalArgumentException("nested hypervisor '" + name + "': vNIC MAC "
                + MacAddress.format(vnicMac) + " is a group address");
        }
        this.simulator = simulator;
        this.name = name;
        this.vnicMac = vnicMac;
        this.innerLatencyNanos = innerLatencyNanos;
        this.bridge = new PhysicalSwitch(simulator, name + "-br0", false, PhysicalSwitch.DEFAULT_AGING_NANOS);
        bridge.addPort(UPLINK_PORT, VlanPolicy.none());
    }

    public String name() {
        return name;
    }

    /** The MAC of the hypervisor VM's vNIC: the only MAC the outer switch knows on its port. */
    public long vnicMac() {
        return vnicMac;
    }

    public PhysicalSwitch bridge() {
        return bridge;
    }

    public List<Host> vms() {
        return List.copyOf(vms);
    }

    /** The virtual cables between the inner bridge and the inner VMs. */
    public List<Link> innerLinks() {
        return List.copyOf(innerLinks);
    }

    /** Creates an inner VM on the hypervisor's bridge. */
    public Host addVm(String vmName, long mac, int ip, int prefixLength) {
        Host vm = new Host(simulator, vmName, mac, ip, prefixLength);
        bridge.addPort(vmName, VlanPolicy.none());
        Link link = new Link(simulator, bridge.name() + ":" + vmName, vmName, innerLatencyNanos);
        bridge.plugInto(vmName, link.a());
        vm.plugInto(link.b());
        vms.add(vm);
        innerLinks.add(link);
        return vm;
    }

    /** Plugs the hypervisor's vNIC into one end of a link. */
    public void plugInto(Endpoint endpoint) {
        bridge.plugInto(UPLINK_PORT, endpoint);
    }
}
