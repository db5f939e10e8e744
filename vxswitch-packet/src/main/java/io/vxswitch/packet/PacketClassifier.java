package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * Checks, in place, that the layer-3 and layer-4 headers of a parsed frame are whole and consistent,
 * so that code which later reads them (ARP snooping, the lab's hosts, the describer) can trust their
 * offsets. Allocates nothing.
 *
 * <p>Hard cases, decided here once:
 * <ul>
 *   <li>Ethernet padding: a 60-byte frame may carry a shorter IPv4 datagram or ARP packet. Only "more
 *       than the frame holds" is an error; trailing bytes are not.</li>
 *   <li>Checksums are not verified. A layer-2 switch forwards, it does not terminate; and frames from a
 *       tap with checksum offload legitimately carry an unfinished L4 checksum (CHECKSUM_PARTIAL).</li>
 *   <li>IPv4 fragments: only the first fragment carries the L4 header, and its UDP length describes the
 *       whole datagram, so L4 checks are skipped after offset 0 and the UDP length is only compared with
 *       an unfragmented datagram.</li>
 *   <li>A UDP length shorter than the IP payload is legal: Linux trims the surplus and RFC 9868 (UDP
 *       options) puts options there. Below 8 or beyond the IP payload is an error.</li>
 *   <li>Other EtherTypes, 802.1ad (QinQ) frames and IPv6 extension headers are carried opaquely:
 *       {@link Malformation#NONE}.</li>
 * </ul>
 */
public final class PacketClassifier {
    private PacketClassifier() {
    }

    /** Validates the payload of a frame {@link FrameParser#parse} accepted. */
    public static Malformation classify(FrameMeta meta) {
        return classify(meta.segment(), meta.payloadPosition(), meta.payloadLength(), meta.etherType());
    }

    /**
     * Validates the layer-3 packet of the given EtherType at {@code l3}, with {@code available} bytes
     * between it and the end of the frame.
     */
    public static Malformation classify(MemorySegment s, long l3, int available, int etherType) {
        return switch (etherType) {
            case EtherType.ARP -> arp(s, l3, available);
            case EtherType.IPV4 -> ipv4(s, l3, available);
            case EtherType.IPV6 -> ipv6(s, l3, available);
            default -> Malformation.NONE;
        };
    }

    private static Malformation arp(MemorySegment s, long arp, int available) {
        if (available < Arp.LENGTH) {
            return Malformation.TRUNCATED_ARP;
        }
        return Arp.isEthernetIpv4(s, arp) ? Malformation.NONE : Malformation.BAD_ARP;
    }

    private static Malformation ipv4(MemorySegment s, long ip, int available) {
        if (available < Ipv4.MIN_HEADER_LENGTH) {
            return Malformation.TRUNCATED_IPV4;
        }
        if (Ipv4.version(s, ip) != Ipv4.VERSION) {
            return Malformation.BAD_IPV4_VERSION;
        }
        if (Ipv4.ihl(s, ip) < Ipv4.MIN_IHL) {
            return Malformation.BAD_IPV4_IHL;
        }
        int headerLength = Ipv4.headerLength(s, ip);
        if (headerLength > available) {
            return Malformation.TRUNCATED_IPV4; // options cut off
        }
        int totalLength = Ipv4.totalLength(s, ip);
        if (totalLength > available || totalLength < headerLength) {
            return Malformation.BAD_IPV4_LENGTH;
        }
        if (Ipv4.fragmentOffset(s, ip) != 0) {
            return Malformation.NONE;
        }
        long l4 = ip + headerLength;
        int l4Length = totalLength - headerLength;
        return switch (Ipv4.protocol(s, ip)) {
            case Ipv4.PROTOCOL_ICMP -> l4Length < Icmp.HEADER_LENGTH ? Malformation.TRUNCATED_ICMP : Malformation.NONE;
            case Ipv4.PROTOCOL_UDP -> udp(s, l4, l4Length, Ipv4.moreFragments(s, ip));
            default -> Malformation.NONE;
        };
    }

    private static Malformation ipv6(MemorySegment s, long ip, int available) {
        if (available < Ipv6.LENGTH) {
            return Malformation.TRUNCATED_IPV6;
        }
        if (Ipv6.version(s, ip) != Ipv6.VERSION) {
            return Malformation.BAD_IPV6_VERSION;
        }
        int payloadLength = Ipv6.payloadLength(s, ip);
        if (payloadLength > available - Ipv6.LENGTH) {
            return Malformation.BAD_IPV6_LENGTH;
        }
        // Only a UDP header directly after the fixed header is checked; extension headers are not walked.
        if (Ipv6.nextHeader(s, ip) == Ipv6.NEXT_HEADER_UDP) {
            return udp(s, ip + Ipv6.LENGTH, payloadLength, false);
        }
        return Malformation.NONE;
    }

    private static Malformation udp(MemorySegment s, long udp, int l4Length, boolean fragmented) {
        if (l4Length < Udp.LENGTH) {
            return Malformation.TRUNCATED_UDP;
        }
        int udpLength = Udp.length(s, udp);
        if (udpLength < Udp.LENGTH || (!fragmented && udpLength > l4Length)) {
            return Malformation.BAD_UDP_LENGTH;
        }
        return Malformation.NONE;
    }
}
