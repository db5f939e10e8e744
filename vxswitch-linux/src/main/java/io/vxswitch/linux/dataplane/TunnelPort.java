package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.Vtep;

/**
 * A tunnel port on UDP sockets: the VTEP's underlay. Datagrams on the VXLAN port are decapsulated into the
 * switch; copies the switch sends to the tunnel get a VXLAN header in front (the kernel adds UDP and IP) in
 * a batch that the sender loop passes to {@code sendmmsg}, each from the pool socket its inner flow hashes
 * to, so the outer source port carries the flow's entropy (RFC 7348 §5). The batches go round a
 * {@link SlotRing}: the switch loop fills one while the sender sends another.
 *
 * <p>A TCP super-frame from a tap with offload is cut into its segments ({@link SoftwareOffload}), each in its own
 * VXLAN datagram; with UDP GSO those datagrams are written back to back and go to the kernel as one message per up to
 * 64 of them ({@code UDP_SEGMENT}), so the UDP and IP layers run once per train instead of once per segment. Where
 * the kernel refuses (EIO before Linux 6.10 when the route's device cannot checksum UDP; EINVAL on a socket without
 * UDP checksums), the port says so once and sends datagram by datagram from then on.
 *
 * <p>Receiving is the {@link TunnelReceiver}'s: datagrams the kernel joined ({@code UDP_GRO}) split again, and a
 * flow's consecutive TCP segments coalesced into a super-frame (GRO) that crosses the switch once.
 */
public final class TunnelPort implements PortDevice {
    static final int BATCH = 64;
    static final int TX_SLOTS = 4;
    /** UDP_MAX_SEGMENTS before Linux 6.8 (128 since). */
    static final int MAX_TRAIN_SEGMENTS = 64;
    /** A GSO message is one UDP datagram to the stack: its length field caps it (65535 less UDP and IPv6 headers). */
    static final int MAX_TRAIN_BYTES = 65_535 - 8 - 40;

    private final Vtep vtep;
    private final UdpSocketPool sockets;
    private final int dstPort;
    private final MtuCheck mtu;
    private final boolean ipv6;
    private final TunnelReceiver receiver;
    private final SlotRing ring = new SlotRing(TX_SLOTS);
    private final UdpBatch[] tx = new UdpBatch[TX_SLOTS];
    private final int[] counts = new int[TX_SLOTS];
    /** Bytes used in each batch's buffer: messages are packed, a GSO message takes many datagrams' room. */
    private final long[] fillBytes = new long[TX_SLOTS];
    /** Datagrams in each message of each batch (more than 1 for a GSO message), to count what is refused. */
    private final int[][] trainSegments = new int[TX_SLOTS][BATCH];
    private final int slotSize;
    private final int[] targets;
    /** The inner flow's hash picks the pool socket, hence the outer source port. */
    private final SourcePortHash flows = SourcePortHash.rfc7348();
    private final SoftwareOffload software = new SoftwareOffload();
    /** UDP GSO for super-frames: on where the sockets take it, off for good after the kernel refuses a send. */
    private volatile boolean gso;
    private volatile String notice;
    // switch loop
    private int filling = -1;
    private long queueFull;
    private long unsupported;
    // sender loop
    private long refused;

    /**
     * @param slotSize bytes per datagram slot: VXLAN header and the largest inner frame
     * @param gro      coalesce received TCP segments into super-frames ({@link TcpCoalescer})
     */
    public TunnelPort(Vtep vtep, UdpSocketPool sockets, int dstPort, MtuCheck mtu, boolean ipv6, int slotSize,
                      boolean gro) {
        this.vtep = vtep;
        this.sockets = sockets;
        this.dstPort = dstPort;
        this.mtu = mtu;
        this.ipv6 = ipv6;
        this.slotSize = slotSize;
        this.receiver = new TunnelReceiver(vtep, sockets.receiver(), BATCH, slotSize, gro);
        for (int s = 0; s < TX_SLOTS; s++) {
            tx[s] = new UdpBatch(BATCH, slotSize);
        }
        this.gso = sockets.supportsSegmentation();
        this.targets = new int[vtep.remotes().capacity()];
    }

