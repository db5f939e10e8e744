package io.vxswitch.lab.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * A lab network as a topology file describes it, validated: every name unique, every reference resolved,
 * every vNIC with a MAC. {@link io.vxswitch.lab.Lab#run} turns it into running nodes.
 *
 * @param source            file name, for messages
 * @param linkLatencyNanos  latency of links that do not set their own (also the nested hypervisors' inner links)
 */
public record Topology(String source, long linkLatencyNanos, List<HostSpec> hosts, List<VdsSpec> vdsHosts,
                       List<PhysicalSwitchSpec> physicalSwitches, List<NestedHypervisorSpec> nestedHypervisors,
                       List<RouterSpec> routers, List<VtepHostSpec> vtepHosts, List<LinkSpec> links,
                       List<PingSpec> pings) {
    public Topology {
        hosts = List.copyOf(hosts);
        vdsHosts = List.copyOf(vdsHosts);
        physicalSwitches = List.copyOf(physicalSwitches);
        nestedHypervisors = List.copyOf(nestedHypervisors);
        routers = List.copyOf(routers);
        vtepHosts = List.copyOf(vtepHosts);
        links = List.copyOf(links);
        pings = List.copyOf(pings);
    }

    public VdsSpec vds(String name) {
        for (VdsSpec v : vdsHosts) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("topology " + source + " has no host switch '" + name + "'");
    }

    public VtepHostSpec vtepHost(String name) {
        for (VtepHostSpec v : vtepHosts) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("topology " + source + " has no VTEP host '" + name + "'");
    }

    /** The same topology with one host switch replaced (matched by name). */
    public Topology withVds(VdsSpec replacement) {
        vds(replacement.name());
        List<VdsSpec> out = new ArrayList<>();
        for (VdsSpec v : vdsHosts) {
            out.add(v.name().equals(replacement.name()) ? replacement : v);
        }
        return new Topology(source, linkLatencyNanos, hosts, out, physicalSwitches, nestedHypervisors, routers,
            vtepHosts, links, pings);
    }

    /** The same topology with one VTEP host replaced (matched by name). */
    public Topology withVtepHost(VtepHostSpec replacement) {
        vtepHost(replacement.name());
        List<VtepHostSpec> out = new ArrayList<>();
        for (VtepHostSpec v : vtepHosts) {
            out.add(v.name().equals(replacement.name()) ? replacement : v);
        }
        return new Topology(source, linkLatencyNanos, hosts, vdsHosts, physicalSwitches, nestedHypervisors, routers,
            out, links, pings);
    }

    /** The same topology with every VTEP host's VNIs under BGP EVPN through the lab's route reflector. */
    public Topology withEvpn() {
        return new Topology(source, linkLatencyNanos, hosts, vdsHosts, physicalSwitches, nestedHypervisors, routers,
            vtepHosts.stream().map(VtepHostSpec::withEvpn).toList(), links, pings);
    }

    public Topology withPings(List<PingSpec> replacement) {
        return new Topology(source, linkLatencyNanos, hosts, vdsHosts, physicalSwitches, nestedHypervisors, routers,
            vtepHosts, links, replacement);
    }
}
