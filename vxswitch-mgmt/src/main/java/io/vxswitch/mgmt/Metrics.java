package io.vxswitch.mgmt;

import io.vxswitch.ipfix.IpfixStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterReading;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.counters.MetricFamily;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.vxlan.FloodTargets;
import io.vxswitch.vxlan.Vtep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The switch's counters for Prometheus (the official client's data model and text format). One scrape = one
 * {@link #snapshot} taken on the switch loop, so all series of a scrape describe the same instant. Counters come
 * from the switch's counter registry, each a series of the family its descriptor names, labelled as the family
 * says: this class knows no counter, so one added to a descriptor enum is exported as it is described. What is not
 * a count (a port being up, the FDB's size, flood lists) is read off the switch and its tunnels as gauges. With
 * EVPN, the BGP sessions and EVPN routes are added from the speaker's views, asked after the switch loop's visit
 * (they live on the speaker's thread, not the loop).
 */
public final class Metrics {
    private Metrics() {
    }

    /** One scrape: the switch's series (one visit to its loop) and, with EVPN, the control plane's. */
    public static MetricSnapshots scrape(ManagedSwitch sw) {
        List<MetricSnapshot> out = new ArrayList<>();
        sw.call(s -> snapshot(s, sw)).forEach(out::add);
        if (sw.evpnEnabled()) {
            addBgp(sw.bgpNeighbors(), out);
            addEvpnRoutes(sw.evpnRoutes(), out);
        }
        List<LagStatus> lags = sw.lags();
        if (!lags.isEmpty()) { // the members' counts are in the registry; their states are the LACP agent's
            addLacp(lags, out);
        }
        return new MetricSnapshots(out);
    }

    /** Builds every series from the switch's state; runs inside {@link ManagedSwitch#call}. */
    public static MetricSnapshots snapshot(Switch s, ManagedSwitch managed) {
        List<MetricSnapshot> out = new ArrayList<>();
        addCounters(s.counters().read(), out);
        List<Port> ports = new ArrayList<>(s.ports());
        ports.sort(Comparator.comparingInt(Port::id));
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("vxswitch_port_up").help("1 if the port is up.");
        for (Port p : ports) {
            up.dataPoint(gauge(p.up() ? 1 : 0, "port", p.name()));
        }
        out.add(up.build());
        addFdb(s, out);
        addTunnels(managed.tunnels(), out);
        IpfixStatus ipfix = managed.ipfix();
        if (ipfix != null) { // its counters are in the registry; what the cache holds now is a gauge
            out.add(GaugeSnapshot.builder().name("vxswitch_ipfix_cache_flows")
                .help("Flows in the IPFIX flow cache now.").dataPoint(gauge(ipfix.cached())).build());
        }
        return new MetricSnapshots(out);
    }

    /** Every exported counter of every instance: a series of its family, with the family's labels. */
    private static void addCounters(CounterReading reading, List<MetricSnapshot> out) {
        Map<MetricFamily, CounterSnapshot.Builder> families = new LinkedHashMap<>();
        for (CounterScope scope : CounterScope.values()) {
            for (CounterValues v : reading.all(scope)) {
                for (CounterDescriptor d : v.counters()) {
                    MetricFamily f = d.family();
                    if (f != null) {
                        families.computeIfAbsent(f, k -> CounterSnapshot.builder().name(k.name()).help(k.help()))
                            .dataPoint(CounterDataPointSnapshot.builder().value(v.get(d))
                                .labels(labels(f, d, v.instance())).build());
                    }
                }
            }
        }
        families.values().forEach(b -> out.add(b.build()));
    }

    private static Labels labels(MetricFamily f, CounterDescriptor d, CounterInstance instance) {
        List<String> pairs = new ArrayList<>();
        for (String name : f.instanceLabels()) {
            pairs.add(name);
            pairs.add(instance.labels().get(name));
        }
        if (f.label() != null) {
            pairs.add(f.label());
            pairs.add(d.familyLabel());
        }
        return Labels.of(pairs.toArray(String[]::new));
    }

    private static void addFdb(Switch s, List<MetricSnapshot> out) {
        TreeMap<Integer, int[]> perVlan = new TreeMap<>();
        s.fdb().forEach((vlan, mac, port, type, lastSeen, moves, remote) ->
            perVlan.computeIfAbsent(vlan, v -> new int[1])[0]++);
        GaugeSnapshot.Builder entries = GaugeSnapshot.builder().name("vxswitch_fdb_entries")
            .help("MAC table entries (learned, static and evpn) per VLAN.");
        perVlan.forEach((vlan, n) -> entries.dataPoint(gauge(n[0], "vlan", Integer.toString(vlan))));
        out.add(entries.build());
        out.add(GaugeSnapshot.builder().name("vxswitch_fdb_capacity").help("MAC table size.")
            .dataPoint(gauge(s.fdb().capacity())).build());
    }

    private static void addTunnels(List<TunnelInfo> tunnels, List<MetricSnapshot> out) {
        if (tunnels.isEmpty()) {
            return;
        }
        GaugeSnapshot.Builder peers = GaugeSnapshot.builder().name("vxswitch_vxlan_flood_list_peers")
            .help("Remote VTEPs in a VNI's flood list (head-end replication).");
        GaugeSnapshot.Builder known = GaugeSnapshot.builder().name("vxswitch_vxlan_remote_vteps")
            .help("Remote VTEPs the tunnel knows (configured or learned from received packets).");
        for (TunnelInfo t : tunnels) {
            Vtep v = t.vtep();
            for (int vni : v.vnis().vnis()) {
                FloodTargets f = v.floodTargets(vni);
                peers.dataPoint(gauge(f == null ? 0 : f.size(), "tunnel", t.name(), "vni", Integer.toString(vni)));
            }
            known.dataPoint(gauge(v.remotes().size(), "tunnel", t.name()));
        }
        out.add(peers.build());
        out.add(known.build());
    }

    /**
     * Each LAG member's LACP state as gauges: carrying traffic or not, and the actor's and partner's state bytes
     * (802.1AX bits: 1 activity, 2 timeout, 4 aggregation, 8 synchronization, 16 collecting, 32 distributing,
     * 64 defaulted, 128 expired), so an alert can ask for "in sync and distributing" (63) on both ends.
     */
    private static void addLacp(List<LagStatus> lags, List<MetricSnapshot> out) {
        GaugeSnapshot.Builder distributing = GaugeSnapshot.builder().name("vxswitch_lacp_member_distributing")
            .help("1 if the LAG member collects and distributes (carries traffic).");
        GaugeSnapshot.Builder actor = GaugeSnapshot.builder().name("vxswitch_lacp_member_actor_state")
            .help("The LACP state byte this switch sends on the member (63: in sync, collecting, distributing).");
        GaugeSnapshot.Builder partner = GaugeSnapshot.builder().name("vxswitch_lacp_member_partner_state")
            .help("The LACP state byte the member's partner last sent (0: nothing heard).");
        GaugeSnapshot.Builder members = GaugeSnapshot.builder().name("vxswitch_lag_distributing_members")
            .help("Members of the LAG that carry traffic.");
        for (LagStatus l : lags) {
            members.dataPoint(gauge(l.distributing(), "lag", l.name()));
            for (LagStatus.Member m : l.members()) {
                distributing.dataPoint(gauge(m.distributing() ? 1 : 0, "lag", l.name(), "member", m.name()));
                actor.dataPoint(gauge(m.actor().state(), "lag", l.name(), "member", m.name()));
                partner.dataPoint(gauge(m.partner().state(), "lag", l.name(), "member", m.name()));
            }
        }
        out.add(members.build());
        out.add(distributing.build());
        out.add(actor.build());
        out.add(partner.build());
    }

    private static void addBgp(List<NeighborView> neighbors, List<MetricSnapshot> out) {
        GaugeSnapshot.Builder established = GaugeSnapshot.builder().name("vxswitch_bgp_session_established")
            .help("1 if the BGP session with the neighbor is Established.");
        GaugeSnapshot.Builder received = GaugeSnapshot.builder().name("vxswitch_bgp_routes_received")
            .help("EVPN routes received from the neighbor and valid now.");
        CounterSnapshot.Builder transitions = CounterSnapshot.builder().name("vxswitch_bgp_established_transitions")
            .help("Times the session reached Established (more than 1: it flapped).");
        CounterSnapshot.Builder messages = CounterSnapshot.builder().name("vxswitch_bgp_messages")
            .help("BGP messages received (in) from and sent (out) to the neighbor.");
        CounterSnapshot.Builder updates = CounterSnapshot.builder().name("vxswitch_bgp_updates")
            .help("BGP UPDATE messages received (in) from and sent (out) to the neighbor.");
        for (NeighborView n : neighbors) {
            String neighbor = n.address();
            established.dataPoint(gauge("Established".equals(n.state()) ? 1 : 0, "neighbor", neighbor));
            received.dataPoint(gauge(n.routesReceived(), "neighbor", neighbor));
            transitions.dataPoint(counter(n.establishedTransitions(), "neighbor", neighbor));
            messages.dataPoint(counter(n.messagesIn(), "neighbor", neighbor, "direction", "in"));
            messages.dataPoint(counter(n.messagesOut(), "neighbor", neighbor, "direction", "out"));
            updates.dataPoint(counter(n.updatesIn(), "neighbor", neighbor, "direction", "in"));
            updates.dataPoint(counter(n.updatesOut(), "neighbor", neighbor, "direction", "out"));
        }
        out.add(established.build());
        out.add(received.build());
        out.add(transitions.build());
        out.add(messages.build());
        out.add(updates.build());
    }

    /** Routes in use by type and origin; every pair is a series, 0 included, so a rate or an alert has one. */
    private static void addEvpnRoutes(List<RouteView> routes, List<MetricSnapshot> out) {
        int[][] counts = new int[2][2]; // [type 2, type 3][local, remote]
        for (RouteView r : routes) {
            if (r.type() == 2 || r.type() == 3) {
                counts[r.type() - 2]["local".equals(r.source()) ? 0 : 1]++;
            }
        }
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("vxswitch_evpn_routes")
            .help("EVPN routes in use: originated here (local) or received and selected (remote), by route type"
                + " (2: MAC/IP, 3: inclusive multicast).");
        for (int type = 2; type <= 3; type++) {
            g.dataPoint(gauge(counts[type - 2][0], "type", Integer.toString(type), "source", "local"));
            g.dataPoint(gauge(counts[type - 2][1], "type", Integer.toString(type), "source", "remote"));
        }
        out.add(g.build());
    }

    /** The text format Prometheus scrapes (version 0.0.4). */
    public static byte[] text(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private static CounterDataPointSnapshot counter(double value, String... labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    private static GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
