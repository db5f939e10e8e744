package io.vxswitch.forwarding.policy;

import java.util.Objects;

/** Everything a port group decides for its ports: VLAN, security, MAC learning, traffic shaping. Immutable. */
public record PortGroupPolicy(String name, VlanPolicy vlan, SecurityPolicy security, MacLearningPolicy macLearning,
                              PortShaping shaping) {
    public PortGroupPolicy {
        Objects.requireNonNull(name, "port group name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("port group name is empty");
        }
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(macLearning, "macLearning");
        Objects.requireNonNull(shaping, "shaping");
    }

    /** Without traffic shaping. */
    public PortGroupPolicy(String name, VlanPolicy vlan, SecurityPolicy security, MacLearningPolicy macLearning) {
        this(name, vlan, security, macLearning, PortShaping.NONE);
    }

    /** A port group with VDS defaults: the given VLAN, security all reject, learning off. */
    public static PortGroupPolicy vdsDefault(String name, VlanPolicy vlan) {
        return new PortGroupPolicy(name, vlan, SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.DISABLED);
    }

    public PortGroupPolicy withSecurity(SecurityPolicy s) {
        return new PortGroupPolicy(name, vlan, s, macLearning, shaping);
    }

    public PortGroupPolicy withMacLearning(MacLearningPolicy m) {
        return new PortGroupPolicy(name, vlan, security, m, shaping);
    }

    public PortGroupPolicy withVlan(VlanPolicy v) {
        return new PortGroupPolicy(name, v, security, macLearning, shaping);
    }

    public PortGroupPolicy withShaping(PortShaping s) {
        return new PortGroupPolicy(name, vlan, security, macLearning, s);
    }
}
