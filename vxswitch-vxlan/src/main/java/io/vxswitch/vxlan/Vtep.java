package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.ForwardingLane;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.trace.Trace;

import java.lang.foreign.MemorySegment;

/**
 * A VXLAN tunnel endpoint on a host switch: the far side of one tunnel port. It joins the pure pieces of this
 * package to the forwarding plane, and leaves the sending to a driver (the lab, or the Linux dataplane):
 * <ul>
 * <li>underlay → switch: {@link #receivePayload} / {@link #receiveFrame} decapsulate, name the sending VTEP
 *     (registering it on first sight, as the Linux vxlan device learns remote endpoints), and hand the inner
 *     frame to {@link Switch#forwardFromTunnel}: the FDB learns the inner source MAC behind that VTEP;</li>
 * <li>switch → underlay: {@link TunnelEgress}, made from this VTEP, sends each copy the switch sends to the
 *     tunnel port to the VTEP the destination was learned behind, or to the VNI's flood list.</li>
 * </ul>
 * Split horizon needs nothing here: the switch never sends a frame from a tunnel back into a tunnel.
 */
public final class Vtep {
    private final Switch sw;
    private final int tunnelPort;
    private final VniMap vnis;
    private final RemoteVteps remotes;
    private final FloodList floodList;
    private final VxlanDecapsulator decapsulator;
    private final VxlanCounters counters;
    private final DecapResult decap = new DecapResult();
    /** The forwarding lane this VTEP's packets go through: each forwarding loop has a VTEP of its own. */
    private final ForwardingLane lane;

    public Vtep(Switch sw, String tunnelPortName, VniMap vnis, RemoteVteps remotes, FloodList floodList,
                VxlanDecapsulator decapsulator, VxlanCounters counters) {
        Port p = sw.port(tunnelPortName);
        if (p == null || !p.isTunnel()) {
            throw new IllegalArgumentException("switch '" + sw.name() + "' has no tunnel port '" + tunnelPortName + "'");
        }
        for (int vni : vnis.vnis()) {
            if (!p.portGroup().policy().vlan().carries(vnis.vlanOf(vni))) {
                throw new IllegalArgumentException("VNI " + vni + " maps to VLAN " + vnis.vlanOf(vni)
                    + ", which the port group '" + p.portGroup().name() + "' of tunnel port '" + tunnelPortName
                    + "' does not carry (" + p.portGroup().policy().vlan() + ")");
            }
        }
        this.sw = sw;
        this.tunnelPort = p.id();
        this.vnis = vnis;
        this.remotes = remotes;
        this.floodList = floodList;
        this.decapsulator = decapsulator;
        this.counters = counters;
        this.lane = sw.lane(0);
        sw.setRemoteNamer(id -> remotes.contains(id) ? remotes.address(id).toString() : "#" + id);
        remotes.onRemove(id -> sw.fdb().removeRemote(id));
    }

    /** The same VTEP for forwarding loop {@code lane}: shared VNIs, remote VTEPs and flood lists; counters and
     *  decapsulation state of its own, and its packets go through the switch's lane {@code lane}. */
    private Vtep(Vtep first, int lane) {
        this.sw = first.sw;
        this.tunnelPort = first.tunnelPort;
        this.vnis = first.vnis;
        this.remotes = first.remotes;
        this.floodList = first.floodList;
        this.counters = new VxlanCounters();
        this.decapsulator = new VxlanDecapsulator(vnis, first.decapsulator.options(), counters);
        this.lane = sw.lane(lane);
    }

    /**
     * This VTEP as forwarding loop {@code lane} (1 or more) uses it: see {@link #lane}. Its counters are its own;
     * add the lanes' up for the VTEP's.
     */
    public Vtep forLane(int lane) {
        if (lane < 1 || lane >= sw.options().lanes()) {
            throw new IllegalArgumentException("lane " + lane + " is not one of the switch's lanes 1-"
                + (sw.options().lanes() - 1));
        }
        return new Vtep(this, lane);
    }

    /** The forwarding lane (and so the forwarding loop) this VTEP serves; 0 for the one a tunnel port is made with. */
    public int lane() {
        return lane.index();
    }

    public int tunnelPort() {
        return tunnelPort;
    }

    public VniMap vnis() {
        return vnis;
    }

    public RemoteVteps remotes() {
        return remotes;
    }

    public FloodList floodList() {
        return floodList;
    }

    public VxlanCounters counters() {
        return counters;
    }

