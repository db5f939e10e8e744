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
 * Writes, in place, the outer Ethernet, IP and UDP headers in front of a VXLAN datagram that {@link TunnelEgress}
 * left in the buffer (its VXLAN header, then the inner frame): what the kernel's UDP stack does for the daemon's
 * sockets, done by hand for the lab's emulated hosts and for tests that need whole underlay frames. The caller leaves
 * {@link #headroom()} bytes (42 over IPv4, 62 over IPv6) free before the datagram; each {@code write} method returns
 * the outer frame's length, and the outer frame starts at {@code payload - headroom()}.
 *
 * <p>One instance per local underlay address: its family (IPv4 or IPv6) is the underlay's. Per packet: no
 * allocation; the only work beyond the header writes is the IPv4 header checksum, and the UDP checksum over IPv6 (or
 * over IPv4 if {@link EncapOptions#ipv4UdpChecksum}), which reads the whole datagram.
 *
 * <p>Outer headers (RFC 7348 §5): Ethernet from the local underlay MAC to the next hop's (the caller's ARP/ND
 * result, or a group MAC from {@link VtepAddress#multicastMac()}); IPv4 with DSCP/ECN 0, DF per options,
 * identification 0 when DF is set (RFC 6864 §4.1 atomic datagrams) or a running counter when not; IPv6 with
 * traffic class and flow label 0; UDP from the source port {@link TunnelEgress} chose to {@link EncapOptions#dstPort}.
 */
public final class OuterHeaderWriter {
    private static final int MIN_PAYLOAD = Vxlan.LENGTH + Ethernet.HEADER_LENGTH;
    private static final int MAX_PAYLOAD = 0xFFFF - Ipv6.LENGTH - Udp.LENGTH;

    private final long localMac;
    private final boolean ipv6;
    private final int localIpv4;
    private final long localHigh;
    private final long localLow;
    private final EncapOptions options;
    private final int headroom;
    private int identification;

    public OuterHeaderWriter(long localMac, VtepAddress local, EncapOptions options) {
        if (local.isMulticast() || local.isUnspecified()) {
            throw new IllegalArgumentException("local VTEP address " + local + " must be a unicast address");
        }
        this.localMac = localMac;
        this.ipv6 = !local.isIpv4();
        this.localIpv4 = local.ipv4();
        this.localHigh = local.high();
        this.localLow = local.low();
        this.options = options;
        this.headroom = VxlanOverhead.headroom(ipv6) - Vxlan.LENGTH;
    }

    /** True when the underlay is IPv6. */
    public boolean ipv6() {
        return ipv6;
    }

    /** Bytes written in front of the VXLAN datagram: 42 (IPv4) or 62 (IPv6). */
    public int headroom() {
        return headroom;
    }

    public EncapOptions options() {
        return options;
    }

    /** Writes the headers towards the remote VTEP {@code vtepId}; its family must be the local one's. */
    public int write(MemorySegment s, long payload, int payloadLength, int srcPort, RemoteVteps vteps, int vtepId,
                     long nextHopMac) {
        return ipv6
            ? writeIpv6(s, payload, payloadLength, srcPort, vteps.high(vtepId), vteps.low(vtepId), nextHopMac)
            : writeIpv4(s, payload, payloadLength, srcPort, vteps.ipv4(vtepId), nextHopMac);
    }

    /** Writes the headers towards an IPv4 VTEP (or group); returns the outer frame length. */
    public int writeIpv4(MemorySegment s, long payload, int payloadLength, int srcPort, int remote, long nextHopMac) {
        if (ipv6) {
            throw new IllegalStateException("this writer has an IPv6 underlay; it cannot send to IPv4 VTEPs");
        }
        checkDatagram(s, payload, payloadLength);
        long udp = writeUdp(s, payload, payloadLength, srcPort);
        long ip = udp - Ipv4.MIN_HEADER_LENGTH;
        Ipv4.versionIhl(s, ip, Ipv4.MIN_IHL);
        Ipv4.dscpEcn(s, ip, 0, 0);
        Ipv4.totalLength(s, ip, Ipv4.MIN_HEADER_LENGTH + Udp.LENGTH + payloadLength);
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
        return headroom + payloadLength;
    }

    /** Writes the headers towards an IPv6 VTEP (or group); returns the outer frame length. */
    public int writeIpv6(MemorySegment s, long payload, int payloadLength, int srcPort, long remoteHigh,
                         long remoteLow, long nextHopMac) {
        if (!ipv6) {
            throw new IllegalStateException("this writer has an IPv4 underlay; it cannot send to IPv6 VTEPs");
        }
        checkDatagram(s, payload, payloadLength);
        long udp = writeUdp(s, payload, payloadLength, srcPort);
        long ip = udp - Ipv6.LENGTH;
        Ipv6.versionClassFlow(s, ip, 0, 0);
        Ipv6.payloadLength(s, ip, Udp.LENGTH + payloadLength);
        Ipv6.nextHeader(s, ip, Ipv6.NEXT_HEADER_UDP);
        Ipv6.hopLimit(s, ip, options.ttl());
        Ipv6.src(s, ip, localHigh, localLow);
        Ipv6.dst(s, ip, remoteHigh, remoteLow);
        Ipv6PseudoHeader.updateUdpChecksum(s, ip, udp); // mandatory over IPv6 (RFC 8200 §8.1)
        writeEthernet(s, ip - Ethernet.HEADER_LENGTH, nextHopMac, EtherType.IPV6);
        return headroom + payloadLength;
    }

    /** Writes the UDP header (checksum still open) in front of the payload; returns its offset. */
    private long writeUdp(MemorySegment s, long payload, int payloadLength, int srcPort) {
        long udp = payload - Udp.LENGTH;
        Udp.srcPort(s, udp, srcPort);
        Udp.dstPort(s, udp, options.dstPort());
        Udp.length(s, udp, Udp.LENGTH + payloadLength);
        return udp;
    }

    private void writeEthernet(MemorySegment s, long frame, long nextHopMac, int etherType) {
        Ethernet.dst(s, frame, nextHopMac);
        Ethernet.src(s, frame, localMac);
        Ethernet.etherType(s, frame, etherType);
    }

    private void checkDatagram(MemorySegment s, long payload, int payloadLength) {
        if (payload < headroom || payload + payloadLength > s.byteSize()) {
            throw new IllegalArgumentException("no room for the outer headers: the VXLAN datagram at " + payload
                + " (length " + payloadLength + ") needs " + headroom + " bytes of headroom in a " + s.byteSize()
                + "-byte buffer");
        }
        if (payloadLength < MIN_PAYLOAD || payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("VXLAN datagram length " + payloadLength + " out of range "
                + MIN_PAYLOAD + ".." + MAX_PAYLOAD + " (VXLAN header and an inner Ethernet frame)");
        }
    }
}
