package io.vxswitch.vxlan;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What a tunnel endpoint counts beside its drops ({@link VxlanDrop}): packets each way, and received packets that
 * will not survive the VM although the switch forwards them.
 */
public enum TunnelCounter implements CounterDescriptor {
    ENCAPSULATED("encapsulated", "frames encapsulated towards remote VTEPs", VxlanMetrics.ENCAPSULATED),
    DECAPSULATED("decapsulated", "VXLAN packets decapsulated into the switch", VxlanMetrics.DECAPSULATED),
    INNER_CSUM_UNFINISHED("inner_csum_unfinished", "decapsulated TCP/UDP whose checksum the sender left for a NIC "
        + "to finish (CHECKSUM_PARTIAL): forwarded, and dropped by the VM", VxlanMetrics.INNER_CSUM_UNFINISHED);

    private final String key;
    private final String description;
    private final MetricFamily family;

    TunnelCounter(String key, String description, MetricFamily family) {
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
        return CounterScope.TUNNEL;
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
