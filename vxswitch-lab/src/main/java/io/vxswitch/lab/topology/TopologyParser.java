package io.vxswitch.lab.topology;

import io.vxswitch.config.YamlDocument;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.Values;
import io.vxswitch.config.PolicyParser;

import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.config.YamlValue.YamlList;
import io.vxswitch.config.YamlValue.YamlMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a lab topology from YAML. The shape (see {@code io/vxswitch/lab/seed.yaml} for a full example):
 * <pre>
 * linkLatency: 50us
 * hosts:             [{name, mac, ip: 10.0.0.10/24}]
 * vdsHosts:          [{name, reversePathCheckPromisc, portGroups, ports}]      # see VdsParser
 * physicalSwitches:  [{name, vlanAware: true, agingSeconds: 300, ports: [{name, vlan}]}]
 * nestedHypervisors: [{name, mac, vms: [{name, mac, ip}]}]
 * routers:           [{name, interfaces: [{name, mac, ip}], routes: [{to, via}]}]           # see RouterParser
 * vtepHosts:         [{name, underlay, vxlan, portGroups, ports}]                      # see VtepHostParser
 * links:             [[vm1, esxi:vm1], {ends: [esxi:uplink1, nexus5k:eth1/1], latency: 50us}]
 * pings:             [{from: vm1, to: 10.0.0.3, count: 4, interval: 1s}]
 * </pre>
 * Every error names the file, line and column, and says what was expected.
 */
public final class TopologyParser {
    private static final List<String> KEYS = List.of("description", "linkLatency", "hosts", "vdsHosts",
        "physicalSwitches", "nestedHypervisors", "routers", "vtepHosts", "links", "pings");
    private static final List<String> HOST_KEYS = List.of("name", "mac", "ip");
    private static final List<String> SWITCH_KEYS = List.of("name", "vlanAware", "agingSeconds", "ports");
    private static final List<String> BRIDGE_PORT_KEYS = List.of("name", "vlan");
    private static final List<String> NESTED_KEYS = List.of("name", "mac", "vms");
    private static final List<String> LINK_KEYS = List.of("ends", "latency");
    private static final List<String> PING_KEYS = List.of("from", "to", "count", "interval");

    private TopologyParser() {
    }

    private static final String EXPECTED = "a topology with hosts, vdsHosts, physicalSwitches, nestedHypervisors, "
        + "routers, vtepHosts, links and pings";

    /** Reads and validates a topology file; errors carry the path as given. */
    public static Topology read(Path file) throws IOException {
        return check(YamlDocument.read(file, EXPECTED), file.toString());
    }

    /** Parses and validates topology text; {@code source} names it in errors. */
    public static Topology parse(String source, String text) {
        return check(YamlDocument.parse(source, text, EXPECTED), source);
    }

    private static Topology check(YamlValue root, String source) {
        return TopologyChecker.check(parseRoot(root, source));
    }

    private static Topology parseRoot(YamlValue rootValue, String source) {
        YamlMap root = Values.map(rootValue, "the topology");
        root.allowOnly("the topology", KEYS);
        long latency = root.get("linkLatency").map(v -> Values.durationNanos(v, "linkLatency"))
            .orElse(Link.DEFAULT_LATENCY_NANOS);
        List<HostSpec> hosts = new ArrayList<>();
        for (YamlValue v : section(root, "hosts")) {
            hosts.add(host(v, "host"));
        }
        List<VdsSpec> vds = new ArrayList<>();
        for (YamlValue v : section(root, "vdsHosts")) {
            vds.add(VdsParser.parse(v, "host switch"));
        }
        List<PhysicalSwitchSpec> switches = new ArrayList<>();
        for (YamlValue v : section(root, "physicalSwitches")) {
            switches.add(physicalSwitch(v));
        }
        List<NestedHypervisorSpec> nested = new ArrayList<>();
        for (YamlValue v : section(root, "nestedHypervisors")) {
            nested.add(nestedHypervisor(v));
        }
        List<RouterSpec> routers = new ArrayList<>();
        for (YamlValue v : section(root, "routers")) {
            routers.add(RouterParser.parse(v));
        }
        List<VtepHostSpec> vteps = new ArrayList<>();
        for (YamlValue v : section(root, "vtepHosts")) {
            vteps.add(VtepHostParser.parse(v));
        }
        List<LinkSpec> links = new ArrayList<>();
        for (YamlValue v : section(root, "links")) {
            links.add(link(v, latency));
        }
        List<PingSpec> pings = new ArrayList<>();
        for (YamlValue v : section(root, "pings")) {
            pings.add(ping(v));
        }
        return new Topology(source, latency, hosts, vds, switches, nested, routers, vteps, links, pings);
    }

    private static List<YamlValue> section(YamlMap root, String key) {
        return root.get(key).map(v -> Values.list(v, key)).orElse(List.of());
    }

