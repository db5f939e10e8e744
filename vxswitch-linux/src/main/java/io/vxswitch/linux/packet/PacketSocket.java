package io.vxswitch.linux.packet;

import io.vxswitch.linux.ErrorHints;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.InterfaceName;
import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.MsgHdr;
import io.vxswitch.linux.ffi.NativeBuffers;
import io.vxswitch.linux.ffi.PacketMreq;
import io.vxswitch.linux.ffi.SockaddrLl;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.linux.ffi.TpacketStats;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;
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
    /** {@code PACKET_VNET_HDR} (packet(7)): a {@code virtio_net_hdr} in front of every frame, both ways. */
    static final int PACKET_VNET_HDR = 15;
    /** {@code PACKET_FANOUT} (packet(7)): the socket joins a group that shares the interface's frames. */
    static final int PACKET_FANOUT = 18;
    /** Fanout mode: by the frame's flow hash, so a flow always lands on the same socket, in order. */
    static final int PACKET_FANOUT_HASH = 0;
    /** Fanout flag: IP fragments are joined before hashing, so all fragments of a datagram land together. */
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    private final String interfaceName;
    private final int ifindex;
    private final int mtu;
    /** Bytes of vnet header in front of each frame: 0, or {@link VirtioNetHeader#LENGTH}. */
    private final int vnet;
    private final IoCounters counters = new IoCounters();
    private final Arena arena = Arena.ofShared();
    private final DataPathCalls calls = new DataPathCalls(arena);
    private final MemorySegment stats = arena.allocate(TpacketStats.LAYOUT);
    private final MemorySegment statsLength = arena.allocate(ValueLayout.JAVA_INT);
    private int fd;
    private RxRing ring;

    private PacketSocket(String interfaceName, int ifindex, int mtu, int fd, boolean vnetHeader) {
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
        InterfaceName.validate("interface name", interfaceName);
        String action = "cannot attach to interface '" + interfaceName + "'";
        int ifindex = InterfaceControl.index(interfaceName);
        int mtu = InterfaceControl.mtu(interfaceName);
        // Protocol 0: nothing is queued until bind() names the interface, so no frame of another interface
        // slips in between socket() and bind().
        int fd = Libc.socket(Sockets.AF_PACKET, Sockets.SOCK_RAW | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new LinuxException(action, "socket(AF_PACKET, SOCK_RAW)", -fd, ErrorHints.packetSocket(-fd));
        }
        PacketSocket socket = new PacketSocket(interfaceName, ifindex, mtu, fd, vnetHeader);
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment one = setup.allocateFrom(ValueLayout.JAVA_INT, 1);
            int r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, TpacketAuxdata.PACKET_AUXDATA, one, 4);
            check(r, action, "setsockopt(PACKET_AUXDATA)");
            r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, Sockets.PACKET_IGNORE_OUTGOING, one, 4);
            if (r != -Errno.ENOPROTOOPT) { // kernels before 4.20 lack it; the pkttype check still works
                check(r, action, "setsockopt(PACKET_IGNORE_OUTGOING)");
            }
            if (vnetHeader) { // before the ring, which the kernel lays out for it
                r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, PACKET_VNET_HDR, one, 4);
                check(r, action, "setsockopt(PACKET_VNET_HDR)");
            }
            if (rxRing) { // before bind(): every frame goes to the ring
                socket.ring = RxRing.attach(fd, socket.maxFrameLength(), socket.vnet, interfaceName, socket.counters);
            }
            MemorySegment address = setup.allocate(SockaddrLl.LAYOUT);
            SockaddrLl.forBind(address, 0, ifindex, SockaddrLl.ETH_P_ALL);
            r = Libc.bind(fd, address, (int) SockaddrLl.SIZE);
            if (r < 0) {
                throw new LinuxException(action, "bind(AF_PACKET)", -r, ErrorHints.interfaceCall(interfaceName, -r));
            }
            if (promiscuous) {
                MemorySegment mreq = setup.allocate(PacketMreq.LAYOUT);
                PacketMreq.write(mreq, ifindex, PacketMreq.PACKET_MR_PROMISC);
                r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, PacketMreq.PACKET_ADD_MEMBERSHIP, mreq,
                    PacketMreq.SIZE);
                check(r, action, "setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC)");
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Joins fanout group {@code group} (16 bits, one per interface and process): the kernel then spreads the
     * interface's received frames over the group's sockets by flow hash, each flow always to the same socket, as a
     * multi-queue NIC spreads flows over its queues. Every socket of a group must be bound to the same interface.
     *
     * @throws LinuxException the kernel refuses (a group of that number exists with other settings)
     */
    public void joinFanout(int group) {
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("fanout group must be 0-65535, got " + group);
        }
        try (Arena setup = Arena.ofConfined()) {
            int arg = group | (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16;
            MemorySegment value = setup.allocateFrom(ValueLayout.JAVA_INT, arg);
            check(Libc.setsockopt(openFd(), TpacketAuxdata.SOL_PACKET, PACKET_FANOUT, value, 4),
                "cannot share interface '" + interfaceName + "' between loops", "setsockopt(PACKET_FANOUT, hash)");
        }
    }

    /** A fanout group number for {@code ifindex} that no other process's group on the interface is likely to use. */
    public static int fanoutGroup(int ifindex) {
        return (int) ((ProcessHandle.current().pid() * 31 + ifindex) & 0xFFFF);
    }

    private static void check(int result, String action, String syscall) {
        if (result < 0) {
            throw new LinuxException(action, syscall, -result, ErrorHints.generic(-result));
        }
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
        MessageVector v = batch.vector;
        if (count > v.count()) {
            throw new IllegalArgumentException(count + " frames do not fit a batch of " + v.count());
        }
        for (int k = 0; k < count; k++) {
            v.prepareSend(k, batch.offsets[k], batch.lengths[k], 0);
        }
        int f = openFd();
        int sent = 0;
        int next = 0;
        while (next < count) {
            // A slice only after a refused frame: the common case passes the vector as it is.
            MemorySegment from = next == 0 ? v.messages() : v.messages().asSlice(v.messageOffset(next));
            int r = calls.sendmmsg(f, from, count - next, 0);
            if (r > 0) {
                for (int k = next; k < next + r; k++) {
                    counters.add(IoCounter.TX_BYTES, v.length(k));
                }
                counters.add(IoCounter.TX_FRAMES, r);
                sent += r;
                next += r;
            } else if (r == -Errno.EAGAIN || r == -Errno.ENOBUFS) {
                counters.add(IoCounter.TX_WOULD_BLOCK, count - next);
                break;
            } else {
                // sendmmsg reports the error of the first message it could not send: drop that one.
                counters.increment(IoCounter.TX_ERRORS);
                next++;
            }
        }
        return sent;
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
        statsLength.set(ValueLayout.JAVA_INT, 0, TpacketStats.SIZE);
        int r = Libc.getsockopt(openFd(), TpacketAuxdata.SOL_PACKET, TpacketStats.PACKET_STATISTICS, stats,
            statsLength);
        check(r, "cannot read the statistics of the packet socket on '" + interfaceName + "'",
            "getsockopt(PACKET_STATISTICS)");
        return TpacketStats.drops(stats);
    }

    /** Sets SO_RCVBUF, the kernel-side queue between bursts; Linux doubles the value and caps it at rmem_max. */
    public void receiveBufferSize(int bytes) {
        try (Arena setup = Arena.ofConfined()) {
            int r = Libc.setsockopt(openFd(), Sockets.SOL_SOCKET, Sockets.SO_RCVBUF,
                setup.allocateFrom(ValueLayout.JAVA_INT, bytes), 4);
            check(r, "cannot size the receive buffer of the packet socket on '" + interfaceName + "'",
                "setsockopt(SO_RCVBUF)");
        }
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
