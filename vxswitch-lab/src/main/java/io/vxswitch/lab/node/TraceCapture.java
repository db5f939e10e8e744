package io.vxswitch.lab.node;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Records the trace of the first frame entering a host switch that matches a filter, e.g. the first ICMP
 * echo request. Only that frame is forwarded with a {@link io.vxswitch.forwarding.trace.Trace}; every
 * other frame takes the untraced path.
 */
public final class TraceCapture {
    private final Predicate<byte[]> filter;
    private TracedFrame first;

    public TraceCapture(Predicate<byte[]> filter) {
        this.filter = filter;
    }

    /** True while nothing has been captured and {@code frame} matches. */
    boolean wants(byte[] frame) {
        return first == null && filter.test(frame);
    }

    void record(TracedFrame traced) {
        if (first == null) {
            first = traced;
        }
    }

    public Optional<TracedFrame> first() {
        return Optional.ofNullable(first);
    }
}
