package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.MsgHdr;
import io.vxswitch.linux.ffi.NativeBuffers;
import io.vxswitch.linux.ffi.SockaddrLl;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.linux.ffi.TpacketStats;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Lacpdu;
import io.vxswitch.packet.offload.VirtioNetHeader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * A host interface as a switch port: an {@code AF_PACKET} raw socket bound to one interface (an uplink NIC, or
 * the host end of a veth) that receives every frame arriving on the interface's wire and transmits frames
 * onto it.
 *
 * <ul>
 * <li>Promiscuous while open ({@code PACKET_MR_PROMISC}; the kernel drops the membership when the socket
 *     closes): a switch port must see frames for every MAC behind it.</li>
 * <li>VLAN tags are preserved: veth and most NICs strip the 802.1Q tag before AF_PACKET sees the frame and
 *     report it in {@code PACKET_AUXDATA}; {@link #receive} puts it back in place.</li>
 * <li>Frames this host transmits on the interface, vxswitch's own included, are not received
 *     ({@code PACKET_IGNORE_OUTGOING}, and {@code sll_pkttype == PACKET_OUTGOING} as a second check).</li>
 * <li>Offloads: with GRO/GSO/checksum offload on, the kernel hands AF_PACKET 64 KB super-frames and frames
 *     with partial checksums. Without the vnet header both are dropped and counted
 *     ({@link IoCounter#RX_OVERSIZE_DROPS}, {@link IoCounter#RX_PARTIAL_CHECKSUM_DROPS}): turn offloads off on
 *     links read that way ({@code ethtool -K DEV tx off gso off tso off gro off}, on both ends of a veth). With
 *     it ({@code PACKET_VNET_HDR}, {@link #vnetHeader()}) every frame received or sent starts with a
 *     {@code virtio_net_hdr}, as on a tap with offloads: TSO super-frames and partial checksums come in with what is
 *     left to do, and go out whole for the kernel to finish. GRO's super-frames come the same way (GRO leaves the
 *     checksum to fill in); only super-frames with final checksums, a NIC's LRO, are refused
 *     ({@link IoCounter#RX_LRO_DROPS}).</li>
 * <li>The interface going down is not an error: the next receive reports ENETDOWN once (counted in
 *     {@link IoCounter#RX_LINK_DOWN}), sends fail with ENETDOWN, and frames flow again when it comes back
 *     up. If the interface is deleted, receive reports ENETDOWN once and then nothing, and sends fail with
 *     ENXIO: the owner has to notice and close the port.</li>
 * </ul>
 *
 * <p>Contract: {@link #receive} returns the frames delivered ({@code 0} when none is waiting), {@link #send}
 * the frames sent and {@link #write} the bytes sent, {@code 0} when the kernel would block; a negative value
 * is {@code -errno}. Nothing allocates per frame. One thread at a time.
 */
public final class PacketSocket implements AutoCloseable {
    /** Room above the MTU: the Ethernet header and two VLAN tags (QinQ). */
    public static final int FRAME_OVERHEAD = Ethernet.HEADER_LENGTH + 2 * Dot1q.LENGTH;

    private final String interfaceName;
    private final int ifindex;
    private final int mtu;
    /** Bytes of vnet header in front of each frame: 0, or {@link VirtioNetHeader#LENGTH}. */
    final int vnet;
    final IoCounters counters = new IoCounters();
    private final Arena arena = Arena.ofShared();
    private final DataPathCalls calls = new DataPathCalls(arena);
    private final MemorySegment stats = arena.allocate(TpacketStats.LAYOUT);
    private final MemorySegment statsLength = arena.allocate(ValueLayout.JAVA_INT);
    private int fd;
    /** Set once by {@link PacketSocketSetup#open}, before the socket is bound. */
    RxRing ring;

    PacketSocket(String interfaceName, int ifindex, int mtu, int fd, boolean vnetHeader) {
        this.interfaceName = interfaceName;
        this.ifindex = ifindex;
        this.mtu = mtu;
        this.vnet = vnetHeader ? VirtioNetHeader.LENGTH : 0;
        this.fd = fd;
    }

    /** Opens a promiscuous packet socket on {@code interfaceName}. */
    public static PacketSocket open(String interfaceName) {
        return open(interfaceName, true, false, false);
    }

    /**
     * Opens a packet socket on {@code interfaceName} in the calling thread's network namespace.
     *
     * @param rxRing receive through a {@code TPACKET_V3} ring ({@link #rxRing()}) instead of {@link #receive}
     * @param vnetHeader a {@code virtio_net_hdr} in front of every frame, received and sent ({@code PACKET_VNET_HDR})
     *
     * @throws LinuxException           no such interface, or no CAP_NET_RAW
     * @throws IllegalArgumentException {@code interfaceName} is not a valid name
     */
    public static PacketSocket open(String interfaceName, boolean promiscuous, boolean rxRing,
                                    boolean vnetHeader) {
        return PacketSocketSetup.open(interfaceName, promiscuous, rxRing, vnetHeader);
    }

    /**
     * Opens a packet socket on {@code interfaceName} that receives Slow Protocols frames only (EtherType 0x8809: LACP,
     * Marker, OAM), the Slow Protocols group address joined so that a NIC that filters multicast passes them. Not
     * promiscuous. What the LACP agent of a LAG member reads and sends LACPDUs through, beside the forwarding loop's
     * own socket on the same interface (which ignores what this one sends: {@code PACKET_IGNORE_OUTGOING}).
     */
    public static PacketSocket openSlowProtocols(String interfaceName) {
        return PacketSocketSetup.open(interfaceName, false, false, false, Lacpdu.SLOW_PROTOCOLS_ETHERTYPE,
            Lacpdu.SLOW_PROTOCOLS_MAC);
    }

    /**
     * Joins fanout group {@code group} ({@link #fanoutGroup}): the kernel spreads the interface's frames over the
     * group's sockets by flow hash, each flow to one socket, as a multi-queue NIC spreads flows over its queues.
     */
    public void joinFanout(int group) {
        PacketSocketSetup.joinFanout(openFd(), interfaceName, group);
    }

    /** A fanout group number for {@code ifindex} that no other process's group on the interface is likely to use. */
    public static int fanoutGroup(int ifindex) {
        return PacketSocketSetup.fanoutGroup(ifindex);
    }

    /** A batch sized for this interface: frames up to MTU + {@link #FRAME_OVERHEAD}. */
    public FrameBatch newBatch(int capacity) {
        return new FrameBatch(capacity, maxFrameLength(), vnet);
    }

    /** The longest frame received whole: MTU + {@link #FRAME_OVERHEAD}, or a super-frame with the vnet header. */
    public int maxFrameLength() {
        return vnet == 0 ? mtu + FRAME_OVERHEAD : Math.max(mtu + FRAME_OVERHEAD, VirtioNetHeader.MAX_SUPER_FRAME);
    }

    /** True if every frame received and sent starts with a {@code virtio_net_hdr} ({@code PACKET_VNET_HDR}). */
    public boolean vnetHeader() {
        return vnet != 0;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The interface MTU when the socket was opened. */
    public int mtu() {
        return mtu;
    }

    public int fd() {
        return fd;
    }

    public IoCounters counters() {
        return counters;
    }

    /** The receive ring, or null when frames come through {@link #receive}. */
    public RxRing rxRing() {
        return ring;
    }

    /**
     * Reads and clears the socket's pending error ({@code SO_ERROR}). A ring reader calls it when epoll woke it and
     * no block was ready: the interface went down (ENETDOWN, counted like a receive that reported it), or worse.
     * Without the read, a level-triggered epoll would report the error again on every wait.
     *
     * @return 0, or the error as {@code -errno}
     */
    public int takePendingError() {
        statsLength.set(ValueLayout.JAVA_INT, 0, 4);
        int r = Libc.getsockopt(openFd(), Sockets.SOL_SOCKET, Sockets.SO_ERROR, stats, statsLength);
        int error = r < 0 ? r : -stats.get(ValueLayout.JAVA_INT, 0);
        return error == 0 ? 0 : receiveFailed(error);
    }

    /**
     * Receives up to {@code batch.capacity()} frames with one {@code recvmmsg}. Delivered frames have their
     * VLAN tag back in place; own transmissions, oversize frames and frames with partial checksums are
     * dropped and counted.
     *
     * @return frames delivered in {@code batch} (0 when none was waiting), or {@code -errno}
     */
    public int receive(FrameBatch batch) {
        if (ring != null) {
            throw new IllegalStateException("the packet socket on '" + interfaceName + "' receives through its ring");
        }
        MessageVector v = batch.vector;
        int n = v.count();
        if (batch.prefix() != vnet) {
            throw new IllegalArgumentException("a batch for frames with " + batch.prefix() + " header bytes, but the "
                + "socket on '" + interfaceName + "' puts " + vnet + " in front of each");
        }
        v.prepareReceive(n, FrameBatch.HEADROOM);
        int r = calls.recvmmsg(openFd(), v.messages(), n, Sockets.MSG_TRUNC);
        if (r <= 0) {
            return receiveFailed(r);
        }
        MemorySegment data = v.data();
        MemorySegment control = v.controls();
        int delivered = 0;
        for (int i = 0; i < r; i++) {
            if (batch.packetType(i) == SockaddrLl.PACKET_OUTGOING) {
                counters.increment(IoCounter.RX_OWN_TX_IGNORED);
                continue;
            }
            if ((v.flags(i) & MsgHdr.MSG_TRUNC) != 0) {
                counters.increment(IoCounter.RX_OVERSIZE_DROPS);
                continue;
            }
            long frame = v.slotOffset(i) + FrameBatch.HEADROOM + vnet;
            int length = v.length(i) - vnet;
            if (length < Ethernet.HEADER_LENGTH) {
                counters.increment(IoCounter.RX_ERRORS); // shorter than a header: no working kernel sends one
                continue;
            }
            long aux = TagRestorer.findAuxdata(control, v.controlOffset(i), v.controlLength(i));
            boolean hasAux = aux >= 0;
            long at = RxFilter.admit(counters, data, frame, length, batch.maxFrameLength(),
                hasAux ? TpacketAuxdata.status(control, aux) : 0, hasAux ? TpacketAuxdata.vlanTci(control, aux) : 0,
                hasAux ? TpacketAuxdata.vlanTpid(control, aux) : 0, vnet);
            if (at != RxFilter.DROPPED) {
                batch.offsets[delivered] = at;
                batch.lengths[delivered] = length + (int) (frame - at);
                delivered++;
            }
        }
        return delivered;
    }

    private int receiveFailed(int r) {
        if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        if (r == -Errno.ENETDOWN) {
            counters.increment(IoCounter.RX_LINK_DOWN);
            return 0;
        }
        counters.increment(IoCounter.RX_ERRORS);
        return r;
    }

    /**
     * Sends frames {@code 0 .. count-1} of {@code batch} (as declared with {@link FrameBatch#frame}) with
     * {@code sendmmsg}. A frame the kernel refuses is skipped and counted; sending stops when the queue is
     * full.
     *
     * @return frames sent; with {@code 0 <} result {@code < count} the rest were dropped or not sent
     */
    public int send(FrameBatch batch, int count) {
        return BatchSend.send(calls, counters, openFd(), batch, count);
    }

    /**
     * Sends one frame.
     *
     * @return {@code length}; {@code 0} if the kernel would block; {@code -errno} if it refused the frame
     *     (ENETDOWN while the interface is down, EMSGSIZE above MTU + header + one tag)
     */
    public int write(MemorySegment buffer, long offset, int length) {
        long r = calls.write(openFd(), NativeBuffers.address(buffer, offset, length), length);
        Reference.reachabilityFence(buffer);
        return counters.countSend(r);
    }

    /**
     * Frames the kernel dropped because this socket's receive queue was full since the last call
     * ({@code PACKET_STATISTICS}, which resets on read). Not for the per-frame path.
     */
    public long kernelDrops() {
        return PacketSocketSetup.kernelDrops(openFd(), interfaceName, stats, statsLength);
    }

    /** Sets SO_RCVBUF, the kernel-side queue between bursts; Linux doubles the value and caps it at rmem_max. */
    public void receiveBufferSize(int bytes) {
        PacketSocketSetup.receiveBufferSize(openFd(), interfaceName, bytes);
    }

    private int openFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("packet socket on '" + interfaceName + "' is closed");
        }
        return f;
    }

    /** Closes the socket; the kernel leaves promiscuous mode. Idempotent. */
    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            if (ring != null) {
                ring.close();
            }
            Libc.close(f);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "packet socket on " + interfaceName + " (ifindex " + ifindex + ", mtu " + mtu + ")"
            + (fd < 0 ? " closed" : "");
    }
}
