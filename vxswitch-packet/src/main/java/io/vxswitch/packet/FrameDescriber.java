package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * One tcpdump-like line per frame ({@code tcpdump -e -n} vocabulary, condensed), for traces, the lab
 * and test failure messages:
 * <pre>
 * 00:50:56:00:00:01 &gt; ff:ff:ff:ff:ff:ff, ARP, Request who-has 10.0.0.3 tell 10.0.0.1
 * 00:50:56:00:00:01 &gt; 00:50:56:00:00:03, 802.1Q vlan 119, IPv4 10.0.0.1 &gt; 10.0.0.3: ICMP echo request, id 1,
 *     seq 1                                                          (one line, wrapped here)
 * 02:00:00:00:00:01 &gt; 02:00:00:00:00:02, IPv4 192.168.1.1.53211 &gt; 192.168.1.2.4789: VXLAN, vni 5000: 00:50:...
 * 00:50:56:00:00:01 &gt; ff:ff:ff:ff:ff:ff, ARP, malformed: ARP shorter than 28 bytes (truncated_arp)
 * </pre>
 * A frame that the parser or classifier rejects is described as far as it is sound, followed by
 * {@code malformed: <reason> (<counter name>)}. Layers the switch carries opaquely (behind an 802.1ad tag,
 * inside VXLAN) are checked the same way, so the line may name a fault the switch itself ignores. Never
 * throws, whatever the bytes. Not for the hot path.
 */
public final class FrameDescriber {
    /** VXLAN header (RFC 7348 §5): flags with the I bit, 24 reserved bits, 24-bit VNI, 8 reserved bits. */
    private static final int VXLAN_HEADER_LENGTH = 8;
    private static final int VXLAN_FLAG_I = 0x08;
    /** Stacked tags and VXLAN-in-VXLAN beyond this are summarised, so a crafted frame cannot blow up the line. */
    private static final int MAX_DEPTH = 4;

    private FrameDescriber() {
    }

    public static String describe(MemorySegment s, long offset, int length) {
        // Clamp to the buffer so a caller's wrong length cannot make us read past it.
        long room = offset < 0 ? 0 : Math.max(0, s.byteSize() - offset);
        int usable = (int) Math.max(0, Math.min(length, room));
        StringBuilder out = new StringBuilder(96);
        frame(s, offset, usable, out, 0);
        if (usable < length) {
            out.append(" [buffer holds only ").append(usable).append(" of ").append(length).append(" bytes]");
        }
        return out.toString();
    }

    private static void frame(MemorySegment s, long offset, int length, StringBuilder out, int depth) {
        FrameMeta meta = new FrameMeta();
        Malformation outer = FrameParser.parse(s, offset, length, meta);
        if (outer == Malformation.RUNT) {
            out.append("runt frame, ").append(length).append(" bytes, ");
            malformed(outer, out);
            return;
        }
        out.append(MacAddress.format(meta.src())).append(" > ").append(MacAddress.format(meta.dst()));
        long position = offset + Ethernet.TYPE_OFFSET;
        int remaining = length - Ethernet.TYPE_OFFSET;
        int type = Wire.u16(s, position);
        int tags = 0;
        while (isTag(type)) {
            if (tags == MAX_DEPTH) {
                out.append(", more tags");
                return;
            }
            String name = type == EtherType.VLAN ? "802.1Q" : "802.1ad";
            if (remaining < Dot1q.LENGTH + 2) {
                out.append(", ").append(name).append(", ");
                malformed(type == EtherType.VLAN ? Malformation.TRUNCATED_VLAN_TAG
                    : Malformation.TRUNCATED_SERVICE_TAG, out);
                return;
            }
            int tci = Dot1q.tci(s, position);
            out.append(", ").append(name).append(" vlan ").append(Dot1q.vid(tci));
            if (Dot1q.pcp(tci) != 0) {
                out.append(" p ").append(Dot1q.pcp(tci));
            }
            if (tags == 0 && outer != Malformation.NONE) {
                out.append(", ");
                malformed(outer, out); // the reserved VID
                return;
            }
            position += Dot1q.LENGTH;
            remaining -= Dot1q.LENGTH;
            type = Wire.u16(s, position);
            tags++;
        }
        long l3 = position + 2;
        int available = remaining - 2;
        Malformation inner = PacketClassifier.classify(s, l3, available, type);
        if (inner != Malformation.NONE) {
            out.append(", ").append(EtherType.name(type)).append(", ");
            malformed(inner, out);
            return;
        }
        switch (type) {
            case EtherType.ARP -> arp(s, l3, out);
            case EtherType.IPV4 -> ipv4(s, l3, out, depth);
            case EtherType.IPV6 -> ipv6(s, l3, out);
            default -> out.append(type < EtherType.MIN_ETHERTYPE ? ", " : ", ethertype ")
                .append(EtherType.name(type)).append(", ").append(length).append(" bytes");
        }
    }

    private static boolean isTag(int type) {
        return type == EtherType.VLAN || EtherType.isServiceTag(type);
    }

    private static void malformed(Malformation m, StringBuilder out) {
        out.append("malformed: ").append(m.description()).append(" (").append(m.counterName()).append(')');
    }

    private static void arp(MemorySegment s, long arp, StringBuilder out) {
        out.append(", ARP, ");
        int oper = Arp.oper(s, arp);
        String spa = Ipv4Address.format(Arp.spa(s, arp));
        String tpa = Ipv4Address.format(Arp.tpa(s, arp));
        switch (oper) {
            case Arp.REQUEST -> out.append("Request who-has ").append(tpa).append(" tell ").append(spa);
            case Arp.REPLY -> out.append("Reply ").append(spa).append(" is-at ")
                .append(MacAddress.format(Arp.sha(s, arp)));
            default -> out.append("oper ").append(oper).append(' ').append(spa).append(" > ").append(tpa);
        }
    }

