package io.vxswitch.forwarding.mirror;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What a mirror session counts: the copies it made (frames and bytes as sent, after truncation), how many of them
 * were cut short, and the frames it selected but did not copy, by why.
 */
public enum MirrorCounter implements CounterDescriptor {
    FRAMES("frames", "copies sent to the session's destination", CounterKind.TRAFFIC, Metrics.FRAMES, null),
    BYTES("bytes", "bytes of those copies, as sent (after truncation)", CounterKind.TRAFFIC, Metrics.BYTES, null),
    TRUNCATED("truncated", "copies cut to the session's truncate length", CounterKind.TRAFFIC, Metrics.TRUNCATED,
        null),
    SAMPLING("sampling", "selected frames left out by sampling (one in N is copied)", CounterKind.DROP,
        Metrics.SKIPPED, "sampling"),
    DESTINATION_DOWN("destination_down", "selected frames not copied because the destination port is down or missing:"
        + " bring it up or add it", CounterKind.DROP, Metrics.SKIPPED, "destination_down"),
    ERSPAN_LOOP("erspan_loop", "selected frames not copied because they are this switch's own ERSPAN packets to a"
        + " collector (its route crosses a mirrored port or VLAN): copying them would loop", CounterKind.DROP,
        Metrics.SKIPPED, "erspan_loop");

    private final String key;
    private final String description;
    private final CounterKind kind;
    private final MetricFamily family;
    private final String familyLabel;

    MirrorCounter(String key, String description, CounterKind kind, MetricFamily family, String familyLabel) {
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

    /** The Prometheus families, here because two counters share one (skipped frames by reason). */
    static final class Metrics {
        static final MetricFamily FRAMES = MetricFamily.of("vxswitch_mirror_frames",
            "Mirrored copies sent to the session's destination.", "session");
        static final MetricFamily BYTES = MetricFamily.of("vxswitch_mirror_bytes",
            "Bytes of mirrored copies as sent (after truncation).", "session");
        static final MetricFamily TRUNCATED = MetricFamily.of("vxswitch_mirror_truncated",
            "Mirrored copies cut to the session's truncate length.", "session");
        static final MetricFamily SKIPPED = MetricFamily.byLabel("vxswitch_mirror_skipped",
            "Frames a session selected but did not copy, by reason.", "reason", "session");

        private Metrics() {
        }
    }
}
