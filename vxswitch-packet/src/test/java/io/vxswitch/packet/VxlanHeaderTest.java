package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The 8-byte VXLAN header of RFC 7348 §5, read and written where the RFC's figure puts each field. */
class VxlanHeaderTest {

    @Test
    void write_sets_the_i_flag_the_vni_and_nothing_else() {
        MemorySegment s = Hex.segment("ffffffffffffffffffff");

        Vxlan.write(s, 1, 119);

        assertThat(Hex.of(s, 0, 10)).isEqualTo("ff0800000000007700ff");
        assertThat(Vxlan.flags(s, 1)).isEqualTo(0x08);
        assertThat(Vxlan.hasIFlag(s, 1)).isTrue();
        assertThat(Vxlan.vni(s, 1)).isEqualTo(119);
        assertThat(Vxlan.reservedBitsClear(s, 1)).isTrue();
    }

    @Test
    void the_vni_is_24_bits_between_the_reserved_fields() {
        MemorySegment s = Hex.segment("08 000000 abcdef 00");

        assertThat(Vxlan.vni(s, 0)).isEqualTo(0xABCDEF);
        Vxlan.write(s, 0, Vxlan.MAX_VNI);
        assertThat(Hex.of(s, 0, 8)).isEqualTo("08000000ffffff00");
    }

    @Test
    void each_reserved_bit_is_seen() {
        // The kernel and tshark cases: flags 0x0c (GPE-style), 24 reserved bits, 8 reserved bits.
        assertThat(Vxlan.reservedBitsClear(Hex.segment("0c000000 00007700"), 0)).isFalse();
        assertThat(Vxlan.reservedBitsClear(Hex.segment("08000001 00007700"), 0)).isFalse();
        assertThat(Vxlan.reservedBitsClear(Hex.segment("08800000 00007700"), 0)).isFalse();
        assertThat(Vxlan.reservedBitsClear(Hex.segment("08000000 000077ff"), 0)).isFalse();
        assertThat(Vxlan.reservedBitsClear(Hex.segment("00000000 00007700"), 0)).isTrue();
        MemorySegment s = Hex.segment("08 123456 000077 9a");
        assertThat(Vxlan.reserved24(s, 0)).isEqualTo(0x123456);
        assertThat(Vxlan.reserved8(s, 0)).isEqualTo(0x9A);
    }

    @Test
    void setting_the_vni_or_flags_alone_keeps_the_other_fields() {
        MemorySegment s = Hex.segment("08000000 000000aa");

        Vxlan.vni(s, 0, 4242);
        Vxlan.flags(s, 0, 0x00);

        assertThat(Hex.of(s, 0, 8)).isEqualTo(Hex.strip("00000000 001092 aa"));
        assertThat(Vxlan.hasIFlag(s, 0)).isFalse();
    }

    @Test
    void valid_vnis_are_1_to_16777215() {
        assertThat(Vxlan.isValidVni(0)).isFalse();
        assertThat(Vxlan.isValidVni(1)).isTrue();
        assertThat(Vxlan.isValidVni(0xFF_FFFF)).isTrue();
        assertThat(Vxlan.isValidVni(0x100_0000)).isFalse();
        assertThat(Vxlan.LINUX_DEFAULT_PORT).isEqualTo(8472);
        assertThat(Vxlan.IANA_PORT).isEqualTo(4789);
    }
}
