package io.vxswitch.lab.node;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.PortKind;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keeps the trace of the first frame a host switch decided on that matches a filter, e.g. the first ICMP
 * echo request, or the first frame dropped on a vNIC port. While a capture is still empty the host switch
 * forwards with a {@link io.vxswitch.forwarding.trace.Trace} (the lab is not a hot path); afterwards it takes
 * the untraced path.
 */
public final class TraceCapture {
    /** What the filter sees: where the frame came in, the frame, and what the switch decided. */
    public record Candidate(String inPort, PortKind inKind, byte[] frame, ForwardingDecision decision) {
    }

    private final Predicate<Candidate> filter;
    private TracedFrame first;

    public TraceCapture(Predicate<Candidate> filter) {
        this.filter = filter;
    }

    /** The first ICMP echo request to enter the switch, from any port. */
    public static TraceCapture firstEchoRequest() {
        return new TraceCapture(c -> Frames.isIcmpEchoRequest(c.frame()));
    }

    /** The first frame from a vNIC that the switch dropped, e.g. a forged transmit. */
    public static TraceCapture firstVnicDrop() {
        return new TraceCapture(c -> c.inKind() == PortKind.VNIC && c.decision().dropped());
    }

    /** True while nothing has been captured. */
    boolean open() {
        return first == null;
    }

    /** Keeps {@code traced} if it is the first candidate that matches. */
    void offer(Candidate candidate, TracedFrame traced) {
        if (first == null && filter.test(candidate)) {
            first = traced;
        }
    }

    public Optional<TracedFrame> first() {
        return Optional.ofNullable(first);
    }
}
