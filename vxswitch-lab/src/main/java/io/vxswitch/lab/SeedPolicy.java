package io.vxswitch.lab;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;

import java.util.Locale;

/**
 * The three settings of the story's port group that the seed compares: in the seed, port group vlan119-vtep of
 * the CentOS VM's eth0, which carries the MACs of every VM behind the VXLAN tunnel; in the nested example, the
 * nested hypervisor's port group. Only that port group changes; VM1, VM2 and the uplinks keep VDS defaults.
 */
public enum SeedPolicy {
    /** VDS defaults: frames from VMs behind the port are forged transmits and dropped, so pings to them fail. */
    DEFAULT("VDS defaults (promiscuous, MAC changes, forged transmits: reject; MAC learning off)",
        SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.DISABLED),
    /**
     * The classic workaround: promiscuous and forged transmits accept. Pings work, but the unknown-unicast
     * copy sent out one uplink comes back in on the other and reaches the promiscuous port again: (DUP!).
     */
    PROMISCUOUS("promiscuous accept, forged transmits accept, MAC learning off",
        SecurityPolicy.VDS_DEFAULT.withPromiscuous(true).withForgedTransmits(true), MacLearningPolicy.DISABLED),
    /** The Learnswitch answer: MAC learning on, promiscuous off, forged transmits accept. */
    LEARNING("MAC learning on, promiscuous reject, forged transmits accept",
        SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED);

    private final String description;
    private final SecurityPolicy security;
    private final MacLearningPolicy macLearning;

    SeedPolicy(String description, SecurityPolicy security, MacLearningPolicy macLearning) {
        this.description = description;
        this.security = security;
        this.macLearning = macLearning;
    }

    public String description() {
        return description;
    }

    /** The story's port group as this policy sets it, keeping its name and VLAN. */
    public PortGroupPolicy apply(PortGroupPolicy portGroup) {
        return portGroup.withSecurity(security).withMacLearning(macLearning);
    }

    /** The CLI spelling: {@code default}, {@code promiscuous}, {@code learning}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SeedPolicy parse(String text) {
        for (SeedPolicy p : values()) {
            if (p.label().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown seed policy '" + text + "' (expected default, promiscuous or learning)");
    }
}
