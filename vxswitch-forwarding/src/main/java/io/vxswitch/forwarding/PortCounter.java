package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What the switch counts of every frame on a port, beside its drops ({@link DropReason}, and malformed frames by
 * {@link io.vxswitch.packet.Malformation}): frames and bytes each way, as {@code ip -s link} shows them.
 */
public enum PortCounter implements CounterDescriptor {
    RX_FRAMES("rxFrames", "frames received on the port", PortMetrics.RX_FRAMES),
    RX_BYTES("rxBytes", "bytes received on the port", PortMetrics.RX_BYTES),
    TX_FRAMES("txFrames", "frames the switch sent to the port", PortMetrics.TX_FRAMES),
    TX_BYTES("txBytes", "bytes the switch sent to the port", PortMetrics.TX_BYTES),
    /** RFC 7432 §10: an ARP request from this port answered by the switch from its bindings, not flooded. */
    ARP_SUPPRESSED("arpSuppressed", "ARP requests from the port answered by the switch (ARP suppression)",
        PortMetrics.ARP_SUPPRESSED),
    /** An ARP request from this port, in a VLAN with ARP suppression, for an address with no binding: flooded. */
    ARP_FLOODED("arpFlooded", "ARP requests from the port flooded for want of a binding (ARP suppression on)",
        PortMetrics.ARP_FLOODED),
    /** RFC 9161: a neighbour solicitation from this port answered by the switch from its bindings, not flooded. */
    ND_SUPPRESSED("ndSuppressed", "IPv6 neighbour solicitations from the port answered by the switch (ND suppression)",
        PortMetrics.ND_SUPPRESSED),
    /** A neighbour solicitation from this port, in a VLAN with suppression, for an address with no binding: flooded. */
    ND_FLOODED("ndFlooded", "IPv6 neighbour solicitations from the port flooded for want of a binding (ND suppression on)",
        PortMetrics.ND_FLOODED);

    private final String key;
    private final String description;
    private final MetricFamily family;

    PortCounter(String key, String description, MetricFamily family) {
        this.key = key;
        this.description = description;
        this.family = family;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public CounterScope scope() {
        return CounterScope.PORT;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.TRAFFIC;
    }

    @Override
    public MetricFamily family() {
        return family;
    }
}
