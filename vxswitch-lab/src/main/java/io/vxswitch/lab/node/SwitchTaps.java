package io.vxswitch.lab.node;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.trace.Trace;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Who watches a host switch's decisions: {@link TraceCapture}s (keep the first matching frame's trace) and a
 * {@link HopListener} (follows chosen frames for {@code --explain}). Per frame it decides whether the switch
 * records a {@link Trace}; frames nobody watches take the untraced path.
 */
final class SwitchTaps {
    private final List<TraceCapture> captures = new ArrayList<>();
    private HopListener listener;
    private boolean hopWanted;

    void add(TraceCapture capture) {
        captures.add(capture);
    }

    void listen(HopListener l) {
        this.listener = l;
    }

    /**
     * Called before the switch decides on the Ethernet frame at {@code offset}: a fresh trace if a capture is
     * still open or the listener follows this frame, else null.
     */
    Trace start(MemorySegment s, long offset, int length) {
        hopWanted = listener != null && listener.wants(s, offset, length);
        return hopWanted || anyCaptureOpen() ? new Trace() : null;
    }

    /**
     * Called after the decision and every copy was sent: offers it to the captures and reports the hop.
     *
     * @param frame   the frame the switch decided on (the inner frame, for one from the tunnel)
     * @param arrival how it came out of the tunnel, or null
     * @param sends   the copies encapsulated into the tunnel
     */
    void decided(String node, Switch sw, int inPort, byte[] frame, long now, ForwardingDecision d, Trace trace,
                 SwitchHop.TunnelArrival arrival, List<SwitchHop.TunnelSend> sends) {
        if (trace == null) {
            return;
        }
        Port in = sw.port(inPort);
        String description = Frames.describe(frame);
        TraceCapture.Candidate candidate = new TraceCapture.Candidate(in.name(), in.kind(), frame, d);
        TracedFrame traced = new TracedFrame(sw.name(), in.name(), now, description, trace);
        for (TraceCapture c : captures) {
            c.offer(candidate, traced);
        }
        if (hopWanted) {
            listener.hop(new SwitchHop(now, node, in.name(), in.kind(), frame, description, d.vlan(), trace,
                d.dropReason(), arrival, sends));
        }
    }

    private boolean anyCaptureOpen() {
        for (TraceCapture c : captures) {
            if (c.open()) {
                return true;
            }
        }
        return false;
    }
}
