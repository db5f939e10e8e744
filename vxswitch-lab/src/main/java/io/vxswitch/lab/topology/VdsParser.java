package io.vxswitch.lab.topology;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.lab.topology.YamlValue.YamlMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code vdsHosts}:
 * <pre>
 * - name: esxi
 *   reversePathCheckPromisc: false
 *   portGroups:
 *     - {name: uplinks, vlan: {trunk: 1-4094}}
 *     - {name: vlan119, vlan: 119}
 *   ports:                               # in port id order
 *     - {name: uplink1, kind: uplink, portGroup: uplinks}
 *     - {name: vm1, portGroup: vlan119}  # kind vnic; mac from the VM it is linked to
 * </pre>
 */
final class VdsParser {
    private static final List<String> KEYS = List.of("name", "reversePathCheckPromisc", "portGroups", "ports");
    private static final List<String> GROUP_KEYS = List.of("name", "vlan", "security", "macLearning");
    private static final List<String> PORT_KEYS = List.of("name", "kind", "portGroup", "mac");

    private VdsParser() {
    }

    static VdsSpec parse(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        String name = Values.name(m.require("name", what), what + ".name");
        String self = "host switch '" + name + "'";
        m.allowOnly(self, KEYS);
        boolean rpc = m.get("reversePathCheckPromisc").map(x -> Values.bool(x, self + ": reversePathCheckPromisc"))
            .orElse(false);
        Map<String, PortGroupPolicy> groups = new LinkedHashMap<>();
        for (YamlValue g : Values.list(m.require("portGroups", self), self + ": portGroups")) {
            PortGroupPolicy pg = portGroup(g, self);
            if (groups.containsKey(pg.name())) {
                throw g.where().error(self + ": port group '" + pg.name() + "' is defined twice");
            }
            groups.put(pg.name(), pg);
        }
        List<VdsPortSpec> ports = new ArrayList<>();
        for (YamlValue p : Values.list(m.require("ports", self), self + ": ports")) {
            VdsPortSpec port = port(p, self, groups);
            for (VdsPortSpec other : ports) {
                if (other.name().equals(port.name())) {
                    throw p.where().error(self + ": port '" + port.name() + "' is defined twice (first at line "
                        + other.where().line() + ")");
                }
            }
            ports.add(port);
        }
        return new VdsSpec(name, rpc, new ArrayList<>(groups.values()), ports, m.where());
    }

    private static PortGroupPolicy portGroup(YamlValue v, String owner) {
        YamlMap m = Values.map(v, owner + ": port group");
        String name = Values.name(m.require("name", owner + ": port group"), owner + ": port group name");
        String self = "port group '" + name + "'";
        m.allowOnly(self, GROUP_KEYS);
        VlanPolicy vlan = m.get("vlan").map(x -> PolicyParser.vlan(x, self + ": vlan", 0)).orElse(VlanPolicy.none());
        SecurityPolicy security = m.get("security").map(x -> PolicyParser.security(x, self + ": security"))
            .orElse(SecurityPolicy.VDS_DEFAULT);
        MacLearningPolicy learning = m.get("macLearning").map(x -> PolicyParser.macLearning(x, self + ": macLearning"))
            .orElse(MacLearningPolicy.DISABLED);
        return new PortGroupPolicy(name, vlan, security, learning);
    }

    private static VdsPortSpec port(YamlValue v, String owner, Map<String, PortGroupPolicy> groups) {
        YamlMap m = Values.map(v, owner + ": port");
        String name = Values.name(m.require("name", owner + ": port"), owner + ": port name");
        String self = owner + ": port '" + name + "'";
        m.allowOnly(self, PORT_KEYS);
        PortKind kind = m.get("kind").map(x -> kind(x, self + ": kind")).orElse(PortKind.VNIC);
        YamlValue groupValue = m.require("portGroup", self);
        String group = Values.text(groupValue, self + ": portGroup");
        if (!groups.containsKey(group)) {
            throw groupValue.where().error(self + ": portGroup must name a port group of this switch ("
                + String.join(", ", groups.keySet()) + "), got '" + group + "'");
        }
        long mac = Port.NO_MAC;
        if (m.get("mac").isPresent()) {
            if (kind == PortKind.UPLINK) {
                throw m.keys().get("mac").error(self + ": an uplink has no MAC of its own; remove 'mac'");
            }
            mac = Values.mac(m.get("mac").get(), self + ": mac");
        }
        return new VdsPortSpec(name, kind, group, mac, m.where());
    }

    private static PortKind kind(YamlValue v, String what) {
        String t = Values.text(v, what);
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "vnic" -> PortKind.VNIC;
            case "uplink" -> PortKind.UPLINK;
            default -> throw v.where().error(what + " must be vnic or uplink, got '" + t + "'");
        };
    }
}
