package io.vxswitch.vxlan;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/** What a tunnel counts per remote VTEP ({@link RemoteVteps}): VXLAN packets from it and to it. */
public enum PeerCounter implements CounterDescriptor {
    RX_PACKETS("rxPackets", "VXLAN packets decapsulated from the remote VTEP", VxlanMetrics.PEER_RX),
    TX_PACKETS("txPackets", "VXLAN packets encapsulated to the remote VTEP (each flooded copy counts)",
        VxlanMetrics.PEER_TX);

    private final String key;
    private final String description;
    private final MetricFamily family;

    PeerCounter(String key, String description, MetricFamily family) {
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
        return CounterScope.REMOTE_VTEP;
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
