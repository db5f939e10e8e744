package io.vxswitch.lab.topology;

import io.vxswitch.config.YamlValue;
import io.vxswitch.config.Values;
import io.vxswitch.config.PolicyParser;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.config.YamlValue.YamlMap;

import java.util.ArrayList;
import java.util.Collections;
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
    private static final List<String> PORT_KEYS = List.of("name", "kind", "portGroup", "mac");
    /** The port kinds of a VDS: vNICs (the default) and uplinks; only a vNIC has a MAC. */
    private static final Map<String, PortKind> VDS_KINDS = kinds("vnic", "uplink");

    private VdsParser() {
    }

    static VdsSpec parse(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        String name = Values.name(m.require("name", what), what + ".name");
        String self = "host switch '" + name + "'";
        m.allowOnly(self, KEYS);
        boolean rpc = m.get("reversePathCheckPromisc").map(x -> Values.bool(x, self + ": reversePathCheckPromisc"))
            .orElse(false);
        Map<String, PortGroupPolicy> groups = portGroups(m, self);
        List<VdsPortSpec> ports = ports(m, self, groups, VDS_KINDS, List.of(PortKind.VNIC));
        return new VdsSpec(name, rpc, new ArrayList<>(groups.values()), ports, m.where());
    }

    /**
     * One port of a host switch. {@code kinds} maps the spellings this switch accepts to port kinds (the first
     * is the default); a MAC may be given for vNICs and, where {@code macAllowed} says so, other kinds.
     */
    static VdsPortSpec port(YamlValue v, String owner, Map<String, PortGroupPolicy> groups, Map<String, PortKind> kinds,
                            List<PortKind> macAllowed) {
        YamlMap m = Values.map(v, owner + ": port");
        String name = Values.name(m.require("name", owner + ": port"), owner + ": port name");
        String self = owner + ": port '" + name + "'";
        m.allowOnly(self, PORT_KEYS);
        PortKind kind = m.get("kind").map(x -> kind(x, self + ": kind", kinds)).orElse(kinds.values().iterator().next());
        YamlValue groupValue = m.require("portGroup", self);
        String group = Values.text(groupValue, self + ": portGroup");
        if (!groups.containsKey(group)) {
            throw groupValue.where().error(self + ": portGroup must name a port group of this switch ("
                + String.join(", ", groups.keySet()) + "), got '" + group + "'");
        }
        long mac = Port.NO_MAC;
        if (m.get("mac").isPresent()) {
            if (!macAllowed.contains(kind)) {
                throw m.keys().get("mac").error(self + ": " + (kind == PortKind.UPLINK ? "an uplink" : "a " + kind.label()
                    + " port") + " has no MAC of its own; remove 'mac'");
            }
            mac = Values.mac(m.get("mac").get(), self + ": mac");
        }
        return new VdsPortSpec(name, kind, group, mac, m.where());
    }

    /** The port groups of a host switch, by name, in file order. */
    static Map<String, PortGroupPolicy> portGroups(YamlMap m, String self) {
        Map<String, PortGroupPolicy> groups = new LinkedHashMap<>();
        for (YamlValue g : Values.list(m.require("portGroups", self), self + ": portGroups")) {
            PortGroupPolicy pg = PolicyParser.portGroup(g, self);
            if (groups.containsKey(pg.name())) {
                throw g.where().error(self + ": port group '" + pg.name() + "' is defined twice");
            }
            groups.put(pg.name(), pg);
        }
        return groups;
    }

    /** The ports of a host switch, in file order (which is port id order), names unique. */
    static List<VdsPortSpec> ports(YamlMap m, String self, Map<String, PortGroupPolicy> groups,
                                   Map<String, PortKind> kinds, List<PortKind> macAllowed) {
        List<VdsPortSpec> ports = new ArrayList<>();
        for (YamlValue p : Values.list(m.require("ports", self), self + ": ports")) {
            VdsPortSpec port = port(p, self, groups, kinds, macAllowed);
            for (VdsPortSpec other : ports) {
                if (other.name().equals(port.name())) {
                    throw p.where().error(self + ": port '" + port.name() + "' is defined twice (first at line "
                        + other.where().line() + ")");
                }
            }
            ports.add(port);
        }
        return ports;
    }

    /**
     * Port kinds by their spelling in a file, in the order given (the first is the default): {@code vnic},
     * {@code uplink}, {@code interface} (an uplink that bridges a host's NIC) and {@code tunnel}.
     */
    static Map<String, PortKind> kinds(String... spellings) {
        Map<String, PortKind> kinds = new LinkedHashMap<>();
        for (String spelling : spellings) {
            kinds.put(spelling, switch (spelling) {
                case "vnic" -> PortKind.VNIC;
                case "uplink", "interface" -> PortKind.UPLINK;
                case "tunnel" -> PortKind.TUNNEL;
                default -> throw new IllegalArgumentException("no port kind is spelt '" + spelling + "'");
            });
        }
        return Collections.unmodifiableMap(kinds);
    }

    private static PortKind kind(YamlValue v, String what, Map<String, PortKind> kinds) {
        String t = Values.text(v, what);
        PortKind k = kinds.get(t.toLowerCase(Locale.ROOT));
        if (k == null) {
            List<String> names = new ArrayList<>(kinds.keySet());
            String expected = names.size() == 2 ? names.get(0) + " or " + names.get(1)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
            throw v.where().error(what + " must be " + expected + ", got '" + t + "'");
        }
        return k;
    }
}