    /**
     * A VXLAN datagram's UDP payload, as a socket delivers it, from the VTEP at (srcHigh, srcLow)
     * ({@link VtepAddress} form). Returns {@link VxlanDrop#NONE} if the inner frame reached the switch
     * (whose decision is then in {@code d}), or why it was dropped (counted).
     */
    public VxlanDrop receivePayload(MemorySegment s, long payload, int length, long srcHigh, long srcLow, long now,
                                    ForwardingDecision d, Trace trace) {
        VxlanDrop drop = decapsulator.decapsulatePayload(s, payload, length, decap);
        return drop == VxlanDrop.NONE ? forward(srcHigh, srcLow, s, now, d, trace) : drop;
    }

    /** A whole underlay frame (Ethernet/IP/UDP/VXLAN), as the lab or a packet socket delivers it. */
    public VxlanDrop receiveFrame(MemorySegment s, long frame, int length, long now, ForwardingDecision d,
                                  Trace trace) {
        VxlanDrop drop = decapsulator.decapsulateFrame(s, frame, length, decap);
        return drop == VxlanDrop.NONE ? forward(decap.outerSrcHigh(), decap.outerSrcLow(), s, now, d, trace) : drop;
    }

    /**
     * Decapsulates the UDP payload of {@code length} bytes at {@code payload} without forwarding it: for a port that
     * looks at the inner frame first (to coalesce it with the next ones). The inner frame and its VLAN are then in
     * {@link #decapsulated()}; name its sender with {@link #sourceVtep} and hand it to the switch. Drops are counted.
     */
    public VxlanDrop decapsulate(MemorySegment s, long payload, int length) {
        return decapsulator.decapsulatePayload(s, payload, length, decap);
    }

    /** What the last {@link #decapsulate} found; overwritten by the next call. */
    public DecapResult decapsulated() {
        return decap;
    }

    /**
     * The remote VTEP that sent {@code datagrams} VXLAN packets from {@code (srcHigh, srcLow)} ({@link VtepAddress}
     * form), registered on its first packet as the Linux vxlan device learns remote endpoints, with the packets
     * counted against it; or {@link RemoteVteps#NONE} if no VTEP can have that address (multicast, unspecified) or
     * the table is full, counted as the drop it is.
     */
    public int sourceVtep(long srcHigh, long srcLow, int datagrams) {
        int remote = remotes.idOf(srcHigh, srcLow);
        if (remote == RemoteVteps.NONE) {
            if (VtepAddress.isMulticast(srcHigh, srcLow) || VtepAddress.isUnspecified(srcHigh, srcLow)) {
                counters.drop(VxlanDrop.BAD_SOURCE_VTEP);
                return RemoteVteps.NONE;
            }
            if (remotes.size() == remotes.capacity()) {
                counters.drop(VxlanDrop.TOO_MANY_VTEPS);
                return RemoteVteps.NONE;
            }
            // First packet from this VTEP: registering allocates once per VTEP, not per packet.
            remote = remotes.register(new VtepAddress(srcHigh, srcLow));
        }
        if (datagrams > 0) {
            remotes.countRx(lane.index(), remote, datagrams);
        }
        return remote;
    }

    private VxlanDrop forward(long srcHigh, long srcLow, MemorySegment s, long now, ForwardingDecision d,
                              Trace trace) {
        return forward(srcHigh, srcLow, decap.vlan(), s, decap.innerOffset(), decap.innerLength(), 1, now, d, trace);
    }

    /** Counts {@code datagrams} from the remote VTEP (registering it on its first) and forwards the inner frame. */
    private VxlanDrop forward(long srcHigh, long srcLow, int vlan, MemorySegment s, long inner, int innerLength,
                              int datagrams, long now, ForwardingDecision d, Trace trace) {
        int remote = sourceVtep(srcHigh, srcLow, trace == null || !trace.isProbe() ? datagrams : 0);
        if (remote == RemoteVteps.NONE) { // counted by sourceVtep
            return VtepAddress.isMulticast(srcHigh, srcLow) || VtepAddress.isUnspecified(srcHigh, srcLow)
                ? VxlanDrop.BAD_SOURCE_VTEP : VxlanDrop.TOO_MANY_VTEPS;
        }
        if (trace != null) {
            trace.add(Trace.Stage.FRAME, "VXLAN VNI " + decap.vni() + " from VTEP " + remotes.address(remote)
                + " -> VLAN " + vlan);
        }
        lane.forwardFromTunnel(tunnelPort, remote, vlan, s, inner, innerLength, now, d, trace);
        return VxlanDrop.NONE;
    }

    public FloodTargets floodTargets(int vni) {
        return floodList.targets(vni);
    }
}
