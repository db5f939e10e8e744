package io.vxswitch.vxlan;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.fuzz.FuzzInput;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Underlay packets into a VTEP, outer headers included, as a packet socket or the lab hands them over (whole frames:
 * Ethernet, an optional 802.1Q tag, IPv4 or IPv6, UDP, VXLAN) or as a UDP socket does (the payload and the sender's
 * address). Each one ends in the switch or as a drop with a named {@link VxlanDrop}; nothing else escapes. Counted as
 * readers count: every packet is decapsulated into the switch or dropped, once, and each one decapsulated is one
 * frame received on the tunnel port; no copy goes from the tunnel back into it (split horizon).
 *
 * <p>Input: an options byte (strict reserved bits, UDP checksum verification, VXLAN port 4789 or Linux's 8472), then
 * packets: a mode byte, then a raw frame, a raw payload from one of six senders (multicast and unspecified among
 * them; the table holds three), or a built frame whose fields come from the input and whose checksums are right unless
 * the input says otherwise, so the fuzzer gets past them to the VXLAN header and the inner frame.
 */
class DecapsulationFuzzTest {
    private static final int MAX_PACKETS = 32;
    private static final VtepAddress[] SENDERS = {VtepAddress.parse("192.0.2.2"), VtepAddress.parse("192.0.2.3"),
        VtepAddress.parse("2001:db8::2"), VtepAddress.parse("192.0.2.4"), VtepAddress.parse("239.1.1.1"),
        VtepAddress.parse("0.0.0.0")};
    private static final int[] VNIS = {119, 120, 5000, 0};

    private final MemorySegment scratch = MemorySegment.ofArray(new byte[2048]);

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::underlay_packets_reach_the_switch_or_are_dropped_by_a_named_reason);
    }

    @FuzzTest
    void underlay_packets_reach_the_switch_or_are_dropped_by_a_named_reason(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        int options = in.consumeByte();
        DecapOptions decap = DecapOptions.defaults().withStrictReservedBits((options & 1) != 0)
            .withVerifyUdpChecksum((options & 2) == 0)
            .withDstPort((options & 4) == 0 ? Vxlan.IANA_PORT : Vxlan.LINUX_DEFAULT_PORT);
        Switch sw = hostSwitch();
        VniMap vnis = VniMap.of(119, 119, 120, 120);
        RemoteVteps remotes = new RemoteVteps(3);
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(sw, "vx", vnis, remotes, new FloodList(remotes),
            new VxlanDecapsulator(vnis, decap, counters), counters);
        remotes.serve(sw);
        TunnelIngress ingress = new TunnelIngress(vtep, sw.lane(0));
        ForwardingDecision d = sw.newDecision();
        int tunnel = vtep.tunnelPort();

        int packets = 0;
        while (in.remaining() > 0 && packets < MAX_PACKETS) {
            packets++;
            int mode = in.consumeByte() % 3;
            VxlanDrop result;
            if (mode == 1) {
                VtepAddress from = SENDERS[in.consumeByte() % SENDERS.length];
                MemorySegment payload = MemorySegment.ofArray(in.consumeBytes(in.consumeInt(0, 1600)));
                result = ingress.receivePayload(payload, 0, (int) payload.byteSize(), from.high(), from.low(), packets,
                    d, null);
            } else {
                MemorySegment frame = mode == 0 ? MemorySegment.ofArray(in.consumeBytes(in.consumeInt(0, 1600)))
                    : built(in, decap.dstPort());
                result = ingress.receiveFrame(frame, 0, (int) frame.byteSize(), packets, d, null);
                if (result == VxlanDrop.NONE) {
                    DecapResult inner = vtep.decapsulated();
                    assertThat(inner.innerOffset()).isBetween(0L, frame.byteSize() - Ethernet.HEADER_LENGTH);
                    assertThat(inner.innerOffset() + inner.innerLength()).isLessThanOrEqualTo(frame.byteSize());
                }
            }
            assertThat(result).isNotNull();
            if (result == VxlanDrop.NONE) {
                assertThat(d.dropped()).as("decided").isNotEqualTo(d.egressCount() > 0);
                for (int i = 0; i < d.egressCount(); i++) {
                    assertThat(d.egressPort(i)).as("split horizon: no copy back into the tunnel").isNotEqualTo(tunnel);
                }
            }
        }
        assertEveryPacketCountedOnce(sw, packets);
    }

    private static void assertEveryPacketCountedOnce(Switch sw, int packets) {
        CounterValues t = sw.counters().read().of(CounterScope.TUNNEL, "vx");
        long decapsulated = t.get(TunnelCounter.DECAPSULATED);
        long dropped = 0;
        for (VxlanDrop r : VxlanDrop.values()) {
            if (r != VxlanDrop.NONE) {
                dropped += t.get(r);
            }
        }
        assertThat(decapsulated + dropped).as("packets decapsulated %d + dropped %d", decapsulated, dropped)
            .isEqualTo(packets);
        long intoSwitch = sw.port("vx").counters().get(PortCounter.RX_FRAMES);
        assertThat(intoSwitch).as("frames the tunnel port received").isEqualTo(decapsulated);
    }

    /** vm1 (VLAN 119), vm2 (120), a learning port in 119, and tunnel port vx carrying both. */
    private static Switch hostSwitch() {
        Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8).withFdbCapacity(64));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addPortGroup(new PortGroupPolicy("learning", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED.withLimit(4,
            MacLearningPolicy.LimitPolicy.DROP)));
        sw.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(List.of(new VlanRange(119, 120)), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED.withLimit(8, MacLearningPolicy.LimitPolicy.DROP)));
        sw.addVnicPort("vm1", "vlan119", MacAddress.parseBits("00:50:56:00:00:01"));
        sw.addVnicPort("vm2", "vlan120", MacAddress.parseBits("00:50:56:00:00:02"));
        sw.addVnicPort("nested", "learning", MacAddress.parseBits("00:50:56:00:00:03"));
        sw.addTunnelPort("vx", "tunnel");
        return sw;
    }

    /** A whole underlay frame from the input's choices, checksums right unless it says otherwise. */
    private MemorySegment built(FuzzInput in, int vxlanPort) {
        MemorySegment s = scratch;
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
