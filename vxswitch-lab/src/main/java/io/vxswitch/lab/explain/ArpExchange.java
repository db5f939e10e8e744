package io.vxswitch.lab.explain;

import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Malformation;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * Recognises the two frames of one ARP exchange, {@code who-has TARGET tell ASKER} and {@code TARGET is-at MAC}
 * back to the asker, whether they travel as they are or inside VXLAN (IPv4/UDP to one of the VXLAN ports).
 */
final class ArpExchange {
    /** Which frame of the exchange. */
    enum Part {
        REQUEST, REPLY
    }

    private final int askerIp;
    private final int targetIp;
    private final Set<Integer> vxlanPorts;
    private final FrameMeta meta = new FrameMeta();

    ArpExchange(int askerIp, int targetIp, Set<Integer> vxlanPorts) {
        this.askerIp = askerIp;
        this.targetIp = targetIp;
        this.vxlanPorts = Set.copyOf(vxlanPorts);
    }

    int askerIp() {
        return askerIp;
    }

    int targetIp() {
        return targetIp;
    }

    /** The part of the exchange the frame at {@code offset} is or carries, or null. */
    Part classify(MemorySegment s, long offset, int length) {
        if (FrameParser.parse(s, offset, length, meta) != Malformation.NONE) {
            return null;
        }
        long payload = meta.payloadPosition();
        int available = meta.payloadLength();
        if (meta.etherType() == EtherType.ARP) {
            return arp(s, payload, available);
        }
        if (meta.etherType() != EtherType.IPV4 || available < Ipv4.MIN_HEADER_LENGTH
            || Ipv4.protocol(s, payload) != Ipv4.PROTOCOL_UDP) {
            return null;
        }
        long udp = payload + Ipv4.headerLength(s, payload);
        int inner = (int) (udp - offset) + Udp.LENGTH + Vxlan.LENGTH;
        if (inner + Ethernet.HEADER_LENGTH > length || !vxlanPorts.contains(Udp.dstPort(s, udp))) {
            return null;
        }
        return arpOnly(s, offset + inner, length - inner); // one level: VXLAN in VXLAN is not this story
    }

    private Part arpOnly(MemorySegment s, long offset, int length) {
        if (FrameParser.parse(s, offset, length, meta) != Malformation.NONE || meta.etherType() != EtherType.ARP) {
            return null;
        }
        return arp(s, meta.payloadPosition(), meta.payloadLength());
    }

    private Part arp(MemorySegment s, long arp, int length) {
        if (length < Arp.LENGTH || !Arp.isEthernetIpv4(s, arp)) {
            return null;
        }
        int spa = Arp.spa(s, arp);
        int tpa = Arp.tpa(s, arp);
        return switch (Arp.oper(s, arp)) {
            case Arp.REQUEST -> spa == askerIp && tpa == targetIp ? Part.REQUEST : null;
            case Arp.REPLY -> spa == targetIp && tpa == askerIp ? Part.REPLY : null;
            default -> null;
        };
    }
}
