package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact frames. The expected hex was written by hand field by field and the checksums computed
 * independently of this code (a separate RFC 1071 implementation in Python, and the IPv4 header
 * checksum by hand: 4500+0054+0000+4000+4001+0a00+0001+0a00+0003 = d959, complement 26a6).
 */
class FrameBuilderTest {
    static final long VM1 = MacAddress.parseBits("00:50:56:00:00:01");
    static final long VM3 = MacAddress.parseBits("00:50:56:00:00:03");
    static final int IP1 = Ipv4Address.parse("10.0.0.1");
    static final int IP3 = Ipv4Address.parse("10.0.0.3");

    static final String ARP_REQUEST = """
        ffffffffffff 005056000001 0806
        0001 0800 06 04 0001 005056000001 0a000001 000000000000 0a000003
        """;
    static final String ARP_REPLY = """
        005056000001 005056000003 0806
        0001 0800 06 04 0002 005056000003 0a000003 005056000001 0a000001
        """;
    static final String ICMP_ECHO_REQUEST = """
        005056000003 005056000001 0800
        45 00 0054 0000 4000 40 01 26a6 0a000001 0a000003
        08 00 00eb 0001 0001
        000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
        202122232425262728292a2b2c2d2e2f3031323334353637
        """;

    final MemorySegment buf = MemorySegment.ofArray(new byte[256]);

    @Test
    void arp_request_is_a_broadcast_who_has_with_zero_target_mac_and_is_not_padded() {
        int length = FrameBuilder.arpRequest(buf, 7, VM1, IP1, IP3);

        assertThat(length).isEqualTo(42);
        assertThat(Hex.of(buf, 7, length)).isEqualTo(Hex.strip(ARP_REQUEST));
    }

    @Test
    void arp_reply_is_unicast_to_the_requester() {
        int length = FrameBuilder.arpReply(buf, 0, VM3, IP3, VM1, IP1);

        assertThat(Hex.of(buf, 0, length)).isEqualTo(Hex.strip(ARP_REPLY));
    }

    @Test
    void gratuitous_arp_has_equal_sender_and_target_ip() {
        int length = FrameBuilder.gratuitousArp(buf, 0, VM1, IP1);

        long arp = Ethernet.HEADER_LENGTH;
        assertThat(length).isEqualTo(42);
        assertThat(Arp.isGratuitous(buf, arp)).isTrue();
        assertThat(Arp.oper(buf, arp)).isEqualTo(Arp.REQUEST);
        assertThat(Ethernet.dst(buf, 0)).isEqualTo(MacAddress.BROADCAST);
    }

    @Test
    void icmp_echo_request_matches_linux_ping_layout_with_both_checksums() {
        int length = FrameBuilder.icmpEcho(buf, 3, VM1, VM3, IP1, IP3, true, 1, 1);

        assertThat(length).isEqualTo(98);
        assertThat(Hex.of(buf, 3, length)).isEqualTo(Hex.strip(ICMP_ECHO_REQUEST));
        assertThat(Ipv4.headerChecksumValid(buf, 3 + 14)).isTrue();
        assertThat(Icmp.checksumValid(buf, 3 + 34, 64)).isTrue();
    }

    @Test
    void echo_reply_with_copied_payload_carries_the_same_data() {
        MemorySegment payload = Hex.segment("deadbeef01");
        int length = FrameBuilder.icmpEcho(buf, 0, VM3, VM1, IP3, IP1, false, 7, 9, 255, payload);

        assertThat(length).isEqualTo(14 + 20 + 8 + 5);
        assertThat(Icmp.type(buf, 34)).isEqualTo(Icmp.ECHO_REPLY);
        assertThat(Icmp.identifier(buf, 34)).isEqualTo(7);
        assertThat(Icmp.sequence(buf, 34)).isEqualTo(9);
        assertThat(Ipv4.ttl(buf, 14)).isEqualTo(255);
        assertThat(Hex.of(buf, 42, 5)).isEqualTo("deadbeef01");
        assertThat(Icmp.checksumValid(buf, 34, 13)).as("odd-length ICMP message").isTrue();
        assertThat(Ipv4.headerChecksumValid(buf, 14)).isTrue();
    }

