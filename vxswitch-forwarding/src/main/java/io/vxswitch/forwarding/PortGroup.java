package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.PortGroupPolicy;

/** A port group of the switch: a name, an index, and the policy its ports follow. */
public final class PortGroup {
    private final int id;
    PortGroupPolicy policy;

    PortGroup(int id, PortGroupPolicy policy) {
        this.id = id;
        this.policy = policy;
    }

    public int id() {
        return id;
    }

    public String name() {
        return policy.name();
    }

    public PortGroupPolicy policy() {
        return policy;
    }

    @Override
    public String toString() {
        return policy.name() + ": " + policy.vlan() + "; " + policy.security() + "; " + policy.macLearning();
    }
}
