package io.vxswitch.lab.node;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameDescriber;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;

/** Questions the lab asks about a frame outside the data path: what is it, and a line describing it. */
public final class Frames {
    private Frames() {
    }

    /** True for an IPv4 ICMP echo request, tagged or not. */
    public static boolean isIcmpEchoRequest(byte[] frame) {
        return icmpType(frame) == Icmp.ECHO_REQUEST;
    }

    /** True for an IPv4 ICMP echo reply, tagged or not. */
    public static boolean isIcmpEchoReply(byte[] frame) {
        return icmpType(frame) == Icmp.ECHO_REPLY;
    }

    /** A tcpdump-like line, e.g. {@code 00:50:56:.. > .., IPv4 10.0.0.1 > 10.0.0.3: ICMP echo request, id 1, seq 1}. */
    public static String describe(byte[] frame) {
        return FrameDescriber.describe(MemorySegment.ofArray(frame), 0, frame.length);
    }

    private static int icmpType(byte[] frame) {
        MemorySegment s = MemorySegment.ofArray(frame);
        FrameMeta meta = new FrameMeta();
        if (FrameParser.parse(s, 0, frame.length, meta) != Malformation.NONE || meta.etherType() != EtherType.IPV4
            || meta.payloadLength() < Ipv4.MIN_HEADER_LENGTH) {
            return -1;
        }
        long ip = meta.payloadPosition();
        int headerLength = Ipv4.headerLength(s, ip);
        if (Ipv4.version(s, ip) != Ipv4.VERSION || Ipv4.protocol(s, ip) != Ipv4.PROTOCOL_ICMP
            || headerLength < Ipv4.MIN_HEADER_LENGTH || meta.payloadLength() < headerLength + Icmp.HEADER_LENGTH) {
            return -1;
        }
        return Icmp.type(s, ip + headerLength);
    }
}
