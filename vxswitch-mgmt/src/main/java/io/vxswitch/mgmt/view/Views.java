package io.vxswitch.mgmt.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.PortGroup;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterReading;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.mirror.ErspanCounter;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorCounter;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.PortShaping;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.mgmt.ManagedSwitch;
import io.vxswitch.mgmt.TunnelInfo;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.vxlan.FloodTargets;
import io.vxswitch.vxlan.PeerCounter;
import io.vxswitch.vxlan.TunnelCounter;
import io.vxswitch.vxlan.Vtep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API returns, as JSON-ready records, and how each is read off a {@link Switch}. Every {@code of} method
 * runs on the switch loop (inside {@link ManagedSwitch#call}) and copies what it needs, so the records are safe to
 * serialise on any thread afterwards. Counts come from the switch's counter registry ({@link Switch#counters}): a
 * drop or offload counter added to a descriptor enum shows up in {@code drops} or {@code offload} by its key.
 */
public final class Views {
    private Views() {
    }

    public record SwitchView(String name, int ports, int portGroups, int tunnels, int fdbEntries, int fdbCapacity) {
    }

    /**
     * A port; {@code mac} is the vNIC's effective MAC (null for uplinks and tunnels, or a vNIC without one);
     * {@code shaping} its port group's traffic shaping in short ({@code in 50mbit/100mbit/64k, out -}: average, peak,
     * burst), left out when the group shapes nothing; {@code mirrorDestination} true while the port is a mirror
     * session's destination (it takes the copies only), left out otherwise; {@code lacp} a LAG's LACP state (its
     * members, actor and partner), left out for other ports.
     */
    public record PortView(String name, String kind, String portGroup, String vlan, String mac, boolean up,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String shaping,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean mirrorDestination,
                           @JsonInclude(JsonInclude.Include.NON_NULL) LacpView.LagView lacp) {
        /** This port with its LAG's LACP state, if it is a LAG. */
        public PortView withLacp(List<io.vxswitch.forwarding.lacp.LagStatus> lags) {
            for (io.vxswitch.forwarding.lacp.LagStatus l : lags) {
                if (l.name().equals(name)) {
                    return new PortView(name, kind, portGroup, vlan, mac, up, shaping, mirrorDestination,
                        LacpView.of(l));
                }
            }
            return this;
        }
    }

    /** One direction of traffic shaping in vSphere's terms and units: bits per second, bytes. */
    public record ShaperView(long averageBandwidth, long peakBandwidth, long burstSize) {
        static ShaperView of(TrafficShapingPolicy p) {
            return p == null ? null : new ShaperView(p.averageBandwidth(), p.peakBandwidth(), p.burstSize());
        }
    }

    /** A port group's traffic shaping: {@code ingress} what its ports send in, {@code egress} what they are sent. */
    public record ShapingView(ShaperView ingress, ShaperView egress) {
        static ShapingView of(PortShaping s) {
            return s.any() ? new ShapingView(ShaperView.of(s.ingress()), ShaperView.of(s.egress())) : null;
        }
    }

    public record SecurityView(boolean allowPromiscuous, boolean macChanges, boolean forgedTransmits) {
        static SecurityView of(SecurityPolicy s) {
            return new SecurityView(s.allowPromiscuous(), s.macChanges(), s.forgedTransmits());
        }
    }

    public record LearningView(boolean enabled, boolean allowUnicastFlooding, int limit, String limitPolicy,
                               int agingSeconds) {
        static LearningView of(MacLearningPolicy m) {
            return new LearningView(m.enabled(), m.allowUnicastFlooding(), m.limit(),
                m.limitPolicy().name().toLowerCase(Locale.ROOT), m.agingSeconds());
        }
    }

    /** {@code shaping} is left out when the port group shapes nothing. */
    public record PortGroupView(String name, String vlan, SecurityView security, LearningView macLearning,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ShapingView shaping, List<String> ports) {
    }

    /** One VNI of a tunnel: the VLAN it carries and the remote VTEPs a flood goes to (head-end replication). */
    public record VniView(int vni, int vlan, List<String> floodList) {
    }

    /** A remote VTEP the tunnel knows (configured or heard from), with packets each way. */
    public record PeerView(String address, long rxPackets, long txPackets) {
    }

    /**
     * @param acceptFrom              whose VXLAN the tunnel takes: {@code known} VTEPs (flood list, control plane) or
     *                                {@code any}
     * @param innerChecksumUnfinished decapsulated TCP/UDP frames whose checksum the sender left for a NIC to finish
     *                                (forwarded; the VM drops them)
     */
    public record TunnelView(String name, String local, int udpPort, String acceptFrom, List<VniView> vnis,
                             List<PeerView> peers, long encapsulated, long decapsulated, long innerChecksumUnfinished,
                             Map<String, Long> drops) {
    }

    /**
     * A MAC table row; {@code vlan} null means any VLAN (a vNIC's own MAC on a trunk port group), {@code ageSeconds}
     * null means it never ages (static, vNIC and EVPN entries), {@code remoteVtep} is set for MACs behind a tunnel,
     * {@code sequence} (the MAC mobility sequence number, RFC 7432 §7.7) only for EVPN entries: other rows leave it out.
     */
    public record FdbEntryView(String port, Integer vlan, String mac, String type, Long ageSeconds, int moves,
                               String remoteVtep, @JsonInclude(JsonInclude.Include.NON_NULL) Long sequence) {
    }

    /**
     * @param offload what the port's device did in software, non-zero entries only: {@code superFramesCut} and
     *                {@code segmentsFromCuts} (GSO for a wire without offload), {@code superFramesCoalesced} and
     *                {@code segmentsCoalesced} (GRO)
     * @param arp     with ARP suppression (docs/evpn.md), ARP requests from the port the switch answered ({@code
     *                suppressed}) and flooded for want of a binding ({@code flooded}); absent while both are 0
     */
    public record PortStatsView(String port, long rxFrames, long rxBytes, long txFrames, long txBytes,
                                Map<String, Long> drops, Map<String, Long> offload,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> arp,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> nd) {
    }

    public static SwitchView switchView(Switch sw, int tunnels) {
        Fdb fdb = sw.fdb();
        return new SwitchView(sw.name(), sw.ports().size(), sw.portGroups().size(), tunnels, fdb.size(),
            fdb.capacity());
    }

    public static List<PortView> ports(Switch sw) {
        List<PortView> out = new ArrayList<>();
        for (Port p : sortedPorts(sw)) {
            long mac = p.isVnic() ? p.effectiveMac() : Port.NO_MAC;
            out.add(new PortView(p.name(), p.kind().label(), p.portGroup().name(),
                p.portGroup().policy().vlan().toString(), mac == Port.NO_MAC ? null : MacAddress.format(mac), p.up(),
                p.portGroup().policy().shaping().brief(), p.mirrorDestination(), null));
        }
        return out;
    }

    /** A mirror session's sources: port names and VLAN ranges ("119,200-210"), either empty. */
    public record MirrorSourcesView(List<String> ports, String vlans) {
    }

    /**
     * A port mirroring session as configured and as it runs: {@code destination} is {@code {port: NAME}} (SPAN) or
     * {@code {erspan: {remote, sessionId, version, ...}}} (the config's format), {@code truncate} 0 for whole frames,
     * {@code sample} N for one frame in N; {@code status} "active" or what keeps it from sending; {@code frames},
     * {@code bytes} and {@code truncated} count the copies made, {@code skipped} the selected frames not copied, by
     * reason; {@code erspan} (ERSPAN sessions only) what the sender did with the copies, and {@code note} the last
     * thing it found wrong sending them, if any.
     */
    public record MirrorView(String name, MirrorSourcesView sources, String direction, Map<String, Object> destination,
                             int truncate, int sample, boolean active, String status, long frames, long bytes,
                             long truncated, Map<String, Long> skipped,
                             @JsonInclude(JsonInclude.Include.NON_NULL) ErspanView erspan,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
    }

    /**
     * What an ERSPAN session's sender did: {@code packets} and {@code bytes} sent (from the GRE header on; a cut
     * super-frame is a packet per segment), {@code mtuTruncated} copies cut to fit the path MTU, {@code dropped} by
     * reason ({@code queue_full}, {@code unreachable}, {@code refused}).
     */
    public record ErspanView(long packets, long bytes, long mtuTruncated, Map<String, Long> dropped) {
    }

    public static List<MirrorView> mirrors(Switch sw) {
        List<MirrorView> out = new ArrayList<>();
        CounterReading all = sw.counters().read();
        for (Mirror m : sw.mirrors()) {
            MirrorSession s = m.session();
            CounterValues c = m.counters();
            ErspanView erspan = null;
            Map<String, Object> destination = new LinkedHashMap<>();
            if (s.remote()) {
                CounterValues e = all.of(CounterScope.MIRROR, m.name());
                Map<String, Long> dropped = new LinkedHashMap<>();
                for (ErspanCounter k : ErspanCounter.values()) {
                    if (k.kind() == CounterKind.DROP) {
                        dropped.put(k.familyLabel(), e.get(k));
                    }
                }
                erspan = new ErspanView(e.get(ErspanCounter.PACKETS), e.get(ErspanCounter.BYTES),
                    e.get(ErspanCounter.MTU_TRUNCATED), dropped);
                destination.put("erspan", erspanDestination(s.erspan()));
            } else {
                destination.put("port", s.destinationPort());
            }
            Map<String, Long> skipped = new LinkedHashMap<>();
            for (MirrorCounter k : MirrorCounter.values()) {
                if (k.kind() == CounterKind.DROP && (s.remote() || k != MirrorCounter.ERSPAN_LOOP)) {
                    skipped.put(k.key(), c.get(k));
                }
            }
            out.add(new MirrorView(s.name(), new MirrorSourcesView(s.sourcePorts(), VlanRange.format(s.sourceVlans())),
                s.direction().label(), destination, s.truncate(), s.sample(), m.active(),
                m.status(), c.get(MirrorCounter.FRAMES), c.get(MirrorCounter.BYTES), c.get(MirrorCounter.TRUNCATED),
                skipped, erspan, m.destinationNote()));
        }
        return out;
    }

    /** An ERSPAN destination as the config writes it, defaults left out but the version. */
    static Map<String, Object> erspanDestination(ErspanDestination e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("remote", e.remote().getHostAddress());
        if (e.local() != null) {
            d.put("local", e.local().getHostAddress());
        }
        d.put("sessionId", e.sessionId());
        d.put("version", e.type());
        if (e.dscp() != 0) {
            d.put("dscp", e.dscp());
        }
        if (e.ttl() != 0) {
            d.put("ttl", e.ttl());
        }
        if (e.index() != 0) {
            d.put("index", e.index());
        }
        if (e.hardwareId() != 0) {
            d.put("hardwareId", e.hardwareId());
        }
        return d;
    }

    public static List<PortGroupView> portGroups(Switch sw) {
        List<PortGroupView> out = new ArrayList<>();
        for (PortGroup g : sw.portGroups()) {
            PortGroupPolicy p = g.policy();
            List<String> members = sortedPorts(sw).stream().filter(port -> port.portGroup() == g).map(Port::name)
                .toList();
            out.add(new PortGroupView(g.name(), p.vlan().toString(), SecurityView.of(p.security()),
                LearningView.of(p.macLearning()), ShapingView.of(p.shaping()), members));
        }
        return out;
    }

    public static List<TunnelView> tunnels(Switch sw, List<TunnelInfo> tunnels) {
        CounterReading counts = sw.counters().read();
        List<TunnelView> out = new ArrayList<>();
        for (TunnelInfo t : tunnels) {
            Vtep v = t.vtep();
            List<VniView> vnis = new ArrayList<>();
            for (int vni : v.vnis().vnis()) {
                FloodTargets targets = v.floodTargets(vni);
                List<String> flood = new ArrayList<>();
                for (int i = 0; targets != null && i < targets.size(); i++) { // a VNI without a flood list: none
                    flood.add(v.remotes().address(targets.vtepId(i)).toString());
                }
                if (targets != null && targets.group() != null) {
                    flood.add("group " + targets.group());
                }
                vnis.add(new VniView(vni, v.vnis().vlanOf(vni), flood));
            }
            CounterValues c = counts.of(CounterScope.TUNNEL, t.name());
            List<PeerView> peers = new ArrayList<>();
            for (int id : v.remotes().ids()) {
                String address = v.remotes().address(id).toString();
                CounterValues p = counts.of(CounterScope.REMOTE_VTEP, t.name() + " " + address);
                peers.add(new PeerView(address, p.get(PeerCounter.RX_PACKETS), p.get(PeerCounter.TX_PACKETS)));
            }
            out.add(new TunnelView(t.name(), t.local(), t.udpPort(), v.acceptFrom().label(), vnis, peers,
                c.get(TunnelCounter.ENCAPSULATED), c.get(TunnelCounter.DECAPSULATED),
                c.get(TunnelCounter.INNER_CSUM_UNFINISHED), c.nonZero(CounterKind.DROP)));
        }
        return out;
    }

    public static List<FdbEntryView> fdb(Switch sw, long now, FdbFilter filter) {
        List<FdbEntryView> out = new ArrayList<>();
        for (FdbRow r : sw.fdbRows(now)) {
            if (filter.matches(r)) {
                out.add(new FdbEntryView(r.port(), r.vlan() == FdbRow.ANY_VLAN ? null : r.vlan(),
                    MacAddress.format(r.mac()), r.type().label(), r.ageSeconds() < 0 ? null : r.ageSeconds(),
                    r.moves(), r.remote() == Fdb.NO_REMOTE ? null : sw.remoteName(r.remote()),
                    r.sequence() == Fdb.NO_SEQUENCE ? null : r.sequence()));
            }
        }
        return out;
    }

    public static List<PortStatsView> stats(Switch sw) {
        CounterReading counts = sw.counters().read();
        List<PortStatsView> out = new ArrayList<>();
        for (Port p : sortedPorts(sw)) {
            CounterValues c = counts.of(CounterScope.PORT, p.name());
            Map<String, Long> drops = c.nonZero(CounterKind.DROP);
            if (p.isTunnel()) { // what its VTEP dropped before the switch saw a frame (unknown_vtep, mtu_exceeded...)
                drops.putAll(counts.of(CounterScope.TUNNEL, p.name()).nonZero(CounterKind.DROP));
            }
            out.add(new PortStatsView(p.name(), c.get(PortCounter.RX_FRAMES), c.get(PortCounter.RX_BYTES),
                c.get(PortCounter.TX_FRAMES), c.get(PortCounter.TX_BYTES), drops,
                c.nonZero(CounterKind.OFFLOAD),
                suppression(c, PortCounter.ARP_SUPPRESSED, PortCounter.ARP_FLOODED),
                suppression(c, PortCounter.ND_SUPPRESSED, PortCounter.ND_FLOODED)));
        }
        return out;
    }

    /** ARP or ND suppression's two counts of a port, or null (left out of the JSON) where it never ran. */
    private static Map<String, Long> suppression(CounterValues c, PortCounter answered, PortCounter flood) {
        long suppressed = c.get(answered);
        long flooded = c.get(flood);
        return suppressed == 0 && flooded == 0 ? null : Map.of("suppressed", suppressed, "flooded", flooded);
    }

    /** Ports in the order they were added (their ids), the order an operator configured them. */
    static List<Port> sortedPorts(Switch sw) {
        List<Port> ports = new ArrayList<>(sw.ports());
        ports.sort(Comparator.comparingInt(Port::id));
        return ports;
    }
}
