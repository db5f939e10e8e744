package io.vxswitch.lab.node;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.EncapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.OuterHeaderWriter;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.TunnelEgress;
import io.vxswitch.vxlan.TunnelIngress;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;
import io.vxswitch.vxlan.VxlanDrop;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The VXLAN side of a VTEP host, between its switch's tunnel port and its underlay NIC:
 * <ul>
 * <li>out: each copy the switch sends to the tunnel port goes through {@link TunnelEgress}, as in the daemon
 *     (the VTEPs it goes to, the VNI, the MTU check, the VXLAN header, the source port); then this host does what
 *     the kernel's UDP stack does for the daemon: the outer UDP, IPv4 and Ethernet headers
 *     ({@link OuterHeaderWriter}), and the next hop: the remote VTEP if it is on the NIC's subnet, else the
 *     gateway, whose MAC ARP resolves;</li>
 * <li>in: the underlay NIC answers ARP for its address; of the IPv4 it receives, only UDP to its own address
 *     and the VXLAN port is taken (anything else is counted and ignored, as a host without such a socket
 *     would) and handed to the {@link Receiver}, which decapsulates it with {@link #decapsulate}.</li>
 * </ul>
 */
public final class VxlanTunnel {
    /** Remote VTEPs one lab host can know: far more than any lab topology has. */
    static final int MAX_REMOTES = 256;
    private static final int VXLAN_OVER_UDP = Udp.LENGTH + Vxlan.LENGTH;

    /** Takes a VXLAN datagram addressed to this host. */
    @FunctionalInterface
    interface Receiver {
        /**
         * @param inner       offset of the inner Ethernet frame in {@code frame}
         * @param innerLength its length (may be short or negative for a malformed datagram; decapsulation drops it)
         */
        void fromTunnel(byte[] frame, int inner, int innerLength, int vni, int sourceIp);
    }

    private final Simulator simulator;
    private final IpInterface underlay;
    private final Underlay settings;
    private final Vtep vtep;
    private final TunnelIngress ingress;
    private final TunnelEgress egress;
    private final OuterHeaderWriter outer;
    private final VxlanCounters counters = new VxlanCounters();
    private final List<String> log = new ArrayList<>();
    private final int udpPort;
    private Receiver receiver;
    private long ignored;
    private long unreachable;

    /**
     * @param tunnelPort the switch's tunnel port, whose port group carries the VLAN of every VNI
     * @throws IllegalArgumentException for a VNI/VLAN clash, a VLAN the tunnel port does not carry, or a flood
     *                                  list entry that is not a unicast address
     */
    public VxlanTunnel(Simulator simulator, String host, Switch sw, String tunnelPort, Underlay settings, int udpPort,
                       List<VniBinding> vnis) {
        this.simulator = simulator;
        this.settings = settings;
        this.udpPort = udpPort;
        this.underlay = new IpInterface(simulator, host, settings.nic(), settings.mac(), settings.ip(),
            settings.prefixLength(), this::ipv4Input);
        VniMap map = new VniMap();
        RemoteVteps remotes = new RemoteVteps(MAX_REMOTES);
        FloodList floodList = new FloodList(remotes);
        for (VniBinding b : vnis) {
            map.add(b.vni(), b.vlan());
            for (int peer : b.floodList()) {
                floodList.add(b.vni(), VtepAddress.ipv4(peer));
            }
        }
        this.vtep = new Vtep(sw, tunnelPort, map, remotes, floodList,
            new VxlanDecapsulator(map, DecapOptions.defaults().withDstPort(udpPort), counters), counters);
        remotes.serve(sw);
        this.ingress = new TunnelIngress(vtep, sw.lane(0));
        this.egress = new TunnelEgress(vtep, new MtuCheck(settings.mtu(), counters, log::add),
            SourcePortHash.rfc7348(), false);
        this.outer = new OuterHeaderWriter(settings.mac(), VtepAddress.ipv4(settings.ip()),
            EncapOptions.defaults().withDstPort(udpPort));
    }

    void receiver(Receiver r) {
        this.receiver = r;
    }

    public IpInterface underlay() {
        return underlay;
    }

    public Underlay settings() {
        return settings;
    }

    public Vtep vtep() {
        return vtep;
    }

    public VxlanCounters counters() {
        return counters;
    }

    public int udpPort() {
        return udpPort;
    }

    /** Underlay IPv4 packets that were not VXLAN to this host: ignored. */
    public long ignored() {
        return ignored;
    }

    /**
     * Encapsulated copies dropped because ARP never resolved their next hop, or no route (no gateway); and copies
     * for a VNI that floods to a multicast group, which this underlay does not route.
     */
    public long unreachable() {
        return unreachable;
    }

    /** The MTU check's log lines ({@code mtu_exceeded} explanations), oldest first. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /**
     * Sends copy {@code i} of {@code d} (one for the tunnel port) to each VTEP it is for; records each copy sent
     * in {@code sent} if not null.
     */
    void send(ForwardingDecision d, int i, long now, List<SwitchHop.TunnelSend> sent) {
        int n = egress.targets(d, i); // a VLAN without a VNI: none, counted as vlan_without_vni
        if (n == TunnelEgress.MULTICAST) {
            unreachable++; // the lab's underlay has no multicast routing
            return;
        }
        boolean flooded = d.egressRemote(i) == ForwardingDecision.FLOOD;
        int inner = outer.headroom() + TunnelEgress.HEADER;
        for (int k = 0; k < n; k++) {
            byte[] frame = new byte[inner + d.egressLength(i)];
            MemorySegment s = MemorySegment.ofArray(frame);
            int innerLength = d.writeEgress(i, s, inner);
            int srcPort = egress.encapsulate(s, inner, innerLength, k, now);
            if (srcPort == TunnelEgress.DROPPED) {
                continue;
            }
            // Below VXLAN, as the kernel's UDP stack is for the daemon: route, outer headers, ARP.
            int remote = egress.remotes().ipv4(egress.target(k));
            int nextHop = underlay.onLink(remote) ? remote : settings.gateway();
            if (nextHop == Underlay.NO_GATEWAY) {
                unreachable++;
                continue;
            }
            long nextHopMac = underlay.resolvedMac(nextHop);
            outer.writeIpv4(s, inner - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength, srcPort, remote,
                nextHopMac == Neighbour.NO_MAC ? 0 : nextHopMac); // if unresolved, ARP fills it in before sending
            if (sent != null) {
                sent.add(new SwitchHop.TunnelSend(egress.vni(), Ipv4Address.format(remote), flooded));
            }
            underlay.output(nextHop, frame, () -> unreachable++);
        }
    }

    /** Decapsulates a datagram the {@link Receiver} got and hands the inner frame to the switch. */
    VxlanDrop decapsulate(byte[] frame, ForwardingDecision d, Trace trace) {
        return ingress.receiveFrame(MemorySegment.ofArray(frame), 0, frame.length, simulator.now(), d, trace);
    }

    private void ipv4Input(IpInterface in, byte[] frame, int ip) {
        MemorySegment s = MemorySegment.ofArray(frame);
        int headerLength = Ipv4.headerLength(s, ip);
        int udp = ip + headerLength;
        if (Ipv4.dst(s, ip) != settings.ip() || Ipv4.protocol(s, ip) != Ipv4.PROTOCOL_UDP || Ipv4.isFragment(s, ip)
            || Ipv4.totalLength(s, ip) < headerLength + VXLAN_OVER_UDP || Udp.dstPort(s, udp) != udpPort) {
            ignored++;
            return;
        }
        int vxlan = udp + Udp.LENGTH;
        int inner = vxlan + Vxlan.LENGTH;
        receiver.fromTunnel(frame, inner, Udp.length(s, udp) - VXLAN_OVER_UDP, Vxlan.vni(s, vxlan), Ipv4.src(s, ip));
    }

    @Override
    public String toString() {
        return "VTEP " + Ipv4Address.format(settings.ip()) + " udp " + udpPort + ": " + counters;
    }
}
