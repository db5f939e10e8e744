package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    @Test
    void rfc_1071_section_3_example_sums_to_ddf2() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 have the one's complement sum dd f2.
        MemorySegment data = Hex.segment("0001 f203 f4f5 f6f7");

        assertThat(InternetChecksum.fold(InternetChecksum.add(data, 0, 8, 0))).isEqualTo(0xDDF2);
        assertThat(InternetChecksum.checksum(data, 0, 8)).isEqualTo(0x220D);
    }

    @Test
    void a_header_with_its_checksum_in_place_verifies() {
        // The ICMP echo request vector's IPv4 header, checksum 26a6 worked out by hand.
        MemorySegment header = Hex.segment("4500 0054 0000 4000 4001 26a6 0a00 0001 0a00 0003");

        assertThat(InternetChecksum.verify(header, 0, 20)).isTrue();
        Wire.putU16(header, 10, 0x26A7);
        assertThat(InternetChecksum.verify(header, 0, 20)).isFalse();
    }

    @Test
    void an_odd_trailing_byte_is_padded_with_zero_on_the_right() {
        // RFC 1071 §4.1: the last byte counts as the high half of a 16-bit word.
        assertThat(InternetChecksum.fold(InternetChecksum.add(Hex.segment("ab"), 0, 1, 0))).isEqualTo(0xAB00);
        assertThat(InternetChecksum.checksum(Hex.segment("0102 03"), 0, 3)).isEqualTo(~(0x0102 + 0x0300) & 0xFFFF);
    }

    @Test
    void carries_wrap_around_end_to_end() {
        assertThat(InternetChecksum.fold(InternetChecksum.add(Hex.segment("ffff ffff 0001"), 0, 6, 0)))
            .isEqualTo(0x0001 + 0xFFFF + 1 - 0x10000);
        assertThat(InternetChecksum.checksum(Hex.segment(""), 0, 0)).isEqualTo(0xFFFF);
    }

    @Test
    void a_pseudo_header_sum_can_be_folded_in_first() {
        MemorySegment data = Hex.segment("0a000001 0a000003 0011 000d 9c40");
        long pseudo = InternetChecksum.addU16(InternetChecksum.addU16(
            InternetChecksum.addU32(InternetChecksum.addU32(0, 0x0A000001), 0x0A000003), 0x11), 0x0D);

        assertThat(InternetChecksum.checksum(data, 12, 2, pseudo)).isEqualTo(InternetChecksum.checksum(data, 0, 14));
    }

    /** The textbook definition, 16 bits at a time, as an independent reference. */
    static int reference(byte[] data, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = data[from + i] & 0xFF;
            int lo = i + 1 < length ? data[from + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~(int) sum & 0xFFFF;
    }

    @Property
    void agrees_with_the_16_bit_reference_at_any_offset(@ForAll @Size(max = 300) byte[] data,
                                                        @ForAll @IntRange(max = 7) int skip) {
        int from = Math.min(skip, data.length);
        int length = data.length - from;
        MemorySegment s = MemorySegment.ofArray(data);

        assertThat(InternetChecksum.checksum(s, from, length)).isEqualTo(reference(data, from, length));
    }

    @Property
    void data_with_its_checksum_appended_verifies(@ForAll @Size(max = 200) byte[] body) {
        int even = body.length & ~1;
        MemorySegment s = MemorySegment.ofArray(new byte[even + 2]);
        MemorySegment.copy(MemorySegment.ofArray(body), 0, s, 0, even);
        Wire.putU16(s, even, InternetChecksum.checksum(s, 0, even));

        assertThat(InternetChecksum.verify(s, 0, even + 2)).isTrue();
    }

    @Property
    void summing_in_even_chunks_equals_summing_at_once(@ForAll @Size(max = 200) byte[] data,
                                                       @ForAll @IntRange(max = 100) int halfCut) {
        int cut = Math.min(halfCut * 2, data.length & ~1);
        MemorySegment s = MemorySegment.ofArray(data);
        long first = InternetChecksum.add(s, 0, cut, 0);

        assertThat(InternetChecksum.checksum(s, cut, data.length - cut, first))
            .isEqualTo(InternetChecksum.checksum(s, 0, data.length));
    }
}
