package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.Wire;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every way a received packet can be refused, each counted under its own reason. */
class DecapsulationTest {
    final VxlanCounters counters = new VxlanCounters();
    final DecapResult result = new DecapResult();
    final VniMap vnis = VniMap.of(VNI, VLAN, 5000, 50);
    final VxlanDecapsulator decap = new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters);
    final VxlanDecapsulator strict = new VxlanDecapsulator(vnis, DecapOptions.linuxStrict(), counters);

    /** The VXLAN payload of a UDP datagram: header for VNI 119, then vm1's ARP request. */
    static MemorySegment payload(int vni) {
        MemorySegment s = MemorySegment.ofArray(new byte[Vxlan.LENGTH + ARP_LENGTH]);
        Vxlan.write(s, 0, vni);
        FrameBuilder.arpRequest(s, Vxlan.LENGTH, VM1, IP1, IP3);
        return s;
    }

    VxlanDrop decapsulate(VxlanDecapsulator d, MemorySegment s) {
        return d.decapsulatePayload(s, 0, (int) s.byteSize(), result);
    }

    @Nested
    class UdpPayload {
        @Test
        void a_valid_packet_yields_the_inner_frame_vni_and_vlan() {
            MemorySegment s = payload(VNI);

            assertThat(decapsulate(decap, s)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerOffset()).isEqualTo(8);
            assertThat(result.innerLength()).isEqualTo(ARP_LENGTH);
            assertThat(result.vni()).isEqualTo(VNI);
            assertThat(result.vlan()).isEqualTo(VLAN);
            assertThat(result.innerEtherType()).isEqualTo(EtherType.ARP);
            assertThat(result.innerTagged()).isFalse();
            assertThat(result.hasOuter()).isFalse();
            assertThat(counters.decapsulated()).as("counted when the sender is accepted (Vtep.sourceVtep)").isZero();
            assertThat(counters.totalDrops()).isZero();
        }

        @Test
        void fewer_than_8_bytes_is_a_truncated_header() {
            MemorySegment s = payload(VNI);

            for (int length = 0; length < 8; length++) {
                assertThat(decap.decapsulatePayload(s, 0, length, result)).isEqualTo(VxlanDrop.TRUNCATED_HEADER);
            }
            assertThat(counters.drops(VxlanDrop.TRUNCATED_HEADER)).isEqualTo(8);
        }

        @Test
        void a_header_without_the_i_flag_is_dropped_in_both_modes() {
            MemorySegment s = payload(VNI);
            Vxlan.flags(s, 0, 0x00);

            assertThat(decapsulate(decap, s)).isEqualTo(VxlanDrop.NO_I_FLAG);
            assertThat(decapsulate(strict, s)).isEqualTo(VxlanDrop.NO_I_FLAG);
            Vxlan.flags(s, 0, 0xF7); // every bit but I
            assertThat(decapsulate(decap, s)).isEqualTo(VxlanDrop.NO_I_FLAG);
            assertThat(counters.drops(VxlanDrop.NO_I_FLAG)).isEqualTo(3);
        }

        @Test
        void reserved_bits_are_ignored_by_default_as_rfc_7348_says_and_dropped_in_strict_mode_as_linux_does() {
            // The scapy cases of shared/lab: flags 0x0C (GPE-style), reserved8 0xFF, reserved24 set.
            int[][] faults = {{0, 0x0C}, {7, 0xFF}, {1, 0x01}, {3, 0x80}, {0, 0x88}};
            for (int[] fault : faults) {
                MemorySegment s = payload(VNI);
                Wire.putU8(s, fault[0], fault[1]);

                assertThat(decapsulate(decap, s)).as("default, byte %d = %02x", fault[0], fault[1])
                    .isEqualTo(VxlanDrop.NONE);
                assertThat(result.vni()).isEqualTo(VNI);
                assertThat(decapsulate(strict, s)).as("strict, byte %d = %02x", fault[0], fault[1])
                    .isEqualTo(VxlanDrop.RESERVED_BITS_SET);
            }
            assertThat(counters.drops(VxlanDrop.RESERVED_BITS_SET)).isEqualTo(faults.length);
        }

        @Test
        void an_inner_frame_shorter_than_an_ethernet_header_is_dropped() {
            MemorySegment s = payload(VNI);

            assertThat(decap.decapsulatePayload(s, 0, 8, result)).isEqualTo(VxlanDrop.INNER_TOO_SHORT);
            assertThat(decap.decapsulatePayload(s, 0, 8 + 13, result)).isEqualTo(VxlanDrop.INNER_TOO_SHORT);
            assertThat(decap.decapsulatePayload(s, 0, 8 + 14, result)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerLength()).isEqualTo(14);
            assertThat(counters.drops(VxlanDrop.INNER_TOO_SHORT)).isEqualTo(2);
        }

        @Test
        void a_vni_this_endpoint_does_not_carry_is_an_unknown_vni() {
            assertThat(decapsulate(decap, payload(120))).isEqualTo(VxlanDrop.UNKNOWN_VNI);
            assertThat(decapsulate(decap, payload(0))).isEqualTo(VxlanDrop.UNKNOWN_VNI);
            assertThat(decapsulate(decap, payload(Vxlan.MAX_VNI))).isEqualTo(VxlanDrop.UNKNOWN_VNI);
            assertThat(decapsulate(decap, payload(5000))).isEqualTo(VxlanDrop.NONE);
            assertThat(result.vlan()).isEqualTo(50);
            assertThat(counters.drops(VxlanDrop.UNKNOWN_VNI)).isEqualTo(3);
        }

        @Test
        void a_tagged_inner_frame_is_passed_on_and_reported() {
            MemorySegment s = MemorySegment.ofArray(new byte[8 + ARP_LENGTH + 4]);
            Vxlan.write(s, 0, VNI);
            FrameBuilder.arpRequest(s, 8, VM1, IP1, IP3);
            int length = FrameBuilder.pushVlanTag(s, 8, ARP_LENGTH, 119);

            assertThat(decap.decapsulatePayload(s, 0, 8 + length, result)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerTagged()).isTrue();
        }

        @Test
        void a_failed_call_leaves_no_inner_frame_from_the_previous_one() {
            decapsulate(decap, payload(VNI));
            assertThat(result.innerLength()).isEqualTo(ARP_LENGTH);

            decapsulate(decap, payload(120));

            assertThat(result.innerLength()).isZero();
            assertThat(result.vlan()).isEqualTo(VniMap.NONE);
        }
    }

    @Nested
    class WholeFrame {
        final OuterHeaderWriter v6 = new OuterHeaderWriter(HOST_A_MAC, HOST_A6, EncapOptions.defaults());
        static final long OUTER = HEADROOM - 50;
        static final long IP = OUTER + 14;
        static final long UDP = IP + 20;

        MemorySegment frame;
        int length;

        void ipv4(EncapOptions options) {
            frame = arpRequestWithHeadroom();
            OuterHeaderWriter w = new OuterHeaderWriter(HOST_A_MAC, HOST_A, options);
            length = UnderlayFrames.ipv4(w, frame, HEADROOM, ARP_LENGTH, VNI, HOST_B.ipv4(), HOST_B_MAC);
        }

        VxlanDrop decapsulate(VxlanDecapsulator d, long offset) {
            return d.decapsulateFrame(frame, offset, length, result);
        }

        @Test
        void a_valid_ipv4_frame_yields_the_inner_frame_and_the_outer_source() {
            ipv4(EncapOptions.defaults());

            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerOffset()).isEqualTo(HEADROOM);
            assertThat(result.innerLength()).isEqualTo(ARP_LENGTH);
            assertThat(result.vni()).isEqualTo(VNI);
            assertThat(result.hasOuter()).isTrue();
            assertThat(result.outerIpv4()).isTrue();
            assertThat(result.outerSource()).isEqualTo(HOST_A);
            assertThat(result.outerSrcPort()).isEqualTo(Udp.srcPort(frame, UDP)).isBetween(49152, 65535);
        }

        @Test
        void a_valid_ipv6_frame_with_its_checksum_is_accepted() {
            frame = arpRequestWithHeadroom();
            length = UnderlayFrames.ipv6(v6, frame, HEADROOM, ARP_LENGTH, VNI, HOST_B6, HOST_B_MAC);

            assertThat(decapsulate(decap, 0)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.outerIpv4()).isFalse();
            assertThat(result.outerSource()).isEqualTo(HOST_A6);
            assertThat(result.innerOffset()).isEqualTo(HEADROOM);
        }

        @Test
        void frames_that_are_not_vxlan_are_counted_apart() {
            frame = MemorySegment.ofArray(new byte[128]);
            length = FrameBuilder.arpRequest(frame, 0, VM1, IP1, IP3);
            assertThat(decapsulate(decap, 0)).as("ARP").isEqualTo(VxlanDrop.NOT_VXLAN);

            length = FrameBuilder.icmpEcho(frame, 0, VM1, VM3, IP1, IP3, true, 1, 1);
            assertThat(decapsulate(decap, 0)).as("ICMP").isEqualTo(VxlanDrop.NOT_VXLAN);

            ipv4(EncapOptions.defaults().withDstPort(4790));
            assertThat(decapsulate(decap, OUTER)).as("port 4790").isEqualTo(VxlanDrop.NOT_VXLAN);
            assertThat(counters.drops(VxlanDrop.NOT_VXLAN)).isEqualTo(3);
        }

        @Test
        void the_port_is_configurable_for_peers_on_the_linux_default() {
            ipv4(EncapOptions.defaults().withDstPort(8472));
            VxlanDecapsulator linuxPort = new VxlanDecapsulator(vnis, DecapOptions.defaults().withDstPort(8472),
                counters);

            assertThat(decapsulate(linuxPort, OUTER)).isEqualTo(VxlanDrop.NONE);
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.NOT_VXLAN);
        }

        @Test
        void cut_short_or_inconsistent_outer_headers_are_malformed() {
            ipv4(EncapOptions.defaults());
            for (int cut : new int[] {0, 13, 14 + 19, 14 + 20 + 7}) {
                assertThat(decap.decapsulateFrame(frame, OUTER, cut, result)).as("cut at %d", cut)
                    .isEqualTo(VxlanDrop.MALFORMED_OUTER);
            }
            // The IP total length claims more than the frame holds.
            assertThat(decap.decapsulateFrame(frame, OUTER, length - 1, result)).isEqualTo(VxlanDrop.MALFORMED_OUTER);

            Ipv4.headerChecksum(frame, IP, Ipv4.headerChecksum(frame, IP) ^ 1);
            assertThat(decapsulate(decap, OUTER)).as("IPv4 header checksum").isEqualTo(VxlanDrop.MALFORMED_OUTER);

            ipv4(EncapOptions.defaults());
            Udp.length(frame, UDP, Udp.length(frame, UDP) + 1);
            assertThat(decapsulate(decap, OUTER)).as("UDP length").isEqualTo(VxlanDrop.MALFORMED_OUTER);
            Udp.length(frame, UDP, 7);
            assertThat(decapsulate(decap, OUTER)).as("UDP length 7").isEqualTo(VxlanDrop.MALFORMED_OUTER);
            assertThat(counters.drops(VxlanDrop.MALFORMED_OUTER)).isEqualTo(8);
        }

        @Test
        void a_udp_length_of_8_leaves_a_truncated_vxlan_header() {
            ipv4(EncapOptions.defaults());
            Udp.length(frame, UDP, 8);

            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.TRUNCATED_HEADER);
        }

        @Test
        void outer_fragments_are_discarded_as_rfc_7348_section_4_3_allows() {
            ipv4(EncapOptions.defaults());
            Ipv4.flagsFragment(frame, IP, Ipv4.FLAG_MORE_FRAGMENTS);
            Ipv4.updateHeaderChecksum(frame, IP);

            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.OUTER_FRAGMENT);
        }

        @Test
        void a_zero_udp_checksum_over_ipv4_must_be_accepted_and_a_wrong_one_dropped() {
            ipv4(EncapOptions.defaults().withIpv4UdpChecksum(true));
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.NONE);

            Udp.checksum(frame, UDP, 0);
            assertThat(decapsulate(decap, OUTER)).as("zero").isEqualTo(VxlanDrop.NONE);

            ipv4(EncapOptions.defaults().withIpv4UdpChecksum(true));
            Wire.putU8(frame, length - 1 + OUTER, 0x55); // the inner frame's last byte
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.BAD_UDP_CHECKSUM);
            VxlanDecapsulator trusting = new VxlanDecapsulator(vnis,
                DecapOptions.defaults().withVerifyUdpChecksum(false), counters);
            assertThat(decapsulate(trusting, OUTER)).isEqualTo(VxlanDrop.NONE);
            assertThat(counters.drops(VxlanDrop.BAD_UDP_CHECKSUM)).isEqualTo(1);
        }

        @Test
        void a_frame_captured_before_checksum_offload_completed_it_needs_verification_off() {
            // What tcpdump saw on a veth with TX checksum offload on (KEEP_OFFLOADS=1 in the capture script):
            // the field holds the folded pseudo-header sum, 0x844f for the kernel's 78-byte ARP datagram.
            ipv4(EncapOptions.defaults());
            long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(frame, IP), Ipv4.dst(frame, IP), 17, Udp.length(frame, UDP));
            Udp.checksum(frame, UDP, InternetChecksum.fold(pseudo));
            assertThat(InternetChecksum.fold(pseudo)).isEqualTo(0x844F);

            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.BAD_UDP_CHECKSUM);
            VxlanDecapsulator trusting = new VxlanDecapsulator(vnis,
                DecapOptions.defaults().withVerifyUdpChecksum(false), counters);
            assertThat(decapsulate(trusting, OUTER)).isEqualTo(VxlanDrop.NONE);
        }

        @Test
        void over_ipv6_a_zero_or_wrong_udp_checksum_is_dropped() {
            frame = arpRequestWithHeadroom();
            length = UnderlayFrames.ipv6(v6, frame, HEADROOM, ARP_LENGTH, VNI, HOST_B6, HOST_B_MAC);
            long udp6 = 14 + 40;
            int good = Udp.checksum(frame, udp6);

            Udp.checksum(frame, udp6, 0);
            assertThat(decapsulate(decap, 0)).as("zero").isEqualTo(VxlanDrop.BAD_UDP_CHECKSUM);
            Udp.checksum(frame, udp6, good ^ 0x0100);
            assertThat(decapsulate(decap, 0)).as("wrong").isEqualTo(VxlanDrop.BAD_UDP_CHECKSUM);
            Udp.checksum(frame, udp6, good);
            assertThat(decapsulate(decap, 0)).isEqualTo(VxlanDrop.NONE);
        }

        @Test
        void ethernet_padding_after_the_outer_packet_is_ignored() {
            ipv4(EncapOptions.defaults());

            assertThat(decap.decapsulateFrame(frame, OUTER, length + 6, result)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerLength()).isEqualTo(ARP_LENGTH);
        }

        @Test
        void an_underlay_behind_an_802_1q_tag_is_decapsulated() {
            ipv4(EncapOptions.defaults());
            int tagged = FrameBuilder.pushVlanTag(frame, OUTER, length, 0x0FAB);

            assertThat(decap.decapsulateFrame(frame, OUTER, tagged, result)).isEqualTo(VxlanDrop.NONE);
            assertThat(result.innerOffset()).isEqualTo(HEADROOM + 4);
        }

        @Test
        void header_faults_behind_valid_outer_headers_are_counted_like_socket_payloads() {
            ipv4(EncapOptions.defaults());
            long vxlan = UDP + 8;
            Vxlan.flags(frame, vxlan, 0x0C);
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.NONE);
            assertThat(decapsulate(strict, OUTER)).isEqualTo(VxlanDrop.RESERVED_BITS_SET);
            Vxlan.flags(frame, vxlan, 0);
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.NO_I_FLAG);
            Vxlan.write(frame, vxlan, 4242);
            assertThat(decapsulate(decap, OUTER)).isEqualTo(VxlanDrop.UNKNOWN_VNI);
        }
    }
}