    public Vtep vtep() {
        return vtep;
    }

    /** The underlay sockets (tests reach in to make the kernel refuse GSO). */
    UdpSocketPool sockets() {
        return sockets;
    }

    @Override
    public int fd() {
        return sockets.receiver().fd();
    }

    @Override
    public int switchPort() {
        return vtep.tunnelPort();
    }

    @Override
    public int receive(RxFrame frame, long now) {
        return receiver.receive(frame);
    }

    @Override
    public long superFramesCoalesced() {
        return receiver.superFrames();
    }

    @Override
    public long segmentsCoalesced() {
        return receiver.coalescedSegments();
    }

    @Override
    public void attach(Backpressure backpressure) {
        ring.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        int n = vtep.targets(d, i, targets);
        if (n == Vtep.MULTICAST) {
            unsupported++; // multicast underlay needs group membership on the socket: not supported by this port yet
            return;
        }
        int vni = vtep.vniOf(d.vlan());
        if (offload.isPlain()) {
            for (int k = 0; k < n; k++) {
                sendDatagram(d, i, -1, targets[k], vni, now);
            }
            return;
        }
        int segments = software.prepare(d, i, offload); // a super-frame leaves as its TCP segments
        boolean trains = segments > 1 && gso && software.length(0) <= mtu.maxInnerFrame(ipv6);
        for (int k = 0; k < n; k++) {
            if (trains) {
                int perTrain = Math.min(MAX_TRAIN_SEGMENTS, MAX_TRAIN_BYTES / (Vxlan.LENGTH + software.length(0)));
                for (int first = 0; first < segments; first += perTrain) {
                    sendTrain(first, Math.min(segments, first + perTrain), targets[k], vni);
                }
            } else {
                for (int s = 0; s < segments; s++) {
                    sendDatagram(d, i, s, targets[k], vni, now);
                }
            }
        }
    }

    /** Queues one datagram: copy {@code i} of {@code d}, or finished segment {@code segment} if that is not -1. */
    private void sendDatagram(ForwardingDecision d, int i, int segment, int remote, int vni, long now) {
        int innerMax = segment < 0 ? d.egressLength(i) : software.length(segment);
        if (Vxlan.LENGTH + innerMax > slotSize) {
            unsupported++;
            return;
        }
        int at = claim(Vxlan.LENGTH + innerMax);
        if (at < 0) {
            queueFull++; // the sender has not caught up: every slot waits for sendmmsg
            return;
        }
        UdpBatch b = tx[filling];
        long offset = fillBytes[filling];
        long inner = offset + Vxlan.LENGTH;
        int innerLength = segment < 0 ? d.writeEgress(i, b.buffer(), inner) : software.write(segment, b.buffer(), inner);
        if (!mtu.admit(b.buffer(), inner, innerLength, vni, ipv6, now)) {
            return; // counted as mtu_exceeded by the check, logged at most once per interval
        }
        Vxlan.write(b.buffer(), offset, vni);
        RemoteVteps remotes = vtep.remotes();
        b.message(at, offset, Vxlan.LENGTH + innerLength, 0, remotes.high(remote), remotes.low(remote), dstPort);
        b.flowHash(at, flows.port(b.buffer(), inner, innerLength));
        remotes.countTx(vtep.lane(), remote, 1);
        vtep.counters().countEncapsulated();
        commit(at, Vxlan.LENGTH + innerLength, 1);
    }

