package io.vxswitch.lab.run;

import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.FrameListener;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.lab.node.EvpnFabric;
import io.vxswitch.lab.node.Host;
import io.vxswitch.lab.node.HopListener;
import io.vxswitch.lab.node.NestedHypervisor;
import io.vxswitch.lab.node.PhysicalSwitch;
import io.vxswitch.lab.node.Router;
import io.vxswitch.lab.node.TraceCapture;
import io.vxswitch.lab.node.Underlay;
import io.vxswitch.lab.node.VdsHost;
import io.vxswitch.lab.node.VniBinding;
import io.vxswitch.lab.node.VtepHost;
import io.vxswitch.lab.topology.BridgePortSpec;
import io.vxswitch.lab.topology.HostSpec;
import io.vxswitch.lab.topology.LinkEnd;
import io.vxswitch.lab.topology.LinkSpec;
import io.vxswitch.lab.topology.NestedHypervisorSpec;
import io.vxswitch.lab.topology.PhysicalSwitchSpec;
import io.vxswitch.lab.topology.RouterSpec;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.VdsSpec;
import io.vxswitch.lab.topology.VtepHostSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated {@link Topology} into running nodes on a fresh {@link Simulator}: hosts, host switches
 * (each a real forwarding-plane {@link io.vxswitch.forwarding.Switch}), physical switches, nested hypervisors,
 * routers, VTEP hosts (a switch and a real VXLAN tunnel endpoint each), and the links between them. Errors the
 * forwarding plane or the VXLAN layer report while configuring (a MAC used twice, a VLAN a tunnel port does not
 * carry) come back with the position of the offending entry.
 */
public final class NetworkBuilder {
    private final Topology topology;
    private final Simulator simulator = new Simulator();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, VdsHost> vdsHosts = new LinkedHashMap<>();
    private final Map<String, PhysicalSwitch> switches = new LinkedHashMap<>();
    private final Map<String, NestedHypervisor> nested = new LinkedHashMap<>();
    private final Map<String, Router> routers = new LinkedHashMap<>();
    private final Map<String, VtepHost> vtepHosts = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    private EvpnFabric evpn;

    private NetworkBuilder(Topology topology) {
        this.topology = topology;
    }

    public static Network build(Topology topology, List<TraceCapture> captures, FrameListener tap) {
        return build(topology, captures, tap, null);
    }

    /**
     * @param captures keep the trace of the first matching frame entering any host switch
     * @param tap      sees every frame on every link, inner links of nested hypervisors included; may be null
     * @param hops     follows chosen frames through host switches and routers; may be null
     */
    public static Network build(Topology topology, List<TraceCapture> captures, FrameListener tap, HopListener hops) {
        return new NetworkBuilder(topology).run(captures, tap, hops);
    }

    private Network run(List<TraceCapture> captures, FrameListener tap, HopListener hops) {
        for (HostSpec h : topology.hosts()) {
            hosts.put(h.name(), new Host(simulator, h.name(), h.mac(), h.ip(), h.prefixLength()));
        }
        for (VdsSpec v : topology.vdsHosts()) {
            VdsHost host = new VdsHost(simulator, SwitchFactory.build(v.name(), "host switch",
                v.reversePathCheckPromisc(), v.portGroups(), v.ports()));
            captures.forEach(host::capture);
            if (hops != null) {
                host.listen(hops);
            }
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
        for (RouterSpec r : topology.routers()) {
            Router router = router(r);
            if (hops != null) {
                router.listen(hops);
            }
            routers.put(r.name(), router);
        }
        for (VtepHostSpec v : topology.vtepHosts()) {
            VtepHost host = vtepHost(v);
            captures.forEach(host::capture);
            if (hops != null) {
                host.listen(hops);
            }
            host.startAging();
            vtepHosts.put(v.name(), host);
        }
        joinEvpnFabric();
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
        if (evpn != null) {
            simulator.runTo(EvpnFabric.SETTLE_NANOS); // the fabric converges before the first ping, as a real one would
        }
        return new Network(simulator, hosts, vdsHosts, switches, nested, routers, vtepHosts, links);
    }

    /** VTEP hosts with VNIs under {@code controlPlane: evpn} become clients of the lab's route reflector. */
    private void joinEvpnFabric() {
        for (VtepHostSpec v : topology.vtepHosts()) {
            List<VniBinding> vnis = v.vnis().stream().filter(VtepHostSpec.Vni::evpn)
                .map(x -> new VniBinding(x.vni(), x.vlan(), x.floodList())).toList();
            if (!vnis.isEmpty()) {
                if (evpn == null) {
                    evpn = new EvpnFabric(simulator);
                }
                evpn.join(vtepHosts.get(v.name()), vnis);
            }
        }
    }

    private Router router(RouterSpec r) {
        Router router = new Router(simulator, r.name());
        for (RouterSpec.Interface i : r.interfaces()) {
            try {
                router.addInterface(i.name(), i.mac(), i.ip(), i.prefixLength());
            } catch (IllegalArgumentException e) {
                throw i.where().error(e.getMessage());
            }
        }
        for (RouterSpec.Route route : r.routes()) {
            try {
                router.addRoute(route.network(), route.prefixLength(), route.via());
            } catch (IllegalArgumentException e) {
                throw route.where().error(e.getMessage());
            }
        }
        return router;
    }

    private VtepHost vtepHost(VtepHostSpec v) {
        VtepHostSpec.Underlay u = v.underlay();
        List<VniBinding> vnis = v.vnis().stream().map(x -> new VniBinding(x.vni(), x.vlan(), x.floodList())).toList();
        try {
            return new VtepHost(simulator, v.name(), SwitchFactory.build(v.name(), "VTEP host", false, v.portGroups(),
                v.ports()), v.tunnelPort().name(), new Underlay(u.nic(), u.mac(), u.ip(), u.prefixLength(), u.gateway(),
                u.mtu()), v.udpPort(), vnis);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw v.where().error("VTEP host '" + v.name() + "': " + e.getMessage());
        }
    }

    private void plug(LinkEnd end, Endpoint e) {
        String node = end.node();
        if (hosts.containsKey(node)) {
            hosts.get(node).plugInto(e);
        } else if (nested.containsKey(node)) {
            nested.get(node).plugInto(e);
        } else if (vdsHosts.containsKey(node)) {
            vdsHosts.get(node).plugInto(end.port(), e);
        } else if (switches.containsKey(node)) {
            switches.get(node).plugInto(end.port(), e);
        } else if (routers.containsKey(node)) {
            routers.get(node).plugInto(end.port(), e);
        } else if (vtepHosts.containsKey(node)) {
            vtepHosts.get(node).plugInto(end.port(), e);
        } else {
            throw end.where().error("link end '" + end + "' names nothing in the topology");
        }
    }
}
