package io.vxswitch.lab.run;

import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.FrameListener;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.node.Host;
import io.vxswitch.lab.node.NestedHypervisor;
import io.vxswitch.lab.node.PhysicalSwitch;
import io.vxswitch.lab.node.TraceCapture;
import io.vxswitch.lab.node.VdsHost;
import io.vxswitch.lab.topology.BridgePortSpec;
import io.vxswitch.lab.topology.HostSpec;
import io.vxswitch.lab.topology.LinkEnd;
import io.vxswitch.lab.topology.LinkSpec;
import io.vxswitch.lab.topology.NestedHypervisorSpec;
import io.vxswitch.lab.topology.PhysicalSwitchSpec;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.VdsPortSpec;
import io.vxswitch.lab.topology.VdsSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated {@link Topology} into running nodes on a fresh {@link Simulator}: hosts, host switches
 * (each a real forwarding-plane {@link Switch}), physical switches, nested hypervisors, and the links
 * between them. Errors the forwarding plane reports while configuring (a MAC used twice, say) come back
 * with the position of the offending entry.
 */
public final class NetworkBuilder {
    private final Topology topology;
    private final Simulator simulator = new Simulator();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, VdsHost> vdsHosts = new LinkedHashMap<>();
    private final Map<String, PhysicalSwitch> switches = new LinkedHashMap<>();
    private final Map<String, NestedHypervisor> nested = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();

    private NetworkBuilder(Topology topology) {
        this.topology = topology;
    }

    /**
     * @param captures keep the trace of the first matching frame entering any host switch
     * @param tap      sees every frame on every link, inner links of nested hypervisors included; may be null
     */
    public static Network build(Topology topology, List<TraceCapture> captures, FrameListener tap) {
        return new NetworkBuilder(topology).run(captures, tap);
    }

    private Network run(List<TraceCapture> captures, FrameListener tap) {
        for (HostSpec h : topology.hosts()) {
            hosts.put(h.name(), new Host(simulator, h.name(), h.mac(), h.ip(), h.prefixLength()));
        }
        for (VdsSpec v : topology.vdsHosts()) {
            VdsHost host = new VdsHost(simulator, buildSwitch(v));
            captures.forEach(host::capture);
            host.startAging();
            vdsHosts.put(v.name(), host);
        }
        for (PhysicalSwitchSpec s : topology.physicalSwitches()) {
            PhysicalSwitch sw = new PhysicalSwitch(simulator, s.name(), s.vlanAware(), s.agingSeconds() * 1_000_000_000L);
            for (BridgePortSpec p : s.ports()) {
                sw.addPort(p.name(), p.vlan());
            }
            switches.put(s.name(), sw);
        }
        for (NestedHypervisorSpec n : topology.nestedHypervisors()) {
            NestedHypervisor hv = new NestedHypervisor(simulator, n.name(), n.mac(), topology.linkLatencyNanos());
            for (HostSpec vm : n.vms()) {
                hosts.put(vm.name(), hv.addVm(vm.name(), vm.mac(), vm.ip(), vm.prefixLength()));
            }
            links.addAll(hv.innerLinks());
            nested.put(n.name(), hv);
        }
        for (LinkSpec l : topology.links()) {
            Link link = new Link(simulator, l.a().toString(), l.b().toString(), l.latencyNanos());
            plug(l.a(), link.a());
            plug(l.b(), link.b());
            links.add(link);
        }
        if (tap != null) {
            for (Link l : links) {
                l.addListener(tap);
            }
        }
        return new Network(simulator, hosts, vdsHosts, switches, nested, links);
    }

    private Switch buildSwitch(VdsSpec v) {
        Switch sw = new Switch(SwitchOptions.defaults(v.name()).withReversePathCheckPromisc(v.reversePathCheckPromisc()));
        for (PortGroupPolicy pg : v.portGroups()) {
            sw.addPortGroup(pg);
        }
        for (VdsPortSpec p : v.ports()) {
            try {
                if (p.kind() == PortKind.UPLINK) {
                    sw.addUplink(p.name(), p.portGroup());
                } else {
                    sw.addVnicPort(p.name(), p.portGroup(), p.mac());
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw p.where().error("host switch '" + v.name() + "': " + e.getMessage());
            }
        }
        return sw;
    }

    private void plug(LinkEnd end, Endpoint e) {
        if (hosts.containsKey(end.node())) {
            hosts.get(end.node()).plugInto(e);
        } else if (nested.containsKey(end.node())) {
            nested.get(end.node()).plugInto(e);
        } else if (vdsHosts.containsKey(end.node())) {
            vdsHosts.get(end.node()).plugInto(end.port(), e);
        } else if (switches.containsKey(end.node())) {
            switches.get(end.node()).plugInto(end.port(), e);
        } else {
            throw end.where().error("link end '" + end + "' names nothing in the topology");
        }
    }
}