    private static void ipv4(MemorySegment s, long ip, StringBuilder out, int depth) {
        String src = Ipv4Address.format(Ipv4.src(s, ip));
        String dst = Ipv4Address.format(Ipv4.dst(s, ip));
        int headerLength = Ipv4.headerLength(s, ip);
        long l4 = ip + headerLength;
        int l4Length = Ipv4.totalLength(s, ip) - headerLength;
        int protocol = Ipv4.protocol(s, ip);
        out.append(", IPv4 ");
        if (Ipv4.fragmentOffset(s, ip) != 0) {
            out.append(src).append(" > ").append(dst).append(": ").append(Ipv4.protocolName(protocol))
                .append(" fragment, offset ").append(Ipv4.fragmentOffset(s, ip));
            return;
        }
        switch (protocol) {
            case Ipv4.PROTOCOL_ICMP -> {
                out.append(src).append(" > ").append(dst).append(": ");
                icmp(s, l4, out);
            }
            case Ipv4.PROTOCOL_UDP -> udp(s, l4, l4Length, src, dst, out, depth);
            case Ipv4.PROTOCOL_TCP -> tcp(s, l4, l4Length, src, dst, out);
            default -> out.append(src).append(" > ").append(dst).append(": ").append(Ipv4.protocolName(protocol))
                .append(", length ").append(l4Length);
        }
        if (Ipv4.moreFragments(s, ip)) {
            out.append(", more fragments");
        }
    }

    private static void icmp(MemorySegment s, long icmp, StringBuilder out) {
        int type = Icmp.type(s, icmp);
        out.append("ICMP ").append(Icmp.typeName(type));
        if (Icmp.isEcho(type)) {
            out.append(", id ").append(Icmp.identifier(s, icmp)).append(", seq ").append(Icmp.sequence(s, icmp));
        } else {
            out.append(", code ").append(Icmp.code(s, icmp));
        }
    }

    private static void udp(MemorySegment s, long udp, int l4Length, String src, String dst, StringBuilder out,
                            int depth) {
        int dstPort = Udp.dstPort(s, udp);
        out.append(src).append('.').append(Udp.srcPort(s, udp)).append(" > ")
            .append(dst).append('.').append(dstPort).append(": ");
        int dataLength = Udp.length(s, udp) - Udp.LENGTH;
        // A first fragment's UDP length covers the whole datagram; only the bytes present can be decoded.
        int present = Math.min(dataLength, l4Length - Udp.LENGTH);
        if (dstPort == Udp.VXLAN_PORT && present >= VXLAN_HEADER_LENGTH) {
            vxlan(s, udp + Udp.LENGTH, present, out, depth);
        } else {
            out.append("UDP, length ").append(dataLength);
        }
    }

    /** Decodes VXLAN so an underlay trace shows which VNI and which inner frame it carries. */
    private static void vxlan(MemorySegment s, long vxlan, int length, StringBuilder out, int depth) {
        int flags = Wire.u8(s, vxlan);
        int vni = (int) (Wire.u32(s, vxlan + 4) >>> 8);
        out.append("VXLAN");
        if ((flags & VXLAN_FLAG_I) == 0) {
            out.append(" without I flag (0x").append(Integer.toHexString(flags)).append(')');
        }
        out.append(", vni ").append(vni).append(": ");
        if (depth + 1 >= MAX_DEPTH) {
            out.append("...");
            return;
        }
        frame(s, vxlan + VXLAN_HEADER_LENGTH, length - VXLAN_HEADER_LENGTH, out, depth + 1);
    }

    private static void tcp(MemorySegment s, long tcp, int l4Length, String src, String dst, StringBuilder out) {
        if (l4Length < 4) {
            out.append(src).append(" > ").append(dst).append(": TCP, length ").append(l4Length);
            return;
        }
        // Source and destination ports lead the TCP header (RFC 9293 §3.1), as in UDP.
        out.append(src).append('.').append(Wire.u16(s, tcp)).append(" > ")
            .append(dst).append('.').append(Wire.u16(s, tcp + 2)).append(": TCP, length ").append(l4Length);
    }

    private static void ipv6(MemorySegment s, long ip, StringBuilder out) {
        String src = Ipv6.format(Ipv6.srcHigh(s, ip), Ipv6.srcLow(s, ip));
        String dst = Ipv6.format(Ipv6.dstHigh(s, ip), Ipv6.dstLow(s, ip));
        int next = Ipv6.nextHeader(s, ip);
        int payloadLength = Ipv6.payloadLength(s, ip);
        out.append(", IPv6 ");
        switch (next) {
            case Ipv6.NEXT_HEADER_UDP -> {
                long udp = ip + Ipv6.LENGTH;
                out.append(src).append('.').append(Udp.srcPort(s, udp)).append(" > ")
                    .append(dst).append('.').append(Udp.dstPort(s, udp))
                    .append(": UDP, length ").append(Udp.length(s, udp) - Udp.LENGTH);
            }
            case Ipv6.NEXT_HEADER_ICMPV6 -> out.append(src).append(" > ").append(dst)
                .append(": ICMPv6, length ").append(payloadLength);
            case Ipv6.NEXT_HEADER_TCP -> out.append(src).append(" > ").append(dst)
                .append(": TCP, length ").append(payloadLength);
            default -> out.append(src).append(" > ").append(dst).append(": next-header ").append(next)
                .append(", length ").append(payloadLength);
        }
    }
}
