package io.vxswitch.lab.node;

import java.lang.foreign.MemorySegment;

/**
 * Follows chosen frames through the network. A node asks {@link #wants} before handling a frame (a host switch
 * then records a {@link io.vxswitch.forwarding.trace.Trace} of its decision) and reports a {@link Hop} once it
 * is done, with every copy sent. Asking must be cheap; it is asked about every frame.
 */
public interface HopListener {
    /**
     * True to follow the Ethernet frame at {@code offset}: a frame a switch is about to forward, or an underlay
     * packet a router is about to route (which may carry the frame of interest inside VXLAN).
     */
    boolean wants(MemorySegment s, long offset, int length);

    void hop(Hop hop);
}
