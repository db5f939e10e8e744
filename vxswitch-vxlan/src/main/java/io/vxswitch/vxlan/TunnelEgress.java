package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.packet.Vxlan;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The send side of a VTEP, one for the lab and the daemon alike: for each copy the switch sends to the tunnel port,
 * which remote VTEPs get it and with what VNI; for each datagram, the MTU check, the VXLAN header written in front
 * of the inner frame, the outer UDP source port and the counts. What lies below VXLAN is the driver's: the daemon
 * hands the datagram, the remote VTEP and the source port to a UDP socket and the kernel adds UDP and IP; the lab's
 * emulated host writes them itself ({@link OuterHeaderWriter}).
 *
 * <p>Per copy {@code i} of a decision {@code d}:
 * <pre>{@code
 * int n = egress.targets(d, i);                         // MULTICAST, or how many remote VTEPs (maybe 0)
 * for (int k = 0; k < n; k++) {
 *     // the inner frame at s[inner, inner + length), HEADER bytes free before it
 *     int port = egress.encapsulate(s, inner, length, k, now);
 *     if (port != DROPPED) send s[inner - HEADER, inner + length) to remote VTEP egress.target(k) from port
 * }
 * }</pre>
 * One instance per forwarding loop: it keeps the copy being sent. Per packet it allocates nothing, takes no lock
 * and logs nothing (the MTU check's explanation aside, at most one line per interval).
 */
public final class TunnelEgress {
    /** Bytes written in front of the inner frame: the VXLAN header (RFC 7348 §5). */
    public static final int HEADER = Vxlan.LENGTH;
    /** {@link #targets} result: the VNI floods to a multicast group ({@link Vtep#floodTargets} names it). */
    public static final int MULTICAST = -1;
    /** {@link #encapsulate} result: the datagram must not be sent (counted). */
    public static final int DROPPED = -1;

    private final int tunnelPort;
    private final VniMap vnis;
    private final FloodList floodList;
    private final RemoteVteps remotes;
    private final VxlanCounters counters;
    private final int lane;
    private final MtuCheck mtu;
    private final SourcePortHash ports;
    private final boolean ipv6;
    /** The remote VTEP ids of the copy being sent, and its VNI. */
    private final int[] targets;
    private int count;
    private int vni = VniMap.NONE;

    /**
     * @param vtep  the VTEP as this forwarding loop has it ({@link Vtep#forLane}): its counters and lane are counted
     * @param mtu   the underlay MTU check, counting into the same {@link VxlanCounters} as {@code vtep}
     * @param ports the outer UDP source port of an inner flow
     * @param ipv6  the underlay's family (the outer headers are 20 bytes longer over IPv6)
     */
    public TunnelEgress(Vtep vtep, MtuCheck mtu, SourcePortHash ports, boolean ipv6) {
        this.tunnelPort = vtep.tunnelPort();
        this.vnis = vtep.vnis();
        this.floodList = vtep.floodList();
        this.remotes = vtep.remotes();
        this.counters = vtep.counters();
        this.lane = vtep.lane();
        this.mtu = mtu;
        this.ports = ports;
        this.ipv6 = ipv6;
        this.targets = new int[remotes.capacity()];
    }

    /**
     * Decides where copy {@code i} of {@code d} goes: the remote VTEP its destination was learned behind, or the
     * VNI's flood list (head-end replication). Returns how many remote VTEPs, read with {@link #target}, or
     * {@link #MULTICAST} when the VNI floods to a group. 0 when the copy is not for this VTEP's tunnel port, the VNI
     * has no flood list, or the frame's VLAN maps to no VNI: there is no VXLAN to send that in, so it is dropped and
     * counted as {@link VxlanDrop#VLAN_WITHOUT_VNI} (writing {@link VniMap#NONE} would send VNI 0xFFFFFF).
     */
    public int targets(ForwardingDecision d, int i) {
        count = 0;
        vni = VniMap.NONE;
        if (d.egressPort(i) != tunnelPort) {
            return 0;
        }
        vni = vnis.vniOf(d.vlan());
        if (vni == VniMap.NONE) {
            counters.drop(VxlanDrop.VLAN_WITHOUT_VNI);
            return 0;
        }
        int remote = d.egressRemote(i);
        if (remote != ForwardingDecision.FLOOD) {
            targets[0] = remote;
            return count = 1;
        }
        FloodTargets t = floodList.targets(vni);
        if (t.mode() == FloodMode.MULTICAST) {
            return MULTICAST;
        }
        int n = t.size();
        for (int k = 0; k < n; k++) {
            targets[k] = t.vtepId(k);
        }
        return count = n;
    }

    /** The {@link RemoteVteps} id of target {@code k} of the copy being sent. */
    public int target(int k) {
        return targets[Objects.checkIndex(k, count)];
    }

    /** The VNI of the copy being sent, or {@link VniMap#NONE} if {@link #targets} found none. */
    public int vni() {
        return vni;
    }

    public RemoteVteps remotes() {
        return remotes;
    }

    /** True if an inner frame of {@code innerLength} bytes fits the underlay MTU once encapsulated; counts nothing. */
    public boolean fits(int innerLength) {
        return innerLength <= mtu.maxInnerFrame(ipv6);
    }

    /**
     * Encapsulates the inner frame at {@code s[inner, inner + innerLength)} for target {@code k} of the copy being
     * sent: refuses it if it would not fit the underlay MTU (RFC 7348 §4.3: never fragment; counted as
     * {@link VxlanDrop#MTU_EXCEEDED}), writes the VXLAN header in the {@link #HEADER} bytes before it, and counts it.
     * Returns the outer UDP source port, a hash of the inner flow (RFC 7348 §5), or {@link #DROPPED}.
     */
    public int encapsulate(MemorySegment s, long inner, int innerLength, int k, long now) {
        int remote = target(k);
        if (!mtu.admit(s, inner, innerLength, vni, ipv6, now)) {
            return DROPPED; // logged by the check at most once per interval
        }
        Vxlan.write(s, inner - HEADER, vni);
        remotes.countTx(lane, remote, 1);
        counters.countEncapsulated();
        return ports.port(s, inner, innerLength);
    }

    /**
     * Encapsulates a train of {@code datagrams} inner frames for target {@code k}, laid out as UDP GSO sends them:
     * back to back, each after {@link #HEADER} bytes of room, each {@code segmentLength} bytes but the last (which may
     * be shorter), the first at {@code firstInner}. The segments of one TCP super-frame are one flow, so they share
     * one source port, hashed from the first; it is returned. The caller sends a train only if its segments
     * {@link #fits fit}: otherwise each goes on its own through {@link #encapsulate}, which counts the refused ones.
     */
    public int encapsulateTrain(MemorySegment s, long firstInner, int segmentLength, int datagrams, int k) {
        int remote = target(k);
        if (!fits(segmentLength)) {
            throw new IllegalArgumentException(segmentLength + "-byte segments do not fit the underlay MTU "
                + mtu.underlayMtu() + ": send them one by one, so that each is checked");
        }
        long header = firstInner - HEADER;
        for (int j = 0; j < datagrams; j++, header += HEADER + segmentLength) {
            Vxlan.write(s, header, vni);
        }
        remotes.countTx(lane, remote, datagrams);
        counters.countEncapsulated(datagrams);
        return ports.port(s, firstInner, segmentLength);
    }
}
