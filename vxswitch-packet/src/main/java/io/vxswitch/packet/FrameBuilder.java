package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * Writes complete Ethernet frames into a buffer, for the lab's simulated hosts and for tests. Every
 * method writes at {@code offset} and returns the frame length; the caller provides the space.
 *
 * <p>Frames are built the way a host kernel hands them to a tap or veth device: <em>unpadded</em>. An
 * ARP frame is 42 bytes, not 60, because the 60-byte minimum (IEEE 802.3 §4.2.3.3, 64 with FCS) is
 * applied by a physical NIC's MAC, and software ports such as tap carry the short frame. Use
 * {@link #padToMinimum} to imitate a frame that crossed a physical wire.
 */
public final class FrameBuilder {
    /** Echo data length of Linux {@code ping} without {@code -s}: 56 bytes, an 84-byte IP datagram. */
    public static final int PING_PAYLOAD_LENGTH = 56;

    private static final int IPV4_OFFSET = Ethernet.HEADER_LENGTH;
    private static final int L4_OFFSET = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;

    private FrameBuilder() {
    }

    /** Writes an Ethernet II header; returns its length. */
    public static int ethernet(MemorySegment s, long offset, long dst, long src, int etherType) {
        Ethernet.dst(s, offset, dst);
        Ethernet.src(s, offset, src);
        Ethernet.etherType(s, offset, etherType);
        return Ethernet.HEADER_LENGTH;
    }

    /** Broadcast "who-has targetIp tell srcIp" (RFC 826); the target hardware address is zero. */
    public static int arpRequest(MemorySegment s, long offset, long srcMac, int srcIp, int targetIp) {
        ethernet(s, offset, MacAddress.BROADCAST, srcMac, EtherType.ARP);
        Arp.write(s, offset + Ethernet.HEADER_LENGTH, Arp.REQUEST, srcMac, srcIp, 0L, targetIp);
        return Ethernet.HEADER_LENGTH + Arp.LENGTH;
    }

    /** Unicast "srcIp is-at srcMac" sent back to the requester {@code dstMac}/{@code dstIp}. */
    public static int arpReply(MemorySegment s, long offset, long srcMac, int srcIp, long dstMac, int dstIp) {
        ethernet(s, offset, dstMac, srcMac, EtherType.ARP);
        Arp.write(s, offset + Ethernet.HEADER_LENGTH, Arp.REPLY, srcMac, srcIp, dstMac, dstIp);
        return Ethernet.HEADER_LENGTH + Arp.LENGTH;
    }

    /**
     * Gratuitous ARP request announcing {@code ip} at {@code mac} (RFC 5227 §3 "ARP Announcement": sender
     * and target IP equal, target MAC zero), as a VM sends after it moves so switches relearn its MAC.
     */
    public static int gratuitousArp(MemorySegment s, long offset, long mac, int ip) {
        return arpRequest(s, offset, mac, ip, ip);
    }

    /**
     * "Who has {@code target}?" as an IPv6 host asks (RFC 4861 §7.2.2): from {@code src}, to the target's
     * solicited-node multicast group ff02::1:ffXX:XXXX (Ethernet 33:33:ff:XX:XX:XX), hop limit 255, with the source
     * link-layer address option; 86 bytes.
     */
    public static int neighborSolicitation(MemorySegment s, long offset, long srcMac, long srcHigh, long srcLow,
                                           long targetHigh, long targetLow) {
        long groupLow = 0x0000_0001_FF00_0000L | (targetLow & 0xFF_FFFF);
        ethernet(s, offset, 0x3333_FF00_0000L | (targetLow & 0xFF_FFFF), srcMac, EtherType.IPV6);
        long ip = offset + Ethernet.HEADER_LENGTH;
        int length = NeighborDiscovery.HEADER_LENGTH + NeighborDiscovery.LINK_LAYER_OPTION_LENGTH;
        Ipv6.versionClassFlow(s, ip, 0, 0);
        Ipv6.payloadLength(s, ip, length);
        Ipv6.nextHeader(s, ip, Ipv6.NEXT_HEADER_ICMPV6);
        Ipv6.hopLimit(s, ip, 255);
        Ipv6.src(s, ip, srcHigh, srcLow);
        Ipv6.dst(s, ip, 0xFF02_0000_0000_0000L, groupLow);
        long icmp = ip + Ipv6.LENGTH;
        Wire.putU8(s, icmp, NeighborDiscovery.SOLICITATION);
        Wire.putU8(s, icmp + 1, 0);
        Wire.putU16(s, icmp + NeighborDiscovery.CHECKSUM_OFFSET, 0);
        Wire.putU32(s, icmp + NeighborDiscovery.FLAGS_OFFSET, 0);
        Wire.putI64(s, icmp + NeighborDiscovery.TARGET_OFFSET, targetHigh);
        Wire.putI64(s, icmp + NeighborDiscovery.TARGET_OFFSET + 8, targetLow);
        Wire.putU8(s, icmp + NeighborDiscovery.HEADER_LENGTH, NeighborDiscovery.OPTION_SOURCE_LINK_LAYER);
        Wire.putU8(s, icmp + NeighborDiscovery.HEADER_LENGTH + 1, 1);
        Wire.putU48(s, icmp + NeighborDiscovery.HEADER_LENGTH + 2, srcMac);
        Wire.putU16(s, icmp + NeighborDiscovery.CHECKSUM_OFFSET,
            InternetChecksum.checksum(s, icmp, length, Ipv6PseudoHeader.sum(s, ip, Ipv6.NEXT_HEADER_ICMPV6, length)));
        return Ethernet.HEADER_LENGTH + Ipv6.LENGTH + length;
    }

    /** A ping with Linux defaults: TTL 64 and 56 bytes of data. */
    public static int icmpEcho(MemorySegment s, long offset, long srcMac, long dstMac, int srcIp, int dstIp,
                               boolean request, int id, int seq) {
        return icmpEcho(s, offset, srcMac, dstMac, srcIp, dstIp, request, id, seq, Ipv4.DEFAULT_TTL,
            PING_PAYLOAD_LENGTH);
    }

    /**
     * ICMP echo request or reply with {@code payloadLength} bytes of data {@code 0x00, 0x01, 0x02, ...}:
     * the pattern Linux ping writes after its timestamp, minus the timestamp so frames are reproducible.
     */
    public static int icmpEcho(MemorySegment s, long offset, long srcMac, long dstMac, int srcIp, int dstIp,
                               boolean request, int id, int seq, int ttl, int payloadLength) {
        long data = offset + L4_OFFSET + Icmp.HEADER_LENGTH;
        for (int i = 0; i < payloadLength; i++) {
            Wire.putU8(s, data + i, i);
        }
        return icmpEchoAround(s, offset, srcMac, dstMac, srcIp, dstIp, request, id, seq, ttl, payloadLength);
    }

    /** ICMP echo carrying a copy of {@code payload}, e.g. to answer a request with the same data. */
    public static int icmpEcho(MemorySegment s, long offset, long srcMac, long dstMac, int srcIp, int dstIp,
                               boolean request, int id, int seq, int ttl, MemorySegment payload) {
        int payloadLength = Math.toIntExact(payload.byteSize());
        MemorySegment.copy(payload, 0, s, offset + L4_OFFSET + Icmp.HEADER_LENGTH, payloadLength);
        return icmpEchoAround(s, offset, srcMac, dstMac, srcIp, dstIp, request, id, seq, ttl, payloadLength);
    }

    /** Writes the headers around echo data already in place and computes both checksums. */
    private static int icmpEchoAround(MemorySegment s, long offset, long srcMac, long dstMac, int srcIp,
                                      int dstIp, boolean request, int id, int seq, int ttl, int payloadLength) {
        int icmpLength = Icmp.HEADER_LENGTH + payloadLength;
        ethernet(s, offset, dstMac, srcMac, EtherType.IPV4);
        Ipv4.writeHeader(s, offset + IPV4_OFFSET, Ipv4.PROTOCOL_ICMP, srcIp, dstIp, icmpLength, ttl);
        long icmp = offset + L4_OFFSET;
        Icmp.type(s, icmp, request ? Icmp.ECHO_REQUEST : Icmp.ECHO_REPLY);
        Icmp.code(s, icmp, 0);
        Icmp.identifier(s, icmp, id);
        Icmp.sequence(s, icmp, seq);
        Icmp.updateChecksum(s, icmp, icmpLength);
        return L4_OFFSET + icmpLength;
    }

    /** UDP datagram over IPv4, TTL 64, carrying a copy of {@code payload}, with the UDP checksum filled in. */
    public static int udp(MemorySegment s, long offset, long srcMac, long dstMac, int srcIp, int dstIp,
                          int srcPort, int dstPort, MemorySegment payload) {
        int payloadLength = Math.toIntExact(payload.byteSize());
        int udpLength = Udp.LENGTH + payloadLength;
        ethernet(s, offset, dstMac, srcMac, EtherType.IPV4);
        Ipv4.writeHeader(s, offset + IPV4_OFFSET, Ipv4.PROTOCOL_UDP, srcIp, dstIp, udpLength, Ipv4.DEFAULT_TTL);
        long udp = offset + L4_OFFSET;
        Udp.srcPort(s, udp, srcPort);
        Udp.dstPort(s, udp, dstPort);
        Udp.length(s, udp, udpLength);
        MemorySegment.copy(payload, 0, s, udp + Udp.LENGTH, payloadLength);
        Udp.updateChecksum(s, udp, srcIp, dstIp);
        return L4_OFFSET + udpLength;
    }

    /**
     * Zero-fills a frame up to {@link Ethernet#MIN_FRAME_LENGTH}, as a NIC does before sending, and returns
     * the new length (unchanged if already long enough). Receivers must then trust the IP total length,
     * not the frame length.
     */
    public static int padToMinimum(MemorySegment s, long offset, int length) {
        if (length >= Ethernet.MIN_FRAME_LENGTH) {
            return length;
        }
        s.asSlice(offset + length, Ethernet.MIN_FRAME_LENGTH - length).fill((byte) 0);
        return Ethernet.MIN_FRAME_LENGTH;
    }

    /**
     * Inserts an 802.1Q C-tag after the source MAC, in place, and returns {@code length + 4}. The buffer
     * needs 4 spare bytes after the frame. The frame is not re-padded: a tagged frame may be 64 bytes.
     */
    public static int pushVlanTag(MemorySegment s, long offset, int length, int tci) {
        return pushTag(s, offset, length, s, offset, EtherType.VLAN, tci);
    }

    /** Copies the frame from {@code from} to {@code to} with an 802.1Q C-tag inserted; returns the new length. */
    public static int pushVlanTag(MemorySegment from, long fromOffset, int length, MemorySegment to, long toOffset,
                                  int tci) {
        return pushTag(from, fromOffset, length, to, toOffset, EtherType.VLAN, tci);
    }

    /**
     * Copies the frame with a tag of any TPID inserted after the source MAC (an 802.1ad S-tag for QinQ
     * goes outside an existing C-tag this way). Source and destination may overlap in one segment.
     */
    public static int pushTag(MemorySegment from, long fromOffset, int length, MemorySegment to, long toOffset,
                              int tpid, int tci) {
        if (length < Ethernet.HEADER_LENGTH) {
            throw new IllegalArgumentException(
                "cannot tag a " + length + "-byte frame: shorter than an Ethernet header");
        }
        int rest = length - Ethernet.TYPE_OFFSET;
        long restFrom = fromOffset + Ethernet.TYPE_OFFSET;
        long restTo = toOffset + Ethernet.TYPE_OFFSET + Dot1q.LENGTH;
        // Order the two copies so neither overwrites bytes the other still has to read when the ranges
        // overlap: moving right, copy the tail first; moving left, the addresses first.
        if (toOffset > fromOffset) {
            MemorySegment.copy(from, restFrom, to, restTo, rest);
            MemorySegment.copy(from, fromOffset, to, toOffset, Ethernet.TYPE_OFFSET);
        } else {
            MemorySegment.copy(from, fromOffset, to, toOffset, Ethernet.TYPE_OFFSET);
            MemorySegment.copy(from, restFrom, to, restTo, rest);
        }
        Dot1q.write(to, toOffset + Ethernet.TYPE_OFFSET, tpid, tci);
        return length + Dot1q.LENGTH;
    }

    /**
     * Removes the outer 802.1Q C-tag in place and returns {@code length - 4}. A frame without one
     * (untagged, S-tagged, or too short to hold a tag) is left as it is and its length returned, so the
     * call means "make sure this frame leaves untagged".
     */
    public static int popVlanTag(MemorySegment s, long offset, int length) {
        return popVlanTag(s, offset, length, s, offset);
    }

    /** Copies the frame from {@code from} to {@code to} without its outer 802.1Q C-tag; returns the new length. */
    public static int popVlanTag(MemorySegment from, long fromOffset, int length, MemorySegment to, long toOffset) {
        boolean tagged = length >= Ethernet.HEADER_LENGTH + Dot1q.LENGTH
            && Ethernet.etherType(from, fromOffset) == EtherType.VLAN;
        if (!tagged) {
            MemorySegment.copy(from, fromOffset, to, toOffset, length);
            return length;
        }
        int rest = length - Ethernet.TYPE_OFFSET - Dot1q.LENGTH;
        long restFrom = fromOffset + Ethernet.TYPE_OFFSET + Dot1q.LENGTH;
        // Same overlap rule as pushTag, mirrored: the tail moves left relative to the addresses.
        if (toOffset > fromOffset) {
            MemorySegment.copy(from, restFrom, to, toOffset + Ethernet.TYPE_OFFSET, rest);
            MemorySegment.copy(from, fromOffset, to, toOffset, Ethernet.TYPE_OFFSET);
        } else {
            MemorySegment.copy(from, fromOffset, to, toOffset, Ethernet.TYPE_OFFSET);
            MemorySegment.copy(from, restFrom, to, toOffset + Ethernet.TYPE_OFFSET, rest);
        }
        return length - Dot1q.LENGTH;
    }
}
