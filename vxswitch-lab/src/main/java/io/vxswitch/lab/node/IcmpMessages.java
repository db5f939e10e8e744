package io.vxswitch.lab.node;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;

import java.lang.foreign.MemorySegment;

/** ICMP messages a router sends about packets it forwards or receives (RFC 792, RFC 1812 §4.3). */
final class IcmpMessages {
    /** RFC 792: an error quotes the offending packet's IP header and the first 8 bytes of its data. */
    private static final int QUOTED_DATA = 8;
    private static final int ERROR_HEADER = 8;

    private IcmpMessages() {
    }

    /**
     * Time exceeded in transit (type 11, code 0) from {@code from} about the packet at {@code ip} in
     * {@code frame}; the Ethernet addresses are left for the sending interface. Returns null when RFC 1812
     * §4.3.2.7 forbids an error: about an ICMP error, a fragment other than the first, or a packet whose
     * source is not a unicast host address.
     */
    static byte[] timeExceeded(byte[] frame, int ip, int from) {
        MemorySegment s = MemorySegment.ofArray(frame);
        int src = Ipv4.src(s, ip);
        if (Ipv4.fragmentOffset(s, ip) != 0 || src == 0 || isMulticastOrBroadcast(src) || isIcmpError(s, ip)) {
            return null;
        }
        int headerLength = Ipv4.headerLength(s, ip);
        int quoted = Math.min(Ipv4.totalLength(s, ip), headerLength + QUOTED_DATA);
        int icmpLength = ERROR_HEADER + quoted;
        byte[] out = new byte[Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + icmpLength];
        MemorySegment o = MemorySegment.ofArray(out);
        FrameBuilder.ethernet(o, 0, 0, 0, EtherType.IPV4);
        long outIp = Ethernet.HEADER_LENGTH;
        Ipv4.writeHeader(o, outIp, Ipv4.PROTOCOL_ICMP, from, src, icmpLength, Ipv4.DEFAULT_TTL);
        long icmp = outIp + Ipv4.MIN_HEADER_LENGTH;
        Icmp.type(o, icmp, Icmp.TIME_EXCEEDED);
        Icmp.code(o, icmp, 0); // TTL exceeded in transit
        MemorySegment.copy(s, ip, o, icmp + ERROR_HEADER, quoted);
        Icmp.updateChecksum(o, icmp, icmpLength);
        return out;
    }

    /** An echo reply from {@code from} to the echo request at {@code ip} in {@code frame}, same id, seq and data. */
    static byte[] echoReply(byte[] frame, int ip, int from) {
        MemorySegment s = MemorySegment.ofArray(frame);
        int headerLength = Ipv4.headerLength(s, ip);
        long icmp = ip + headerLength;
        int icmpLength = Ipv4.totalLength(s, ip) - headerLength;
        MemorySegment data = s.asSlice(icmp + Icmp.HEADER_LENGTH, icmpLength - Icmp.HEADER_LENGTH);
        byte[] out = new byte[Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + icmpLength];
        FrameBuilder.icmpEcho(MemorySegment.ofArray(out), 0, 0, 0, from, Ipv4.src(s, ip), false,
            Icmp.identifier(s, icmp), Icmp.sequence(s, icmp), Ipv4.DEFAULT_TTL, data);
        return out;
    }

    /** True for an ICMP echo request with a valid checksum. */
    static boolean isEchoRequest(byte[] frame, int ip) {
        MemorySegment s = MemorySegment.ofArray(frame);
        int headerLength = Ipv4.headerLength(s, ip);
        int icmpLength = Ipv4.totalLength(s, ip) - headerLength;
        return Ipv4.protocol(s, ip) == Ipv4.PROTOCOL_ICMP && icmpLength >= Icmp.HEADER_LENGTH
            && Icmp.type(s, ip + headerLength) == Icmp.ECHO_REQUEST
            && Icmp.checksumValid(s, ip + headerLength, icmpLength);
    }

    private static boolean isIcmpError(MemorySegment s, long ip) {
        if (Ipv4.protocol(s, ip) != Ipv4.PROTOCOL_ICMP
            || Ipv4.totalLength(s, ip) < Ipv4.headerLength(s, ip) + Icmp.HEADER_LENGTH) {
            return false;
        }
        int type = Icmp.type(s, ip + Ipv4.headerLength(s, ip));
        // RFC 792 error types: destination unreachable, source quench, redirect, time exceeded, parameter problem.
        return type == Icmp.DEST_UNREACHABLE || type == 4 || type == 5 || type == Icmp.TIME_EXCEEDED || type == 12;
    }

    private static boolean isMulticastOrBroadcast(int address) {
        return (address >>> 28) == 0xE || address == -1;
    }
}
