package io.vxswitch.vxlan;

import io.vxswitch.forwarding.counters.MetricFamily;

/** The Prometheus families of a tunnel's counters ({@link TunnelCounter}, {@link VxlanDrop}, {@link PeerCounter}). */
final class VxlanMetrics {
    static final MetricFamily ENCAPSULATED = MetricFamily.of("vxswitch_vxlan_encapsulated",
        "Frames encapsulated towards remote VTEPs.", "tunnel");
    static final MetricFamily DECAPSULATED = MetricFamily.of("vxswitch_vxlan_decapsulated",
        "VXLAN packets decapsulated into the switch.", "tunnel");
    static final MetricFamily INNER_CSUM_UNFINISHED = MetricFamily.of("vxswitch_vxlan_inner_csum_unfinished",
        "Decapsulated TCP/UDP with a checksum the sender left unfinished (CHECKSUM_PARTIAL); VMs drop them.",
        "tunnel");
    static final MetricFamily DROPS = MetricFamily.byLabel("vxswitch_vxlan_drops",
        "VXLAN packets or frames dropped by the tunnel, by reason.", "reason", "tunnel");
    static final MetricFamily PEER_RX = MetricFamily.of("vxswitch_vxlan_peer_rx_packets",
        "VXLAN packets decapsulated from each remote VTEP.", "tunnel", "remote");
    static final MetricFamily PEER_TX = MetricFamily.of("vxswitch_vxlan_peer_tx_packets",
        "VXLAN packets encapsulated to each remote VTEP (each flooded copy counts).", "tunnel", "remote");

    private VxlanMetrics() {
    }
}
