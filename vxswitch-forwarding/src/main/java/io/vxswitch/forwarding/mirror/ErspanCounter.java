package io.vxswitch.forwarding.mirror;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What an ERSPAN session's sender counts, beside the session's own {@link MirrorCounter}s: the ERSPAN packets it sent
 * (a copy of a TCP super-frame goes as one packet per segment), the copies it cut to fit the underlay's MTU, and the
 * copies it could not send, by why. Counted by the Linux dataplane's ERSPAN senders (one per forwarding loop, read
 * as their sum under the session's name); zero for a SPAN session.
 */
public enum ErspanCounter implements CounterDescriptor {
    PACKETS("erspan_packets", "ERSPAN packets the kernel took for the collector", CounterKind.TRAFFIC,
        Metrics.PACKETS, null),
    BYTES("erspan_bytes", "bytes of those packets after the IP header (GRE, ERSPAN header, the copy)",
        CounterKind.TRAFFIC, Metrics.BYTES, null),
    MTU_TRUNCATED("erspan_mtu_truncated", "copies cut to fit the path MTU to the collector (the ERSPAN T bit set)",
        CounterKind.TRAFFIC, Metrics.MTU_TRUNCATED, null),
    QUEUE_FULL("erspan_queue_full", "copies dropped because every transmit slot waited for the sender",
        CounterKind.DROP, Metrics.DROPPED, "queue_full"),
    UNREACHABLE("erspan_unreachable", "packets the kernel could not send for want of a route or a neighbour, or that"
        + " the collector's side answered with an ICMP error: check the route to the collector", CounterKind.DROP,
        Metrics.DROPPED, "unreachable"),
    REFUSED("erspan_refused", "packets the kernel refused (a firewall: EPERM; too large for the path: EMSGSIZE;"
        + " other errors), and copies that could not be cut into segments", CounterKind.DROP, Metrics.DROPPED,
        "refused");

    private final String key;
    private final String description;
    private final CounterKind kind;
    private final MetricFamily family;
    private final String familyLabel;

    ErspanCounter(String key, String description, CounterKind kind, MetricFamily family, String familyLabel) {
        this.key = key;
        this.description = description;
        this.kind = kind;
        this.family = family;
        this.familyLabel = familyLabel;
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
        return CounterScope.MIRROR;
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

    /** The Prometheus families. */
    static final class Metrics {
        static final MetricFamily PACKETS = MetricFamily.of("vxswitch_mirror_erspan_packets",
            "ERSPAN packets sent to the session's collector.", "session");
        static final MetricFamily BYTES = MetricFamily.of("vxswitch_mirror_erspan_bytes",
            "Bytes of ERSPAN packets sent, from the GRE header on.", "session");
        static final MetricFamily MTU_TRUNCATED = MetricFamily.of("vxswitch_mirror_erspan_mtu_truncated",
            "Mirrored copies cut to fit the path MTU to the collector.", "session");
        static final MetricFamily DROPPED = MetricFamily.byLabel("vxswitch_mirror_erspan_dropped",
            "Mirrored copies or ERSPAN packets not sent to the collector, by reason.", "reason", "session");

        private Metrics() {
        }
    }
}
