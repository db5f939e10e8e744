package io.vxswitch.forwarding.flow;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6Extension;
import io.vxswitch.packet.Wire;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One forwarding lane's side of flow export: every N-th forwarded frame (1-in-N sampling, counted, not random, so a
 * test knows what it gets) becomes a {@link FlowObservation} in this lane's own ring, which one exporter thread
 * drains. The lane is the ring's only writer, so writing takes no lock: a claim, plain stores, a commit (one ordered
 * store). A full ring is never waited on: the observation is dropped and counted ({@link #ringFull}), since a
 * forwarding thread must not stall on accounting. Nothing here allocates.
 *
 * <p>The classifier of the switch reads only Ethernet and 802.1Q, so the IP header is read here, and only for a
 * sampled frame: addresses and protocol from IPv4 or IPv6; ports from TCP, UDP and SCTP when the datagram is not a
 * later fragment (only the first carries them); ICMP's and ICMPv6's type and code in the destination port (type
 * * 256 + code), as NetFlow collectors expect them. IPv6 extension headers are walked, at most
 * {@link #MAX_EXTENSION_HEADERS} of them: IANA's protocolIdentifier of IPv6 is the Next Header of the last extension
 * header (an MLD report behind its Hop-by-Hop header is ICMPv6, not protocol 0). One cut short or past the payload
 * ends the walk, and its own type stands as the protocol, with no ports.
 */
public final class FlowObserver {
    private static final int PROTOCOL_ICMP = 1;
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int PROTOCOL_ICMPV6 = 58;
    private static final int PROTOCOL_SCTP = 132;
    /** More than a real packet has (RFC 8200 §4.1 recommends each at most once, Destination Options twice). */
    static final int MAX_EXTENSION_HEADERS = 8;

    private final OneToOneRingBuffer ring;
    private final AtomicBuffer buffer;
    private final int sampling;
    private int countdown;
    /** Written by the lane only, read by the exporter: plain stores, a reader may see a slightly old count. */
    private long observed;
    private long ringFull;

    /**
     * @param sampling  observe one frame in {@code sampling} (1: every frame)
     * @param ringBytes the ring's capacity, a power of two (about {@code ringBytes / 88} observations)
     */
    public FlowObserver(int sampling, int ringBytes) {
        if (sampling < 1) {
            throw new IllegalArgumentException("sampling must be at least 1 (one frame in N), got " + sampling);
        }
        if (Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("the ring's size must be a power of two, got " + ringBytes);
        }
        this.sampling = sampling;
        this.countdown = sampling;
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.buffer = ring.buffer();
    }

    /** One in N: true for the frame that is to be observed. */
    public boolean sampled() {
        if (--countdown > 0) {
            return false;
        }
        countdown = sampling;
        return true;
    }

    /**
     * Records the frame of decision {@code d}, forwarded from port {@code ingress} at {@code now}; {@code tunnel} if
     * it came from or went into a tunnel port.
     */
    public void observe(ForwardingDecision d, int ingress, boolean tunnel, long now) {
        int index = ring.tryClaim(FlowObservation.MESSAGE_TYPE, FlowObservation.LENGTH);
        if (index < 0) { // INSUFFICIENT_CAPACITY
            ringFull++;
            return;
        }
        FrameMeta f = d.frame();
        int egress = d.egressCount() == 1 ? d.egressPort(0) : FlowObservation.NO_SINGLE_EGRESS;
        int flags = tunnel ? FlowObservation.FLAG_TUNNEL : 0;
        FlowObservation.writeL2(buffer, index, f.src(), f.dst(), now, f.length(), ingress, egress, d.vlan(), flags);
        int type = f.etherType();
        if (type == EtherType.IPV4) {
            ipv4(f.segment(), f.payloadPosition(), f.payloadLength(), index, flags);
        } else if (type == EtherType.IPV6) {
            ipv6(f.segment(), f.payloadPosition(), f.payloadLength(), index, flags);
        }
        ring.commit(index);
        observed++;
    }

    private void ipv4(MemorySegment s, long ip, int available, int at, int flags) {
        if (available < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(s, ip) != Ipv4.VERSION) {
            return;
        }
        int header = Ipv4.headerLength(s, ip);
        int total = Ipv4.totalLength(s, ip);
        if (header < Ipv4.MIN_HEADER_LENGTH || total > available || total < header) {
            return; // not IPv4 a collector could trust: an L2 flow
        }
        int protocol = Ipv4.protocol(s, ip);
        FlowObservation.writeIp(buffer, at, flags | FlowObservation.FLAG_IPV4, total, protocol, 0,
            Ipv4.src(s, ip) & 0xFFFFFFFFL, 0, Ipv4.dst(s, ip) & 0xFFFFFFFFL);
        if (Ipv4.fragmentOffset(s, ip) == 0) {
            transport(s, ip + header, total - header, protocol, at);
        }
    }

    private void ipv6(MemorySegment s, long ip, int available, int at, int flags) {
        if (available < Ipv6.LENGTH || Ipv6.version(s, ip) != Ipv6.VERSION) {
            return;
        }
        int payload = Math.min(Ipv6.payloadLength(s, ip), available - Ipv6.LENGTH);
        int protocol = Ipv6.nextHeader(s, ip);
        long next = ip + Ipv6.LENGTH;
        int left = payload;
        boolean laterFragment = false;
        for (int i = 0; i < MAX_EXTENSION_HEADERS && Ipv6Extension.isExtension(protocol)
            && left >= Ipv6Extension.MIN_LENGTH; i++) {
            int length = Ipv6Extension.length(s, next, protocol);
            if (length > left) {
                break;
            }
            laterFragment |= protocol == Ipv6Extension.FRAGMENT && Ipv6Extension.laterFragment(s, next);
            protocol = Ipv6Extension.nextHeader(s, next);
            next += length;
            left -= length;
        }
        FlowObservation.writeIp(buffer, at, flags | FlowObservation.FLAG_IPV6, Ipv6.LENGTH + payload, protocol,
            Ipv6.srcHigh(s, ip), Ipv6.srcLow(s, ip), Ipv6.dstHigh(s, ip), Ipv6.dstLow(s, ip));
        if (!laterFragment && !Ipv6Extension.isExtension(protocol)) {
            transport(s, next, left, protocol, at);
        }
    }

    private void transport(MemorySegment s, long l4, int length, int protocol, int at) {
        switch (protocol) {
            case PROTOCOL_TCP, PROTOCOL_UDP, PROTOCOL_SCTP -> {
                if (length >= 4) { // the ports are the first four bytes of all three
                    FlowObservation.writePorts(buffer, at, Wire.u16(s, l4),
                        Wire.u16(s, l4 + 2));
                }
            }
            case PROTOCOL_ICMP, PROTOCOL_ICMPV6 -> {
                if (length >= 2) {
                    FlowObservation.writePorts(buffer, at, 0, Wire.u16(s, l4));
                }
            }
            default -> {
            }
        }
    }

    /**
     * The exporter's end: hands every observation in the ring to {@code handler} (on the reader's one thread) and
     * returns how many. Read twice: one read stops at the end of the buffer, where a wrapped claim left padding.
     */
    public int drain(MessageHandler handler) {
        return ring.read(handler) + ring.read(handler);
    }

    public int sampling() {
        return sampling;
    }

    /** Observations written to the ring. */
    public long observed() {
        return observed;
    }

    /** Observations dropped because the exporter had not yet drained the ring. */
    public long ringFull() {
        return ringFull;
    }
}
