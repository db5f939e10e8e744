package io.vxswitch.vxlan;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * Writes, in place, the outer Ethernet, IP, UDP and VXLAN headers in front of an inner Ethernet frame, so
 * the frame is sent without a copy. The caller leaves {@link #headroom()} bytes (50 over IPv4, 70 over
 * IPv6; {@link VxlanOverhead#MAX_HEADROOM} suits both) free before the inner frame. Each {@code encapsulate}
 * method returns the outer frame's length; the outer frame starts at {@code inner - headroom()}.
 *
 * <p>One instance per local underlay address: its family (IPv4 or IPv6) is the underlay's. Per packet:
 * no allocation; the only work beyond the header writes is the IPv4 header checksum, and the UDP checksum
 * over IPv6 (or over IPv4 if {@link EncapOptions#ipv4UdpChecksum}), which reads the whole inner frame.
 * The MTU is not checked here: run {@link MtuCheck#admit} first, as VTEPs never fragment (RFC 7348 §4.3).
 *
 * <p>Outer headers (RFC 7348 §5): Ethernet from the local underlay MAC to the next hop's (the caller's ARP/ND
 * result, or a group MAC from {@link VtepAddress#multicastMac()}); IPv4 with DSCP/ECN 0, DF per options,
 * identification 0 when DF is set (RFC 6864 §4.1 atomic datagrams) or a running counter when not; IPv6 with
 * traffic class and flow label 0; UDP from {@link SourcePortHash} to {@link EncapOptions#dstPort}; VXLAN
 * with the I flag and all reserved bits zero.
 */
public final class VxlanEncapsulator {
    private static final int MAX_INNER_LENGTH = 0xFFFF - Ipv6.LENGTH - Udp.LENGTH - Vxlan.LENGTH;

    private final long localMac;
    private final boolean ipv6;
    private final int localIpv4;
    private final long localHigh;
    private final long localLow;
    private final EncapOptions options;
    private final SourcePortHash ports;
    private final VxlanCounters counters;
    private final int headroom;
    private int identification;

    public VxlanEncapsulator(long localMac, VtepAddress local, EncapOptions options, SourcePortHash ports,
                             VxlanCounters counters) {
        if (local.isMulticast() || local.isUnspecified()) {
            throw new IllegalArgumentException("local VTEP address " + local + " must be a unicast address");
        }
        this.localMac = localMac;
        this.ipv6 = !local.isIpv4();
        this.localIpv4 = local.ipv4();
        this.localHigh = local.high();
        this.localLow = local.low();
        this.options = options;
        this.ports = ports;
        this.counters = counters;
        this.headroom = VxlanOverhead.headroom(ipv6);
    }

    /** True when the underlay is IPv6. */
    public boolean ipv6() {
        return ipv6;
    }

    /** Bytes written in front of the inner frame: 50 (IPv4) or 70 (IPv6). */
    public int headroom() {
        return headroom;
    }

    /** Where the outer frame starts for an inner frame at {@code inner}. */
    public long outerOffset(long inner) {
        return inner - headroom;
    }

    public EncapOptions options() {
        return options;
    }

    /** Encapsulates towards the remote VTEP {@code vtepId}; its family must be the local one's. */
    public int encapsulate(MemorySegment s, long inner, int innerLength, int vni, RemoteVteps vteps, int vtepId,
                           long nextHopMac) {
        return ipv6
            ? encapsulateIpv6(s, inner, innerLength, vni, vteps.high(vtepId), vteps.low(vtepId), nextHopMac)
            : encapsulateIpv4(s, inner, innerLength, vni, vteps.ipv4(vtepId), nextHopMac);
    }

    /** Encapsulates towards an IPv4 VTEP (or group); returns the outer frame length. */
    public int encapsulateIpv4(MemorySegment s, long inner, int innerLength, int vni, int remote, long nextHopMac) {
        if (ipv6) {
            throw new IllegalStateException("this encapsulator has an IPv6 underlay; it cannot send to IPv4 VTEPs");
        }
        checkFrame(s, inner, innerLength, vni);
        long vxlan = writeUdpAndVxlan(s, inner, innerLength, vni);
        long udp = vxlan - Udp.LENGTH;
        long ip = udp - Ipv4.MIN_HEADER_LENGTH;
        int udpLength = Udp.LENGTH + Vxlan.LENGTH + innerLength;
        Ipv4.versionIhl(s, ip, Ipv4.MIN_IHL);
        Ipv4.dscpEcn(s, ip, 0, 0);
        Ipv4.totalLength(s, ip, Ipv4.MIN_HEADER_LENGTH + udpLength);
        if (options.dontFragment()) {
            Ipv4.identification(s, ip, 0);
            Ipv4.flagsFragment(s, ip, Ipv4.FLAG_DONT_FRAGMENT);
        } else {
            // RFC 6864 §4.2: a datagram that may be fragmented needs an ID unique per source/destination/protocol.
            identification = (identification + 1) & 0xFFFF;
            Ipv4.identification(s, ip, identification);
            Ipv4.flagsFragment(s, ip, 0);
        }
        Ipv4.ttl(s, ip, options.ttl());
        Ipv4.protocol(s, ip, Ipv4.PROTOCOL_UDP);
        Ipv4.src(s, ip, localIpv4);
        Ipv4.dst(s, ip, remote);
        Ipv4.updateHeaderChecksum(s, ip);
        if (options.ipv4UdpChecksum()) {
            Udp.updateChecksum(s, udp, localIpv4, remote);
        } else {
            Udp.checksum(s, udp, 0); // RFC 7348 §5: "SHOULD be transmitted as zero"
        }
        writeEthernet(s, ip - Ethernet.HEADER_LENGTH, nextHopMac, EtherType.IPV4);
        counters.countEncapsulated();
        return headroom + innerLength;
    }

    /** Encapsulates towards an IPv6 VTEP (or group); returns the outer frame length. */
    public int encapsulateIpv6(MemorySegment s, long inner, int innerLength, int vni, long remoteHigh,
                               long remoteLow, long nextHopMac) {
        if (!ipv6) {
            throw new IllegalStateException("this encapsulator has an IPv4 underlay; it cannot send to IPv6 VTEPs");
        }
        checkFrame(s, inner, innerLength, vni);
        long vxlan = writeUdpAndVxlan(s, inner, innerLength, vni);
        long udp = vxlan - Udp.LENGTH;
        long ip = udp - Ipv6.LENGTH;
        Ipv6.versionClassFlow(s, ip, 0, 0);
        Ipv6.payloadLength(s, ip, Udp.LENGTH + Vxlan.LENGTH + innerLength);
        Ipv6.nextHeader(s, ip, Ipv6.NEXT_HEADER_UDP);
        Ipv6.hopLimit(s, ip, options.ttl());
        Ipv6.src(s, ip, localHigh, localLow);
        Ipv6.dst(s, ip, remoteHigh, remoteLow);
        Ipv6PseudoHeader.updateUdpChecksum(s, ip, udp); // mandatory over IPv6 (RFC 8200 §8.1)
        writeEthernet(s, ip - Ethernet.HEADER_LENGTH, nextHopMac, EtherType.IPV6);
        counters.countEncapsulated();
        return headroom + innerLength;
    }

    /** Writes UDP (checksum still open) and VXLAN in front of the inner frame; returns the VXLAN offset. */
    private long writeUdpAndVxlan(MemorySegment s, long inner, int innerLength, int vni) {
        long vxlan = inner - Vxlan.LENGTH;
        Vxlan.write(s, vxlan, vni);
        long udp = vxlan - Udp.LENGTH;
        Udp.srcPort(s, udp, ports.port(s, inner, innerLength));
        Udp.dstPort(s, udp, options.dstPort());
        Udp.length(s, udp, Udp.LENGTH + Vxlan.LENGTH + innerLength);
        return vxlan;
    }

    private void writeEthernet(MemorySegment s, long frame, long nextHopMac, int etherType) {
        Ethernet.dst(s, frame, nextHopMac);
        Ethernet.src(s, frame, localMac);
        Ethernet.etherType(s, frame, etherType);
    }

    private void checkFrame(MemorySegment s, long inner, int innerLength, int vni) {
        if (inner < headroom || inner + innerLength > s.byteSize()) {
            throw new IllegalArgumentException("no room to encapsulate: the inner frame at " + inner + " (length "
                + innerLength + ") needs " + headroom + " bytes of headroom in a " + s.byteSize() + "-byte buffer");
        }
        if (innerLength < Ethernet.HEADER_LENGTH || innerLength > MAX_INNER_LENGTH) {
            throw new IllegalArgumentException("inner frame length " + innerLength + " out of range "
                + Ethernet.HEADER_LENGTH + ".." + MAX_INNER_LENGTH);
        }
        if (!Vxlan.isValidVni(vni)) {
            throw new IllegalArgumentException("VNI " + vni + " out of range 1.." + Vxlan.MAX_VNI);
        }
    }
}
