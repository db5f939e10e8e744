package io.vxswitch.forwarding;

import io.vxswitch.forwarding.flow.FlowObservation;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.forwarding.SwitchFixture.*;
import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a forwarding lane records for IPFIX: one observation per sampled forwarded frame, in the lane's ring, with the
 * addresses, VLAN, ports and lengths the exporter needs; nothing for a dropped frame; a full ring drops and counts.
 */
class FlowObservationTest {
    private static final int A = Ipv4Address.parse("192.0.2.1");
    private static final int B = Ipv4Address.parse("192.0.2.2");

    private final SwitchFixture f = SwitchFixture.vdsDefaults();

    /** One observation, as the exporter reads it. */
    record Seen(long src, long dst, long time, int frameLength, int ipLength, int ingress, int egress, int vlan,
                int flags, int protocol, int srcPort, int dstPort, long srcIp, long dstIp) {
    }

    private static List<Seen> drain(FlowObserver o) {
        List<Seen> out = new ArrayList<>();
        o.drain((type, b, at, length) -> out.add(new Seen(FlowObservation.srcMac(b, at),
            FlowObservation.dstMac(b, at), FlowObservation.time(b, at), FlowObservation.frameLength(b, at),
            FlowObservation.ipLength(b, at), FlowObservation.ingress(b, at), FlowObservation.egress(b, at),
            FlowObservation.vlan(b, at), FlowObservation.flags(b, at), FlowObservation.protocol(b, at),
            FlowObservation.srcPort(b, at), FlowObservation.dstPort(b, at), FlowObservation.srcIpLow(b, at),
            FlowObservation.dstIpLow(b, at))));
        return out;
    }

    @Test
    void a_udp_datagram_from_vm1_to_vm2_is_observed_with_its_five_tuple_vlan_and_ports() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int length = FrameBuilder.udp(s, 0, VM1, VM2, A, B, 40000, 4789 + 1,
            MemorySegment.ofArray(new byte[10]));
        f.sw.forward(f.sw.port("vm1").id(), s, 0, length, 7_000L, f.d);

