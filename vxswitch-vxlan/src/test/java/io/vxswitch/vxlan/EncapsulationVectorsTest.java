package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxswitch.packet.Vxlan;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact outer headers, written by hand field by field (RFC 791, 768, 8200, 7348 §5), in front of a VXLAN
 * datagram as {@link TunnelEgress} leaves it. The checksums were computed independently of this code with a separate
 * RFC 1071 implementation in Python; the IPv4 header one also by hand: 4500+004e+0000+4000+4011+c000+0201+c000+0202
 * = 24962, folded 4964, complement b69b. The source port is 49152 (c000): the egress hashes it, the writer only
 * writes it.
 */
class EncapsulationVectorsTest {
    static final String INNER_ARP = """
        ffffffffffff 020000000001 0806
        0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000003
        """;
    static final String OUTER_IPV4 = """
        020000000b01 020000000a01 0800
        45 00 004e 0000 4000 40 11 b69b c0000201 c0000202
        c000 12b5 003a 0000
        08 000000 000077 00
        """;
    /** DF clear: identification counts from 1 and the header checksum changes (4964 - 4000 + 0001 → f69a). */
    static final String OUTER_IPV4_NO_DF_WITH_UDP_CHECKSUM = """
        020000000b01 020000000a01 0800
        45 00 004e 0001 0000 40 11 f69a c0000201 c0000202
        c000 12b5 003a fbad
        08 000000 000077 00
        """;
    static final String OUTER_IPV6 = """
        020000000b01 020000000a01 86dd
        6 00 00000 003a 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002
        c000 12b5 003a 243d
        08 000000 000077 00
        """;

    static final long PAYLOAD = HEADROOM - Vxlan.LENGTH;
    static final int PAYLOAD_LENGTH = Vxlan.LENGTH + ARP_LENGTH;
    static final int PORT = 49152;

    OuterHeaderWriter writer(VtepAddress local, EncapOptions options) {
        return new OuterHeaderWriter(HOST_A_MAC, local, options);
    }

    /** vm1's ARP request behind the VXLAN header of {@code vni}, at {@link #PAYLOAD}. */
    static MemorySegment datagram(int vni) {
        MemorySegment s = arpRequestWithHeadroom();
        Vxlan.write(s, PAYLOAD, vni);
        return s;
    }

    @Test
    void ipv4_outer_headers_have_df_ttl_64_zero_udp_checksum_and_the_i_flag() {
        MemorySegment s = datagram(VNI);
        OuterHeaderWriter w = writer(HOST_A, EncapOptions.defaults());

        int length = w.writeIpv4(s, PAYLOAD, PAYLOAD_LENGTH, PORT, HOST_B.ipv4(), HOST_B_MAC);

        assertThat(length).isEqualTo(50 + 42);
        long outer = PAYLOAD - w.headroom();
        assertThat(outer).isEqualTo(HEADROOM - 50);
        assertThat(Hex.of(s, outer, length)).isEqualTo(Hex.strip(OUTER_IPV4 + INNER_ARP));
    }

    @Test
    void ipv4_without_df_numbers_datagrams_and_can_checksum_udp() {
        MemorySegment s = datagram(VNI);
        OuterHeaderWriter w = writer(HOST_A,
            EncapOptions.defaults().withDontFragment(false).withIpv4UdpChecksum(true));

        int length = w.writeIpv4(s, PAYLOAD, PAYLOAD_LENGTH, PORT, HOST_B.ipv4(), HOST_B_MAC);

        assertThat(Hex.of(s, HEADROOM - 50, length)).isEqualTo(Hex.strip(OUTER_IPV4_NO_DF_WITH_UDP_CHECKSUM + INNER_ARP));
    }

    @Test
    void ipv6_outer_headers_always_carry_a_udp_checksum() {
        MemorySegment s = datagram(VNI);
        OuterHeaderWriter w = writer(HOST_A6, EncapOptions.defaults());

        int length = w.writeIpv6(s, PAYLOAD, PAYLOAD_LENGTH, PORT, HOST_B6.high(), HOST_B6.low(), HOST_B_MAC);

        assertThat(length).isEqualTo(70 + 42);
        assertThat(PAYLOAD - w.headroom()).isZero();
        assertThat(Hex.of(s, 0, length)).isEqualTo(Hex.strip(OUTER_IPV6 + INNER_ARP));
    }

    @Test
    void port_and_ttl_are_configurable_and_the_vni_uses_all_24_bits() {
        MemorySegment s = datagram(0xABCDEF);
        OuterHeaderWriter w = writer(HOST_A, EncapOptions.defaults().withDstPort(8472).withTtl(5));

        w.writeIpv4(s, PAYLOAD, PAYLOAD_LENGTH, PORT, HOST_B.ipv4(), HOST_B_MAC);

        String outer = Hex.of(s, HEADROOM - 50, 50);
        assertThat(outer.substring(2 * 22, 2 * 23)).isEqualTo("05"); // TTL
        assertThat(outer.substring(2 * 36, 2 * 38)).isEqualTo("2118"); // 8472
        assertThat(outer.substring(2 * 42)).isEqualTo("08000000abcdef00");
    }

    @Test
    void writing_to_a_registered_vtep_id_uses_its_address() {
        RemoteVteps vteps = new RemoteVteps(8);
        int id = vteps.register(HOST_B);
        MemorySegment s = datagram(VNI);

        writer(HOST_A, EncapOptions.defaults()).write(s, PAYLOAD, PAYLOAD_LENGTH, PORT, vteps, id, HOST_B_MAC);

        assertThat(Hex.of(s, HEADROOM - 50, 50)).isEqualTo(Hex.strip(OUTER_IPV4));
    }

    @Test
    void missing_headroom_or_a_wrong_family_is_a_programming_error_with_a_clear_message() {
        MemorySegment s = datagram(VNI);
        OuterHeaderWriter v4 = writer(HOST_A, EncapOptions.defaults());

        assertThatThrownBy(() -> v4.writeIpv4(s, 41, PAYLOAD_LENGTH, PORT, HOST_B.ipv4(), HOST_B_MAC))
            .hasMessageContaining("needs 42 bytes of headroom");
        assertThatThrownBy(() -> v4.writeIpv6(s, PAYLOAD, PAYLOAD_LENGTH, PORT, 0, 1, HOST_B_MAC))
            .hasMessageContaining("IPv4 underlay");
        assertThatThrownBy(() -> v4.writeIpv4(s, PAYLOAD, Vxlan.LENGTH + 13, PORT, HOST_B.ipv4(), HOST_B_MAC))
            .hasMessageContaining("VXLAN datagram length 21 out of range 22..");
        assertThatThrownBy(() -> new EncapOptions(0, 64, true, false)).hasMessageContaining("8472");
    }
}
