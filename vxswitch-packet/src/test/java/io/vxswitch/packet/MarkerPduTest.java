package io.vxswitch.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

class MarkerPduTest {
    /**
     * A Marker PDU (802.1AX-2014 §6.5.3.3) as scapy 2.5's {@code Ether()/SlowProtocol()/MarkerProtocol(marker_type=1,
     * requester_port=2, requester_system="ae:b0:f8:18:b9:43", requester_transaction_id=0x12345678)} builds it; tshark
     * 4.0 decodes it as "Marker Protocol, TLV Type: Marker Information (0x01), TLV Length: 0x10, Requester Port: 2,
     * Requester System: ae:b0:f8:18:b9:43, Requester Transaction ID: 305419896, Marker Terminator".
     */
    static final String MARKER = """
        0180c2000002 aeb0f818b943 8809
        02 01
        01 10 0002 aeb0f818b943 12345678 0000
        00 00
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
        """;
    /** Its answer: the same but TLV type 2, Marker Response Information. */
    static final String RESPONSE = MARKER.replace("01 10 0002", "02 10 0002");

    @Test
    void reads_every_field_of_a_marker() {
        MemorySegment s = Hex.segment(MARKER);
        assertThat(s.byteSize()).isEqualTo(124);
        assertThat(Lacpdu.toSlowProtocols(s, 0)).isTrue();
        assertThat(MarkerPdu.isMarker(s, 14, 110)).isTrue();
        assertThat(MarkerPdu.check(s, 14, 110)).isEqualTo(MarkerPdu.Fault.NONE);
        assertThat(MarkerPdu.tlvType(s, 14)).isEqualTo(MarkerPdu.TLV_MARKER_INFORMATION);
        assertThat(MarkerPdu.requesterPort(s, 14)).isEqualTo(2);
        assertThat(MacAddress.format(MarkerPdu.requesterSystem(s, 14))).isEqualTo("ae:b0:f8:18:b9:43");
        assertThat(MarkerPdu.transactionId(s, 14)).isEqualTo(0x12345678L);
        assertThat(Lacpdu.check(s, 14, 110)).as("not a LACPDU").isEqualTo(Lacpdu.Fault.NOT_LACP);
    }

    @Test
    void a_transaction_id_with_the_top_bit_set_reads_unsigned() {
        MemorySegment s = Hex.segment(MARKER.replace("12345678", "fedcba98"));
        assertThat(MarkerPdu.transactionId(s, 14)).isEqualTo(0xfedc_ba98L);
    }

    @Test
    void the_response_written_is_the_marker_with_tlv_type_2_byte_for_byte() {
        MemorySegment in = Hex.segment(MARKER);
        MemorySegment out = MemorySegment.ofArray(new byte[124]);
        out.fill((byte) 0x5A); // whatever the buffer held before
        Lacpdu.writeEthernet(out, 0, MacAddress.read(in, 6));
        MarkerPdu.write(out, 14, MarkerPdu.TLV_MARKER_RESPONSE, MarkerPdu.requesterPort(in, 14),
            MarkerPdu.requesterSystem(in, 14), MarkerPdu.transactionId(in, 14));
        assertThat(Hex.of(out, 0, 124)).isEqualTo(Hex.strip(RESPONSE));
        assertThat(MarkerPdu.check(out, 14, 110)).isEqualTo(MarkerPdu.Fault.NONE);
        assertThat(MarkerPdu.tlvType(out, 14)).isEqualTo(MarkerPdu.TLV_MARKER_RESPONSE);
    }

    @Test
    void each_fault_is_named() {
        assertThat(check(b -> { }, 17)).isEqualTo(MarkerPdu.Fault.TRUNCATED);
        assertThat(check(b -> { }, 18)).as("terminator and reserved are not needed").isEqualTo(MarkerPdu.Fault.NONE);
        assertThat(check(b -> b[14] = 1, 110)).isEqualTo(MarkerPdu.Fault.NOT_MARKER);
        assertThat(check(b -> b[15] = 0, 110)).isEqualTo(MarkerPdu.Fault.BAD_VERSION);
        assertThat(check(b -> b[15] = 2, 110)).as("a later version is read as version 1").isEqualTo(MarkerPdu.Fault.NONE);
        assertThat(check(b -> b[16] = 0, 110)).isEqualTo(MarkerPdu.Fault.BAD_TLV);
        assertThat(check(b -> b[16] = 3, 110)).isEqualTo(MarkerPdu.Fault.BAD_TLV);
        assertThat(check(b -> b[17] = 20, 110)).isEqualTo(MarkerPdu.Fault.BAD_TLV);
        assertThat(check(b -> b[16] = 2, 110)).as("a Marker Response").isEqualTo(MarkerPdu.Fault.NONE);
        assertThat(MarkerPdu.isMarker(MemorySegment.ofArray(new byte[0]), 0, 0)).isFalse();
    }

    private static MarkerPdu.Fault check(java.util.function.Consumer<byte[]> change, int length) {
        byte[] b = Hex.bytes(MARKER);
        change.accept(b);
        return MarkerPdu.check(MemorySegment.ofArray(b), 14, length);
    }
}
