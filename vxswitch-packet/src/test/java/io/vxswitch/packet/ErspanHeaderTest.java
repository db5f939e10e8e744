package io.vxswitch.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GRE + ERSPAN headers against bytes built independently: each expected vector was printed once by scapy 2.5's
 * {@code GRE(seqnum_present=1, ...)/ERSPAN_II(...)} and {@code ERSPAN_III(...)} (Debian's python3-scapy) with the
 * field values in the test's comment, and pasted here; the readers then take the same bytes apart.
 */
class ErspanHeaderTest {

    @Test
    void type_ii_tagged_frame() {
        // GRE(seqnum_present=1, seqence_number=5, proto=0x88be)/ERSPAN_II(ver=1, vlan=119, cos=5, en=3, t=0,
        //   session_id=1, index=0)
        MemorySegment s = MemorySegment.ofArray(new byte[18]);
        Erspan.writeTypeII(s, 1, 5, 119, 5, Erspan.EN_TAG_IN_FRAME, false, 1, 0);
        assertThat(Hex.of(s, 1, 16)).isEqualTo("100088be000000051077b80100000000");
        assertThat(Hex.of(s, 0, 1) + Hex.of(s, 17, 1)).as("nothing written outside").isEqualTo("0000");

        assertThat(Erspan.greFlags(s, 1)).isEqualTo(Erspan.GRE_FLAG_SEQUENCE);
        assertThat(Erspan.greProtocol(s, 1)).isEqualTo(0x88BE);
        assertThat(Erspan.sequence(s, 1)).isEqualTo(5);
        assertThat(Erspan.version(s, 1)).isEqualTo(Erspan.VERSION_TYPE_II);
        assertThat(Erspan.vlan(s, 1)).isEqualTo(119);
        assertThat(Erspan.cos(s, 1)).isEqualTo(5);
        assertThat(Erspan.enOrBso(s, 1)).isEqualTo(3);
        assertThat(Erspan.truncated(s, 1)).isFalse();
        assertThat(Erspan.sessionId(s, 1)).isEqualTo(1);
        assertThat(Erspan.index(s, 1)).isZero();
        assertThat(Erspan.overheadOf(s, 1)).isEqualTo(16);
    }

    @Test
    void type_ii_truncated_with_the_widest_fields() {
        // GRE(seqnum_present=1, seqence_number=0xffffffff, proto=0x88be)/ERSPAN_II(ver=1, vlan=0, cos=0, en=0, t=1,
        //   session_id=1023, index=0xabcde)
        MemorySegment s = MemorySegment.ofArray(new byte[16]);
        Erspan.writeTypeII(s, 0, 0xFFFF_FFFF, 0, 0, Erspan.EN_UNTAGGED, true, 1023, 0xABCDE);
        assertThat(Hex.of(s, 0, 16)).isEqualTo("100088beffffffff100007ff000abcde");
        assertThat(Erspan.sequence(s, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(Erspan.truncated(s, 0)).isTrue();
        assertThat(Erspan.sessionId(s, 0)).isEqualTo(1023);
        assertThat(Erspan.index(s, 0)).isEqualTo(0xABCDE);
    }

    @Test
    void type_iii_egress_copy_with_hardware_id_and_timestamp() {
        // GRE(seqnum_present=1, seqence_number=7, proto=0x22eb)/ERSPAN_III(vlan=4094, cos=7, bso=2, t=1,
        //   session_id=513, timestamp=0xdeadbeef, sgt_other=0, p=1, ft=0, hw=63, d=1, gra=0, o=0)
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        Erspan.writeTypeIII(s, 0, 7, 4094, 7, Erspan.BSO_OVERSIZED, true, 513, 0xDEADBEEF, 63, true);
        assertThat(Hex.of(s, 0, 20)).isEqualTo("100022eb000000072ffef601deadbeef000083f8");
        assertThat(Erspan.version(s, 0)).isEqualTo(Erspan.VERSION_TYPE_III);
        assertThat(Erspan.vlan(s, 0)).isEqualTo(4094);
        assertThat(Erspan.enOrBso(s, 0)).isEqualTo(Erspan.BSO_OVERSIZED);
        assertThat(Erspan.timestamp(s, 0)).isEqualTo(0xDEADBEEFL);
        assertThat(Erspan.hardwareId(s, 0)).isEqualTo(63);
        assertThat(Erspan.egress(s, 0)).isTrue();
        assertThat(Erspan.overheadOf(s, 0)).isEqualTo(20);
    }

    @Test
    void type_iii_ingress_copy_of_a_good_frame() {
        // GRE(seqnum_present=1, seqence_number=0, proto=0x22eb)/ERSPAN_III(vlan=0, cos=0, bso=0, t=0, session_id=1,
        //   timestamp=0, p=1, ft=0, hw=0, d=0, gra=0, o=0)
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        Erspan.writeTypeIII(s, 0, 0, 0, 0, Erspan.BSO_GOOD, false, 1, 0, 0, false);
        assertThat(Hex.of(s, 0, 20)).isEqualTo("100022eb00000000200000010000000000008000");
        assertThat(Erspan.egress(s, 0)).isFalse();
    }

    @Test
    void fields_wider_than_their_bits_are_masked_not_spilled() {
        MemorySegment s = MemorySegment.ofArray(new byte[16]);
        Erspan.writeTypeII(s, 0, 1, 0x1FFF, 0xF, 7, false, 0x7FF, 0x1F_FFFF);
        assertThat(Erspan.version(s, 0)).isEqualTo(1);
        assertThat(Erspan.vlan(s, 0)).isEqualTo(0xFFF);
        assertThat(Erspan.cos(s, 0)).isEqualTo(7);
        assertThat(Erspan.truncated(s, 0)).isFalse();
        assertThat(Erspan.sessionId(s, 0)).isEqualTo(1023);
        assertThat(Erspan.index(s, 0)).isEqualTo(Erspan.MAX_INDEX);
        assertThat(Hex.of(s, 8, 4)).isEqualTo("1fff" + "fbff");
    }

    @Test
    void bso_classes_by_length() {
        assertThat(Erspan.bso(59)).isEqualTo(Erspan.BSO_SHORT);
        assertThat(Erspan.bso(60)).isEqualTo(Erspan.BSO_GOOD);
        assertThat(Erspan.bso(1514)).isEqualTo(Erspan.BSO_GOOD);
        assertThat(Erspan.bso(1518)).isEqualTo(Erspan.BSO_OVERSIZED);
        assertThat(Erspan.overhead(2)).isEqualTo(16);
        assertThat(Erspan.overhead(3)).isEqualTo(20);
    }
}
