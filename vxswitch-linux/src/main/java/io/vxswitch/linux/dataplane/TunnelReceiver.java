package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocket;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.TcpCoalescer;
import io.vxswitch.packet.offload.VirtioNetHeader;
import io.vxswitch.vxlan.DecapResult;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VxlanDrop;

import java.lang.foreign.Arena;

/**
 * The receiving side of a {@link TunnelPort}: one {@code recvmmsg} per turn on the VXLAN socket, datagrams the kernel
 * joined ({@code UDP_GRO}) split again by their segment size, each decapsulated, and consecutive TCP segments of one
 * flow coalesced into a super-frame ({@link TcpCoalescer}) before the switch sees them. Switch loop only.
 */
final class TunnelReceiver implements AutoCloseable {
    /** Receive batch with UDP_GRO: fewer slots, each room for the 64 KiB the kernel joins at most. */
    static final int GRO_BATCH = 32;
    static final int GRO_SLOT = 65_536;

    private final Vtep vtep;
    private final UdpSocket socket;
    private final UdpBatch rx;
    private final boolean joinsDatagrams;
    private final Arena arena = Arena.ofShared();
    /** Receive coalescing; null when off. */
    private final TcpCoalescer coalescer;
    /** What a frame needs that was not coalesced: nothing. Never written. */
    private final Offload finished = new Offload();
    /** What the last coalesced frame needs. */
    private final Offload coalesced = new Offload();
    private long openHigh;
    private long openLow;
    private int openVlan;
    private long superFrames;
    private long coalescedSegments;
    private long truncated;

    /**
     * @param batch    datagrams per receive without UDP_GRO
     * @param slotSize bytes per datagram without UDP_GRO: VXLAN header and the largest inner frame
     * @param gro      coalesce TCP segments, and let the kernel join datagrams (UDP_GRO) where it can
     */
    TunnelReceiver(Vtep vtep, UdpSocket socket, int batch, int slotSize, boolean gro) {
        this.vtep = vtep;
        this.socket = socket;
        // With UDP_GRO the kernel may join up to 64 KiB of one flow's datagrams into one receive: big slots.
        this.joinsDatagrams = gro && socket.receiveCoalesced();
        this.rx = joinsDatagrams ? new UdpBatch(GRO_BATCH, GRO_SLOT) : new UdpBatch(batch, slotSize);
        this.coalescer = gro ? new TcpCoalescer(arena.allocate(VirtioNetHeader.MAX_SUPER_FRAME, 64), 0,
            VirtioNetHeader.MAX_SUPER_FRAME) : null;
    }

    /** True if the socket takes datagrams the kernel joined (UDP_GRO). */
    boolean joinsDatagrams() {
        return joinsDatagrams;
    }

    /** Receives what is waiting (one recvmmsg) and hands every frame, or super-frame, to the switch. */
    int drain(SwitchLoop loop, long now) {
        int n = socket.receive(rx);
        for (int k = 0; k < n; k++) {
            if (rx.truncated(k)) {
                truncated++;
                continue;
            }
            long srcHigh = rx.sourceHigh(k);
            long srcLow = rx.sourceLow(k);
            long slot = rx.slotOffset(k);
            int length = rx.length(k);
            int joined = rx.segmentSize(k); // > 0: datagrams the kernel joined (UDP_GRO), each this long but the last
            int each = joined > 0 ? joined : length;
            int at = 0;
            do { // once at least: an empty datagram is the decapsulator's to count
                receiveDatagram(loop, srcHigh, srcLow, slot + at, Math.min(each, length - at), now);
                at += each;
            } while (at < length);
        }
        if (coalescer != null && coalescer.isOpen()) {
            forwardCoalesced(loop, now);
        }
        return Math.max(n, 0);
    }

    /** Decapsulates one VXLAN datagram at {@code rx.buffer()[offset]}, then coalesces or forwards its inner frame. */
    private void receiveDatagram(SwitchLoop loop, long srcHigh, long srcLow, long offset, int length, long now) {
        if (vtep.decapsulate(rx.buffer(), offset, length) != VxlanDrop.NONE) {
            return; // counted by the decapsulator
        }
        DecapResult inner = vtep.decapsulated();
        if (coalescer != null) {
            if (coalescer.isOpen() && srcHigh == openHigh && srcLow == openLow && inner.vlan() == openVlan
                && coalescer.append(rx.buffer(), inner.innerOffset(), inner.innerLength())) {
                return;
            }
            if (coalescer.isOpen()) {
                forwardCoalesced(loop, now);
            }
            if (!inner.innerTagged() && coalescer.start(rx.buffer(), inner.innerOffset(), inner.innerLength())) {
                openHigh = srcHigh;
                openLow = srcLow;
                openVlan = inner.vlan();
                return; // stays in the receive buffer until the flow's next segment or the end of the batch
            }
        }
        if (vtep.forwardInner(srcHigh, srcLow, inner.vlan(), rx.buffer(), inner.innerOffset(), inner.innerLength(),
            1, now, loop.decision()) == VxlanDrop.NONE) {
            loop.dispatchFromTunnel(vtep.tunnelPort(), finished, now);
        }
    }

    /** Hands the coalesced super-frame (or the one segment that found no follower) to the switch. */
    private void forwardCoalesced(SwitchLoop loop, long now) {
        int segments = coalescer.segments();
        int length = coalescer.finish(coalesced);
        if (segments > 1) {
            coalescedSegments += segments;
            superFrames++;
        }
        if (vtep.forwardInner(openHigh, openLow, openVlan, coalescer.frameSegment(), coalescer.frameOffset(), length,
            segments, now, loop.decision()) == VxlanDrop.NONE) {
            loop.dispatchFromTunnel(vtep.tunnelPort(), coalesced, now);
        }
    }

    long superFrames() {
        return superFrames;
    }

    long coalescedSegments() {
        return coalescedSegments;
    }

    /** Received datagrams longer than a slot, dropped. */
    long truncated() {
        return truncated;
    }

    @Override
    public void close() {
        rx.close();
        arena.close();
    }
}
