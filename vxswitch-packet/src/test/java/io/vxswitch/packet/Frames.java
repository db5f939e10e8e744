package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Valid frames of every kind the package understands, built with the package's own writers. */
final class Frames {
    static final long VM1 = MacAddress.parseBits("00:50:56:00:00:01");
    static final long VM3 = MacAddress.parseBits("00:50:56:00:00:03");
    static final int IP1 = Ipv4Address.parse("10.0.0.1");
    static final int IP3 = Ipv4Address.parse("10.0.0.3");

    /** A frame plus what a truncation of it should report. */
    record Sample(String name, byte[] bytes, int l2Length, int etherType, int l3Length) {
        MemorySegment segment() {
            return MemorySegment.ofArray(bytes.clone());
        }

        /** The malformation that cutting this frame to {@code n} bytes must produce. */
        Malformation truncatedTo(int n) {
            if (n < Ethernet.HEADER_LENGTH) {
                return Malformation.RUNT;
            }
            if (l2Length > Ethernet.HEADER_LENGTH && n < l2Length) {
                return Malformation.TRUNCATED_VLAN_TAG;
            }
            int available = n - l2Length;
            return switch (etherType) {
                case EtherType.ARP -> available < Arp.LENGTH ? Malformation.TRUNCATED_ARP : Malformation.NONE;
                case EtherType.IPV4 -> available < Ipv4.MIN_HEADER_LENGTH ? Malformation.TRUNCATED_IPV4
                    : available < l3Length ? Malformation.BAD_IPV4_LENGTH : Malformation.NONE;
                case EtherType.IPV6 -> available < Ipv6.LENGTH ? Malformation.TRUNCATED_IPV6
                    : available < l3Length ? Malformation.BAD_IPV6_LENGTH : Malformation.NONE;
                default -> Malformation.NONE;
            };
        }
    }

    private Frames() {
    }

    static byte[] bytes(MemorySegment s, int length) {
        return s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static List<Sample> all() {
        MemorySegment s = MemorySegment.ofArray(new byte[512]);
        int arpRequest = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        byte[] arpRequestBytes = bytes(s, arpRequest);
        int arpReply = FrameBuilder.arpReply(s, 0, VM3, IP3, VM1, IP1);
        byte[] arpReplyBytes = bytes(s, arpReply);
        int ping = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        byte[] pingBytes = bytes(s, ping);
        int tagged = FrameBuilder.pushVlanTag(s, 0, ping, Dot1q.tci(0, false, 119));
        byte[] taggedPingBytes = bytes(s, tagged);
        int smallPing = FrameBuilder.icmpEcho(s, 0, VM3, VM1, IP3, IP1, false, 9, 2, 64, 0);
        int padded = FrameBuilder.padToMinimum(s, 0, smallPing);
        byte[] paddedPingBytes = bytes(s, padded);
        int udp = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 5353, 5353, Hex.segment("0102030405"));
        byte[] udpBytes = bytes(s, udp);
        int vxlan = vxlan(s);
        byte[] vxlanBytes = bytes(s, vxlan);
        int taggedArp = FrameBuilder.pushVlanTag(MemorySegment.ofArray(arpRequestBytes), 0, arpRequest, s, 0,
            Dot1q.tci(3, false, 42));
        byte[] taggedArpBytes = bytes(s, taggedArp);
        int ipv6 = ipv6Udp(s);
        byte[] ipv6Bytes = bytes(s, ipv6);
        return List.of(
            new Sample("arp request", arpRequestBytes, 14, EtherType.ARP, 28),
            new Sample("arp reply", arpReplyBytes, 14, EtherType.ARP, 28),
            new Sample("802.1Q arp request", taggedArpBytes, 18, EtherType.ARP, 28),
            new Sample("icmp echo request", pingBytes, 14, EtherType.IPV4, 84),
            new Sample("802.1Q icmp echo request", taggedPingBytes, 18, EtherType.IPV4, 84),
            new Sample("padded empty echo reply", paddedPingBytes, 14, EtherType.IPV4, 28),
            new Sample("udp", udpBytes, 14, EtherType.IPV4, 33),
            new Sample("vxlan", vxlanBytes, 14, EtherType.IPV4, vxlan - 14),
            new Sample("ipv6 udp", ipv6Bytes, 14, EtherType.IPV6, 40 + 12));
    }

    /** The ARP request from VM1 encapsulated in VXLAN VNI 5000 between two VTEPs. */
    static int vxlan(MemorySegment s) {
        MemorySegment inner = MemorySegment.ofArray(new byte[8 + 42]);
        Wire.putU8(inner, 0, 0x08); // RFC 7348 §5: I flag, VNI valid
        Wire.putU32(inner, 4, 5000L << 8);
        FrameBuilder.arpRequest(inner, 8, VM1, IP1, IP3);
        return FrameBuilder.udp(s, 0, 0x0200_0000_0001L, 0x0200_0000_0002L, Ipv4Address.parse("192.168.1.1"),
            Ipv4Address.parse("192.168.1.2"), 53211, Udp.VXLAN_PORT, inner);
    }

    /** fe80::1 to ff02::1:2 (DHCPv6 servers), UDP 546 to 547 with 4 bytes of data. */
    static int ipv6Udp(MemorySegment s) {
        FrameBuilder.ethernet(s, 0, 0x3333_0001_0002L, VM1, EtherType.IPV6);
        long ip = 14;
        Ipv6.versionClassFlow(s, ip, 0, 0);
        Ipv6.payloadLength(s, ip, 12);
        Ipv6.nextHeader(s, ip, Ipv6.NEXT_HEADER_UDP);
        Ipv6.hopLimit(s, ip, 1);
        Ipv6.src(s, ip, 0xfe80_0000_0000_0000L, 1);
        Ipv6.dst(s, ip, 0xff02_0000_0000_0000L, 0x0000_0000_0001_0002L);
        long udp = ip + Ipv6.LENGTH;
        Udp.srcPort(s, udp, 546);
        Udp.dstPort(s, udp, 547);
        Udp.length(s, udp, 12);
        Udp.checksum(s, udp, 0);
        Wire.putU32(s, udp + 8, 0xCAFEBABEL);
        return 14 + 40 + 12;
    }
}
