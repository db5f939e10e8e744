package io.vxswitch.linux.packet;

import io.vxswitch.linux.ErrorHints;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.InterfaceName;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.PacketMreq;
import io.vxswitch.linux.ffi.SockaddrLl;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.linux.ffi.TpacketStats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Opening a {@link PacketSocket} and the socket options it is set up with: the order matters (the vnet header before
 * the ring, the ring before bind, bind before the promiscuous membership and the fanout group), and every refusal is
 * a {@link LinuxException} that says what to do.
 */
final class PacketSocketSetup {
    /** {@code PACKET_VNET_HDR} (packet(7)): a {@code virtio_net_hdr} in front of every frame, both ways. */
    static final int PACKET_VNET_HDR = 15;
    /** {@code PACKET_FANOUT} (packet(7)): the socket joins a group that shares the interface's frames. */
    static final int PACKET_FANOUT = 18;
    /** Fanout mode: by the frame's flow hash, so a flow always lands on the same socket, in order. */
    static final int PACKET_FANOUT_HASH = 0;
    /** Fanout flag: IP fragments are joined before hashing, so all fragments of a datagram land together. */
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    private PacketSocketSetup() {
    }

    /** See {@link PacketSocket#open(String, boolean, boolean, boolean)}. */
    static PacketSocket open(String interfaceName, boolean promiscuous, boolean rxRing, boolean vnetHeader) {
        return open(interfaceName, promiscuous, rxRing, vnetHeader, SockaddrLl.ETH_P_ALL, NO_GROUP);
    }

    /** No multicast membership to add. */
    static final long NO_GROUP = -1;

    /**
     * A packet socket that receives only EtherType {@code protocol} ({@link SockaddrLl#ETH_P_ALL}: everything), and
     * frames to multicast {@code group} even when the interface filters them ({@link #NO_GROUP}: no membership).
     */
    static PacketSocket open(String interfaceName, boolean promiscuous, boolean rxRing, boolean vnetHeader,
                             int protocol, long group) {
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
            SockaddrLl.forBind(address, 0, ifindex, protocol);
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
            if (group != NO_GROUP) {
                MemorySegment mreq = setup.allocate(PacketMreq.LAYOUT);
                PacketMreq.writeMulticast(mreq, ifindex, group);
                r = Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, PacketMreq.PACKET_ADD_MEMBERSHIP, mreq,
                    PacketMreq.SIZE);
                check(r, action, "setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_MULTICAST)");
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    static void joinFanout(int fd, String interfaceName, int group) {
        if (group < 0 || group > 0xFFFF) {
            throw new IllegalArgumentException("fanout group must be 0-65535, got " + group);
        }
        try (Arena setup = Arena.ofConfined()) {
            int arg = group | (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16;
            MemorySegment value = setup.allocateFrom(ValueLayout.JAVA_INT, arg);
            check(Libc.setsockopt(fd, TpacketAuxdata.SOL_PACKET, PACKET_FANOUT, value, 4),
                "cannot share interface '" + interfaceName + "' between loops", "setsockopt(PACKET_FANOUT, hash)");
        }
    }

    static int fanoutGroup(int ifindex) {
        return (int) ((ProcessHandle.current().pid() * 31 + ifindex) & 0xFFFF);
    }

    static void receiveBufferSize(int fd, String interfaceName, int bytes) {
        try (Arena setup = Arena.ofConfined()) {
            int r = Libc.setsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF,
                setup.allocateFrom(ValueLayout.JAVA_INT, bytes), 4);
            check(r, "cannot size the receive buffer of the packet socket on '" + interfaceName + "'",
                "setsockopt(SO_RCVBUF)");
        }
    }

    static long kernelDrops(int fd, String interfaceName, MemorySegment stats, MemorySegment statsLength) {
        statsLength.set(ValueLayout.JAVA_INT, 0, TpacketStats.SIZE);
        int r = Libc.getsockopt(fd, TpacketAuxdata.SOL_PACKET, TpacketStats.PACKET_STATISTICS, stats, statsLength);
        check(r, "cannot read the statistics of the packet socket on '" + interfaceName + "'",
            "getsockopt(PACKET_STATISTICS)");
        return TpacketStats.drops(stats);
    }

    static void check(int result, String action, String syscall) {
        if (result < 0) {
            throw new LinuxException(action, syscall, -result, ErrorHints.generic(-result));
        }
    }
}
