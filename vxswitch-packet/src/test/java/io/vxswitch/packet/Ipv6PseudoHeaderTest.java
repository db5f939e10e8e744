package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * UDP over IPv6 (RFC 8200 §8.1). The expected checksum 22f0 comes from a separate RFC 1071 implementation
 * in Python over the pseudo-header fe80::1, ff02::1, length 11, next header 17 and the datagram.
 */
class Ipv6PseudoHeaderTest {
    static final String DATAGRAM = """
        6 00 00000 000b 11 40 fe800000000000000000000000000001 ff020000000000000000000000000001
        04d2 162e 000b 0000 616263
        """;

    @Test
    void the_udp_checksum_covers_the_pseudo_header_and_an_odd_length_payload() {
        MemorySegment s = Hex.segment(DATAGRAM);

        Ipv6PseudoHeader.updateUdpChecksum(s, 0, Ipv6.LENGTH);

        assertThat(Udp.checksum(s, Ipv6.LENGTH)).isEqualTo(0x22F0);
        assertThat(Ipv6PseudoHeader.udpChecksumValid(s, 0, Ipv6.LENGTH)).isTrue();
    }

    @Test
    void a_wrong_or_zero_checksum_is_refused() {
        MemorySegment s = Hex.segment(DATAGRAM);
        Udp.checksum(s, Ipv6.LENGTH, 0x22F1);
        assertThat(Ipv6PseudoHeader.udpChecksumValid(s, 0, Ipv6.LENGTH)).isFalse();

        Udp.checksum(s, Ipv6.LENGTH, 0);
        assertThat(Ipv6PseudoHeader.udpChecksumValid(s, 0, Ipv6.LENGTH)).isFalse();
    }

    @Test
    void a_computed_zero_is_sent_as_all_ones() {
        MemorySegment s = Hex.segment(DATAGRAM);
        // Make the data sum so that the checksum comes out 0: replace "abc" by the value that cancels the rest.
        Ipv6PseudoHeader.updateUdpChecksum(s, 0, Ipv6.LENGTH);
        int c = Udp.checksum(s, Ipv6.LENGTH);
        Wire.putU16(s, Ipv6.LENGTH + 8, Wire.u16(s, Ipv6.LENGTH + 8) + c); // "ab" grows by the checksum

        Ipv6PseudoHeader.updateUdpChecksum(s, 0, Ipv6.LENGTH);

        assertThat(Udp.checksum(s, Ipv6.LENGTH)).isEqualTo(0xFFFF);
        assertThat(Ipv6PseudoHeader.udpChecksumValid(s, 0, Ipv6.LENGTH)).isTrue();
    }
}
