package io.vxswitch.linux.udp;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.MmsgHdr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The underlay sockets of one VTEP: a receiver bound to the VXLAN port and a few senders bound to other
 * source ports, one chosen per inner flow.
 *
 * <h2>Why a pool of sockets</h2>
 * RFC 7348 §5 recommends a UDP source port from a hash of the inner flow, so that ECMP in the underlay
 * spreads flows while each flow stays on one path. A UDP socket sends from its bound port and Linux has no
 * per-datagram control message for the source port, so the options are: (1) a raw socket with
 * {@code IP_HDRINCL}, writing IP and UDP headers ourselves — any port per packet, but it needs
 * CAP_NET_RAW, bypasses the socket's checksum offload and PMTU handling, and still needs a UDP socket on the
 * VXLAN port so the kernel does not answer ICMP port unreachable; (2) AF_PACKET on the underlay NIC — the
 * same plus our own routing and ARP; (3) a handful of ordinary sockets. vxswitch takes (3): N distinct
 * 5-tuples (8 by default) are enough for the ECMP fan-out of a small underlay, the kernel still does
 * routing, neighbours, checksums and fragmentation policy, and a batch still goes out in one
 * {@code sendmmsg} per socket. Receivers answer to the VXLAN port, never to the source port (LINUX-NOTES),
 * so nothing ever needs to arrive on the senders.
 *
 * <p>Datagrams of one flow always use the same sender, so they stay in order.
 */
public final class UdpSocketPool implements AutoCloseable {
    /** Enough distinct 5-tuples for a small underlay's ECMP. */
    public static final int DEFAULT_SENDERS = 8;
    /** The dynamic/private ports (RFC 6335 §6), the source port range RFC 7348 §5 recommends. */
    static final int DYNAMIC_PORT_MIN = 49152;
    static final int DYNAMIC_PORT_MAX = 65535;

    private final UdpSocket receiver;
    private final UdpSocket[] senders;
    private final Arena arena = Arena.ofShared();
    private MemorySegment[] vectors = new MemorySegment[0];
    private int[][] slotOf = new int[0][];
    private final int[] fill;
    private int vectorCapacity;

    private UdpSocketPool(UdpSocket receiver, UdpSocket[] senders) {
        this.receiver = receiver;
        this.senders = senders;
        this.fill = new int[senders.length];
    }

    /** {@link #DEFAULT_SENDERS} senders with source ports in 49152-65535 (RFC 7348 §5). */
    public static UdpSocketPool open(IpAddress local, int vxlanPort) {
        return open(local, vxlanPort, false);
    }

    /**
     * The same; with {@code shared}, the receiver binds with {@code SO_REUSEPORT}, so that each forwarding loop can
     * have a pool of its own on the one VXLAN port.
     */
    public static UdpSocketPool open(IpAddress local, int vxlanPort, boolean shared) {
        return open(local, vxlanPort, DEFAULT_SENDERS, DYNAMIC_PORT_MIN, DYNAMIC_PORT_MAX, shared);
    }

    /**
     * Binds the receiver to {@code local}:{@code vxlanPort} and {@code senders} sockets to free ports in
     * {@code [minPort, maxPort]}, tried from a random start. With {@code minPort == 0} the kernel picks the
     * ports from its ephemeral range, as the Linux vxlan device does.
     *
     * @throws LinuxException on the receiver's bind error, or when no free source port is left
     */
    public static UdpSocketPool open(IpAddress local, int vxlanPort, int senders, int minPort, int maxPort) {
        return open(local, vxlanPort, senders, minPort, maxPort, false);
    }

