package io.vxswitch.packet.offload;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;

/**
 * Receive coalescing (software GRO) for TCP over IPv4: consecutive segments of one flow, as they arrive in one batch,
 * joined into one super-frame that crosses the switch once and that a tap with offload takes whole, as the kernel's
 * GRO does for a NIC. The rules are the kernel's ({@code tcp_gro_receive}): same Ethernet header, addresses, TOS, TTL,
 * ports, acknowledgement number, window and TCP options; the sequence number follows on, the IP identification goes
 * up by one; every segment but the last has the first one's payload length; SYN, FIN, RST, URG, ECE and CWR are not
 * coalesced, and PSH ends a super-frame. Each segment's IPv4 header and TCP checksums are verified before it is taken,
 * because the super-frame goes on with its checksum left to fill in ({@link VirtioNetHeader#F_NEEDS_CSUM}), which
 * receivers trust.
 *
 * <p>Use: {@link #start} with a segment (it stays where it is until a second one comes), {@link #append} the next
 * ones while it says yes, then {@link #finish}. Untagged frames only; IPv6 is not coalesced. Allocates nothing.
 */
public final class TcpCoalescer {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int TCP = IP + Ipv4.MIN_HEADER_LENGTH;
    private static final int TCP_SEQ = 4;
    private static final int TCP_ACK = 8;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_WINDOW = 14;
    private static final int TCP_CHECKSUM = 16;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    /** Any of these keeps a segment out: SYN, FIN, RST, URG, ECE, CWR, and the NS bit in the byte before. */
    private static final int NOT_COALESCED = 0x02 | 0x01 | 0x04 | 0x20 | 0x40 | 0x80;
    private static final int MAX_IP_LENGTH = 65_535;

    private final MemorySegment buffer;
    private final long base;
    private final int capacity;
    // the open super-frame
    private boolean open;
    private boolean copied;
    private MemorySegment firstSegment;
    private long firstOffset;
    private int length;
    private int headersEnd;
    private int mss;
    private int segments;
    private boolean closed;
    private long nextSeq;
    private int lastId;

    /** Builds super-frames at {@code buffer[offset, offset + capacity)}; 64 KiB and a frame header is enough. */
    public TcpCoalescer(MemorySegment buffer, long offset, int capacity) {
        this.buffer = buffer;
        this.base = offset;
        this.capacity = capacity;
    }

    /**
     * Opens a super-frame with this segment if it may be coalesced (a TCP/IPv4 data segment with good checksums);
     * the segment must stay in place until {@link #finish}. Call only when none is open.
     */
    public boolean start(MemorySegment s, long frame, int frameLength) {
        int payload = payloadIfCandidate(s, frame, frameLength);
        if (payload <= 0) {
            return false;
        }
        open = true;
        copied = false;
        firstSegment = s;
        firstOffset = frame;
        length = frameLength;
        headersEnd = frameLength - payload;
        mss = payload;
        segments = 1;
        closed = (Wire.u8(s, frame + TCP + TCP_FLAGS) & PSH) != 0;
        nextSeq = Wire.u32(s, frame + TCP + TCP_SEQ) + payload;
        lastId = Ipv4.identification(s, frame + IP);
        return true;
    }

    /** True if a super-frame is open. */
    public boolean isOpen() {
        return open;
    }

    /** Segments in the open super-frame. */
    public int segments() {
        return segments;
    }

    /** Adds the segment to the open super-frame if it follows on in the same flow; false leaves everything as it was. */
    public boolean append(MemorySegment s, long frame, int frameLength) {
        if (!open || closed || frameLength - headersEnd > mss || length + frameLength - headersEnd - IP > MAX_IP_LENGTH
            || length + frameLength - headersEnd > capacity) {
            return false;
        }
        MemorySegment head = copied ? buffer : firstSegment;
        long h = copied ? base : firstOffset;
        if (frameLength <= headersEnd || !sameHeaders(head, h, s, frame)
            || Wire.u32(s, frame + TCP + TCP_SEQ) != (nextSeq & 0xFFFF_FFFFL)
            || Ipv4.identification(s, frame + IP) != ((lastId + 1) & 0xFFFF)) {
            return false;
        }
        int payload = payloadIfCandidate(s, frame, frameLength);
        if (payload != frameLength - headersEnd) {
            return false; // not a candidate (a checksum failed), or headers of another length
        }
        if (!copied) {
            MemorySegment.copy(firstSegment, firstOffset, buffer, base, length);
            copied = true;
        }
        MemorySegment.copy(s, frame + headersEnd, buffer, base + length, payload);
        length += payload;
        segments++;
        nextSeq += payload;
        lastId = Ipv4.identification(s, frame + IP);
        int flags = Wire.u8(s, frame + TCP + TCP_FLAGS);
        if ((flags & PSH) != 0) {
            Wire.putU8(buffer, base + TCP + TCP_FLAGS, Wire.u8(buffer, base + TCP + TCP_FLAGS) | PSH);
            closed = true;
        }
        if (payload < mss) {
            closed = true; // a short segment is the last one: GSO cuts every other one to the first's size
        }
        return true;
    }