    @Test
    void udp_datagram_has_a_valid_pseudo_header_checksum() {
        MemorySegment payload = Hex.segment("68656c6c6f"); // "hello"
        int length = FrameBuilder.udp(buf, 0, VM1, VM3, IP1, IP3, 40000, 5000, payload);

        // Checksum computed independently in Python over pseudo-header + header + data.
        assertThat(Hex.of(buf, 0, length)).isEqualTo(Hex.strip("""
            005056000003 005056000001 0800
            45 00 0021 0000 4000 40 11 %s 0a000001 0a000003
            9c40 1388 000d %s 68656c6c6f
            """.formatted(UDP_IP_CHECKSUM, UDP_CHECKSUM)));
        assertThat(Udp.checksumValid(buf, 34, IP1, IP3)).isTrue();
    }

    static final String UDP_IP_CHECKSUM = "26c9";
    static final String UDP_CHECKSUM = "f835";

    @Test
    void pad_to_minimum_zero_fills_short_frames_only() {
        buf.fill((byte) 0x55);
        int length = FrameBuilder.arpRequest(buf, 0, VM1, IP1, IP3);

        int padded = FrameBuilder.padToMinimum(buf, 0, length);

        assertThat(padded).isEqualTo(60);
        assertThat(Hex.of(buf, 42, 18)).isEqualTo("00".repeat(18));
        assertThat(Wire.u8(buf, 60)).isEqualTo(0x55);
        assertThat(FrameBuilder.padToMinimum(buf, 0, 98)).isEqualTo(98);
    }

    @Test
    void push_vlan_tag_in_place_inserts_the_tag_after_the_source_mac() {
        int length = FrameBuilder.arpRequest(buf, 0, VM1, IP1, IP3);

        int tagged = FrameBuilder.pushVlanTag(buf, 0, length, Dot1q.tci(5, false, 119));

        assertThat(tagged).isEqualTo(46);
        assertThat(Hex.of(buf, 0, tagged)).isEqualTo(Hex.strip("""
            ffffffffffff 005056000001 8100 a077 0806
            0001 0800 06 04 0001 005056000001 0a000001 000000000000 0a000003
            """));
    }

    @Test
    void pop_vlan_tag_restores_the_untagged_frame() {
        int length = FrameBuilder.icmpEcho(buf, 0, VM1, VM3, IP1, IP3, true, 1, 1);
        int tagged = FrameBuilder.pushVlanTag(buf, 0, length, Dot1q.tci(0, false, 10));

        int popped = FrameBuilder.popVlanTag(buf, 0, tagged);

        assertThat(popped).isEqualTo(length);
        assertThat(Hex.of(buf, 0, popped)).isEqualTo(Hex.strip(ICMP_ECHO_REQUEST));
    }

    @Test
    void push_and_pop_between_segments_and_overlapping_offsets() {
        MemorySegment src = MemorySegment.ofArray(new byte[128]);
        int length = FrameBuilder.arpReply(src, 0, VM3, IP3, VM1, IP1);
        String original = Hex.of(src, 0, length);

        int tagged = FrameBuilder.pushVlanTag(src, 0, length, buf, 100, Dot1q.tci(0, false, 42));
        assertThat(Hex.of(buf, 100, 12)).isEqualTo(original.substring(0, 24));
        assertThat(Dot1q.vid(Dot1q.tci(buf, 112))).isEqualTo(42);

        // Pop while moving the frame two bytes left, then push while moving it three bytes right.
        int popped = FrameBuilder.popVlanTag(buf, 100, tagged, buf, 98);
        assertThat(Hex.of(buf, 98, popped)).isEqualTo(original);
        int again = FrameBuilder.pushVlanTag(buf, 98, popped, buf, 101, Dot1q.tci(0, false, 42));
        int back = FrameBuilder.popVlanTag(buf, 101, again, buf, 90);
        assertThat(Hex.of(buf, 90, back)).isEqualTo(original);
    }

    @Test
    void pop_leaves_untagged_and_service_tagged_frames_alone() {
        int length = FrameBuilder.arpRequest(buf, 0, VM1, IP1, IP3);
        assertThat(FrameBuilder.popVlanTag(buf, 0, length)).isEqualTo(length);

        int qinq = FrameBuilder.pushTag(buf, 0, length, buf, 0, EtherType.QINQ, 100);
        assertThat(FrameBuilder.popVlanTag(buf, 0, qinq)).isEqualTo(qinq);
        assertThat(Ethernet.etherType(buf, 0)).isEqualTo(EtherType.QINQ);
    }

    @Test
    void tagging_a_runt_is_refused_with_the_length() {
        assertThatThrownBy(() -> FrameBuilder.pushVlanTag(buf, 0, 10, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("10-byte frame");
    }
}
