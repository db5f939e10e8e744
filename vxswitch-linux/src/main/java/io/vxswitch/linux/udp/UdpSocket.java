package io.vxswitch.linux.udp;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.MmsgHdr;
import io.vxswitch.linux.ffi.MsgHdr;
import io.vxswitch.linux.ffi.NativeBuffers;
import io.vxswitch.linux.ffi.SockaddrIn;
import io.vxswitch.linux.ffi.SockaddrIn6;
import io.vxswitch.linux.ffi.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * A non-blocking UDP socket bound to one local address and port, IPv4 or IPv6 (IPv6-only, no mapped IPv4),
 * for the VXLAN underlay. {@code SO_REUSEADDR} stays off, so a second VTEP, or the kernel's vxlan device,
 * on the same address and port is an error at bind time instead of a silent split of the traffic. The one
 * deliberate split: the receivers of several forwarding loops bind the VXLAN port together with
 * {@code SO_REUSEPORT} ({@link #bind(IpAddress, int, boolean)}), and the kernel keeps each outer flow on one of
 * them.
 *
 * <p>Batched with {@code recvmmsg}/{@code sendmmsg} through a {@link UdpBatch}. Contract as for the other
 * ports: counts of datagrams, {@code 0} when nothing is waiting or the send queue is full, {@code -errno}
 * when a call failed; no allocation per datagram. One thread at a time (different threads may own the
 * receiving and the sending side if they use different batches and this object only for {@code receive}
 * or only for {@code send}; {@link #sendTo} keeps one address buffer and belongs to one thread).
 */
public final class UdpSocket implements AutoCloseable {
    private final IpAddress localAddress;
    private final int localPort;
    private final IoCounters counters = new IoCounters();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment singleAddress = arena.allocate(SockaddrIn6.LAYOUT);
    private final DataPathCalls calls = new DataPathCalls(arena);
    private int fd;

    private UdpSocket(int fd, IpAddress localAddress, int localPort) {
        this.fd = fd;
        this.localAddress = localAddress;
        this.localPort = localPort;
    }

    /** Binds to {@code address} ({@code 192.0.2.1} or {@code 2001:db8::1}) and {@code port} (0: any free one). */
    public static UdpSocket bind(String address, int port) {
        return bind(IpAddress.parse(address), port);
    }

    /**
     * @throws LinuxException the address is not local, the port is in use, or a privilege is missing
     */
    public static UdpSocket bind(IpAddress local, int port) {
        return bind(local, port, false);
    }

    /**
     * @param shared {@code SO_REUSEPORT}: other sockets of this user that set it too may bind the same address and
     *               port, and the kernel spreads datagrams over them by their addresses and ports
     * @throws LinuxException the address is not local, the port is in use, or a privilege is missing
     */
    public static UdpSocket bind(IpAddress local, int port, boolean shared) {
        int[] boundPort = new int[1];
        int fd = UdpSocketSetup.bind(local, port, shared, boundPort);
        return new UdpSocket(fd, local, boundPort[0]);
    }

    static String endpoint(IpAddress address, int port) {
        return address.isIpv4() ? address + ":" + port : "[" + address + "]:" + port;
    }

    /** Writes a sockaddr_in or sockaddr_in6 for {@code (high, low)}; returns its length. */
    static int writeAddress(MemorySegment s, long high, long low, int port) {
        if (IpAddress.isIpv4(high, low)) {
            SockaddrIn.write(s, 0, (int) low, port);
            return SockaddrIn.SIZE;
        }
        SockaddrIn6.write(s, 0, high, low, port);
        return SockaddrIn6.SIZE;
    }

    public IpAddress localAddress() {
        return localAddress;
    }

    /** The bound port (the kernel's choice if 0 was asked for). */
    public int localPort() {
        return localPort;
    }

    public boolean isIpv6() {
        return !localAddress.isIpv4();
    }

    public int fd() {
        return fd;
    }

    public IoCounters counters() {
        return counters;
    }

    /**
     * Receives up to {@code batch.capacity()} datagrams with one {@code recvmmsg}.
     *
     * @return datagrams received into slots {@code 0 .. n-1} (0 when none was waiting), or {@code -errno}
     */
    public int receive(UdpBatch batch) {
        MessageVector v = batch.vector;
        int n = v.count();
        v.prepareReceive(n, 0);
        int r = calls.recvmmsg(openFd(), v.messages(), n, 0);
        if (r <= 0) {
            if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR) {
                return 0;
            }
            counters.increment(IoCounter.RX_ERRORS);
            return r;
        }
        for (int i = 0; i < r; i++) {
            int length = v.length(i);
            batch.lengths[i] = length;
            batch.truncated[i] = (v.flags(i) & MsgHdr.MSG_TRUNC) != 0;
            long gro = CmsgHdr.find(v.controls(), v.controlOffset(i), v.controlLength(i), Sockets.SOL_UDP,
                Sockets.UDP_GRO, 4);
            batch.segmentSizes[i] = gro < 0 ? 0 : v.controls().get(ValueLayout.JAVA_INT_UNALIGNED, gro);
            counters.add(IoCounter.RX_BYTES, length);
        }
        counters.add(IoCounter.RX_FRAMES, r);
        return r;
    }

    /**
     * Sends datagrams {@code 0 .. count-1} of {@code batch} with {@code sendmmsg}. A datagram the kernel
     * refuses (no route, EMSGSIZE, ...) gets its {@code -errno} in {@link UdpBatch#sendResult} and the rest
     * still go; when the send queue is full, the rest are left {@link UdpBatch#NOT_SENT}.
     *
     * @return datagrams sent
     */
    public int send(UdpBatch batch, int count) {
        if (count > batch.capacity()) {
            throw new IllegalArgumentException(count + " datagrams do not fit a batch of " + batch.capacity());
        }
        for (int i = 0; i < count; i++) {
            batch.prepareSend(i);
        }
        return sendMessages(batch.vector.messages(), count, batch.results, null);
    }

    /**
     * Sends {@code count} prepared mmsghdrs from {@code messages}; result of message {@code k} goes to
     * {@code results[slotOf == null ? k : slotOf[k]]}.
     */
    int sendMessages(MemorySegment messages, int count, int[] results, int[] slotOf) {
        for (int k = 0; k < count; k++) {
            results[slotOf == null ? k : slotOf[k]] = UdpBatch.NOT_SENT;
        }
        int f = openFd();
        int sent = 0;
        int next = 0;
        while (next < count) {
            MemorySegment from = next == 0 ? messages : messages.asSlice(MmsgHdr.SIZE * next);
            int r = calls.sendmmsg(f, from, count - next, 0);
            if (r > 0) {
                for (int k = next; k < next + r; k++) {
                    int length = MmsgHdr.length(messages, MmsgHdr.SIZE * k);
                    results[slotOf == null ? k : slotOf[k]] = length;
                    counters.add(IoCounter.TX_BYTES, length);
                }
                counters.add(IoCounter.TX_FRAMES, r);
                sent += r;
                next += r;
            } else if (r == -Errno.EAGAIN || r == -Errno.ENOBUFS) {
                counters.add(IoCounter.TX_WOULD_BLOCK, count - next);
                break;
            } else {
                // sendmmsg reports the error of the first message it could not send: drop that one, go on.
                results[slotOf == null ? next : slotOf[next]] = r;
                counters.increment(IoCounter.TX_ERRORS);
                next++;
            }
        }
        return sent;
    }

    /**
     * Sends one datagram of {@code length} bytes at {@code offset} to {@code (dstHigh, dstLow)}:{@code dstPort}.
     *
     * @return {@code length}; {@code 0} if the send queue is full; {@code -errno} if refused
     */
    public int sendTo(MemorySegment buffer, long offset, int length, long dstHigh, long dstLow, int dstPort) {
        int addressLength = writeAddress(singleAddress, dstHigh, dstLow, dstPort);
        long r = calls.sendto(openFd(), NativeBuffers.address(buffer, offset, length), length, 0, singleAddress,
            addressLength);
        Reference.reachabilityFence(buffer);
        return counters.countSend(r);
    }

    /**
     * Sets the DF bit on IPv4 (and forbids local fragmentation on IPv6): RFC 7348 §4.3 says VTEPs must not
     * fragment, and a datagram above the path MTU then fails with EMSGSIZE instead of leaving in pieces.
     */
    public void dontFragment(boolean on) {
        int mode = on ? Sockets.IP_PMTUDISC_DO : Sockets.IP_PMTUDISC_WANT;
        boolean ipv4 = localAddress.isIpv4();
        setInt(ipv4 ? Sockets.IPPROTO_IP : Sockets.IPPROTO_IPV6,
            ipv4 ? Sockets.IP_MTU_DISCOVER : Sockets.IPV6_MTU_DISCOVER, mode,
            ipv4 ? "setsockopt(IP_MTU_DISCOVER)" : "setsockopt(IPV6_MTU_DISCOVER)");
    }

    /**
     * IPv4 only: send with a zero UDP checksum (RFC 7348 §5: SHOULD be zero over IPv4; receivers accept it).
     * Linux computes it by default, usually in the NIC. IPv6 always has one (RFC 8200 §8.1).
     */
    public void zeroChecksum(boolean on) {
        if (!localAddress.isIpv4()) {
            throw new IllegalStateException("UDP over IPv6 needs a checksum (RFC 8200 §8.1)");
        }
        setInt(Sockets.SOL_SOCKET, Sockets.SO_NO_CHECK, on ? 1 : 0, "setsockopt(SO_NO_CHECK)");
    }

    /**
     * True if the kernel takes {@code UDP_SEGMENT} on this socket (Linux 4.18 and later): asks with a segment size
     * of 0, which changes nothing. Whether a given send can be segmented is known only when it is made (EIO where
     * the route's device cannot checksum).
     */
    public boolean supportsSegmentation() {
        try (Arena setup = Arena.ofConfined()) {
            return Libc.setsockopt(openFd(), Sockets.SOL_UDP, Sockets.UDP_SEGMENT,
                setup.allocateFrom(ValueLayout.JAVA_INT, 0), 4) == 0;
        }
    }

    /**
     * {@code UDP_GRO}: the kernel may hand over several datagrams of one flow as one, {@link UdpBatch#segmentSize}
     * bytes each (the last shorter or equal), as it gathered them by GRO or as a UDP GSO sender sent them. Give slots
     * of 64 KiB. Returns false where the kernel lacks it (before Linux 5.0); datagrams then come one by one.
     */
    public boolean receiveCoalesced() {
        try (Arena setup = Arena.ofConfined()) {
            return Libc.setsockopt(openFd(), Sockets.SOL_UDP, Sockets.UDP_GRO,
                setup.allocateFrom(ValueLayout.JAVA_INT, 1), 4) == 0;
        }
    }

    /** SO_RCVBUF: how much the kernel queues between two receives; doubled by Linux, capped at rmem_max. */
    public void receiveBufferSize(int bytes) {
        setInt(Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, bytes, "setsockopt(SO_RCVBUF)");
    }

    public void sendBufferSize(int bytes) {
        setInt(Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, bytes, "setsockopt(SO_SNDBUF)");
    }

    private void setInt(int level, int name, int value, String syscall) {
        try (Arena setup = Arena.ofConfined()) {
            int r = Libc.setsockopt(openFd(), level, name, setup.allocateFrom(ValueLayout.JAVA_INT, value), 4);
            LinuxException.check(r, "cannot configure UDP socket " + endpoint(localAddress, localPort), syscall);
        }
    }

    private int openFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("UDP socket " + endpoint(localAddress, localPort) + " is closed");
        }
        return f;
    }

    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Libc.close(f);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "UDP " + endpoint(localAddress, localPort) + (fd < 0 ? " (closed)" : "");
    }
}
