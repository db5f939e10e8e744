package io.vxswitch.lab.node;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.vxlan.VxlanDrop;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host running vxswitch as a VXLAN tunnel endpoint: the seed story's CentOS 7 VM on the ESXi host, and the
 * CentOS 7 KVM server at the far end. It owns a real forwarding-plane {@link Switch} whose local ports are
 * plugged into links (vNIC ports for the VMs it hosts, and "interface" ports, uplinks, that bridge a NIC such
 * as the CentOS VM's eth0 with every MAC behind it) plus one tunnel port, and a {@link VxlanTunnel} that joins
 * the tunnel port to the underlay NIC.
 *
 * <p>A frame from a local port goes through {@link Switch#forward}; copies for local ports are written with
 * their egress tag and sent on those ports' links, copies for the tunnel port are encapsulated per remote VTEP.
 * A VXLAN datagram to the underlay address is decapsulated by the VTEP, which learns the inner source MAC
 * behind the sending VTEP and hands the frame to {@link Switch#forwardFromTunnel}; split horizon keeps it out
 * of the tunnel.
 */
public final class VtepHost {
    private final Simulator simulator;
    private final String name;
    private final Switch sw;
    private final ForwardingDecision decision;
    private final Endpoint[] endpoints;
    private final VxlanTunnel tunnel;
    private final SwitchTaps taps = new SwitchTaps();

    /**
     * @param sw         the host's switch, its ports and port groups already added, one of them {@code tunnelPort}
     * @param tunnelPort the switch's tunnel port
     */
    public VtepHost(Simulator simulator, String name, Switch sw, String tunnelPort, Underlay underlay, int udpPort,
                    List<VniBinding> vnis) {
        if (sw.port(underlay.nic()) != null) {
            throw new IllegalArgumentException("VTEP host '" + name + "': the underlay NIC '" + underlay.nic()
                + "' has the name of a switch port; give it its own name");
        }
        this.simulator = simulator;
        this.name = name;
        this.sw = sw;
        this.decision = sw.newDecision();
        this.endpoints = new Endpoint[sw.options().maxPorts()];
        this.tunnel = new VxlanTunnel(simulator, name, sw, tunnelPort, underlay, udpPort, vnis);
        tunnel.receiver(this::fromTunnel);
    }

    public String name() {
        return name;
    }

    public Switch sw() {
        return sw;
    }

    public VxlanTunnel tunnel() {
        return tunnel;
    }

    /** Plugs switch port {@code portName}, or the underlay NIC if that is its name, into one end of a link. */
    public void plugInto(String portName, Endpoint endpoint) {
        if (portName.equals(tunnel.settings().nic())) {
            tunnel.underlay().plugInto(endpoint);
            return;
        }
        Port p = sw.port(portName);
        if (p == null || p.isTunnel()) {
            throw new IllegalArgumentException("VTEP host '" + name + "' has no " + (p == null ? "" : "linkable ")
                + "port '" + portName + "'" + (p == null ? "" : ": a tunnel port's link is the underlay NIC "
                + tunnel.settings().nic()));
        }
        int id = p.id();
        if (endpoints[id] != null) {
            throw new IllegalStateException("port " + name + ":" + portName + " is already plugged into "
                + endpoints[id].name());
        }
        endpoint.attach(frame -> receive(id, frame));
        endpoints[id] = endpoint;
    }

    public void capture(TraceCapture traceCapture) {
        taps.add(traceCapture);
    }

    public void listen(HopListener listener) {
        taps.listen(listener);
    }

    /** Starts the periodic MAC aging sweep (housekeeping: it does not keep the simulation running). */
    public void startAging() {
        simulator.everyAsDaemon(VdsHost.AGING_PERIOD_NANOS, () -> sw.expire(simulator.now()));
    }

    void receive(int inPort, byte[] frame) {
        long now = simulator.now();
        MemorySegment s = MemorySegment.ofArray(frame);
        Trace trace = taps.start(s, 0, frame.length);
        sw.forward(inPort, s, 0, frame.length, now, decision, trace);
        List<SwitchHop.TunnelSend> sent = trace == null ? null : new ArrayList<>();
        sendCopies(now, sent);
        taps.decided(name, sw, inPort, frame, now, decision, trace, null, sent == null ? List.of() : sent);
    }

    private void fromTunnel(byte[] frame, int inner, int innerLength, int vni, int sourceIp) {
        long now = simulator.now();
        boolean whole = innerLength >= Ethernet.HEADER_LENGTH && inner + innerLength <= frame.length;
        Trace trace = whole ? taps.start(MemorySegment.ofArray(frame), inner, innerLength) : null;
        if (tunnel.decapsulate(frame, decision, trace) != VxlanDrop.NONE) {
            return; // counted by the tunnel's VxlanCounters
        }
        List<SwitchHop.TunnelSend> sent = trace == null ? null : new ArrayList<>();
        sendCopies(now, sent);
        if (trace != null) {
            SwitchHop.TunnelArrival arrival = new SwitchHop.TunnelArrival(vni, Ipv4Address.format(sourceIp),
                decision.vlan());
            taps.decided(name, sw, tunnel.vtep().tunnelPort(), Arrays.copyOfRange(frame, inner, inner + innerLength),
                now, decision, trace, arrival, sent);
        }
    }

    private void sendCopies(long now, List<SwitchHop.TunnelSend> sent) {
        int tunnelPort = tunnel.vtep().tunnelPort();
        for (int i = 0; i < decision.egressCount(); i++) {
            int port = decision.egressPort(i);
            if (port == tunnelPort) {
                tunnel.send(decision, i, now, sent);
                continue;
            }
            Endpoint out = endpoints[port];
            if (out == null) {
                continue; // an unplugged port: the copy goes nowhere
            }
            byte[] copy = new byte[decision.egressLength(i)];
            decision.writeEgress(i, MemorySegment.ofArray(copy), 0);
            out.send(copy);
        }
    }

    @Override
    public String toString() {
        return "VTEP host " + name + " (" + tunnel.settings() + ")";
    }
}
