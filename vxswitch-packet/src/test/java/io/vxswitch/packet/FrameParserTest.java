package io.vxswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    static final String MACS = "ffffffffffff 005056000001";
    static final String ARP_BODY = "0001 0800 06 04 0001 005056000001 0a000001 000000000000 0a000003";

    final FrameMeta meta = new FrameMeta();

    Malformation parse(String hex) {
        MemorySegment s = Hex.segment("eeee" + Hex.strip(hex));
        return FrameParser.parse(s, 2, (int) s.byteSize() - 2, meta);
    }

    @Test
    void an_untagged_frame_has_no_vid_and_its_payload_after_14_bytes() {
        assertThat(parse(MACS + "0806" + ARP_BODY)).isEqualTo(Malformation.NONE);

        assertThat(meta.dst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(meta.src()).isEqualTo(0x005056000001L);
        assertThat(meta.tagged()).isFalse();
        assertThat(meta.vid()).isEqualTo(FrameMeta.UNTAGGED);
        assertThat(meta.etherType()).isEqualTo(EtherType.ARP);
        assertThat(meta.payloadOffset()).isEqualTo(14);
        assertThat(meta.payloadPosition()).isEqualTo(16);
        assertThat(meta.payloadLength()).isEqualTo(28);
        assertThat(meta.offset()).isEqualTo(2);
        assertThat(meta.length()).isEqualTo(42);
    }

    @Test
    void an_802_1q_frame_yields_vid_pcp_and_the_inner_ethertype() {
        assertThat(parse(MACS + "8100 a077 0806" + ARP_BODY)).isEqualTo(Malformation.NONE);

        assertThat(meta.tagged()).isTrue();
        assertThat(meta.vid()).isEqualTo(119);
        assertThat(meta.pcp()).isEqualTo(5);
        assertThat(meta.etherType()).isEqualTo(EtherType.ARP);
        assertThat(meta.payloadOffset()).isEqualTo(18);
        assertThat(meta.serviceTagged()).isFalse();
    }

    @Test
    void a_priority_tag_is_tagged_with_vid_0() {
        assertThat(parse(MACS + "8100 6000 0806" + ARP_BODY)).isEqualTo(Malformation.NONE);

        assertThat(meta.tagged()).isTrue();
        assertThat(meta.vid()).isEqualTo(Dot1q.PRIORITY_ONLY_VID);
        assertThat(meta.pcp()).isEqualTo(3);
        assertThat(meta.payloadOffset()).isEqualTo(18);
    }

    @Test
    void an_802_1ad_qinq_frame_is_service_tagged_and_carried_as_opaque_payload() {
        assertThat(parse(MACS + "88a8 0064 8100 000a 0806" + ARP_BODY)).isEqualTo(Malformation.NONE);

        assertThat(meta.serviceTagged()).isTrue();
        assertThat(meta.serviceVid()).isEqualTo(100);
        assertThat(meta.tagged()).isFalse();
        assertThat(meta.etherType()).isEqualTo(EtherType.QINQ);
        assertThat(meta.payloadOffset()).isEqualTo(14);
    }

    @Test
    void the_pre_standard_0x9100_tpid_is_a_service_tag_too() {
        assertThat(parse(MACS + "9100 00c8 0800")).isEqualTo(Malformation.NONE);

        assertThat(meta.serviceTagged()).isTrue();
        assertThat(meta.serviceVid()).isEqualTo(200);
    }

    @Test
    void fewer_than_14_bytes_is_a_runt() {
        assertThat(parse("ffffffffffff 0050560000")).isEqualTo(Malformation.RUNT);
        assertThat(parse("")).isEqualTo(Malformation.RUNT);
        assertThat(meta.dst()).isZero();
        assertThat(meta.etherType()).isZero();
    }

    @Test
    void exactly_14_bytes_is_a_whole_header_with_empty_payload() {
        assertThat(parse(MACS + "0800")).isEqualTo(Malformation.NONE);
        assertThat(meta.payloadLength()).isZero();
    }

    @Test
    void a_tag_cut_short_is_reported_by_tag_kind() {
        assertThat(parse(MACS + "8100 0077")).isEqualTo(Malformation.TRUNCATED_VLAN_TAG);
        assertThat(parse(MACS + "88a8 0064 08")).isEqualTo(Malformation.TRUNCATED_SERVICE_TAG);
    }

    @Test
    void vid_4095_is_reserved_and_not_switched() {
        assertThat(parse(MACS + "8100 0fff 0800")).isEqualTo(Malformation.RESERVED_VID);
    }

    @Test
    void vid_4094_is_the_highest_usable_vlan() {
        assertThat(parse(MACS + "8100 0ffe 0800")).isEqualTo(Malformation.NONE);
        assertThat(meta.vid()).isEqualTo(Dot1q.MAX_VID);
    }

    @Test
    void a_reused_meta_forgets_the_previous_frame() {
        parse(MACS + "88a8 0064 8100 000a 0806" + ARP_BODY);
        parse(MACS + "8100 a077 0806" + ARP_BODY);
        assertThat(meta.serviceTagged()).isFalse();

        parse(MACS + "0806" + ARP_BODY);
        assertThat(meta.tagged()).isFalse();
        assertThat(meta.pcp()).isZero();
        assertThat(meta.payloadOffset()).isEqualTo(14);
    }
}
