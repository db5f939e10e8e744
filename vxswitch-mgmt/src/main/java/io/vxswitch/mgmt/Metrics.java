package io.vxswitch.mgmt;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterReading;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.counters.MetricFamily;
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
 * a count (a port being up, the FDB's size, flood lists) is read off the switch and its tunnels as gauges.
 */
public final class Metrics {
    private Metrics() {
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
            .help("MAC table entries (learned and static) per VLAN.");
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

    private static GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
