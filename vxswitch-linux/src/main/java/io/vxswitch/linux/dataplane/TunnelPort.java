package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.TunnelEgress;
import io.vxswitch.vxlan.Vtep;

/**
 * A tunnel port on UDP sockets: the VTEP's underlay. Datagrams on the VXLAN port are decapsulated into the
 * switch; copies the switch sends to the tunnel are written into a batch where {@link TunnelEgress} decides and
 * encapsulates each datagram (remote VTEPs, VNI, MTU, VXLAN header, source port; the kernel adds UDP and IP), and
 * the sender loop passes the batch to {@code sendmmsg}, each datagram from the pool socket that stands in for its
 * source port. The batches go round a {@link SlotRing}: the switch loop fills one while the sender sends another.
 *
 * <p>A TCP super-frame from a tap with offload is cut into its segments ({@link SoftwareOffload}), each in its own
 * VXLAN datagram; with UDP GSO those datagrams are written back to back and go to the kernel as one message per up to
 * 64 of them ({@code UDP_SEGMENT}), so the UDP and IP layers run once per train instead of once per segment. Where
 * the kernel refuses (EIO before Linux 6.10 when the route's device cannot checksum UDP; EINVAL on a socket without
 * UDP checksums), the port says so once and sends datagram by datagram from then on.
 *
 * <p>Small frames travel in trains too: a datagram that follows one of the same inner flow (hence the same source
 * port) to the same VTEP, no longer than it, is written right after it and joins its message as one more GSO segment.
 * A VM's stream of 60-byte datagrams or of TCP ACKs then crosses the UDP and IP layers once per up to 64 frames, not
 * once per frame; a different flow or VTEP, a longer frame, or a shorter one (which ends the train: only a GSO
 * message's last segment may be short) starts a new message.
 *
 * <p>Receiving is the {@link TunnelReceiver}'s: datagrams the kernel joined ({@code UDP_GRO}) split again, and a
 * flow's consecutive TCP segments coalesced into a super-frame (GRO) that crosses the switch once.
 */
public final class TunnelPort implements PortDevice {
    static final int BATCH = TunnelTxQueue.BATCH;
    /** UDP_MAX_SEGMENTS before Linux 6.8 (128 since). */
    static final int MAX_TRAIN_SEGMENTS = 64;
    /** A GSO message is one UDP datagram to the stack: its length field caps it (65535 less UDP and IPv6 headers). */
    static final int MAX_TRAIN_BYTES = 65_535 - 8 - 40;

    private final Vtep vtep;
    private final TunnelEgress egress;
    private final UdpSocketPool sockets;
    private final int dstPort;
    private final TunnelReceiver receiver;
    private final TunnelTxQueue tx;
    private final int slotSize;
    private final SoftwareOffload software = new SoftwareOffload();
    // forwarding agent
    private long queueFull;
    private long unsupported;
    /**
     * The last message of the batch being filled, while later datagrams may join it: the batch it is in
     * ({@link TunnelTxQueue#batchStarted}; -1: none), its index and bytes, its segment size (its first datagram's
     * length), the VTEP and source port all its datagrams share, how many it holds.
     */
    private long trainBatch = -1;
    private int trainAt;
    private long trainOffset;
    private int trainBytes;
    private int trainSegment;
    private int trainRemote;
    private int trainSourcePort;
    private int trainDatagrams;

    /**
     * @param slotSize bytes per datagram slot: VXLAN header and the largest inner frame
     * @param gro      coalesce received TCP segments into super-frames ({@link TcpCoalescer})
     */
    public TunnelPort(Vtep vtep, UdpSocketPool sockets, int dstPort, MtuCheck mtu, boolean ipv6, int slotSize,
                      boolean gro) {
        this.vtep = vtep;
        this.egress = new TunnelEgress(vtep, mtu, SourcePortHash.rfc7348(), ipv6);
        this.sockets = sockets;
        this.dstPort = dstPort;
        this.slotSize = slotSize;
        this.receiver = new TunnelReceiver(vtep, sockets.receiver(), BATCH, slotSize, gro);
        this.tx = new TunnelTxQueue(sockets, slotSize);
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
        return receiver.receive(frame, now);
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
        tx.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        int n = egress.targets(d, i);
        if (n == TunnelEgress.MULTICAST) {
            unsupported++; // multicast underlay needs group membership on the socket: not supported by this port yet
            return;
        }
        if (offload.isPlain()) {
            for (int k = 0; k < n; k++) {
                sendDatagram(d, i, -1, k, now);
            }
            return;
        }
        int segments = software.prepare(d, i, offload); // a super-frame leaves as its TCP segments
        boolean trains = segments > 1 && tx.gso() && egress.fits(software.length(0));
        for (int k = 0; k < n; k++) {
            if (trains) {
                int perTrain = Math.min(MAX_TRAIN_SEGMENTS,
                    MAX_TRAIN_BYTES / (TunnelEgress.HEADER + software.length(0)));
                for (int first = 0; first < segments; first += perTrain) {
                    sendTrain(first, Math.min(segments, first + perTrain), k);
                }
            } else {
                for (int s = 0; s < segments; s++) {
                    sendDatagram(d, i, s, k, now);
                }
            }
        }
    }

