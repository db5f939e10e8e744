package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocket;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.TcpCoalescer;
import io.vxswitch.packet.offload.VirtioNetHeader;
import io.vxswitch.vxlan.DecapResult;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VxlanDrop;

import java.lang.foreign.Arena;

/**
 * The receiving side of a {@link TunnelPort}: one {@code recvmmsg} per turn on the VXLAN socket, datagrams the kernel
 * joined ({@code UDP_GRO}) split again by their segment size, each decapsulated, and consecutive TCP segments of one
 * flow coalesced into a super-frame ({@link TcpCoalescer}) before the switch sees them. The forwarding agent pulls
 * them one at a time ({@link #receive}); a frame stays in the receive (or coalescing) buffer until the next call.
 *
 * <p>Each datagram's sender is named ({@link Vtep#sourceVtep}) right after decapsulation, before anything is
 * coalesced: a datagram from a sender the tunnel does not accept is dropped and counted there, and a super-frame only
 * ever joins datagrams of one accepted VTEP. The ids stay valid through the batch: the registry changes only between
 * the forwarding agent's turns, and a turn takes the whole batch.
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
    /** What the last coalesced frame needs. */
    private final Offload coalesced = new Offload();
    /** This turn's batch: whether it was received, its size, the next datagram, and where in a joined one. */
    private boolean batchOpen;
    private int batchSize;
    private int next;
    private int at;
    /** The remote VTEP of the datagram just decapsulated. */
    private int source;
    /** The datagram just decapsulated waits for the next call: it ended the super-frame handed out before it. */
    private boolean heldBack;
    /** The remote VTEP and VLAN of the open super-frame. */
    private int openSource;
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

    /**
     * The next frame of this turn's receive (one recvmmsg per turn): datagrams split, decapsulated and coalesced on
     * the way, so what comes out is an inner frame or a super-frame of a flow's segments; {@link PortDevice#NONE}
     * once the batch is done.
     */
    int receive(RxFrame frame, long now) {
        if (!batchOpen) {
            int n = socket.receive(rx);
            if (n <= 0) {
                return PortDevice.NONE;
            }
            batchSize = n;
            next = 0;
            at = 0;
            batchOpen = true;
        }
        if (heldBack && takeDatagram(frame)) { // the datagram that ended the last super-frame
            return PortDevice.FRAME;
        }
        while (nextDatagram(now)) {
            if (takeDatagram(frame)) {
                return PortDevice.FRAME;
            }
        }
        batchOpen = false;
        if (coalescer != null && coalescer.isOpen()) {
            takeCoalesced(frame); // the batch ends a run: a flow's segments do not wait for the next receive
            return PortDevice.FRAME;
        }
        return PortDevice.NONE;
    }

    /**
     * Decapsulates the next datagram of the batch (a datagram the kernel joined is split by its segment size) and
     * names its VTEP, and says whether there was one. Truncated and undecapsulable datagrams, and those from senders
     * the tunnel does not accept, are counted and passed over.
     */
    private boolean nextDatagram(long now) {
        while (next < batchSize) {
            int k = next;
            if (rx.truncated(k)) {
                truncated++;
                next++;
                continue;
            }
            int length = rx.length(k);
            int joined = rx.segmentSize(k); // > 0: datagrams the kernel joined (UDP_GRO), each this long but the last
            int each = joined > 0 ? joined : length;
            long offset = rx.slotOffset(k) + at;
            int piece = Math.min(each, length - at);
            long srcHigh = rx.sourceHigh(k);
            long srcLow = rx.sourceLow(k);
            at += each;
            if (at >= length) { // once at least: an empty datagram is the decapsulator's to count
                next++;
                at = 0;
            }
            if (vtep.decapsulate(rx.buffer(), offset, piece) == VxlanDrop.NONE) {
                source = vtep.sourceVtep(srcHigh, srcLow, 1, now); // counts the datagram, or why it is refused
                if (source != RemoteVteps.NONE) {
                    vtep.checkInnerChecksum(rx.buffer(), source);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes the datagram just decapsulated: into the open super-frame (false: nothing to hand out yet), as the start
     * of one, or into {@code frame} (true). If it cannot join the open super-frame, that one goes out first and the
     * datagram is held back for the next call.
     */
    private boolean takeDatagram(RxFrame frame) {
        heldBack = false;
        DecapResult inner = vtep.decapsulated();
        if (coalescer != null) {
            if (coalescer.isOpen() && source == openSource && inner.vlan() == openVlan
                && coalescer.append(rx.buffer(), inner.innerOffset(), inner.innerLength())) {
                return false;
            }
            if (coalescer.isOpen()) {
                takeCoalesced(frame);
                heldBack = true;
                return true;
            }
            if (!inner.innerTagged() && coalescer.start(rx.buffer(), inner.innerOffset(), inner.innerLength())) {
                openSource = source;
                openVlan = inner.vlan();
                return false; // stays in the receive buffer until the flow's next segment or the end of the batch
            }
        }
        frame.fromTunnel(rx.buffer(), inner.innerOffset(), inner.innerLength(), source, inner.vlan());
        return true;
    }

    /** The coalesced super-frame (or the one segment that found no follower) into {@code frame}. */
    private void takeCoalesced(RxFrame frame) {
        int segments = coalescer.segments();
        int length = coalescer.finish(coalesced);
        if (segments > 1) {
            coalescedSegments += segments;
            superFrames++;
        }
        frame.fromTunnel(coalescer.frameSegment(), coalescer.frameOffset(), length, coalesced, openSource, openVlan);
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