    /**
     * Queues segments {@code [first, last)} of the prepared super-frame as one UDP GSO message: VXLAN datagrams back
     * to back, all of one size but the last, which the kernel sends as separate datagrams.
     */
    private void sendTrain(int first, int last, int remote, int vni) {
        int bytes = 0;
        for (int s = first; s < last; s++) {
            bytes += Vxlan.LENGTH + software.length(s);
        }
        int at = claim(bytes);
        if (at < 0) {
            queueFull += last - first;
            return;
        }
        UdpBatch b = tx[filling];
        long offset = fillBytes[filling];
        long p = offset;
        for (int s = first; s < last; s++) {
            Vxlan.write(b.buffer(), p, vni);
            p += Vxlan.LENGTH + software.write(s, b.buffer(), p + Vxlan.LENGTH);
        }
        RemoteVteps remotes = vtep.remotes();
        int segmentSize = last - first > 1 ? Vxlan.LENGTH + software.length(first) : 0;
        b.message(at, offset, bytes, segmentSize, remotes.high(remote), remotes.low(remote), dstPort);
        b.flowHash(at, flows.port(b.buffer(), offset + Vxlan.LENGTH, software.length(first)));
        remotes.countTx(vtep.lane(), remote, last - first);
        vtep.counters().countEncapsulated(last - first);
        commit(at, bytes, last - first);
    }

    /**
     * Message {@code i} of the batch being filled, with {@code bytes} of room at {@code fillBytes[filling]} (starting
     * the next batch when this one is out of messages or room), or -1 if every batch waits for the sender.
     */
    private int claim(int bytes) {
        if (filling >= 0 && (counts[filling] == BATCH || fillBytes[filling] + bytes > tx[filling].dataSize())) {
            flush();
        }
        if (filling < 0) {
            filling = ring.claim();
            if (filling < 0) {
                return -1;
            }
            counts[filling] = 0;
            fillBytes[filling] = 0;
        }
        return counts[filling];
    }

    private void commit(int at, int bytes, int datagrams) {
        trainSegments[filling][at] = datagrams;
        counts[filling] = at + 1;
        fillBytes[filling] += (bytes + 63) & ~63; // the next message starts on a cache line
    }

    @Override
    public boolean flush() {
        if (filling < 0 || counts[filling] == 0) {
            return false;
        }
        ring.publish();
        filling = -1;
        return true;
    }

    @Override
    public int transmit() {
        int total = 0;
        for (int s = ring.next(); s >= 0; s = ring.next()) {
            int count = counts[s];
            UdpBatch b = tx[s];
            int sent = sockets.send(b, count);
            if (sent < count) {
                countRefused(b, count, trainSegments[s]);
            }
            ring.release();
            total += count;
        }
        return total;
    }

    /** Counts the datagrams of the messages the kernel refused; a refused GSO message turns GSO off, once. */
    private void countRefused(UdpBatch b, int count, int[] datagrams) {
        for (int m = 0; m < count; m++) {
            int r = b.sendResult(m);
            if (r > 0) {
                continue;
            }
            refused += datagrams[m];
            if (b.segmentSize(m) > 0 && gso && (r == -Errno.EIO || r == -Errno.EINVAL)) {
                gso = false; // the switch loop sends one datagram per segment from its next frame on
                notice = "the kernel refused a UDP GSO send (" + Errno.name(-r) + "; kernels before 6.10 do where "
                    + "the underlay device cannot checksum UDP); " + datagrams[m] + " datagrams lost, one datagram per "
                    + "segment from now on";
            }
        }
    }

    @Override
    public String takeNotice() {
        String n = notice;
        if (n != null) {
            notice = null;
        }
        return n;
    }

    @Override
    public boolean hasPending() {
        return ring.hasPublished();
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    /**
     * Datagrams refused by the kernel, frames too large for a slot, super-frames that could not be cut, and multicast
     * copies (not supported yet).
     */
    @Override
    public long txRefused() {
        return refused + unsupported + software.refused();
    }

    /** Received datagrams longer than a slot. */
    public long rxTruncated() {
        return receiver.truncated();
    }

    @Override
    public long superFramesCut() {
        return software.superFrames();
    }

    @Override
    public long segmentsFromCuts() {
        return software.segments();
    }

    @Override
    public String describe() {
        return "vxlan on " + sockets + (gso ? ", UDP GSO" : "") + (receiver.joinsDatagrams() ? ", UDP GRO" : "");
    }

    @Override
    public void close() {
        sockets.close();
        receiver.close();
        software.close();
        for (UdpBatch b : tx) {
            b.close();
        }
    }
}