        List<Seen> seen = drain(o);
        assertThat(seen).containsExactly(new Seen(VM1, VM2, 7_000L, length, 20 + 8 + 10, 2, 3, 119,
            FlowObservation.FLAG_IPV4, 17, 40000, 4790, A & 0xFFFFFFFFL, B & 0xFFFFFFFFL));
        assertThat(o.observed()).isEqualTo(1);
    }

    @Test
    void an_ipv6_tcp_segment_is_observed_with_both_addresses_whole_and_its_ports() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = MemorySegment.ofArray(new byte[14 + 40 + 20]);
        FrameBuilder.ethernet(s, 0, VM2, VM1, io.vxswitch.packet.EtherType.IPV6);
        Ipv6.versionClassFlow(s, 14, 0, 0);
        Ipv6.payloadLength(s, 14, 20);
        Ipv6.nextHeader(s, 14, Ipv6.NEXT_HEADER_TCP);
        Ipv6.hopLimit(s, 14, 64);
        Ipv6.src(s, 14, 0x20010db800000000L, 1);
        Ipv6.dst(s, 14, 0x20010db800000000L, 2);
        Wire.putU16(s, 54, 443);
        Wire.putU16(s, 56, 51000);
        f.sw.forward(f.sw.port("vm1").id(), s, 0, (int) s.byteSize(), 5L, f.d);
        List<String> seen = new ArrayList<>();
        o.drain((type, b, at, length) -> seen.add(String.format("%x %x > %x %x proto %d %d > %d ip %d flags %d",
            FlowObservation.srcIpHigh(b, at), FlowObservation.srcIpLow(b, at), FlowObservation.dstIpHigh(b, at),
            FlowObservation.dstIpLow(b, at), FlowObservation.protocol(b, at), FlowObservation.srcPort(b, at),
            FlowObservation.dstPort(b, at), FlowObservation.ipLength(b, at), FlowObservation.flags(b, at))));
        assertThat(seen).containsExactly("20010db800000000 1 > 20010db800000000 2 proto 6 443 > 51000 ip 60 flags "
            + FlowObservation.FLAG_IPV6);
    }

    /** An IPv6 frame from vm1 to vm2 whose payload ({@code payload} bytes) the caller writes from byte 54. */
    private static MemorySegment ipv6(int nextHeader, int payload) {
        MemorySegment s = MemorySegment.ofArray(new byte[14 + 40 + payload]);
        FrameBuilder.ethernet(s, 0, VM2, VM1, io.vxswitch.packet.EtherType.IPV6);
        Ipv6.versionClassFlow(s, 14, 0, 0);
        Ipv6.payloadLength(s, 14, payload);
        Ipv6.nextHeader(s, 14, nextHeader);
        Ipv6.hopLimit(s, 14, 1);
        Ipv6.src(s, 14, 0xfe80000000000000L, 1);
        Ipv6.dst(s, 14, 0xff02000000000000L, 0x16);
        return s;
    }

    private String observeIpv6(FlowObserver o, MemorySegment s) {
        f.sw.forward(f.sw.port("vm1").id(), s, 0, (int) s.byteSize(), 5L, f.d);
        List<String> seen = new ArrayList<>();
        o.drain((type, b, at, length) -> seen.add(String.format("proto %d %d > %d ip %d",
            FlowObservation.protocol(b, at), FlowObservation.srcPort(b, at), FlowObservation.dstPort(b, at),
            FlowObservation.ipLength(b, at))));
        assertThat(seen).hasSize(1);
        return seen.getFirst();
    }

    @Test
    void an_mld_report_behind_its_hop_by_hop_header_is_icmpv6_with_its_type() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = ipv6(0, 8 + 8); // Hop-by-Hop with a router alert (RFC 3810 §5), then an MLDv2 report
        Wire.putU8(s, 54, 58);            // next header: ICMPv6
        Wire.putU8(s, 55, 0);             // Hdr Ext Len 0: 8 bytes
        Wire.putU16(s, 56, 0x0502);       // router alert option, 2 bytes: MLD
        Wire.putU8(s, 62, 143);           // ICMPv6 type 143, MLDv2 report, code 0
        assertThat(observeIpv6(o, s)).isEqualTo("proto 58 0 > " + (143 << 8) + " ip 56");
    }

    @Test
    void udp_behind_destination_options_and_a_first_fragment_has_its_ports_and_a_later_fragment_none() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = ipv6(60, 16 + 8 + 8); // Destination Options of 16 bytes, Fragment, UDP
        Wire.putU8(s, 54, 44);
        Wire.putU8(s, 55, 1);                   // (1 + 1) * 8 = 16 bytes
        Wire.putU8(s, 70, 17);                  // the Fragment header: next UDP, offset 0, M set
        Wire.putU16(s, 72, 1);
        Wire.putU16(s, 78, 40000);
        Wire.putU16(s, 80, 53);
        assertThat(observeIpv6(o, s)).isEqualTo("proto 17 40000 > 53 ip 72");
        Wire.putU16(s, 72, 185 << 3);           // offset 1480: what follows is not a UDP header
        assertThat(observeIpv6(o, s)).isEqualTo("proto 17 0 > 0 ip 72");
    }

    @Test
    void tcp_behind_an_authentication_header_counts_ah_length_in_four_octet_units() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = ipv6(51, 24 + 20); // AH with a 12-byte ICV: Payload Len 4, (4 + 2) * 4 = 24 bytes
        Wire.putU8(s, 54, 6);
        Wire.putU8(s, 55, 4);
        Wire.putU16(s, 78, 443);
        Wire.putU16(s, 80, 51000);
        assertThat(observeIpv6(o, s)).isEqualTo("proto 6 443 > 51000 ip 84");
    }

    @Test
    void an_extension_header_longer_than_the_packet_ends_the_walk_with_its_own_type_and_no_ports() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = ipv6(0, 16);
        Wire.putU8(s, 54, 17);
        Wire.putU8(s, 55, 2); // 24 bytes claimed, 16 there
        assertThat(observeIpv6(o, s)).isEqualTo("proto 0 0 > 0 ip 56");
        MemorySegment chain = ipv6(60, 8 * 9); // nine Destination Options headers: past the walk's bound
        for (int i = 0; i < 9; i++) {
            Wire.putU8(chain, 54 + 8 * i, i < 8 ? 60 : 17);
        }
        assertThat(observeIpv6(o, chain)).isEqualTo("proto 60 0 > 0 ip 112");
    }

    @Test
    void a_later_ipv4_fragment_has_addresses_but_no_ports_and_a_cut_short_header_no_ip_part() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int length = FrameBuilder.udp(s, 0, VM1, VM2, A, B, 40000, 53, MemorySegment.ofArray(new byte[10]));
        Ipv4.flagsFragment(s, 14, 185); // offset 1480 bytes: a later fragment, whose first bytes are not a UDP header
        f.sw.forward(f.sw.port("vm1").id(), s, 0, length, 1L, f.d);
        Seen fragment = drain(o).getFirst();
        assertThat(fragment.flags()).isEqualTo(FlowObservation.FLAG_IPV4);
        assertThat(fragment.srcIp()).isEqualTo(A & 0xFFFFFFFFL);
        assertThat(fragment.srcPort()).isZero();
        assertThat(fragment.dstPort()).isZero();

        Ipv4.totalLength(s, 14, 400); // longer than the frame: not trusted
        f.sw.forward(f.sw.port("vm1").id(), s, 0, length, 2L, f.d);
        Seen cut = drain(o).getFirst();
        assertThat(cut.flags()).isZero();
        assertThat(cut.srcIp()).isZero();
        assertThat(cut.frameLength()).isEqualTo(length);
    }

    @Test
    void a_ping_carries_its_icmp_type_and_code_as_the_destination_port() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM2, A, B, true, 1, 1);
        f.sw.forward(f.sw.port("vm1").id(), s, 0, length, 1L, f.d);
        Seen ping = drain(o).getFirst();
        assertThat(ping.protocol()).isEqualTo(1);
        assertThat(ping.dstPort()).isEqualTo(8 << 8); // echo request, code 0
        assertThat(ping.ipLength()).isEqualTo(84);
    }

    @Test
    void a_broadcast_has_no_single_egress_port_and_a_frame_without_ip_no_ip_part() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        MemorySegment s = untagged(BROADCAST, VM1);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 12, (byte) 0x88); // EtherType 0x88b5, local experimental
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 13, (byte) 0xb5);
        f.send("vm1", s);
        assertThat(f.d.egressCount()).isEqualTo(3); // vm2, nested and the pinned uplink
        Seen b = drain(o).getFirst();
        assertThat(b.egress()).isEqualTo(FlowObservation.NO_SINGLE_EGRESS);
        assertThat(b.flags()).isZero();
        assertThat(b.ipLength()).isZero();
        assertThat(b.srcIp()).isZero();
    }

    @Test
    void a_dropped_frame_is_not_a_flow() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        f.send("nested", untagged(VM2, VM3)); // forged transmit
        assertThat(f.d.dropped()).isTrue();
        assertThat(drain(o)).isEmpty();
    }

    @Test
    void one_in_four_sampling_observes_every_fourth_frame() {
        FlowObserver o = f.sw.observeFlows(4, 4096)[0];
        for (int i = 0; i < 10; i++) {
            f.now = i;
            f.send("vm1", untagged(VM2, VM1));
        }
        assertThat(drain(o)).extracting(Seen::time).containsExactly(3L, 7L);
    }

    @Test
    void a_full_ring_drops_the_observation_and_counts_it_and_forwarding_goes_on() {
        FlowObserver o = f.sw.observeFlows(1, 1024)[0]; // 1024 bytes: 11 records of 80 + 8 header bytes
        for (int i = 0; i < 20; i++) {
            f.send("vm1", untagged(VM2, VM1));
            assertThat(f.d.egressCount()).isEqualTo(1);
        }
        assertThat(o.observed() + o.ringFull()).isEqualTo(20);
        assertThat(o.ringFull()).isEqualTo(20 - 11);
        assertThat(drain(o)).hasSize(11);
        f.send("vm1", untagged(VM2, VM1));
        assertThat(o.ringFull()).as("room again once drained").isEqualTo(20 - 11);
        assertThat(drain(o)).hasSize(1);
    }

    @Test
    void after_stopping_nothing_is_observed() {
        FlowObserver o = f.sw.observeFlows(1, 4096)[0];
        f.sw.stopObservingFlows();
        f.send("vm1", untagged(VM2, VM1));
        assertThat(drain(o)).isEmpty();
    }
}
