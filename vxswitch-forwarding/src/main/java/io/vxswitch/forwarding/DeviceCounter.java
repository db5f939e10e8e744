package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What a port's device counts beside the switch: copies it could not send, frames it read but could not hand on,
 * and the offload work it did in software. Counted by the Linux dataplane's devices (each registers its own set for
 * its port); described here, beside the switch's own {@link PortCounter}s, so that every reader finds a port's
 * counters in one catalogue, and a port without a device (the lab's) reads zero.
 */
public enum DeviceCounter implements CounterDescriptor {
    TX_QUEUE_FULL("tx_queue_full", CounterKind.DROP, PortMetrics.TX_DROPS, "queue_full",
        "copies dropped because every transmit slot waited for the sender"),
    TX_REFUSED("tx_refused", CounterKind.DROP, PortMetrics.TX_DROPS, "refused",
        "copies the kernel refused or could not queue, or too large for the device"),
    RX_REFUSED("rx_refused", CounterKind.DROP, PortMetrics.RX_DROPS, "refused",
        "frames read but not forwarded: longer than the port takes, or an offload the device cannot take"),
    GSO_SUPER_FRAMES("superFramesCut", CounterKind.OFFLOAD, PortMetrics.GSO_SUPER_FRAMES, null,
        "super-frames cut into segments in software before sending (the wire takes only finished frames)"),
    GSO_SEGMENTS("segmentsFromCuts", CounterKind.OFFLOAD, PortMetrics.GSO_SEGMENTS, null,
        "the segments those super-frames became"),
    GRO_SUPER_FRAMES("superFramesCoalesced", CounterKind.OFFLOAD, PortMetrics.GRO_SUPER_FRAMES, null,
        "super-frames made by coalescing received TCP segments (GRO)"),
    GRO_SEGMENTS("segmentsCoalesced", CounterKind.OFFLOAD, PortMetrics.GRO_SEGMENTS, null,
        "the received segments those super-frames hold"),
    GUEST_RING_ERRORS("guest_ring_errors", CounterKind.DROP, PortMetrics.RX_DROPS, "guest_ring_error",
        "times the guest behind a vhost-user port wrote garbage in its rings and the port was stopped");

    private final String key;
    private final CounterKind kind;
    private final MetricFamily family;
    private final String familyLabel;
    private final String description;

    DeviceCounter(String key, CounterKind kind, MetricFamily family, String familyLabel, String description) {
        this.key = key;
        this.kind = kind;
        this.family = family;
        this.familyLabel = familyLabel;
        this.description = description;
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
        return kind;
    }

    @Override
    public MetricFamily family() {
        return family;
    }

    @Override
    public String familyLabel() {
        return familyLabel;
    }
}