    /**
     * Queues one datagram to target {@code k} of the egress: copy {@code i} of {@code d}, or finished segment
     * {@code segment} if that is not -1. It joins the batch's last message as a GSO segment where it can (see the
     * class comment), and otherwise starts a message that later datagrams may join.
     */
    private void sendDatagram(ForwardingDecision d, int i, int segment, int k, long now) {
        int innerMax = segment < 0 ? d.egressLength(i) : software.length(segment);
        int most = TunnelEgress.HEADER + innerMax;
        if (most > slotSize) {
            unsupported++;
            return;
        }
        int remote = egress.target(k);
        long joinAt = trainEnd(remote, most);
        long offset;
        int at;
        if (joinAt >= 0) {
            offset = joinAt;
            at = -1; // this train's message, or the next one if the source port says another flow
        } else {
            at = tx.claim(most);
            if (at < 0) {
                queueFull++; // the sender has not caught up: every slot waits for sendmmsg
                return;
            }
            offset = tx.offset();
        }
        UdpBatch b = tx.batch();
        long inner = offset + TunnelEgress.HEADER;
        int innerLength = segment < 0 ? d.writeEgress(i, b.buffer(), inner) : software.write(segment, b.buffer(), inner);
        int srcPort = egress.encapsulate(b.buffer(), inner, innerLength, k, now);
        if (srcPort == TunnelEgress.DROPPED) {
            return; // counted by the egress; the room is used by the next datagram
        }
        int bytes = TunnelEgress.HEADER + innerLength;
        if (joinAt >= 0 && srcPort == trainSourcePort && bytes <= trainSegment) {
            trainBytes += bytes;
            trainDatagrams++;
            message(b, trainAt, trainOffset, trainBytes, trainSegment, k, srcPort);
            tx.grow(trainAt, trainOffset + trainBytes);
            if (bytes < trainSegment) {
                trainBatch = -1; // a short datagram can only be a GSO message's last
            }
            return;
        }
        if (joinAt >= 0) {
            at = tx.nextMessage();
        }
        message(b, at, offset, bytes, 0, k, srcPort);
        tx.commitAt(at, offset, bytes, 1);
        trainBatch = tx.batchStarted();
        trainAt = at;
        trainOffset = offset;
        trainBytes = bytes;
        trainSegment = bytes;
        trainRemote = remote;
        trainSourcePort = srcPort;
        trainDatagrams = 1;
    }

    /**
     * Where a datagram of at most {@code most} bytes to {@code remote} would be written to join the batch's last
     * message, or -1 if it cannot: no GSO, another batch or VTEP, longer than the train's segments, the train full.
     */
    private long trainEnd(int remote, int most) {
        if (trainBatch != tx.batchStarted() || remote != trainRemote || most > trainSegment
            || trainDatagrams == MAX_TRAIN_SEGMENTS || trainBytes + most > MAX_TRAIN_BYTES || !tx.gso()) {
            return -1;
        }
        long end = trainOffset + trainBytes;
        return tx.roomAt(end, most) ? end : -1;
    }

    /**
     * Queues segments {@code [first, last)} of the prepared super-frame to target {@code k} as one UDP GSO message:
     * VXLAN datagrams back to back, all of one size but the last, which the kernel sends as separate datagrams.
     */
    private void sendTrain(int first, int last, int k) {
        int bytes = 0;
        for (int s = first; s < last; s++) {
            bytes += TunnelEgress.HEADER + software.length(s);
        }
        int at = tx.claim(bytes);
        if (at < 0) {
            queueFull += last - first;
            return;
        }
        UdpBatch b = tx.batch();
        long offset = tx.offset();
        long inner = offset + TunnelEgress.HEADER;
        for (int s = first; s < last; s++) {
            inner += TunnelEgress.HEADER + software.write(s, b.buffer(), inner);
        }
        int segmentLength = software.length(first);
        int srcPort = egress.encapsulateTrain(b.buffer(), offset + TunnelEgress.HEADER, segmentLength, last - first, k);
        message(b, at, offset, bytes, last - first > 1 ? TunnelEgress.HEADER + segmentLength : 0, k, srcPort);
        tx.commit(at, bytes, last - first);
        trainBatch = -1; // a super-frame's train takes no other frame's datagrams
    }

    /** Declares message {@code at} of batch {@code b} to the egress's target {@code k}, sent from {@code srcPort}. */
    private void message(UdpBatch b, int at, long offset, int bytes, int segmentSize, int k, int srcPort) {
        RemoteVteps remotes = egress.remotes();
        int remote = egress.target(k);
        b.message(at, offset, bytes, segmentSize, remotes.high(remote), remotes.low(remote), dstPort);
        b.sourcePort(at, srcPort);
    }

    @Override
    public boolean flush() {
        return tx.publish();
    }

    @Override
    public int transmit() {
        return tx.transmit();
    }

    @Override
    public String takeNotice() {
        return tx.takeNotice();
    }

    @Override
    public boolean hasPending() {
        return tx.hasPending();
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
        return tx.refused() + unsupported + software.refused();
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
        return "vxlan on " + sockets + (tx.gso() ? ", UDP GSO" : "") + (receiver.joinsDatagrams() ? ", UDP GRO" : "");
    }

    @Override
    public void close() {
        sockets.close();
        receiver.close();
        software.close();
        tx.close();
    }
}
