package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.PortGroupPolicy;

import java.util.List;

/**
 * A host running vxswitch as a VXLAN tunnel endpoint: a switch (port groups and ports, exactly one of them a
 * tunnel port), the underlay NIC its VXLAN packets use, and the VNIs it carries.
 *
 * @param udpPort the VXLAN UDP port (4789, IANA; the Linux kernel's vxlan default is 8472)
 */
public record VtepHostSpec(String name, Underlay underlay, int udpPort, List<Vni> vnis, List<PortGroupPolicy> portGroups,
                           List<VdsPortSpec> ports, Where where) {
    public VtepHostSpec {
        vnis = List.copyOf(vnis);
        portGroups = List.copyOf(portGroups);
        ports = List.copyOf(ports);
    }

    /** The tunnel port (there is exactly one). */
    public VdsPortSpec tunnelPort() {
        return ports.stream().filter(p -> p.kind() == PortKind.TUNNEL).findFirst().orElseThrow();
    }

    /** The same host with one port group's policy replaced (matched by name). */
    public VtepHostSpec withPortGroup(PortGroupPolicy policy) {
        return new VtepHostSpec(name, underlay, udpPort, vnis, VdsSpec.replace(name, portGroups, policy), ports, where);
    }

    /** The same host with every VNI under BGP EVPN ({@code controlPlane: evpn}) instead of its static flood list. */
    public VtepHostSpec withEvpn() {
        List<Vni> evpn = vnis.stream().map(v -> new Vni(v.vni(), v.vlan(), List.of(), true, v.where())).toList();
        return new VtepHostSpec(name, underlay, udpPort, evpn, portGroups, ports, where);
    }

    /**
     * The underlay NIC: its name is the link end {@code host:NIC}.
     *
     * @param gateway next hop for VTEPs off the NIC's subnet, or 0 for none
     * @param mtu     the underlay MTU: inner frames longer than {@code mtu - 36} are dropped, never fragmented
     */
    public record Underlay(String nic, long mac, int ip, int prefixLength, int gateway, int mtu, Where where) {
    }

    /**
     * VNI {@code vni} carries VLAN {@code vlan}; BUM traffic goes to each VTEP in {@code floodList}, or, with {@code
     * evpn}, to the VTEPs the lab's EVPN fabric reports (type-3 routes through its route reflector).
     */
    public record Vni(int vni, int vlan, List<Integer> floodList, boolean evpn, Where where) {
        public Vni {
            floodList = List.copyOf(floodList);
        }
    }
}
