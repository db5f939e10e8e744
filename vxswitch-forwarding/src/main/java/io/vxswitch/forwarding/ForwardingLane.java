package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.forwarding.trace.TraceSink;
import io.vxswitch.forwarding.trace.TraceText;

import java.lang.foreign.MemorySegment;

/**
 * One thread's way into a {@link Switch}'s data path. Threads that forward at once each use their own lane (and
 * their own {@link ForwardingDecision}): a lane holds the per-frame scratch state and writes its own share of every
 * port's counters, and the FDB takes no lock for lookups and refreshes, so lanes share nothing they write per
 * frame. {@link Switch#forward} is lane 0.
 */
public final class ForwardingLane {
    private final Switch sw;
    private final int index;
    private final ForwardingPipeline pipeline;

    ForwardingLane(Switch sw, int index) {
        this.sw = sw;
        this.index = index;
        this.pipeline = new ForwardingPipeline(sw, index);
    }

    /** Observe flows through {@code observer}, or stop with null; while this lane does not forward. */
    void flowObserver(FlowObserver observer) {
        pipeline.flows = observer;
    }

    public int index() {
        return index;
    }

    /** {@link Switch#forward(int, MemorySegment, long, int, long, ForwardingDecision)} on this lane. */
    public void forward(int inPort, MemorySegment frame, long offset, int length, long now, ForwardingDecision out) {
        pipeline.forward(sw.port(inPort), Fdb.NO_REMOTE, 0, frame, offset, length, now, out, TraceSink.OFF, false);
    }

    /** {@link Switch#forward(int, MemorySegment, long, int, long, ForwardingDecision, Trace)} on this lane. */
    public void forward(int inPort, MemorySegment frame, long offset, int length, long now, ForwardingDecision out,
                        Trace trace) {
        pipeline.forward(sw.port(inPort), Fdb.NO_REMOTE, 0, frame, offset, length, now, out, sink(trace),
            trace != null && trace.isProbe());
    }

    /** {@link Switch#forwardFromTunnel} on this lane. */
    public void forwardFromTunnel(int tunnelPort, int remote, int vlan, MemorySegment frame, long offset, int length,
                                  long now, ForwardingDecision out, Trace trace) {
        Port p = sw.port(tunnelPort);
        if (p == null || !p.isTunnel()) {
            throw new IllegalArgumentException("port " + tunnelPort + " is not a tunnel port");
        }
        pipeline.forward(p, remote, vlan, frame, offset, length, now, out, sink(trace), trace != null && trace.isProbe());
    }

    /** Where the pipeline reports its steps: nowhere on the data path, as text into {@code trace} when one is given. */
    private TraceSink sink(Trace trace) {
        return trace == null ? TraceSink.OFF : new TraceText(sw, trace);
    }
}
