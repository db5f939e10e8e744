package io.vxswitch.packet.offload;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;

/**
 * Recognises a TCP or UDP checksum that its sender left for a NIC to finish: Linux's CHECKSUM_PARTIAL, where the
 * field holds the folded pseudo-header sum (RFC 9293 §3.1, RFC 768) and the NIC adds the segment's bytes on the wire.
 * A kernel VXLAN device sending over a veth (a test bed on one machine) encapsulates such frames as they are, since
 * no NIC ever finishes them; a UDP socket cannot tell, and the VM behind the switch drops every one: TCP stalls in
 * SYN-SENT with nothing counted anywhere.
 *
 * <p>The tell-tale costs a few loads and adds: the field is compared with the pseudo-header sum. One finished
 * checksum in 65,536 equals it by chance, so only then is the whole segment summed: a correct checksum is not
 * unfinished. No allocation; a frame this cannot parse (not IPv4/IPv6, a fragment, extension headers, cut short) is
 * not unfinished.
 */
public final class UnfinishedChecksum {
    private static final int TCP_CHECKSUM = 16;
    private static final int TCP_MIN = 20;
    private static final int UDP_CHECKSUM = 6;
    private static final int UDP_MIN = 8;

    private UnfinishedChecksum() {
    }

    /** True if the untagged frame of {@code length} bytes at {@code frame} is TCP or UDP with an unfinished checksum. */
    public static boolean test(MemorySegment s, long frame, int length) {
        if (length < Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + UDP_MIN) {
            return false;
        }
        long ip = frame + Ethernet.HEADER_LENGTH;
        int room = length - Ethernet.HEADER_LENGTH;
        int type = Ethernet.etherType(s, frame);
        boolean v4 = type == EtherType.IPV4;
        if (!v4 && (type != EtherType.IPV6 || room < Ipv6.LENGTH + UDP_MIN)) {
            return false;
        }
        // TCP or UDP right after the IP header, or nothing to look at (ARP, ICMP, IPv6 extension headers): the
        // common cases leave after two loads
        int protocol = v4 ? Wire.u8(s, ip + Ipv4.PROTOCOL_OFFSET) : Ipv6.nextHeader(s, ip);
        if (protocol != Ipv4.PROTOCOL_TCP && protocol != Ipv4.PROTOCOL_UDP) {
            return false;
        }
        long l4;
        int l4Length;
        if (v4) {
            int versionIhl = Wire.u8(s, ip);
            int headerLength = (versionIhl & 0x0F) * 4;
            int total = Ipv4.totalLength(s, ip);
            if (versionIhl >>> 4 != Ipv4.VERSION || headerLength < Ipv4.MIN_HEADER_LENGTH || total > room
                || total < headerLength || Ipv4.isFragment(s, ip)) {
                return false;
            }
            l4 = ip + headerLength;
            l4Length = total - headerLength;
        } else {
            l4 = ip + Ipv6.LENGTH;
            l4Length = Ipv6.payloadLength(s, ip);
            if (l4Length > room - Ipv6.LENGTH) {
                return false;
            }
        }
        boolean tcp = protocol == Ipv4.PROTOCOL_TCP;
        if (l4Length < (tcp ? TCP_MIN : UDP_MIN)) {
            return false;
        }
        int field = Wire.u16(s, l4 + (tcp ? TCP_CHECKSUM : UDP_CHECKSUM));
        if (!tcp && field == 0) {
            return false; // no checksum (IPv4), not an unfinished one
        }
        long pseudo = v4 ? Ipv4.pseudoHeaderSum(Ipv4.src(s, ip), Ipv4.dst(s, ip), protocol, l4Length)
            : Ipv6PseudoHeader.sum(s, ip, protocol, l4Length);
        return field == InternetChecksum.fold(pseudo) && !InternetChecksum.verify(s, l4, l4Length, pseudo);
    }
}
