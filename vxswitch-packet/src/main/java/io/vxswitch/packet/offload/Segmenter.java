package io.vxswitch.packet.offload;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;

/**
 * Software offload: finishes a frame that a TAP handed over unfinished ({@link Offload}) for a wire that takes only
 * finished ones, as the kernel's {@code skb_checksum_help} and {@code skb_gso_segment} do for a device without
 * offloads. A TCP super-frame (TSO, IPv4 or IPv6) is cut into segments of {@code gso_size} payload bytes: the
 * headers copied into each, IPv4 total length, identification (+1 per segment) and header checksum, IPv6 payload
 * length, TCP sequence number and checksum fixed, FIN and PSH kept for the last segment only, CWR for the first only.
 * A UDP super-frame (USO, {@code GSO_UDP_L4}) becomes datagrams of {@code gso_size} payload bytes, each with its UDP
 * length and checksum.
 * A frame that only needs its checksum comes out as one segment with the checksum filled in.
 *
 * <p>{@link #prepare} reads the headers once; {@link #write} then produces segment {@code k} into any buffer.
 * Allocates nothing; one instance per thread.
 */
public final class Segmenter {
    /** A super-frame cut into more pieces than this is refused: no real MSS comes near it. */
    public static final int MAX_SEGMENTS = 1024;
    private static final int TCP_SEQ = 4;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_CHECKSUM = 16;
    private static final int TCP_MIN_HEADER = 20;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private MemorySegment src;
    private long frame;
    private int length;
    private int segments;
    private String failure;
    // a plain or checksum-only frame
    private int checksumAt;
    private int checksumFrom;
    // a TCP super-frame
    private boolean gso;
    private boolean udp;
    private boolean ipv4;
    private int l3;
    private int l4;
    private int headersEnd;
    private int mss;
    private int payload;
    private int firstId;
    private long firstSeq;

    /**
     * Reads the headers of the frame at {@code [offset, offset + length)} of {@code s}, whose offsets are those of
     * {@code offload} moved by {@code shift} (a tag pushed or popped since it was read).
     *
     * @return the number of segments (at least 1), or 0 if the frame cannot be finished ({@link #failure} says why)
     */
    public int prepare(MemorySegment s, long offset, int length, Offload offload, int shift) {
        this.src = s;
        this.frame = offset;
        this.length = length;
        this.failure = null;
        this.gso = false;
        this.checksumAt = -1;
        if (offload.isSegmented()) {
            return prepareGso(offload);
        }
        if (offload.needsChecksum()) {
            int start = offload.csumStart() + shift;
            int at = start + offload.csumOffset();
            if (start < Ethernet.HEADER_LENGTH || at + 2 > length) {
                return fail("checksum position outside the frame");
            }
            checksumFrom = start;
            checksumAt = at;
        }
        segments = 1;
        return 1;
    }

    private int prepareGso(Offload offload) {
        int type = offload.gsoType();
        if (type != VirtioNetHeader.GSO_TCPV4 && type != VirtioNetHeader.GSO_TCPV6
            && type != VirtioNetHeader.GSO_UDP_L4) {
            return fail("GSO type is not TCP or UDP (USO): UFO is not enabled on taps");
        }
        udp = type == VirtioNetHeader.GSO_UDP_L4;
        int at = Ethernet.TYPE_OFFSET;
        int etherType = Wire.u16(src, frame + at);
        for (int tags = 0; tags < 2 && (etherType == EtherType.VLAN || EtherType.isServiceTag(etherType)); tags++) {
            at += Dot1q.LENGTH;
            if (at + 2 > length) {
                return fail("truncated VLAN tag");
            }
            etherType = Wire.u16(src, frame + at);
        }
        l3 = at + 2;
        ipv4 = udp ? etherType == EtherType.IPV4 : type == VirtioNetHeader.GSO_TCPV4;
        int protocol = udp ? Ipv4.PROTOCOL_UDP : Ipv4.PROTOCOL_TCP;
        if (ipv4) {
            if (etherType != EtherType.IPV4 || l3 + Ipv4.MIN_HEADER_LENGTH > length
                || Ipv4.version(src, frame + l3) != Ipv4.VERSION || Ipv4.ihl(src, frame + l3) < Ipv4.MIN_IHL) {
                return fail("IPv4 super-frame without an IPv4 header");
            }
            if (Ipv4.protocol(src, frame + l3) != protocol || Ipv4.isFragment(src, frame + l3)) {
                return fail("IPv4 super-frame that is not one unfragmented packet of its GSO type's protocol");
            }
            l4 = l3 + Ipv4.headerLength(src, frame + l3);
            firstId = Ipv4.identification(src, frame + l3);
        } else {
            if (etherType != EtherType.IPV6 || l3 + Ipv6.LENGTH > length
                || Ipv6.version(src, frame + l3) != Ipv6.VERSION) {
                return fail("IPv6 super-frame without an IPv6 header");
            }
            if (Ipv6.nextHeader(src, frame + l3) != protocol) {
                return fail("IPv6 super-frame with extension headers");
            }
            l4 = l3 + Ipv6.LENGTH;
        }
        if (udp) {
            headersEnd = l4 + Udp.LENGTH;
            if (headersEnd > length) {
                return fail("truncated UDP header");
            }
        } else {
            if (l4 + TCP_MIN_HEADER > length) {
                return fail("truncated TCP header");
            }
            headersEnd = l4 + (Wire.u8(src, frame + l4 + TCP_DATA_OFFSET) >>> 4) * 4;
            if (headersEnd < l4 + TCP_MIN_HEADER || headersEnd > length) {
                return fail("bad TCP data offset");
            }
        }
        mss = offload.gsoSize();
        payload = length - headersEnd;
        if (mss == 0) {
            return fail("gso_size 0");
        }
        int n = payload == 0 ? 1 : (payload + mss - 1) / mss;
        if (n > MAX_SEGMENTS) {
            return fail("gso_size would cut the payload into more than " + MAX_SEGMENTS + " segments");
        }
        firstSeq = udp ? 0 : Wire.u32(src, frame + l4 + TCP_SEQ);
        gso = true;
        segments = n;
        return n;
    }

