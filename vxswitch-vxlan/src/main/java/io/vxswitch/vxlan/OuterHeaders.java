package io.vxswitch.vxlan;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Udp;
import java.lang.foreign.MemorySegment;

/**
 * Finds the UDP payload of a whole captured frame (outer Ethernet, an optional 802.1Q tag, IPv4 or IPv6,
 * UDP) and checks what a kernel would check before handing the datagram to a VXLAN socket: lengths agree,
 * the IPv4 header checksum, no fragments, the VXLAN port, and optionally the UDP checksum. Every read is
 * bounds-checked against {@code length} first, so any bytes give a {@link VxlanDrop}, never an exception.
 */
final class OuterHeaders {
    private static final int IPV6_FRAGMENT_HEADER = 44;

    private OuterHeaders() {
    }

    static VxlanDrop parse(MemorySegment s, long frame, int length, DecapOptions options, DecapResult out) {
        if (length < Ethernet.HEADER_LENGTH) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        int l3 = Ethernet.HEADER_LENGTH;
        int type = Ethernet.etherType(s, frame);
        if (type == EtherType.VLAN) { // an underlay on a tagged port
            if (length < Ethernet.HEADER_LENGTH + Dot1q.LENGTH) {
                return VxlanDrop.MALFORMED_OUTER;
            }
            type = Ethernet.etherType(s, frame + Dot1q.LENGTH);
            l3 += Dot1q.LENGTH;
        }
        if (type == EtherType.IPV4) {
            return ipv4(s, frame + l3, length - l3, options, out);
        }
        if (type == EtherType.IPV6) {
            return ipv6(s, frame + l3, length - l3, options, out);
        }
        return VxlanDrop.NOT_VXLAN;
    }

    private static VxlanDrop ipv4(MemorySegment s, long ip, int available, DecapOptions options, DecapResult out) {
        if (available < Ipv4.MIN_HEADER_LENGTH || Ipv4.version(s, ip) != Ipv4.VERSION) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        int headerLength = Ipv4.headerLength(s, ip);
        int totalLength = Ipv4.totalLength(s, ip);
        // Bytes past the total length are Ethernet padding and are ignored.
        if (headerLength < Ipv4.MIN_HEADER_LENGTH || totalLength < headerLength || totalLength > available
            || !Ipv4.headerChecksumValid(s, ip)) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        if (Ipv4.protocol(s, ip) != Ipv4.PROTOCOL_UDP) {
            return VxlanDrop.NOT_VXLAN;
        }
        if (Ipv4.isFragment(s, ip)) {
            return VxlanDrop.OUTER_FRAGMENT; // RFC 7348 §4.3: "MAY silently discard such VXLAN fragments"
        }
        int src = Ipv4.src(s, ip);
        out.outerSrcHigh = 0;
        out.outerSrcLow = 0x0000_FFFF_0000_0000L | (src & 0xFFFF_FFFFL);
        long udp = ip + headerLength;
        VxlanDrop drop = udp(s, udp, totalLength - headerLength, options, out);
        if (drop != VxlanDrop.NONE) {
            return drop;
        }
        if (options.verifyUdpChecksum() && !Udp.checksumValid(s, udp, src, Ipv4.dst(s, ip))) {
            return VxlanDrop.BAD_UDP_CHECKSUM; // zero passes: RFC 7348 §5 "MUST be accepted"
        }
        return VxlanDrop.NONE;
    }

    private static VxlanDrop ipv6(MemorySegment s, long ip, int available, DecapOptions options, DecapResult out) {
        if (available < Ipv6.LENGTH || Ipv6.version(s, ip) != Ipv6.VERSION) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        int payloadLength = Ipv6.payloadLength(s, ip);
        if (payloadLength > available - Ipv6.LENGTH) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        int nextHeader = Ipv6.nextHeader(s, ip);
        if (nextHeader == IPV6_FRAGMENT_HEADER) {
            return VxlanDrop.OUTER_FRAGMENT;
        }
        if (nextHeader != Ipv6.NEXT_HEADER_UDP) { // extension headers are not walked
            return VxlanDrop.NOT_VXLAN;
        }
        out.outerSrcHigh = Ipv6.srcHigh(s, ip);
        out.outerSrcLow = Ipv6.srcLow(s, ip);
        long udp = ip + Ipv6.LENGTH;
        VxlanDrop drop = udp(s, udp, payloadLength, options, out);
        if (drop != VxlanDrop.NONE) {
            return drop;
        }
        if (options.verifyUdpChecksum() && !Ipv6PseudoHeader.udpChecksumValid(s, ip, udp)) {
            return VxlanDrop.BAD_UDP_CHECKSUM;
        }
        return VxlanDrop.NONE;
    }

    /** Checks the UDP header in {@code ipPayload} bytes and records the datagram's payload. */
    private static VxlanDrop udp(MemorySegment s, long udp, int ipPayload, DecapOptions options, DecapResult out) {
        if (ipPayload < Udp.LENGTH) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        if (Udp.dstPort(s, udp) != options.dstPort()) {
            return VxlanDrop.NOT_VXLAN;
        }
        int udpLength = Udp.length(s, udp);
        if (udpLength < Udp.LENGTH || udpLength > ipPayload) {
            return VxlanDrop.MALFORMED_OUTER;
        }
        out.outerSrcPort = Udp.srcPort(s, udp);
        out.hasOuter = true;
        out.udpPayloadOffset = udp + Udp.LENGTH;
        out.udpPayloadLength = udpLength - Udp.LENGTH;
        return VxlanDrop.NONE;
    }
}
