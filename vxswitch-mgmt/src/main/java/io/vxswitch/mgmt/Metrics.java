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
import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounters;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.FdbStats;
import io.vxswitch.packet.Malformation;
import io.vxswitch.vxlan.FloodTargets;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDrop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The switch's counters for Prometheus (the official client's data model and text format). One scrape = one
 * {@link #snapshot} taken on the switch loop, so all series of a scrape describe the same instant; the data path
 * keeps counting into plain per-port fields and never knows about Prometheus.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Builds every series from the switch's state; runs inside {@link ManagedSwitch#call}. */
    public static MetricSnapshots snapshot(Switch s, ManagedSwitch managed) {
        List<MetricSnapshot> out = new ArrayList<>();
        List<Port> ports = new ArrayList<>(s.ports());
        ports.sort(Comparator.comparingInt(Port::id));

        out.add(portCounter("vxswitch_port_rx_frames", "Frames received on the port.", ports, PortCounters::rxFrames));
        out.add(portCounter("vxswitch_port_rx_bytes", "Bytes received on the port.", ports, PortCounters::rxBytes));
        out.add(portCounter("vxswitch_port_tx_frames", "Frames the switch sent to the port.", ports,
            PortCounters::txFrames));
        out.add(portCounter("vxswitch_port_tx_bytes", "Bytes the switch sent to the port.", ports,
            PortCounters::txBytes));

        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("vxswitch_port_drops")
            .help("Frames received on the port and dropped, by reason (malformed: any parse failure).");
        for (Port p : ports) {
            PortCounters c = p.counters();
            for (DropReason r : DropReason.values()) {
                if (r != DropReason.MALFORMED) {
                    drops.dataPoint(counter(c.drops(r), "port", p.name(), "reason", r.counterName()));
                }
            }
            long malformed = 0;
            for (Malformation m : Malformation.values()) {
                malformed += c.malformed(m);
            }
            drops.dataPoint(counter(malformed, "port", p.name(), "reason", "malformed"));
        }
        out.add(drops.build());

        CounterSnapshot.Builder txDrops = CounterSnapshot.builder().name("vxswitch_port_tx_drops")
            .help("Copies the port's device could not send: queue_full (the sender fell behind), refused (the kernel"
                + " refused them or they did not fit).");
        CounterSnapshot.Builder rxDrops = CounterSnapshot.builder().name("vxswitch_port_rx_drops")
            .help("Frames the port's device read but could not forward: refused (longer than the port takes, a "
                + "partial checksum or a super-frame it cannot take).");
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("vxswitch_port_up").help("1 if the port is up.");
        for (Port p : ports) {
            ManagedSwitch.DeviceDrops d = managed.deviceDrops(p.name());
            txDrops.dataPoint(counter(d.txQueueFull(), "port", p.name(), "reason", "queue_full"));
            txDrops.dataPoint(counter(d.txRefused(), "port", p.name(), "reason", "refused"));
            rxDrops.dataPoint(counter(d.rxRefused(), "port", p.name(), "reason", "refused"));
            up.dataPoint(gauge(p.up() ? 1 : 0, "port", p.name()));
        }
        out.add(txDrops.build());
        out.add(rxDrops.build());
        out.add(up.build());
        addOffload(ports, managed, out);

        addFdb(s, out);
        addTunnels(managed.tunnels(), out);
        return new MetricSnapshots(out);
    }

    private static void addOffload(List<Port> ports, ManagedSwitch managed, List<MetricSnapshot> out) {
        CounterSnapshot.Builder cut = CounterSnapshot.builder().name("vxswitch_port_gso_super_frames")
            .help("Super-frames (from taps with offload) the port's device cut into segments in software.");
        CounterSnapshot.Builder cutSegments = CounterSnapshot.builder().name("vxswitch_port_gso_segments")
            .help("Segments the port's device cut those super-frames into.");
        CounterSnapshot.Builder gro = CounterSnapshot.builder().name("vxswitch_port_gro_super_frames")
            .help("Super-frames the port's device coalesced from received TCP segments (GRO).");
        CounterSnapshot.Builder groSegments = CounterSnapshot.builder().name("vxswitch_port_gro_segments")
            .help("Received TCP segments the port's device coalesced into super-frames.");
        for (Port p : ports) {
            ManagedSwitch.DeviceOffload o = managed.deviceOffload(p.name());
            cut.dataPoint(counter(o.superFramesCut(), "port", p.name()));
            cutSegments.dataPoint(counter(o.segmentsFromCuts(), "port", p.name()));
            gro.dataPoint(counter(o.superFramesCoalesced(), "port", p.name()));
            groSegments.dataPoint(counter(o.segmentsCoalesced(), "port", p.name()));
        }
        out.add(cut.build());
        out.add(cutSegments.build());
        out.add(gro.build());
        out.add(groSegments.build());
    }

    private static void addFdb(Switch s, List<MetricSnapshot> out) {
        TreeMap<Integer, int[]> perVlan = new TreeMap<>();
        s.fdb().forEach((vlan, mac, port, type, lastSeen, moves, remote) ->
            perVlan.computeIfAbsent(vlan, v -> new int[1])[0]++);
        GaugeSnapshot.Builder entries = GaugeSnapshot.builder().name("vxswitch_fdb_entries")
            .help("MAC table entries (learned and static) per VLAN.");
        perVlan.forEach((vlan, n) -> entries.dataPoint(gauge(n[0], "vlan", Integer.toString(vlan))));
        out.add(entries.build());
        FdbStats st = s.fdb().stats();
        out.add(GaugeSnapshot.builder().name("vxswitch_fdb_capacity").help("MAC table size.")
            .dataPoint(gauge(st.capacity())).build());
        out.add(plainCounter("vxswitch_fdb_learned", "MACs learned.", st.learned()));
        out.add(plainCounter("vxswitch_fdb_moved", "Learned MACs that moved to another port or remote VTEP.",
            st.moved()));
        out.add(plainCounter("vxswitch_fdb_aged", "Learned MACs removed after their aging time.", st.aged()));
        out.add(plainCounter("vxswitch_fdb_evicted", "Learned MACs evicted to make room in a full table.",
            st.evicted()));
        out.add(plainCounter("vxswitch_fdb_limit_reached", "New MACs refused by a port's MAC limit.",
            st.limitReached()));
        out.add(plainCounter("vxswitch_fdb_flaps", "MACs found flapping (more moves than the MAC move guard allows).",
            st.flaps()));
        out.add(plainCounter("vxswitch_fdb_frozen_refused", "Moves refused because the MAC was frozen.",
            st.frozenRefused()));
    }

    private static void addTunnels(List<TunnelInfo> tunnels, List<MetricSnapshot> out) {
        if (tunnels.isEmpty()) {
            return;
        }
        CounterSnapshot.Builder encap = CounterSnapshot.builder().name("vxswitch_vxlan_encapsulated")
            .help("Frames encapsulated towards remote VTEPs.");
        CounterSnapshot.Builder decap = CounterSnapshot.builder().name("vxswitch_vxlan_decapsulated")
            .help("VXLAN packets decapsulated into the switch.");
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("vxswitch_vxlan_drops")
            .help("VXLAN packets or frames dropped by the tunnel, by reason.");
        GaugeSnapshot.Builder peers = GaugeSnapshot.builder().name("vxswitch_vxlan_flood_list_peers")
            .help("Remote VTEPs in a VNI's flood list (head-end replication).");
        CounterSnapshot.Builder peerRx = CounterSnapshot.builder().name("vxswitch_vxlan_peer_rx_packets")
            .help("VXLAN packets decapsulated from each remote VTEP.");
        CounterSnapshot.Builder peerTx = CounterSnapshot.builder().name("vxswitch_vxlan_peer_tx_packets")
            .help("VXLAN packets encapsulated to each remote VTEP (each flooded copy counts).");
        GaugeSnapshot.Builder known = GaugeSnapshot.builder().name("vxswitch_vxlan_remote_vteps")
            .help("Remote VTEPs the tunnel knows (configured or learned from received packets).");
        for (TunnelInfo t : tunnels) {
            Vtep v = t.vtep();
            VxlanCounters c = t.counters();
            encap.dataPoint(counter(c.encapsulated(), "tunnel", t.name()));
            decap.dataPoint(counter(c.decapsulated(), "tunnel", t.name()));
            for (VxlanDrop d : VxlanDrop.values()) {
                if (d != VxlanDrop.NONE) {
                    drops.dataPoint(counter(c.drops(d), "tunnel", t.name(), "reason", d.counterName()));
                }
            }
            for (int vni : v.vnis().vnis()) {
                FloodTargets f = v.floodTargets(vni);
                peers.dataPoint(gauge(f == null ? 0 : f.size(), "tunnel", t.name(), "vni", Integer.toString(vni)));
            }
            known.dataPoint(gauge(v.remotes().size(), "tunnel", t.name()));
            for (int id : v.remotes().ids()) {
                String remote = v.remotes().address(id).toString();
                peerRx.dataPoint(counter(v.remotes().rxPackets(id), "tunnel", t.name(), "remote", remote));
                peerTx.dataPoint(counter(v.remotes().txPackets(id), "tunnel", t.name(), "remote", remote));
            }
        }
        out.add(encap.build());
        out.add(decap.build());
        out.add(drops.build());
        out.add(peers.build());
        out.add(known.build());
        out.add(peerRx.build());
        out.add(peerTx.build());
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

    private interface PortValue {
        long of(PortCounters c);
    }

    private static CounterSnapshot portCounter(String name, String help, List<Port> ports, PortValue value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (Port p : ports) {
            b.dataPoint(counter(value.of(p.counters()), "port", p.name(), "kind", p.kind().label()));
        }
        return b.build();
    }

    private static CounterSnapshot plainCounter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(counter(value)).build();
    }

    private static CounterDataPointSnapshot counter(long value, String... labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    private static GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