    private int fail(String why) {
        failure = why;
        segments = 0;
        return 0;
    }

    /** Why the last {@link #prepare} returned 0 (a constant, so refusing allocates nothing); null if it did not. */
    public String failure() {
        return failure;
    }

    /** Segments the prepared frame becomes. */
    public int segments() {
        return segments;
    }

    /** Length of segment {@code k} as {@link #write} writes it. */
    public int length(int k) {
        if (!gso) {
            return length;
        }
        return headersEnd + segmentPayload(k);
    }

    private int segmentPayload(int k) {
        return k == segments - 1 ? payload - k * mss : mss;
    }

    /** Writes segment {@code k} (of {@link #prepare}'s count) at {@code dst[at]}; returns its length. */
    public int write(int k, MemorySegment dst, long at) {
        if (!gso) {
            MemorySegment.copy(src, frame, dst, at, length);
            if (checksumAt >= 0) {
                completeChecksum(dst, at);
            }
            return length;
        }
        int seg = segmentPayload(k);
        MemorySegment.copy(src, frame, dst, at, headersEnd);
        MemorySegment.copy(src, frame + headersEnd + (long) k * mss, dst, at + headersEnd, seg);
        long ip = at + l3;
        long tcp = at + l4;
        int tcpLength = headersEnd - l4 + seg;
        int protocol = udp ? Ipv4.PROTOCOL_UDP : Ipv4.PROTOCOL_TCP;
        long pseudo;
        if (ipv4) {
            Ipv4.totalLength(dst, ip, l4 - l3 + tcpLength);
            Ipv4.identification(dst, ip, (firstId + k) & 0xFFFF);
            Ipv4.updateHeaderChecksum(dst, ip);
            pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(dst, ip), Ipv4.dst(dst, ip), protocol, tcpLength);
        } else {
            Ipv6.payloadLength(dst, ip, tcpLength);
            pseudo = Ipv6PseudoHeader.sum(dst, ip, protocol, tcpLength);
        }
        if (udp) {
            long udpAt = tcp;
            Wire.putU16(dst, udpAt + 4, tcpLength);
            Wire.putU16(dst, udpAt + 6, 0);
            int sum = InternetChecksum.checksum(dst, udpAt, tcpLength, pseudo);
            Wire.putU16(dst, udpAt + 6, sum == 0 ? 0xFFFF : sum); // RFC 768: a computed 0 is sent as all ones
            return headersEnd + seg;
        }
        Wire.putU32(dst, tcp + TCP_SEQ, (firstSeq + (long) k * mss) & 0xFFFF_FFFFL);
        int flags = Wire.u8(dst, tcp + TCP_FLAGS);
        if (k > 0) {
            flags &= ~CWR;
        }
        if (k < segments - 1) {
            flags &= ~(FIN | PSH);
        }
        Wire.putU8(dst, tcp + TCP_FLAGS, flags);
        Wire.putU16(dst, tcp + TCP_CHECKSUM, 0);
        Wire.putU16(dst, tcp + TCP_CHECKSUM, InternetChecksum.checksum(dst, tcp, tcpLength, pseudo));
        return headersEnd + seg;
    }

    /**
     * The checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL): add everything from the start on and store
     * the complement; 0 goes out as 0xFFFF, which means the same and which UDP needs (RFC 768).
     */
    private void completeChecksum(MemorySegment dst, long at) {
        int folded = InternetChecksum.finish(InternetChecksum.add(dst, at + checksumFrom, length - checksumFrom, 0));
        Wire.putU16(dst, at + checksumAt, folded == 0 ? 0xFFFF : folded);
    }
}
