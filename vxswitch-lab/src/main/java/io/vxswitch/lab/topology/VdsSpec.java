package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.forwarding.policy.PortGroupPolicy;

import java.util.ArrayList;
import java.util.List;

/** An ESXi host's proxy switch: its options, port groups and ports. */
public record VdsSpec(String name, boolean reversePathCheckPromisc, List<PortGroupPolicy> portGroups,
                      List<VdsPortSpec> ports, Where where) {
    public VdsSpec {
        portGroups = List.copyOf(portGroups);
        ports = List.copyOf(ports);
    }

    /** The same switch with one port group's policy replaced (matched by name). */
    public VdsSpec withPortGroup(PortGroupPolicy policy) {
        return new VdsSpec(name, reversePathCheckPromisc, replace(name, portGroups, policy), ports, where);
    }

    /** {@code groups} with the one named like {@code policy} replaced by it. */
    static List<PortGroupPolicy> replace(String switchName, List<PortGroupPolicy> groups, PortGroupPolicy policy) {
        List<PortGroupPolicy> out = new ArrayList<>();
        boolean found = false;
        for (PortGroupPolicy g : groups) {
            if (g.name().equals(policy.name())) {
                out.add(policy);
                found = true;
            } else {
                out.add(g);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("switch '" + switchName + "' has no port group '" + policy.name() + "'");
        }
        return out;
    }

    public VdsSpec withReversePathCheckPromisc(boolean on) {
        return new VdsSpec(name, on, portGroups, ports, where);
    }

    public PortGroupPolicy portGroup(String groupName) {
        for (PortGroupPolicy g : portGroups) {
            if (g.name().equals(groupName)) {
                return g;
            }
        }
        throw new IllegalArgumentException("switch '" + name + "' has no port group '" + groupName + "'");
    }
}
