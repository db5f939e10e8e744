package io.vxswitch.lab.topology;

import io.vxswitch.config.YamlValue;
import io.vxswitch.config.Values;

import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Vxlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code vtepHosts}:
 * <pre>
 * - name: centos7-vm
 *   underlay: {nic: eth1, mac: "00:50:56:00:01:08", ip: 192.0.2.10/24, gateway: 192.0.2.1, mtu: 1500}
 *   vxlan:
 *     udpPort: 4789                      # the default; Linux's vxlan device defaults to 8472
 *     vnis: [{vni: 119, vlan: 119, floodList: [198.51.100.10]}]   # or controlPlane: evpn instead of floodList
 *   portGroups:                          # as on a vdsHost
 *     - {name: bridged, vlan: 119, macLearning: {enabled: true}}
 *     - {name: vxlan, vlan: {trunk: "119"}, macLearning: {enabled: true}}
 *   ports:
 *     - {name: eth0, kind: interface, portGroup: bridged, mac: "00:50:56:00:01:07"}
 *     - {name: vxlan0, kind: tunnel, portGroup: vxlan}
 * </pre>
 * Port kinds: {@code vnic} (a VM on this host, the default), {@code interface} (a NIC the switch bridges, with
 * every MAC behind it: an uplink of the switch) and exactly one {@code tunnel}.
 */
final class VtepHostParser {
    private static final List<String> KEYS = List.of("name", "underlay", "vxlan", "portGroups", "ports");
    private static final List<String> UNDERLAY_KEYS = List.of("nic", "mac", "ip", "gateway", "mtu");
    private static final List<String> VXLAN_KEYS = List.of("udpPort", "vnis");
    private static final List<String> VNI_KEYS = List.of("vni", "vlan", "floodList", "controlPlane");
    private static final Map<String, PortKind> KINDS = VdsParser.kinds("vnic", "interface", "tunnel");
    /** RFC 791: every IPv4 link carries 68 bytes. */
    private static final int MIN_MTU = 68;

    private VtepHostParser() {
    }

    static VtepHostSpec parse(YamlValue v) {
        YamlMap m = Values.map(v, "VTEP host");
        String name = Values.name(m.require("name", "VTEP host"), "VTEP host name");
        String self = "VTEP host '" + name + "'";
        m.allowOnly(self, KEYS);
        VtepHostSpec.Underlay underlay = underlay(m.require("underlay", self), self);
        YamlMap vxlan = Values.map(m.require("vxlan", self), self + ": vxlan");
        vxlan.allowOnly(self + ": vxlan", VXLAN_KEYS);
        int udpPort = vxlan.get("udpPort").map(x -> Values.integer(x, self + ": vxlan.udpPort", 1, 65_535))
            .orElse(Vxlan.IANA_PORT);
        List<VtepHostSpec.Vni> vnis = vnis(vxlan.require("vnis", self + ": vxlan"), self, underlay.ip());
        Map<String, PortGroupPolicy> groups = VdsParser.portGroups(m, self);
        List<VdsPortSpec> ports = VdsParser.ports(m, self, groups, KINDS, List.of(PortKind.VNIC, PortKind.UPLINK));
        long tunnels = ports.stream().filter(p -> p.kind() == PortKind.TUNNEL).count();
        if (tunnels != 1) {
            throw m.keys().get("ports").error(self + ": needs exactly one port of kind tunnel (the switch side of its "
                + "VTEP), has " + tunnels);
        }
        for (VdsPortSpec p : ports) {
            if (p.name().equals(underlay.nic())) {
                throw p.where().error(self + ": port '" + p.name() + "' has the name of the underlay NIC; a link end "
                    + name + ":" + p.name() + " must name one thing");
            }
        }
        return new VtepHostSpec(name, underlay, udpPort, vnis, new ArrayList<>(groups.values()), ports, m.where());
    }

    private static VtepHostSpec.Underlay underlay(YamlValue v, String owner) {
        String self = owner + ": underlay";
        YamlMap m = Values.map(v, self);
        m.allowOnly(self, UNDERLAY_KEYS);
        String nic = Values.name(m.require("nic", self), self + ".nic");
        long mac = Values.mac(m.require("mac", self), self + ".mac");
        int[] ip = Values.ipv4Prefix(m.require("ip", self), self + ".ip");
        int gateway = 0;
        if (m.get("gateway").isPresent()) {
            YamlValue g = m.get("gateway").get();
            gateway = Values.ipv4(g, self + ".gateway");
            int mask = ip[1] == 0 ? 0 : -1 << (32 - ip[1]);
            if ((gateway & mask) != (ip[0] & mask) || gateway == ip[0]) {
                throw g.where().error(self + ".gateway " + Ipv4Address.format(gateway) + " must be another address in "
                    + "the NIC's subnet " + Ipv4Address.format(ip[0] & mask) + "/" + ip[1]);
            }
        }
        int mtu = m.get("mtu").map(x -> Values.integer(x, self + ".mtu", MIN_MTU, 65_535)).orElse(1500);
        return new VtepHostSpec.Underlay(nic, mac, ip[0], ip[1], gateway, mtu, m.where());
    }

    private static List<VtepHostSpec.Vni> vnis(YamlValue v, String owner, int localIp) {
        List<VtepHostSpec.Vni> vnis = new ArrayList<>();
        for (YamlValue item : Values.list(v, owner + ": vxlan.vnis")) {
            YamlMap m = Values.map(item, owner + ": vxlan.vnis entry");
            m.allowOnly(owner + ": vxlan.vnis entry", VNI_KEYS);
            int vni = Values.integer(m.require("vni", owner + ": vxlan.vnis entry"), owner + ": vni", Vxlan.MIN_VNI,
                Vxlan.MAX_VNI);
            String self = owner + ": VNI " + vni;
            int vlan = Values.integer(m.require("vlan", self), self + ": vlan", 1, 4094);
            List<Integer> flood = new ArrayList<>();
            for (YamlValue peer : m.get("floodList").map(x -> Values.list(x, self + ": floodList")).orElse(List.of())) {
                int address = Values.ipv4(peer, self + ": floodList entry");
                if (address == localIp || address == 0 || (address >>> 28) >= 0xE) {
                    throw peer.where().error(self + ": floodList entry " + Ipv4Address.format(address)
                        + " must be a remote VTEP's unicast address, not this host's own or a group address");
                }
                flood.add(address);
            }
            for (VtepHostSpec.Vni other : vnis) {
                if (other.vni() == vni || other.vlan() == vlan) {
                    throw item.where().error(self + ": " + (other.vni() == vni ? "VNI " + vni + " is listed twice"
                        : "VLAN " + vlan + " is already carried by VNI " + other.vni())
                        + " (a VNI carries exactly one VLAN)");
                }
            }
            boolean evpn = false;
            if (m.get("controlPlane").isPresent()) {
                YamlValue plane = m.get("controlPlane").get();
                evpn = switch (Values.text(plane, self + ": controlPlane")) {
                    case "static" -> false;
                    case "evpn" -> true;
                    default -> throw plane.where().error(self + ": controlPlane must be static (the floodList) or"
                        + " evpn (the lab's route reflector fills it), got " + plane.describe());
                };
                if (evpn && !flood.isEmpty()) {
                    throw plane.where().error(self + ": with controlPlane: evpn the flood list comes from type-3"
                        + " routes; remove floodList");
                }
            }
            vnis.add(new VtepHostSpec.Vni(vni, vlan, flood, evpn, m.where()));
        }
        if (vnis.isEmpty()) {
            throw v.where().error(owner + ": vxlan.vnis needs at least one VNI");
        }
        return vnis;
    }
}
