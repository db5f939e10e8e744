package io.vxswitch.packet;

import static io.vxswitch.packet.Frames.IP1;
import static io.vxswitch.packet.Frames.IP3;
import static io.vxswitch.packet.Frames.VM1;
import static io.vxswitch.packet.Frames.VM3;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PacketClassifierTest {
    static final long IP = 14;
    static final long L4 = 34;

    final MemorySegment s = MemorySegment.ofArray(new byte[256]);
    final FrameMeta meta = new FrameMeta();

    Malformation classify(int length) {
        Malformation l2 = FrameParser.parse(s, 0, length, meta);
        return l2 != Malformation.NONE ? l2 : PacketClassifier.classify(meta);
    }

    @Test
    void every_built_frame_is_well_formed() {
        for (Frames.Sample sample : Frames.all()) {
            MemorySegment frame = sample.segment();
            assertThat(FrameParser.parse(frame, 0, sample.bytes().length, meta)).as(sample.name())
                .isEqualTo(Malformation.NONE);
            assertThat(PacketClassifier.classify(meta)).as(sample.name()).isEqualTo(Malformation.NONE);
        }
    }

    @Test
    void arp_shorter_than_28_bytes_is_truncated() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        assertThat(classify(length - 1)).isEqualTo(Malformation.TRUNCATED_ARP);
    }

    @Test
    void arp_for_another_hardware_or_protocol_is_bad() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        Arp.htype(s, IP, 6); // IEEE 802 networks
        assertThat(classify(length)).isEqualTo(Malformation.BAD_ARP);

        FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        Arp.plen(s, IP, 16);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_ARP);
    }

    @Test
    void padding_after_arp_or_ipv4_is_not_an_error() {
        int arp = FrameBuilder.padToMinimum(s, 0, FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3));
        assertThat(classify(arp)).isEqualTo(Malformation.NONE);

        int ping = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1, 64, 4);
        assertThat(classify(FrameBuilder.padToMinimum(s, 0, ping))).isEqualTo(Malformation.NONE);
    }

    @Test
    void ipv4_version_and_header_length_are_checked() {
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        Wire.putU8(s, IP, 0x65);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_IPV4_VERSION);

        Wire.putU8(s, IP, 0x44);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_IPV4_IHL);

        Wire.putU8(s, IP, 0x4F); // 60-byte header in a 34-byte frame: options cut off
        assertThat(classify(34)).isEqualTo(Malformation.TRUNCATED_IPV4);
    }

    @Test
    void ipv4_total_length_beyond_the_frame_or_inside_the_header_is_bad() {
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        assertThat(classify(length - 1)).isEqualTo(Malformation.BAD_IPV4_LENGTH);

        Ipv4.totalLength(s, IP, 19);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_IPV4_LENGTH);
    }

    @Test
    void fewer_than_20_bytes_of_ipv4_is_truncated() {
        FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        assertThat(classify(33)).isEqualTo(Malformation.TRUNCATED_IPV4);
    }

    @Test
    void icmp_shorter_than_its_8_byte_header_is_truncated() {
        FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        Ipv4.totalLength(s, IP, 27);
        assertThat(classify(98)).isEqualTo(Malformation.TRUNCATED_ICMP);
    }

    @Test
    void udp_shorter_than_its_header_is_truncated() {
        FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("00"));
        Ipv4.totalLength(s, IP, 27);
        assertThat(classify(43)).isEqualTo(Malformation.TRUNCATED_UDP);
    }

    @Test
    void udp_length_beyond_the_ip_payload_or_below_8_is_bad() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("0011223344"));
        Udp.length(s, L4, 14);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_UDP_LENGTH);

        Udp.length(s, L4, 7);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_UDP_LENGTH);
    }

    @Test
    void udp_length_shorter_than_the_ip_payload_is_legal_surplus() {
        // Linux trims the surplus; RFC 9868 carries UDP options in it.
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("0011223344"));
        Udp.length(s, L4, 9);
        assertThat(classify(length)).isEqualTo(Malformation.NONE);
    }

    @Test
    void a_first_fragment_may_carry_a_udp_length_for_the_whole_datagram() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("0011223344556677"));
        Ipv4.flagsFragment(s, IP, Ipv4.FLAG_MORE_FRAGMENTS);
        Udp.length(s, L4, 3000);
        assertThat(classify(length)).isEqualTo(Malformation.NONE);
    }

    @Test
    void later_fragments_have_no_l4_header_to_check() {
        FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("00"));
        Ipv4.flagsFragment(s, IP, 185);
        Ipv4.totalLength(s, IP, 21);
        assertThat(classify(35)).isEqualTo(Malformation.NONE);
    }

    @Test
    void checksums_are_not_verified_because_offloaded_frames_carry_partial_ones() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("00"));
        Udp.checksum(s, L4, 0x1234);
        Ipv4.headerChecksum(s, IP, 0);
        assertThat(classify(length)).isEqualTo(Malformation.NONE);
    }

    @Test
    void ipv6_header_is_checked_for_length_and_version() {
        int length = Frames.ipv6Udp(s);
        assertThat(classify(length)).isEqualTo(Malformation.NONE);
        assertThat(classify(14 + 39)).isEqualTo(Malformation.TRUNCATED_IPV6);
        assertThat(classify(length - 1)).isEqualTo(Malformation.BAD_IPV6_LENGTH);

        Udp.length(s, 54, 13);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_UDP_LENGTH);

        Wire.putU8(s, IP, 0x40);
        assertThat(classify(length)).isEqualTo(Malformation.BAD_IPV6_VERSION);
    }

    @Test
    void other_ethertypes_and_qinq_frames_are_forwarded_opaquely() {
        FrameBuilder.ethernet(s, 0, VM3, VM1, 0x88CC); // LLDP
        assertThat(classify(14)).isEqualTo(Malformation.NONE);

        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        Arp.htype(s, IP, 99);
        int qinq = FrameBuilder.pushTag(s, 0, length, s, 0, EtherType.QINQ, 100);
        assertThat(classify(qinq)).isEqualTo(Malformation.NONE);
    }

    @Test
    void a_tagged_frame_is_classified_behind_its_tag() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        int tagged = FrameBuilder.pushVlanTag(s, 0, length, Dot1q.tci(0, false, 5));
        assertThat(classify(tagged)).isEqualTo(Malformation.NONE);
        assertThat(classify(tagged - 1)).isEqualTo(Malformation.TRUNCATED_ARP);
    }
}
