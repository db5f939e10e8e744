package io.vxswitch.linux;

import io.vxswitch.packet.Arp;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;

import java.lang.foreign.MemorySegment;

/**
 * A host that exists only in Java: it answers ARP requests for its address and pings to it, on one VLAN or
 * untagged, the way a VM behind a vxswitch port would. Frames built with the packet module's builders.
 */
public final class TestHost {
    public static final int UNTAGGED = -1;

    public final long mac;
    public final int ip;
    public final int vlan;
    public int arpRequests;
    public int echoRequests;
    /** Frames for this host's VLAN that it did not answer (for diagnostics). */
    public int otherFrames;

    public TestHost(long mac, int ip, int vlan) {
        this.mac = mac;
        this.ip = ip;
        this.vlan = vlan;
    }

    /**
     * If the frame at {@code in[offset, offset + length)} asks this host something, writes the answer at
     * {@code out[0..]} and returns its length; otherwise returns 0.
     */
    public int answer(MemorySegment in, long offset, int length, MemorySegment out) {
        if (length < Ethernet.HEADER_LENGTH) {
            return 0;
        }
        int type = Ethernet.etherType(in, offset);
        long l3 = offset + Ethernet.HEADER_LENGTH;
        int vid = UNTAGGED;
        if (type == EtherType.VLAN) {
            vid = Dot1q.vid(Dot1q.tci(in, offset + Ethernet.TYPE_OFFSET));
            type = Ethernet.etherType(in, offset + Dot1q.LENGTH);
            l3 += Dot1q.LENGTH;
        }
        if (vid != vlan) {
            return 0;
        }
        int reply = 0;
        if (type == EtherType.ARP && Arp.isEthernetIpv4(in, l3) && Arp.oper(in, l3) == Arp.REQUEST
            && Arp.tpa(in, l3) == ip) {
            arpRequests++;
            reply = FrameBuilder.arpReply(out, 0, mac, ip, Arp.sha(in, l3), Arp.spa(in, l3));
        } else if (type == EtherType.IPV4 && Ipv4.dst(in, l3) == ip && Ipv4.protocol(in, l3) == Ipv4.PROTOCOL_ICMP) {
            long icmp = l3 + Ipv4.headerLength(in, l3);
            int icmpLength = Ipv4.totalLength(in, l3) - Ipv4.headerLength(in, l3);
            if (Icmp.type(in, icmp) == Icmp.ECHO_REQUEST) {
                echoRequests++;
                MemorySegment data = in.asSlice(icmp + Icmp.HEADER_LENGTH, icmpLength - Icmp.HEADER_LENGTH);
                reply = FrameBuilder.icmpEcho(out, 0, mac, Ethernet.src(in, offset), ip, Ipv4.src(in, l3), false,
                    Icmp.identifier(in, icmp), Icmp.sequence(in, icmp), Ipv4.DEFAULT_TTL, data);
            }
        } else {
            otherFrames++;
        }
        if (reply > 0 && vlan != UNTAGGED) {
            reply = FrameBuilder.pushVlanTag(out, 0, reply, Dot1q.tci(0, false, vlan));
        }
        return reply;
    }
}
