package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks that need the whole file: names unique across all nodes, link ends that exist and are used
 * once, pings from a host that exists, and each vNIC's MAC (taken from the VM at the other end of its
 * link when the port does not name one).
 */
final class TopologyChecker {
    private enum Kind {
        HOST("host"), VDS("host switch"), SWITCH("physical switch"), NESTED("nested hypervisor"),
        NESTED_VM("VM inside a nested hypervisor"), ROUTER("router"), VTEP("VTEP host");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * @param mac      the NIC's MAC of a single-NIC node
     * @param ports    the link ends {@code name:port} the node offers
     * @param portMacs MACs of ports that have one (router interfaces, a VTEP host's NICs)
     */
    private record Named(Kind kind, Where where, long mac, List<String> ports, Map<String, Long> portMacs) {
        Named(Kind kind, Where where, long mac, List<String> ports) {
            this(kind, where, mac, ports, Map.of());
        }

        /** The MAC a vNIC linked to {@code port} (null for the node's single NIC) takes, or NO_MAC. */
        long macOf(String port) {
            return port == null ? mac : portMacs.getOrDefault(port, Port.NO_MAC);
        }
    }

    private final Topology topology;
    private final Map<String, Named> nodes = new LinkedHashMap<>();
    private final Map<String, Where> usedEnds = new HashMap<>();
    /** For each linked end, the end at the other side. */
    private final Map<String, LinkEnd> peers = new HashMap<>();

    private TopologyChecker(Topology topology) {
        this.topology = topology;
    }

    static Topology check(Topology t) {
        return new TopologyChecker(t).run();
    }

    private Topology run() {
        for (HostSpec h : topology.hosts()) {
            declare(h.name(), new Named(Kind.HOST, h.where(), h.mac(), List.of()));
        }
        for (VdsSpec v : topology.vdsHosts()) {
            declare(v.name(), new Named(Kind.VDS, v.where(), Port.NO_MAC, v.ports().stream().map(VdsPortSpec::name)
                .toList()));
        }
        for (PhysicalSwitchSpec s : topology.physicalSwitches()) {
            declare(s.name(), new Named(Kind.SWITCH, s.where(), Port.NO_MAC, s.ports().stream()
                .map(BridgePortSpec::name).toList()));
        }
        for (NestedHypervisorSpec n : topology.nestedHypervisors()) {
            declare(n.name(), new Named(Kind.NESTED, n.where(), n.mac(), List.of()));
            for (HostSpec vm : n.vms()) {
                declare(vm.name(), new Named(Kind.NESTED_VM, vm.where(), vm.mac(), List.of()));
            }
        }
        for (RouterSpec r : topology.routers()) {
            Map<String, Long> macs = new LinkedHashMap<>();
            r.interfaces().forEach(i -> macs.put(i.name(), i.mac()));
            declare(r.name(), new Named(Kind.ROUTER, r.where(), Port.NO_MAC, List.copyOf(macs.keySet()), macs));
        }
        for (VtepHostSpec v : topology.vtepHosts()) {
            Map<String, Long> macs = new LinkedHashMap<>();
            for (VdsPortSpec p : v.ports()) {
                if (p.kind() != PortKind.TUNNEL) {
                    macs.put(p.name(), p.mac());
                }
            }
            macs.put(v.underlay().nic(), v.underlay().mac());
            declare(v.name(), new Named(Kind.VTEP, v.where(), Port.NO_MAC, List.copyOf(macs.keySet()), macs));
        }
        for (LinkSpec l : topology.links()) {
            checkEnd(l.a());
            checkEnd(l.b());
            if (l.a().toString().equals(l.b().toString())) {
                throw l.b().where().error("a link needs two different ends, got '" + l.a() + "' twice");
            }
            use(l.a());
            use(l.b());
            peers.put(l.a().toString(), l.b());
            peers.put(l.b().toString(), l.a());
        }
        for (PingSpec p : topology.pings()) {
            Named from = nodes.get(p.from());
            if (from == null || (from.kind != Kind.HOST && from.kind != Kind.NESTED_VM)) {
                throw p.where().error("ping: from must name a host or a VM of a nested hypervisor, got '" + p.from()
                    + "'" + (from == null ? "" : " (a " + from.kind.label + ")"));
            }
        }
        List<VdsSpec> vds = new ArrayList<>();
        for (VdsSpec v : topology.vdsHosts()) {
            vds.add(new VdsSpec(v.name(), v.reversePathCheckPromisc(), v.portGroups(),
                resolveMacs("host switch", v.name(), v.ports()), v.where()));
        }
        List<VtepHostSpec> vteps = new ArrayList<>();
        for (VtepHostSpec v : topology.vtepHosts()) {
            vteps.add(new VtepHostSpec(v.name(), v.underlay(), v.udpPort(), v.vnis(), v.portGroups(),
                resolveMacs("VTEP host", v.name(), v.ports()), v.where()));
        }
        return new Topology(topology.source(), topology.linkLatencyNanos(), topology.hosts(), vds,
            topology.physicalSwitches(), topology.nestedHypervisors(), topology.routers(), vteps, topology.links(),
            topology.pings());
    }

    private void declare(String name, Named named) {
        Named old = nodes.putIfAbsent(name, named);
        if (old != null) {
            throw named.where.error("name '" + name + "' is already used by the " + old.kind.label + " at line "
                + old.where.line() + "; every host, switch and VM needs its own name");
        }
    }

    private void checkEnd(LinkEnd end) {
        Named n = nodes.get(end.node());
        if (n == null) {
            throw end.where().error("link end '" + end + "': no host, switch, router or nested hypervisor is named '"
                + end.node() + "'");
        }
        switch (n.kind) {
            case HOST, NESTED -> {
                if (end.port() != null) {
                    throw end.where().error("link end '" + end + "': " + n.kind.label + " '" + end.node()
                        + "' has one NIC; write just '" + end.node() + "'");
                }
            }
            case NESTED_VM -> throw end.where().error("link end '" + end + "': '" + end.node() + "' is a "
                + n.kind.label + ", already on that hypervisor's bridge; link the hypervisor instead");
            case VDS, SWITCH, ROUTER, VTEP -> {
                String port = n.kind == Kind.ROUTER ? "interface" : "port";
                String list = " (" + port + "s: " + String.join(", ", n.ports) + ")";
                if (end.port() == null) {
                    throw end.where().error("link end '" + end + "': a " + (n.kind == Kind.ROUTER ? "router" : "switch")
                        + " end needs " + (n.kind == Kind.ROUTER ? "an " : "a ") + port + ", like '" + end.node() + ":"
                        + n.ports.getFirst() + "'" + list);
                }
                if (!n.ports.contains(end.port())) {
                    throw end.where().error("link end '" + end + "': " + n.kind.label + " '" + end.node()
                        + "' has no " + port + " '" + end.port() + "'" + list);
                }
            }
        }
    }

    private void use(LinkEnd end) {
        Where first = usedEnds.putIfAbsent(end.toString(), end.where());
        if (first != null) {
            throw end.where().error("link end '" + end + "' is already linked at line " + first.line()
                + "; a NIC or port takes one cable");
        }
    }

    /** The ports with each vNIC's MAC filled in from the NIC at the other end of its link, where not given. */
    private List<VdsPortSpec> resolveMacs(String kind, String owner, List<VdsPortSpec> in) {
        List<VdsPortSpec> ports = new ArrayList<>();
        for (VdsPortSpec p : in) {
            if (p.kind() == PortKind.VNIC && p.mac() == Port.NO_MAC) {
                LinkEnd peer = peers.get(owner + ":" + p.name());
                Named vm = peer == null ? null : nodes.get(peer.node());
                long mac = vm == null ? Port.NO_MAC : vm.macOf(peer.port());
                if (mac == Port.NO_MAC) {
                    throw p.where().error(kind + " '" + owner + "': vNIC port '" + p.name()
                        + "' needs a mac, or a link to the host or nested hypervisor whose vNIC it is");
                }
                ports.add(new VdsPortSpec(p.name(), p.kind(), p.portGroup(), mac, p.where()));
            } else {
                ports.add(p);
            }
        }
        return ports;
    }
}