    private static UdpSocketPool open(IpAddress local, int vxlanPort, int senders, int minPort, int maxPort,
                                      boolean shared) {
        if (senders < 1) {
            throw new IllegalArgumentException("a socket pool needs at least one sender, not " + senders);
        }
        if (minPort != 0 && (minPort < 1 || maxPort > 65535 || minPort > maxPort || maxPort - minPort + 1 < senders)) {
            throw new IllegalArgumentException("source port range " + minPort + "-" + maxPort + " cannot hold "
                + senders + " senders");
        }
        List<UdpSocket> opened = new ArrayList<>();
        try {
            UdpSocket receiver = UdpSocket.bind(local, vxlanPort, shared);
            opened.add(receiver);
            UdpSocket[] pool = new UdpSocket[senders];
            int span = minPort == 0 ? 0 : maxPort - minPort + 1;
            int next = span == 0 ? 0 : ThreadLocalRandom.current().nextInt(span);
            int tried = 0;
            for (int i = 0; i < senders; i++) {
                while (pool[i] == null) {
                    if (span != 0 && tried++ >= span) {
                        throw new LinuxException("cannot open VXLAN source sockets on " + local, "bind",
                            Errno.EADDRINUSE, "no free UDP port left in " + minPort + "-" + maxPort);
                    }
                    int port = span == 0 ? 0 : minPort + (next++ % span);
                    if (port != 0 && port == vxlanPort) {
                        continue;
                    }
                    try {
                        pool[i] = UdpSocket.bind(local, port);
                        opened.add(pool[i]);
                    } catch (LinuxException e) {
                        if (e.errno() != Errno.EADDRINUSE || span == 0) {
                            throw e;
                        }
                    }
                }
            }
            return new UdpSocketPool(receiver, pool);
        } catch (RuntimeException e) {
            opened.forEach(UdpSocket::close);
            throw e;
        }
    }

    /** The socket on the VXLAN port: register its fd with the poll loop and receive from it. */
    public UdpSocket receiver() {
        return receiver;
    }

    public int senderCount() {
        return senders.length;
    }

    public UdpSocket sender(int index) {
        return senders[index];
    }

    /** True if every sender takes UDP GSO ({@link UdpSocket#supportsSegmentation}). */
    public boolean supportsSegmentation() {
        for (UdpSocket s : senders) {
            if (!s.supportsSegmentation()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sender that stands in for {@code sourcePort}: the pool has a few sockets, not one per port, so the ports
     * are spread evenly over them. The port is scattered over 32 bits first (Fibonacci hashing; a port is only 16 bits,
     * and its high bits are all alike in 49152-65535), then mapped with Lemire's multiply-shift. One port, hence one
     * flow, always gets the same sender.
     */
    public int senderIndex(int sourcePort) {
        long scattered = (sourcePort * 0x9E37_79B9) & 0xFFFF_FFFFL;
        return (int) ((scattered * senders.length) >>> 32);
    }

    public UdpSocket senderFor(int sourcePort) {
        return senders[senderIndex(sourcePort)];
    }

    /**
     * Sends datagrams {@code 0 .. count-1} of {@code batch}, each from the sender of its
     * {@link UdpBatch#sourcePort(int, int) source port}: the batch is split per sender (message headers copied,
     * not the data) and each part goes out with one {@code sendmmsg}. Results as for {@link UdpSocket#send}.
     *
     * @return datagrams sent
     */
    public int send(UdpBatch batch, int count) {
        if (count > batch.capacity()) {
            throw new IllegalArgumentException(count + " datagrams do not fit a batch of " + batch.capacity());
        }
        ensureCapacity(batch.capacity());
        Arrays.fill(fill, 0);
        MemorySegment messages = batch.vector.messages();
        for (int i = 0; i < count; i++) {
            batch.prepareSend(i);
            int s = senderIndex(batch.sourcePorts[i]);
            int k = fill[s]++;
            MemorySegment.copy(messages, MmsgHdr.SIZE * i, vectors[s], MmsgHdr.SIZE * k, MmsgHdr.SIZE);
            slotOf[s][k] = i;
        }
        int sent = 0;
        for (int s = 0; s < senders.length; s++) {
            if (fill[s] > 0) {
                sent += senders[s].sendMessages(vectors[s], fill[s], batch.results, slotOf[s]);
            }
        }
        return sent;
    }

    /** Grows the per-sender header vectors to the largest batch seen: allocation once, not per call. */
    private void ensureCapacity(int capacity) {
        if (capacity <= vectorCapacity) {
            return;
        }
        vectors = new MemorySegment[senders.length];
        slotOf = new int[senders.length][];
        for (int s = 0; s < senders.length; s++) {
            vectors[s] = arena.allocate(MmsgHdr.SIZE * capacity, 8);
            slotOf[s] = new int[capacity];
        }
        vectorCapacity = capacity;
    }

    @Override
    public void close() {
        receiver.close();
        for (UdpSocket s : senders) {
            s.close();
        }
        arena.close();
    }

    @Override
    public String toString() {
        StringBuilder ports = new StringBuilder();
        for (UdpSocket s : senders) {
            ports.append(ports.isEmpty() ? "" : ",").append(s.localPort());
        }
        return "VTEP sockets " + receiver + ", source ports " + ports;
    }
}
