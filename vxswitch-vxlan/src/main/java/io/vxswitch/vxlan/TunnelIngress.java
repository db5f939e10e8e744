package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.ForwardingLane;
import io.vxswitch.forwarding.trace.Trace;

import java.lang.foreign.MemorySegment;

/**
 * The receive side of a {@link Vtep} for a driver that hands over one VXLAN packet at a time (the lab's emulated
 * host; tests): decapsulate, name the sending VTEP, and hand the inner frame to the switch through a forwarding lane,
 * where the FDB learns its source MAC behind that VTEP. The daemon's forwarding agent does the same steps itself,
 * with TCP segments coalesced between decapsulating and forwarding.
 */
public final class TunnelIngress {
    private final Vtep vtep;
    private final ForwardingLane lane;

    public TunnelIngress(Vtep vtep, ForwardingLane lane) {
        this.vtep = vtep;
        this.lane = lane;
    }

    /**
     * A whole underlay frame (Ethernet/IP/UDP/VXLAN). Returns {@link VxlanDrop#NONE} if the inner frame reached the
     * switch (whose decision is then in {@code d}), or why it was dropped (counted).
     */
    public VxlanDrop receiveFrame(MemorySegment s, long frame, int length, long now, ForwardingDecision d,
                                  Trace trace) {
        VxlanDrop drop = vtep.decapsulateFrame(s, frame, length);
        DecapResult inner = vtep.decapsulated();
        return drop == VxlanDrop.NONE ? forward(inner.outerSrcHigh(), inner.outerSrcLow(), s, now, d, trace) : drop;
    }

    /** A VXLAN datagram's UDP payload, as a socket delivers it, from the VTEP at (srcHigh, srcLow). */
    public VxlanDrop receivePayload(MemorySegment s, long payload, int length, long srcHigh, long srcLow, long now,
                                    ForwardingDecision d, Trace trace) {
        VxlanDrop drop = vtep.decapsulate(s, payload, length);
        return drop == VxlanDrop.NONE ? forward(srcHigh, srcLow, s, now, d, trace) : drop;
    }

    private VxlanDrop forward(long srcHigh, long srcLow, MemorySegment s, long now, ForwardingDecision d,
                              Trace trace) {
        DecapResult inner = vtep.decapsulated();
        // a probe (vxswitch trace) asks what would happen: it names the VTEP but counts nothing
        int remote = vtep.sourceVtep(srcHigh, srcLow, trace != null && trace.isProbe() ? 0 : 1, now);
        if (remote == RemoteVteps.NONE) {
            return vtep.refusal(srcHigh, srcLow); // counted by sourceVtep
        }
        if (trace == null || !trace.isProbe()) {
            vtep.checkInnerChecksum(s, remote);
        }
        if (trace != null) {
            trace.add(Trace.Stage.FRAME, "VXLAN VNI " + inner.vni() + " from VTEP " + vtep.remotes().address(remote)
                + " -> VLAN " + inner.vlan());
        }
        lane.forwardFromTunnel(vtep.tunnelPort(), remote, inner.vlan(), s, inner.innerOffset(), inner.innerLength(),
            now, d, trace);
        return VxlanDrop.NONE;
    }
}
