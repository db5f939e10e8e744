package io.vxswitch.packet;

import static io.vxswitch.packet.Frames.IP1;
import static io.vxswitch.packet.Frames.IP3;
import static io.vxswitch.packet.Frames.VM1;
import static io.vxswitch.packet.Frames.VM3;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class FrameDescriberTest {
    final MemorySegment s = MemorySegment.ofArray(new byte[256]);

    String describe(int length) {
        return FrameDescriber.describe(s, 0, length);
    }

    @Test
    void arp_request_reads_who_has_tell() {
        assertThat(describe(FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3)))
            .isEqualTo("00:50:56:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 10.0.0.3 tell 10.0.0.1");
    }

    @Test
    void arp_reply_reads_is_at() {
        assertThat(describe(FrameBuilder.arpReply(s, 0, VM3, IP3, VM1, IP1)))
            .isEqualTo("00:50:56:00:00:03 > 00:50:56:00:00:01, ARP, Reply 10.0.0.3 is-at 00:50:56:00:00:03");
    }

    @Test
    void tagged_echo_request_shows_vlan_addresses_id_and_seq() {
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        int tagged = FrameBuilder.pushVlanTag(s, 0, length, Dot1q.tci(0, false, 119));

        assertThat(describe(tagged)).isEqualTo("00:50:56:00:00:01 > 00:50:56:00:00:03, 802.1Q vlan 119, "
            + "IPv4 10.0.0.1 > 10.0.0.3: ICMP echo request, id 1, seq 1");
    }

    @Test
    void a_nonzero_priority_is_shown_after_the_vid() {
        int length = FrameBuilder.icmpEcho(s, 0, VM3, VM1, IP3, IP1, false, 4, 2);
        int tagged = FrameBuilder.pushVlanTag(s, 0, length, Dot1q.tci(5, false, 0));

        assertThat(describe(tagged)).isEqualTo("00:50:56:00:00:03 > 00:50:56:00:00:01, 802.1Q vlan 0 p 5, "
            + "IPv4 10.0.0.3 > 10.0.0.1: ICMP echo reply, id 4, seq 2");
    }

    @Test
    void qinq_shows_both_tags() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        length = FrameBuilder.pushVlanTag(s, 0, length, 10);
        length = FrameBuilder.pushTag(s, 0, length, s, 0, EtherType.QINQ, 100);

        assertThat(describe(length)).isEqualTo("00:50:56:00:00:01 > ff:ff:ff:ff:ff:ff, 802.1ad vlan 100, "
            + "802.1Q vlan 10, ARP, Request who-has 10.0.0.3 tell 10.0.0.1");
    }

    @Test
    void four_stacked_tags_are_shown_and_a_fifth_is_summarised() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        for (int vid = 1; vid <= 4; vid++) {
            length = FrameBuilder.pushVlanTag(s, 0, length, vid);
        }
        assertThat(describe(length)).contains("802.1Q vlan 4, 802.1Q vlan 3, 802.1Q vlan 2, 802.1Q vlan 1, ARP, ");

        length = FrameBuilder.pushVlanTag(s, 0, length, 5);
        assertThat(describe(length)).endsWith("802.1Q vlan 2, more tags");
    }

    @Test
    void udp_shows_ports_and_data_length() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 40000, 53, Hex.segment("0102030405"));

        assertThat(describe(length))
            .isEqualTo("00:50:56:00:00:01 > 00:50:56:00:00:03, IPv4 10.0.0.1.40000 > 10.0.0.3.53: UDP, length 5");
    }

    @Test
    void vxlan_shows_the_vni_and_the_inner_frame() {
        assertThat(describe(Frames.vxlan(s))).isEqualTo("02:00:00:00:00:01 > 02:00:00:00:00:02, "
            + "IPv4 192.168.1.1.53211 > 192.168.1.2.4789: VXLAN, vni 5000: "
            + "00:50:56:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 10.0.0.3 tell 10.0.0.1");
    }

    @Test
    void ipv6_uses_rfc_5952_addresses() {
        assertThat(describe(Frames.ipv6Udp(s))).isEqualTo(
            "00:50:56:00:00:01 > 33:33:00:01:00:02, IPv6 fe80::1.546 > ff02::1:2.547: UDP, length 4");
    }

    @Test
    void other_icmp_types_show_their_code() {
        int length = FrameBuilder.icmpEcho(s, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        Icmp.type(s, 34, Icmp.DEST_UNREACHABLE);
        Icmp.code(s, 34, 3);

        assertThat(describe(length)).endsWith("IPv4 10.0.0.1 > 10.0.0.3: ICMP unreachable, code 3");
    }

    @Test
    void later_fragments_say_so_instead_of_decoding_l4() {
        int length = FrameBuilder.udp(s, 0, VM1, VM3, IP1, IP3, 1, 2, Hex.segment("00"));
        Ipv4.flagsFragment(s, 14, 185);

        assertThat(describe(length)).endsWith("IPv4 10.0.0.1 > 10.0.0.3: UDP fragment, offset 1480");
    }

    @Test
    void unknown_ethertypes_and_802_3_frames_show_the_type_and_size() {
        FrameBuilder.ethernet(s, 0, 0x0180C200000EL, VM1, 0x88CC);
        assertThat(describe(60)).isEqualTo("00:50:56:00:00:01 > 01:80:c2:00:00:0e, ethertype 0x88cc, 60 bytes");

        FrameBuilder.ethernet(s, 0, 0x0180C2000000L, VM1, 38);
        assertThat(describe(60)).isEqualTo("00:50:56:00:00:01 > 01:80:c2:00:00:00, 802.3 length 38, 60 bytes");
    }

    @Test
    void a_runt_names_its_malformation() {
        assertThat(describe(10)).isEqualTo(
            "runt frame, 10 bytes, malformed: shorter than an Ethernet header (14 bytes) (runt)");
    }

    @Test
    void a_truncated_arp_names_its_malformation() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);

        assertThat(describe(length - 10)).isEqualTo("00:50:56:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, "
            + "malformed: ARP shorter than 28 bytes (truncated_arp)");
    }

    @Test
    void a_reserved_vid_and_a_cut_tag_are_named() {
        int length = FrameBuilder.arpRequest(s, 0, VM1, IP1, IP3);
        int tagged = FrameBuilder.pushVlanTag(s, 0, length, Dot1q.RESERVED_VID);

        assertThat(describe(tagged)).endsWith(
            ", 802.1Q vlan 4095, malformed: 802.1Q VID 4095 is reserved (reserved_vid)");
        assertThat(describe(16)).endsWith(", 802.1Q, malformed: 802.1Q tag cut short (truncated_vlan_tag)");
    }

    @Test
    void a_length_beyond_the_buffer_is_clamped_and_reported() {
        MemorySegment small = MemorySegment.ofArray(new byte[42]);
        FrameBuilder.arpRequest(small, 0, VM1, IP1, IP3);

        assertThat(FrameDescriber.describe(small, 0, 100))
            .endsWith("tell 10.0.0.1 [buffer holds only 42 of 100 bytes]");
        assertThat(FrameDescriber.describe(small, 50, 10)).startsWith("runt frame, 0 bytes");
    }
}
