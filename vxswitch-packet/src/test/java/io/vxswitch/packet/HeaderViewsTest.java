package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The accessors read the fields that the hand-written vectors put where RFCs 791, 792, 826 and 8200 say. */
class HeaderViewsTest {

    @Test
    void ipv4_fields_of_the_echo_request_vector() {
        MemorySegment s = Hex.segment(FrameBuilderTest.ICMP_ECHO_REQUEST);
        long ip = Ethernet.HEADER_LENGTH;

        assertThat(Ipv4.version(s, ip)).isEqualTo(4);
        assertThat(Ipv4.ihl(s, ip)).isEqualTo(5);
        assertThat(Ipv4.headerLength(s, ip)).isEqualTo(20);
        assertThat(Ipv4.dscp(s, ip)).isZero();
        assertThat(Ipv4.totalLength(s, ip)).isEqualTo(84);
        assertThat(Ipv4.identification(s, ip)).isZero();
        assertThat(Ipv4.dontFragment(s, ip)).isTrue();
        assertThat(Ipv4.moreFragments(s, ip)).isFalse();
        assertThat(Ipv4.isFragment(s, ip)).isFalse();
        assertThat(Ipv4.ttl(s, ip)).isEqualTo(64);
        assertThat(Ipv4.protocol(s, ip)).isEqualTo(Ipv4.PROTOCOL_ICMP);
        assertThat(Ipv4.headerChecksum(s, ip)).isEqualTo(0x26A6);
        assertThat(Ipv4.computeHeaderChecksum(s, ip)).isEqualTo(0x26A6);
        assertThat(Ipv4.src(s, ip)).isEqualTo(0x0A000001);
        assertThat(Ipv4.dst(s, ip)).isEqualTo(0x0A000003);
    }

    @Test
    void ipv4_setters_and_checksum_update() {
        MemorySegment s = Hex.segment(FrameBuilderTest.ICMP_ECHO_REQUEST);
        long ip = Ethernet.HEADER_LENGTH;

        Ipv4.dscpEcn(s, ip, 46, 1);
        Ipv4.flagsFragment(s, ip, Ipv4.FLAG_MORE_FRAGMENTS | 185);
        Ipv4.ttl(s, ip, 63);
        assertThat(Ipv4.headerChecksumValid(s, ip)).isFalse();
        Ipv4.updateHeaderChecksum(s, ip);

        assertThat(Ipv4.headerChecksumValid(s, ip)).isTrue();
        assertThat(Ipv4.dscp(s, ip)).isEqualTo(46);
        assertThat(Ipv4.ecn(s, ip)).isEqualTo(1);
        assertThat(Ipv4.fragmentOffset(s, ip)).isEqualTo(1480);
        assertThat(Ipv4.isFragment(s, ip)).isTrue();
    }

    @Test
    void icmp_fields_of_the_echo_request_vector() {
        MemorySegment s = Hex.segment(FrameBuilderTest.ICMP_ECHO_REQUEST);
        long icmp = 34;

        assertThat(Icmp.type(s, icmp)).isEqualTo(Icmp.ECHO_REQUEST);
        assertThat(Icmp.code(s, icmp)).isZero();
        assertThat(Icmp.checksum(s, icmp)).isEqualTo(0x00EB);
        assertThat(Icmp.identifier(s, icmp)).isEqualTo(1);
        assertThat(Icmp.sequence(s, icmp)).isEqualTo(1);
        assertThat(Icmp.checksumValid(s, icmp, 64)).isTrue();
    }

    @Test
    void arp_fields_of_the_reply_vector() {
        MemorySegment s = Hex.segment(FrameBuilderTest.ARP_REPLY);
        long arp = 14;

        assertThat(Arp.htype(s, arp)).isEqualTo(Arp.HTYPE_ETHERNET);
        assertThat(Arp.ptype(s, arp)).isEqualTo(Arp.PTYPE_IPV4);
        assertThat(Arp.hlen(s, arp)).isEqualTo(6);
        assertThat(Arp.plen(s, arp)).isEqualTo(4);
        assertThat(Arp.isEthernetIpv4(s, arp)).isTrue();
        assertThat(Arp.oper(s, arp)).isEqualTo(Arp.REPLY);
        assertThat(Arp.sha(s, arp)).isEqualTo(0x005056000003L);
        assertThat(Arp.spa(s, arp)).isEqualTo(0x0A000003);
        assertThat(Arp.tha(s, arp)).isEqualTo(0x005056000001L);
        assertThat(Arp.tpa(s, arp)).isEqualTo(0x0A000001);
        assertThat(Arp.isGratuitous(s, arp)).isFalse();
    }

