package io.vxswitch.vxlan;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterRegistry;

import java.lang.foreign.MemorySegment;

/**
 * A VXLAN tunnel endpoint on a host switch: the far side of one tunnel port, as a model. It holds the tunnel's
 * VNI map, remote VTEPs and flood list, decapsulates, and names the VTEP a packet came from (registering it on first
 * sight, as the Linux vxlan device learns remote endpoints); it neither forwards nor sends. Its drivers do:
 * <ul>
 * <li>underlay → switch: the lab's {@link TunnelIngress}, or the daemon's forwarding agent, decapsulates with it and
 *     hands the inner frame, its VLAN and its remote VTEP to the switch ({@code forwardFromTunnel}): the FDB learns
 *     the inner source MAC behind that VTEP;</li>
 * <li>switch → underlay: {@link TunnelEgress}, made from this VTEP, sends each copy the switch sends to the tunnel
 *     port to the VTEP the destination was learned behind, or to the VNI's flood list.</li>
 * </ul>
 * The switch learns how to name remote VTEPs, and to forget the MACs behind a removed one, from
 * {@link RemoteVteps#serve}: the wiring code calls it once. Split horizon needs nothing here: the switch never sends a
 * frame from a tunnel back into a tunnel.
 *
 * <p>Counters: the VTEP registers its {@link VxlanCounters} (every loop's) and its remote VTEPs' packet counts in the
 * switch's counter registry, named by the tunnel port, so every reader of the switch's counters sees the tunnel's.
 */
public final class Vtep {
    private final int tunnelPort;
    private final int lanes;
    private final VniMap vnis;
    private final RemoteVteps remotes;
    private final FloodList floodList;
    private final VxlanDecapsulator decapsulator;
    private final VxlanCounters counters;
    private final DecapResult decap = new DecapResult();
    /** The forwarding lane (loop) whose packets this VTEP counts: each loop has a VTEP of its own. */
    private final int lane;
    /** Where each loop's VTEP registers its counters, and under what name. */
    private final CounterRegistry registry;
    private final String name;

    /**
     * @throws IllegalArgumentException the switch has no such tunnel port, or a VNI maps to a VLAN its port group
     *                                  does not carry
     */
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
        this.tunnelPort = p.id();
        this.lanes = sw.options().lanes();
        this.vnis = vnis;
        this.remotes = remotes;
        this.floodList = floodList;
        this.decapsulator = decapsulator;
        this.counters = counters;
        this.lane = 0;
        this.registry = sw.counters();
        this.name = tunnelPortName;
        registry.register(counters.set(), CounterInstance.tunnel(name));
        registry.register(remotes.counters(), id -> remotes.contains(id)
            ? CounterInstance.remoteVtep(name, remotes.address(id).toString()) : null);
    }

    /** The same VTEP for forwarding loop {@code lane}: shared VNIs, remote VTEPs and flood lists; counters and
     *  decapsulation state of its own. */
    private Vtep(Vtep first, int lane) {
        this.tunnelPort = first.tunnelPort;
        this.lanes = first.lanes;
        this.vnis = first.vnis;
        this.remotes = first.remotes;
        this.floodList = first.floodList;
        this.counters = new VxlanCounters();
        this.decapsulator = new VxlanDecapsulator(vnis, first.decapsulator.options(), counters);
        this.lane = lane;
        this.registry = first.registry;
        this.name = first.name;
        registry.register(counters.set(), CounterInstance.tunnel(name)); // read as one with the other loops'
    }

    /**
     * This VTEP as forwarding loop {@code lane} (1 or more) uses it: see {@link #lane}. Its counters are its own,
     * registered under the tunnel's name with the other loops', so the registry reads their sum.
     */
    public Vtep forLane(int lane) {
        if (lane < 1 || lane >= lanes) {
            throw new IllegalArgumentException("lane " + lane + " is not one of the switch's lanes 1-" + (lanes - 1));
        }
        return new Vtep(this, lane);
    }

    /** The forwarding lane (and so the forwarding loop) this VTEP serves; 0 for the one a tunnel port is made with. */
    public int lane() {
        return lane;
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
     * Decapsulates a whole underlay frame (Ethernet/IP/UDP/VXLAN), as the lab or a packet socket delivers it; the
     * inner frame, its VLAN and the outer source are then in {@link #decapsulated()}. Drops are counted.
     */
    public VxlanDrop decapsulateFrame(MemorySegment s, long frame, int length) {
        return decapsulator.decapsulateFrame(s, frame, length, decap);
    }

    /**
     * Decapsulates the UDP payload of {@code length} bytes at {@code payload} without forwarding it: for a port that
     * looks at the inner frame first (to coalesce it with the next ones). The inner frame and its VLAN are then in
     * {@link #decapsulated()}; name its sender with {@link #sourceVtep} and hand it to the switch. Drops are counted.
     */
    public VxlanDrop decapsulate(MemorySegment s, long payload, int length) {
        return decapsulator.decapsulatePayload(s, payload, length, decap);
    }

    /** What the last {@link #decapsulate} or {@link #decapsulateFrame} found; overwritten by the next call. */
    public DecapResult decapsulated() {
        return decap;
    }

    /**
     * The remote VTEP that sent {@code datagrams} decapsulated VXLAN packets from {@code (srcHigh, srcLow)}
     * ({@link VtepAddress} form), registered on its first packet as the Linux vxlan device learns remote endpoints;
     * the packets are then counted as decapsulated (the caller hands them to the switch) and against the VTEP. Or
     * {@link RemoteVteps#NONE} if no VTEP can have that address (multicast, unspecified) or the table is full, the
     * packets counted as that drop instead: each packet once, decapsulated or dropped. A probe passes 0 and counts
     * nothing.
     */
    public int sourceVtep(long srcHigh, long srcLow, int datagrams) {
        int remote = remotes.idOf(srcHigh, srcLow);
        if (remote == RemoteVteps.NONE) {
            if (VtepAddress.isMulticast(srcHigh, srcLow) || VtepAddress.isUnspecified(srcHigh, srcLow)) {
                counters.drop(VxlanDrop.BAD_SOURCE_VTEP, datagrams);
                return RemoteVteps.NONE;
            }
            if (remotes.size() == remotes.capacity()) {
                counters.drop(VxlanDrop.TOO_MANY_VTEPS, datagrams);
                return RemoteVteps.NONE;
            }
            // First packet from this VTEP: registering allocates once per VTEP, not per packet.
            remote = remotes.register(new VtepAddress(srcHigh, srcLow));
        }
        if (datagrams > 0) {
            counters.countDecapsulated(datagrams);
            remotes.countRx(lane, remote, datagrams);
        }
        return remote;
    }

    /** Why {@link #sourceVtep} refused {@code (srcHigh, srcLow)}: no VTEP can have it, or the table was full. */
    public static VxlanDrop refusal(long srcHigh, long srcLow) {
        return VtepAddress.isMulticast(srcHigh, srcLow) || VtepAddress.isUnspecified(srcHigh, srcLow)
            ? VxlanDrop.BAD_SOURCE_VTEP : VxlanDrop.TOO_MANY_VTEPS;
    }

    public FloodTargets floodTargets(int vni) {
        return floodList.targets(vni);
    }
}
