package io.vxswitch.lab.run;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.node.Host;
import io.vxswitch.lab.node.NestedHypervisor;
import io.vxswitch.lab.node.PhysicalSwitch;
import io.vxswitch.lab.node.Router;
import io.vxswitch.lab.node.VdsHost;
import io.vxswitch.lab.node.VtepHost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built lab network: the simulator and every node and link, by name. Hosts include the VMs inside nested
 * hypervisors.
 */
public record Network(Simulator simulator, Map<String, Host> hosts, Map<String, VdsHost> vdsHosts,
                      Map<String, PhysicalSwitch> physicalSwitches, Map<String, NestedHypervisor> nestedHypervisors,
                      Map<String, Router> routers, Map<String, VtepHost> vtepHosts, List<Link> links) {
    public Network {
        hosts = ordered(hosts);
        vdsHosts = ordered(vdsHosts);
        physicalSwitches = ordered(physicalSwitches);
        nestedHypervisors = ordered(nestedHypervisors);
        routers = ordered(routers);
        vtepHosts = ordered(vtepHosts);
        links = List.copyOf(links);
    }

    public Host host(String name) {
        return require(hosts, name, "host");
    }

    public VdsHost vdsHost(String name) {
        return require(vdsHosts, name, "host switch");
    }

    public PhysicalSwitch physicalSwitch(String name) {
        return require(physicalSwitches, name, "physical switch");
    }

    public NestedHypervisor nestedHypervisor(String name) {
        return require(nestedHypervisors, name, "nested hypervisor");
    }

    public Router router(String name) {
        return require(routers, name, "router");
    }

    public VtepHost vtepHost(String name) {
        return require(vtepHosts, name, "VTEP host");
    }

    /** Every forwarding-plane switch, VDS hosts first, each in file order. */
    public List<Switch> switches() {
        List<Switch> all = new ArrayList<>();
        vdsHosts.values().forEach(v -> all.add(v.sw()));
        vtepHosts.values().forEach(v -> all.add(v.sw()));
        return all;
    }

    /** The forwarding-plane switch of VDS host or VTEP host {@code name}. */
    public Switch hostSwitch(String name) {
        if (vtepHosts.containsKey(name)) {
            return vtepHosts.get(name).sw();
        }
        if (vdsHosts.containsKey(name)) {
            return vdsHosts.get(name).sw();
        }
        List<String> names = new ArrayList<>(vdsHosts.keySet());
        names.addAll(vtepHosts.keySet());
        throw new IllegalArgumentException("no host switch or VTEP host named '" + name + "' (have: "
            + String.join(", ", names) + ")");
    }

    /** Read-only, in the order of the topology file, so reports list nodes as the file does. */
    private static <T> Map<String, T> ordered(Map<String, T> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static <T> T require(Map<String, T> map, String name, String kind) {
        T t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no " + kind + " named '" + name + "' (have: "
                + String.join(", ", map.keySet()) + ")");
        }
        return t;
    }
}