    private static HostSpec host(YamlValue v, String kind) {
        YamlMap m = Values.map(v, kind);
        String name = Values.name(m.require("name", kind), kind + " name");
        String self = kind + " '" + name + "'";
        m.allowOnly(self, HOST_KEYS);
        long mac = Values.mac(m.require("mac", self), self + ": mac");
        int[] ip = Values.ipv4Prefix(m.require("ip", self), self + ": ip");
        return new HostSpec(name, mac, ip[0], ip[1], m.where());
    }

    private static PhysicalSwitchSpec physicalSwitch(YamlValue v) {
        YamlMap m = Values.map(v, "physical switch");
        String name = Values.name(m.require("name", "physical switch"), "physical switch name");
        String self = "physical switch '" + name + "'";
        m.allowOnly(self, SWITCH_KEYS);
        boolean vlanAware = m.get("vlanAware").map(x -> Values.bool(x, self + ": vlanAware")).orElse(true);
        int aging = m.get("agingSeconds").map(x -> Values.integer(x, self + ": agingSeconds", 10, 1_000_000))
            .orElse(300);
        List<BridgePortSpec> ports = new ArrayList<>();
        for (YamlValue p : Values.list(m.require("ports", self), self + ": ports")) {
            YamlMap pm = Values.map(p, self + ": port");
            String portName = Values.name(pm.require("name", self + ": port"), self + ": port name");
            String port = self + ": port '" + portName + "'";
            pm.allowOnly(port, BRIDGE_PORT_KEYS);
            // A switch port without configuration is an access port in the default VLAN 1, as on most switches.
            VlanPolicy vlan = pm.get("vlan").map(x -> PolicyParser.vlan(x, port + ": vlan", 1))
                .orElse(VlanPolicy.access(1));
            for (BridgePortSpec other : ports) {
                if (other.name().equals(portName)) {
                    throw p.where().error(port + " is defined twice (first at line " + other.where().line() + ")");
                }
            }
            ports.add(new BridgePortSpec(portName, vlan, pm.where()));
        }
        return new PhysicalSwitchSpec(name, vlanAware, aging, ports, m.where());
    }

    private static NestedHypervisorSpec nestedHypervisor(YamlValue v) {
        YamlMap m = Values.map(v, "nested hypervisor");
        String name = Values.name(m.require("name", "nested hypervisor"), "nested hypervisor name");
        String self = "nested hypervisor '" + name + "'";
        m.allowOnly(self, NESTED_KEYS);
        long mac = Values.mac(m.require("mac", self), self + ": mac");
        List<HostSpec> vms = new ArrayList<>();
        for (YamlValue vm : Values.list(m.require("vms", self), self + ": vms")) {
            vms.add(host(vm, self + ": vm"));
        }
        return new NestedHypervisorSpec(name, mac, vms, m.where());
    }

    private static LinkSpec link(YamlValue v, long defaultLatency) {
        String what = "link";
        YamlValue ends = v;
        long latency = defaultLatency;
        if (v instanceof YamlMap m) {
            m.allowOnly(what, LINK_KEYS);
            ends = m.require("ends", what);
            latency = m.get("latency").map(x -> Values.durationNanos(x, "link latency")).orElse(defaultLatency);
        }
        if (!(ends instanceof YamlList list) || list.items().size() != 2) {
            throw ends.where().error("a link must list its two ends, like [vm1, esxi:vm1] or "
                + "{ends: [esxi:uplink1, nexus5k:eth1/1], latency: 50us}, got "
                + (ends instanceof YamlList l ? l.items().size() + " end(s)" : ends.describe()));
        }
        return new LinkSpec(end(list.items().get(0)), end(list.items().get(1)), latency, v.where());
    }

    private static LinkEnd end(YamlValue v) {
        String t = Values.text(v, "link end");
        int colon = t.indexOf(':');
        String node = colon < 0 ? t : t.substring(0, colon);
        String port = colon < 0 ? null : t.substring(colon + 1);
        if (node.isEmpty() || (port != null && port.isEmpty())) {
            throw v.where().error("link end must be a host name (vm1) or switch:port (esxi:uplink1), got '" + t + "'");
        }
        return new LinkEnd(node, port, v.where());
    }

    private static PingSpec ping(YamlValue v) {
        YamlMap m = Values.map(v, "ping");
        m.allowOnly("ping", PING_KEYS);
        YamlValue fromValue = m.require("from", "ping");
        String from = Values.name(fromValue, "ping: from");
        String self = "ping from '" + from + "'";
        int to = Values.ipv4(m.require("to", self), self + ": to");
        int count = m.get("count").map(x -> Values.integer(x, self + ": count", 1, 65_535)).orElse(PingSpec.DEFAULT_COUNT);
        long interval = m.get("interval").map(x -> Values.durationNanos(x, self + ": interval"))
            .orElse(PingSpec.DEFAULT_INTERVAL_NANOS);
        if (interval < 1_000_000) {
            throw m.get("interval").map(YamlValue::where).orElse(m.where())
                .error(self + ": interval must be at least 1ms, got " + Values.text(m.get("interval").get(), "interval"));
        }
        return new PingSpec(from, to, count, interval, fromValue.where());
    }
}