    @Test
    void udp_fields_read_back_what_was_written() {
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        Udp.srcPort(s, 0, 65535);
        Udp.dstPort(s, 0, Udp.VXLAN_PORT);
        Udp.length(s, 0, 8);
        Udp.checksum(s, 0, 0xBEEF);

        assertThat(Hex.of(s, 0, 8)).isEqualTo("ffff12b50008beef");
        assertThat(Udp.srcPort(s, 0)).isEqualTo(65535);
        assertThat(Udp.dstPort(s, 0)).isEqualTo(4789);
        assertThat(Udp.length(s, 0)).isEqualTo(8);
        assertThat(Udp.checksum(s, 0)).isEqualTo(0xBEEF);
    }

    @Test
    void a_udp_checksum_that_computes_to_zero_is_sent_as_all_ones() {
        // RFC 768: zero means "no checksum", so a computed zero goes out as ffff. Ports chosen so the
        // one's complement sum of pseudo-header and header is ffff, whose complement is zero (by hand:
        // addresses 0, protocol 0011, length 0008; ports 0000 and ffde, length 0008: 0011+0008+ffde+0008 = ffff).
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        Udp.srcPort(s, 0, 0);
        Udp.dstPort(s, 0, 0xFFDE);
        Udp.length(s, 0, 8);
        Udp.updateChecksum(s, 0, 0, 0);

        assertThat(Udp.checksum(s, 0)).isEqualTo(0xFFFF);
        assertThat(Udp.checksumValid(s, 0, 0, 0)).isTrue();
    }

    @Test
    void ipv6_fields_and_rfc_5952_text() {
        MemorySegment s = Hex.segment("""
            6 12 34567 0020 3a ff
            fe80 0000 0000 0000 0250 56ff fe00 0001
            ff02 0000 0000 0000 0000 0000 0000 0001
            """);

        assertThat(Ipv6.version(s, 0)).isEqualTo(6);
        assertThat(Ipv6.trafficClass(s, 0)).isEqualTo(0x12);
        assertThat(Ipv6.flowLabel(s, 0)).isEqualTo(0x34567);
        assertThat(Ipv6.payloadLength(s, 0)).isEqualTo(32);
        assertThat(Ipv6.nextHeader(s, 0)).isEqualTo(Ipv6.NEXT_HEADER_ICMPV6);
        assertThat(Ipv6.hopLimit(s, 0)).isEqualTo(255);
        assertThat(Ipv6.format(Ipv6.srcHigh(s, 0), Ipv6.srcLow(s, 0))).isEqualTo("fe80::250:56ff:fe00:1");
        assertThat(Ipv6.format(Ipv6.dstHigh(s, 0), Ipv6.dstLow(s, 0))).isEqualTo("ff02::1");

        MemorySegment w = MemorySegment.ofArray(new byte[40]);
        Ipv6.versionClassFlow(w, 0, 0x12, 0x34567);
        Ipv6.payloadLength(w, 0, 32);
        Ipv6.nextHeader(w, 0, 58);
        Ipv6.hopLimit(w, 0, 255);
        Ipv6.src(w, 0, Ipv6.srcHigh(s, 0), Ipv6.srcLow(s, 0));
        Ipv6.dst(w, 0, Ipv6.dstHigh(s, 0), Ipv6.dstLow(s, 0));
        assertThat(Hex.of(w, 0, 40)).isEqualTo(Hex.of(s, 0, 40));
    }

    @Test
    void ipv6_text_follows_rfc_5952_section_4() {
        // Expected strings cross-checked with Python's ipaddress module, which implements RFC 5952.
        assertThat(Ipv6.format(0x20010db800000000L, 0x0000000000000001L)).isEqualTo("2001:db8::1");
        assertThat(Ipv6.format(0x20010db800000001L, 0x0001000100010001L)).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Ipv6.format(0x2001000000000001L, 0x0000000000000001L)).isEqualTo("2001:0:0:1::1");
        assertThat(Ipv6.format(0x20010db800000000L, 0x0001000000000001L)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Ipv6.format(0, 0)).isEqualTo("::");
        assertThat(Ipv6.format(0, 1)).isEqualTo("::1");
        assertThat(Ipv6.format(0xfe80000000000000L, 0)).isEqualTo("fe80::");
        assertThat(Ipv6.format(0xABCD_EF01_2345_6789L, 0xABCD_EF01_2345_6789L))
            .isEqualTo("abcd:ef01:2345:6789:abcd:ef01:2345:6789");
    }
}
