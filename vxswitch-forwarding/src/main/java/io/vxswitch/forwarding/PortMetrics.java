package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * The Prometheus families of a port's counters ({@link PortCounter}, {@link DropReason}, {@link DeviceCounter}),
 * here because several descriptors share one (drops by reason).
 */
public final class PortMetrics {
    public static final MetricFamily RX_FRAMES = MetricFamily.of("vxswitch_port_rx_frames",
        "Frames received on the port.", "port", "kind");
    public static final MetricFamily RX_BYTES = MetricFamily.of("vxswitch_port_rx_bytes",
        "Bytes received on the port.", "port", "kind");
    public static final MetricFamily TX_FRAMES = MetricFamily.of("vxswitch_port_tx_frames",
        "Frames the switch sent to the port.", "port", "kind");
    public static final MetricFamily TX_BYTES = MetricFamily.of("vxswitch_port_tx_bytes",
        "Bytes the switch sent to the port.", "port", "kind");
    public static final MetricFamily DROPS = MetricFamily.byLabel("vxswitch_port_drops",
        "Frames received on the port and dropped, by reason (malformed: any parse failure).", "reason", "port");
    public static final MetricFamily TX_DROPS = MetricFamily.byLabel("vxswitch_port_tx_drops",
        "Copies the port's device could not send: queue_full (the sender fell behind), refused (the kernel"
            + " refused them or they did not fit).", "reason", "port");
    public static final MetricFamily RX_DROPS = MetricFamily.byLabel("vxswitch_port_rx_drops",
        "Frames the port's device read but could not forward: refused (longer than the port takes, a "
            + "partial checksum or a super-frame it cannot take).", "reason", "port");
    public static final MetricFamily GSO_SUPER_FRAMES = MetricFamily.of("vxswitch_port_gso_super_frames",
        "Super-frames (from taps with offload) the port's device cut into segments in software.", "port");
    public static final MetricFamily GSO_SEGMENTS = MetricFamily.of("vxswitch_port_gso_segments",
        "Segments the port's device cut those super-frames into.", "port");
    public static final MetricFamily GRO_SUPER_FRAMES = MetricFamily.of("vxswitch_port_gro_super_frames",
        "Super-frames the port's device coalesced from received TCP segments (GRO).", "port");
    public static final MetricFamily GRO_SEGMENTS = MetricFamily.of("vxswitch_port_gro_segments",
        "Received TCP segments the port's device coalesced into super-frames.", "port");

    public static final MetricFamily ARP_SUPPRESSED = MetricFamily.of("vxswitch_port_arp_suppressed",
        "ARP requests from the port answered by the switch (ARP suppression).", "port", "kind");
    public static final MetricFamily ARP_FLOODED = MetricFamily.of("vxswitch_port_arp_flooded",
        "ARP requests from the port flooded for want of a binding, with ARP suppression on.", "port", "kind");
    public static final MetricFamily ND_SUPPRESSED = MetricFamily.of("vxswitch_port_nd_suppressed",
        "IPv6 neighbour solicitations from the port answered by the switch (ND suppression).", "port", "kind");
    public static final MetricFamily ND_FLOODED = MetricFamily.of("vxswitch_port_nd_flooded",
        "IPv6 neighbour solicitations from the port flooded for want of a binding, with suppression on.", "port",
        "kind");

    private PortMetrics() {
    }
}