    /**
     * Closes the open super-frame. With one segment it is that segment, untouched where it was: returns its length,
     * {@code offload} plain. With more it is at the coalescer's buffer, its IPv4 length and header checksum set and
     * its TCP checksum left to fill in: returns its length and sets {@code offload} to say so (TCPv4 GSO, the first
     * segment's payload as the segment size).
     */
    public int finish(Offload offload) {
        if (!open) {
            throw new IllegalStateException("no super-frame is open");
        }
        open = false;
        if (!copied) {
            offload.clear();
            return length;
        }
        int tcpLength = length - TCP;
        Ipv4.totalLength(buffer, base + IP, length - IP);
        Ipv4.updateHeaderChecksum(buffer, base + IP);
        long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(buffer, base + IP), Ipv4.dst(buffer, base + IP),
            Ipv4.PROTOCOL_TCP, tcpLength);
        Wire.putU16(buffer, base + TCP + TCP_CHECKSUM, InternetChecksum.fold(pseudo));
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, headersEnd, mss, TCP, TCP_CHECKSUM);
        return length;
    }

    /** Where the super-frame {@link #finish} closed is: the first segment's buffer, or the coalescer's. */
    public MemorySegment frameSegment() {
        return copied ? buffer : firstSegment;
    }

    public long frameOffset() {
        return copied ? base : firstOffset;
    }

    /** Payload length of a TCP/IPv4 data segment that may be coalesced, else 0. */
    private static int payloadIfCandidate(MemorySegment s, long f, int frameLength) {
        if (frameLength < TCP + 20 || Wire.u16(s, f + Ethernet.TYPE_OFFSET) != EtherType.IPV4
            || Wire.u8(s, f + IP) != 0x45 || Ipv4.totalLength(s, f + IP) != frameLength - IP
            || Ipv4.protocol(s, f + IP) != Ipv4.PROTOCOL_TCP || Ipv4.isFragment(s, f + IP)) {
            return 0;
        }
        int flags = Wire.u16(s, f + TCP + TCP_DATA_OFFSET);
        int tcpHeader = (flags >>> 12) * 4;
        if ((flags & 0x1FF & NOT_COALESCED) != 0 || (flags & 0x100) != 0 || (flags & ACK) == 0 || tcpHeader < 20
            || TCP + tcpHeader >= frameLength) {
            return 0;
        }
        if (!Ipv4.headerChecksumValid(s, f + IP)) {
            return 0;
        }
        int tcpLength = frameLength - TCP;
        long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(s, f + IP), Ipv4.dst(s, f + IP), Ipv4.PROTOCOL_TCP, tcpLength);
        if (InternetChecksum.fold(InternetChecksum.add(s, f + TCP, tcpLength, pseudo)) != 0xFFFF) {
            return 0;
        }
        return frameLength - TCP - tcpHeader;
    }

    /**
     * Same Ethernet header, same IPv4 header but for length, identification and checksum, same TCP header but for
     * sequence number, PSH and checksum (so same header length and options).
     */
    private boolean sameHeaders(MemorySegment a, long fa, MemorySegment b, long fb) {
        // Ethernet (14) + IPv4 version .. TOS (2)
        if (Wire.i64(a, fa) != Wire.i64(b, fb) || Wire.u32(a, fa + 8) != Wire.u32(b, fb + 8)
            || Wire.u32(a, fa + 12) != Wire.u32(b, fb + 12)) {
            return false;
        }
        // flags/fragment, TTL, protocol; addresses
        if (Wire.u32(a, fa + IP + 6) != Wire.u32(b, fb + IP + 6)
            || Wire.i64(a, fa + IP + 12) != Wire.i64(b, fb + IP + 12)) {
            return false;
        }
        // ports, acknowledgement, data offset and flags without PSH, window
        if (Wire.u32(a, fa + TCP) != Wire.u32(b, fb + TCP) || Wire.u32(a, fa + TCP + TCP_ACK)
            != Wire.u32(b, fb + TCP + TCP_ACK) || Wire.u8(a, fa + TCP + TCP_DATA_OFFSET)
            != Wire.u8(b, fb + TCP + TCP_DATA_OFFSET) || (Wire.u8(a, fa + TCP + TCP_FLAGS) & ~PSH)
            != (Wire.u8(b, fb + TCP + TCP_FLAGS) & ~PSH) || Wire.u16(a, fa + TCP + TCP_WINDOW)
            != Wire.u16(b, fb + TCP + TCP_WINDOW)) {
            return false;
        }
        // options
        for (int o = TCP + 20; o < headersEnd; o += 4) {
            if (Wire.u32(a, fa + o) != Wire.u32(b, fb + o)) {
                return false;
            }
        }
        return true;
    }
}
