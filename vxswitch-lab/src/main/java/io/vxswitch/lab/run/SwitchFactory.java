package io.vxswitch.lab.run;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.lab.topology.VdsPortSpec;

import java.util.List;

/**
 * Builds a forwarding-plane {@link Switch} from a host's port groups and ports: the same code for an ESXi host's
 * VDS and a VTEP host's vxswitch. Errors the forwarding plane reports (a MAC used twice, say) come back with the
 * position of the offending port.
 */
final class SwitchFactory {
    private SwitchFactory() {
    }

    static Switch build(String name, String label, boolean reversePathCheckPromisc, List<PortGroupPolicy> portGroups,
                        List<VdsPortSpec> ports) {
        Switch sw = new Switch(SwitchOptions.defaults(name).withReversePathCheckPromisc(reversePathCheckPromisc));
        for (PortGroupPolicy pg : portGroups) {
            sw.addPortGroup(pg);
        }
        for (VdsPortSpec p : ports) {
            try {
                switch (p.kind()) {
                    case UPLINK -> sw.addUplink(p.name(), p.portGroup());
                    case TUNNEL -> sw.addTunnelPort(p.name(), p.portGroup());
                    case VNIC -> sw.addVnicPort(p.name(), p.portGroup(), p.mac());
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw p.where().error(label + " '" + name + "': " + e.getMessage());
            }
        }
        return sw;
    }
}
