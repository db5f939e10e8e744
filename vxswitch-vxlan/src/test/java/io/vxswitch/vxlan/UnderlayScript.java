package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.fuzz.FuzzInput;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.Wire;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a fuzzer's bytes into underlay packets for a VTEP, decoded once so that replaying them allocates nothing: an
 * options byte (bit 0 strict reserved bits, bit 1 no UDP checksum verification, bit 2 VXLAN port 8472 instead of
 * 4789), then up to 32 packets, each a mode byte and
 * <ul>
 * <li>0: a whole frame of raw bytes (2-byte length, then the bytes);</li>
 * <li>1: a UDP payload of raw bytes, as a socket delivers it, from one of six senders (multicast and unspecified
 *     among them; a VTEP table holds {@link #VTEP_IDS});</li>
 * <li>2: a whole frame built from the input's choices (tag, IPv4 or IPv6, sender, port, VNI, VXLAN flags and reserved
 *     bits, fragment and protocol fields, inner frame), checksums right unless the input says otherwise, so the fuzzer
 *     gets past them to the VXLAN header and the inner frame.</li>
 * </ul>
 * Each packet is a segment of exactly its length, so a read past its end throws.
 */
record UnderlayScript(DecapOptions options, List<UnderlayScript.Packet> packets) {
    static final int MAX_PACKETS = 32;
    static final int VTEP_IDS = 3;
    private static final VtepAddress[] SENDERS = {VtepAddress.parse("192.0.2.2"), VtepAddress.parse("192.0.2.3"),
        VtepAddress.parse("2001:db8::2"), VtepAddress.parse("192.0.2.4"), VtepAddress.parse("239.1.1.1"),
        VtepAddress.parse("0.0.0.0")};
    private static final int[] VNIS = {119, 120, 5000, 0};

    /** One packet: a whole frame, or a socket's payload with its sender. */
    record Packet(boolean whole, MemorySegment bytes, VtepAddress sender) {
        /** Hands it to the VTEP as its driver would; allocates nothing. */
        VxlanDrop receive(TunnelIngress ingress, long now, ForwardingDecision d) {
            int length = (int) bytes.byteSize();
            return whole ? ingress.receiveFrame(bytes, 0, length, now, d, null)
                : ingress.receivePayload(bytes, 0, length, sender.high(), sender.low(), now, d, null);
        }
    }

    static UnderlayScript decode(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int flags = in.consumeByte();
        DecapOptions options = DecapOptions.defaults().withStrictReservedBits((flags & 1) != 0)
            .withVerifyUdpChecksum((flags & 2) == 0)
            .withDstPort((flags & 4) == 0 ? Vxlan.IANA_PORT : Vxlan.LINUX_DEFAULT_PORT);
        MemorySegment scratch = MemorySegment.ofArray(new byte[2048]);
        List<Packet> packets = new ArrayList<>();
        while (in.remaining() > 0 && packets.size() < MAX_PACKETS) {
            int mode = in.consumeByte() % 3;
            if (mode == 1) {
                VtepAddress from = SENDERS[in.consumeByte() % SENDERS.length];
                packets.add(new Packet(false, MemorySegment.ofArray(in.consumeBytes(in.consumeInt(0, 1600))), from));
            } else {
                MemorySegment frame = mode == 0 ? MemorySegment.ofArray(in.consumeBytes(in.consumeInt(0, 1600)))
                    : built(in, options.dstPort(), scratch);
                packets.add(new Packet(true, frame, null));
            }
        }
        return new UnderlayScript(options, List.copyOf(packets));
    }

    /** A whole underlay frame from the input's choices, checksums right unless it says otherwise. */
    private static MemorySegment built(FuzzInput in, int vxlanPort, MemorySegment s) {
        int flags = in.consumeByte();
        boolean ipv6 = (flags & 1) != 0;
        boolean tagged = (flags & 2) != 0;
        boolean keepChecksums = (flags & 4) == 0;
        boolean zeroUdpChecksum = (flags & 8) != 0;
        VtepAddress from = SENDERS[in.consumeByte() % SENDERS.length];
        int l3 = FrameBuilder.ethernet(s, 0, MacAddress.parseBits("02:00:00:00:00:0a"),
            MacAddress.parseBits("02:00:00:00:00:0b"), ipv6 ? EtherType.IPV6 : EtherType.IPV4);
        if (tagged) {
            l3 = FrameBuilder.pushVlanTag(s, 0, l3, in.consumeInt(0, 0xFFFF));
        }
        int vni = VNIS[in.consumeByte() % VNIS.length];
        if (vni == 0) {
            vni = in.consumeInt(0, Vxlan.MAX_VNI);
        }
        byte[] inner = in.consumeBytes(in.consumeInt(0, 1500));
        int udpLength = Udp.LENGTH + Vxlan.LENGTH + inner.length;
        long ip = l3;
        int l4 = l3 + (ipv6 ? Ipv6.LENGTH : Ipv4.MIN_HEADER_LENGTH);
        long udp = l4;
        Udp.srcPort(s, udp, in.consumeInt(0, 0xFFFF));
        Udp.dstPort(s, udp, (flags & 16) == 0 ? vxlanPort : in.consumeInt(0, 0xFFFF));
        Udp.length(s, udp, udpLength);
        Udp.checksum(s, udp, 0);
        long vxlan = udp + Udp.LENGTH;
        Vxlan.write(s, vxlan, vni);
        if ((flags & 32) != 0) { // reserved bits and flags as the input says
            Wire.putU32(s, vxlan, in.consumeInt() & 0xFFFF_FFFFL);
            Wire.putU8(s, vxlan + 7, in.consumeByte());
        }
        MemorySegment.copy(MemorySegment.ofArray(inner), 0, s, vxlan + Vxlan.LENGTH, inner.length);
        if (ipv6) {
            Wire.putU32(s, ip, 0x6000_0000L);
            Ipv6.payloadLength(s, ip, udpLength);
            Ipv6.nextHeader(s, ip, (flags & 64) == 0 ? Ipv6.NEXT_HEADER_UDP : in.consumeByte());
            Ipv6.hopLimit(s, ip, 64);
            Ipv6.src(s, ip, from.high(), from.low());
            Ipv6.dst(s, ip, 0x2001_0db8_0000_0000L, 1);
            if (!zeroUdpChecksum) {
                Ipv6PseudoHeader.updateUdpChecksum(s, ip, udp);
            }
        } else {
            int src = (int) from.low();
            Ipv4.writeHeader(s, ip, Ipv4.PROTOCOL_UDP, src, 0xC000_0201, udpLength, 64);
            if ((flags & 64) != 0) { // fragments, options, another protocol: whatever the input says
                Ipv4.flagsFragment(s, ip, in.consumeInt(0, 0xFFFF));
                Wire.putU8(s, ip, in.consumeByte());
                Ipv4.protocol(s, ip, in.consumeByte());
                Ipv4.updateHeaderChecksum(s, ip);
            }
            if (!zeroUdpChecksum) {
                Udp.updateChecksum(s, udp, src, 0xC000_0201);
            }
        }
        int length = l4 + udpLength;
        if (!keepChecksums) {
            Wire.putU8(s, in.consumeInt(0, length - 1), in.consumeByte()); // one byte anywhere, after the checksums
        }
        length = Math.max(0, length - in.consumeInt(0, 3) * in.consumeInt(0, 20)); // sometimes cut short
        return MemorySegment.ofArray(s.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }
}
