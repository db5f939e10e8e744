package io.vxswitch.ipfix;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPFIX messages byte for byte (RFC 7011 §3): the expected bytes are written out by hand from the RFC's layouts and
 * IANA's element ids, not produced by the writer.
 */
class IpfixMessageWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return HEX.formatHex(out);
    }

    private static FlowRecord dnsQuery() {
        FlowRecord r = new FlowRecord();
        r.kind = FlowRecord.Kind.IPV4;
        r.srcMac = 0x020000000001L;
        r.dstMac = 0x020000000002L;
        r.vlan = 10;
        r.srcIpLow = 0xc0000201L; // 192.0.2.1
        r.dstIpLow = 0xc0000202L; // 192.0.2.2
        r.protocol = 17;
        r.srcPort = 40000;
        r.dstPort = 53;
        r.ingressInterface = 3;
        r.egressInterface = 4;
        r.packets = 5;
        r.layer2Octets = 490;
        r.octets = 420;
        r.startMillis = 1_700_000_000_000L;
        r.endMillis = 1_700_000_000_250L;
        r.endReason = FlowEndReason.IDLE_TIMEOUT;
        return r;
    }

    @Test
    void an_ipv4_flow_is_one_data_set_of_template_258_after_the_message_header() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(1_700_000_005L, 7, 1);
        assertThat(w.add(dnsQuery())).isTrue();
        String expected = ""
            // message header: version 10, length 96, export time, sequence 7, observation domain 1
            + "000a" + "0060" + "6553f105" + "00000007" + "00000001"
            // data set of template 258, 4 + 76 bytes
            + "0102" + "0050"
            + "020000000001" + "020000000002" // sourceMacAddress, destinationMacAddress
            + "000a"                          // vlanId
            + "c0000201" + "c0000202"         // sourceIPv4Address, destinationIPv4Address
            + "11" + "9c40" + "0035"          // protocolIdentifier UDP, ports 40000 -> 53
            + "00000003" + "00000004"         // ingressInterface, egressInterface
            + "0000000000000005"              // packetDeltaCount
            + "00000000000001ea"              // layer2OctetDeltaCount 490
            + "00000000000001a4"              // octetDeltaCount 420
            + "0000018bcfe56800"              // flowStartMilliseconds
            + "0000018bcfe568fa"              // flowEndMilliseconds, 250 ms later
            + "01";                           // flowEndReason: idle timeout
        assertThat(hex(w.finish())).isEqualTo(expected);
        assertThat(w.records()).isEqualTo(1);
    }

    @Test
    void a_flow_through_a_tunnel_carries_its_vni_as_a_vxlan_layer2_segment_id() {
        FlowRecord r = new FlowRecord();
        r.kind = FlowRecord.Kind.L2;
        r.srcMac = 0x020000000001L;
        r.dstMac = 0xffffffffffffL;
        r.vni = 5001;
        r.ingressInterface = 1;
        r.packets = 1;
        r.layer2Octets = 60;
        r.endReason = FlowEndReason.ACTIVE_TIMEOUT;
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(0, 0, 9);
        w.add(r);
        String expected = "000a" + "0053" + "00000000" + "00000000" + "00000009"
            + "0101" + "0043"                 // template 257: layer 2 with a segment, 4 + 63 bytes
            + "020000000001" + "ffffffffffff" + "0000"
            + "0100000000001389"              // layer2SegmentId: type 0x01 (VXLAN), VNI 5001
            + "00000001" + "00000000"         // in on interface 1, flooded (no single egress)
            + "0000000000000001" + "000000000000003c"
            + "0000000000000000" + "0000000000000000"
            + "02";                           // active timeout
        assertThat(hex(w.finish())).isEqualTo(expected);
    }

    @Test
    void the_template_set_defines_each_template_with_iana_element_ids_and_lengths() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(0, 0, 1);
        assertThat(w.addTemplates(1)).isTrue();
        String message = hex(w.finish());
        // set id 2, length 4 + (4 + 4 * fields) per template: 10 + 11 + 16 + 17 + 16 + 17 fields
        int setLength = 4 + 6 * 4 + 4 * (10 + 11 + 16 + 17 + 16 + 17);
        assertThat(message.substring(32, 40)).isEqualTo("0002" + String.format("%04x", setLength));
        assertThat(message.length()).as("the template set, then the sampling report's 78 bytes")
            .isEqualTo(2 * (16 + setLength + 78));
        String l2Vxlan = "0101" + "000b"
            + "00380006" + "00500006" + "003a0002" + "015f0008" // MACs 56, 80; vlanId 58; layer2SegmentId 351
            + "000a0004" + "000e0004"                           // ingressInterface 10, egressInterface 14
            + "00020008" + "01600008"                           // packetDeltaCount 2, layer2OctetDeltaCount 352
            + "00980008" + "00990008" + "00880001";             // flowStart/EndMilliseconds 152, 153; flowEndReason 136
        assertThat(message).contains(l2Vxlan);
        String ipv6 = "0104" + "0010"
            + "00380006" + "00500006" + "003a0002"
            + "001b0010" + "001c0010"                           // source/destinationIPv6Address 27, 28
            + "00040001" + "00070002" + "000b0002"              // protocolIdentifier 4, ports 7 and 11
            + "000a0004" + "000e0004" + "00020008" + "01600008"
            + "00010008"                                        // octetDeltaCount 1
            + "00980008" + "00990008" + "00880001";
        assertThat(message).contains(ipv6);
    }

    @Test
    void after_the_templates_come_the_options_templates_of_the_sampling_report_and_their_records() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(1_700_000_005L, 0, 119);
        assertThat(w.addTemplates(2)).isTrue();
        String message = hex(w.finish());
        int templateSet = 376; // 4 + 6 * 4 + 4 * 87, as above
        assertThat(message.substring(0, 32)).as("header: length 16 + 376 + 26 + 18 + 22 + 12 = 470")
            .isEqualTo("000a" + "01d6" + "6553f105" + "00000000" + "00000077");
        String sampling = ""
            // options template set (3), 26 bytes: template 262, 4 fields of which 1 is scope
            + "0003" + "001a" + "0106" + "0004" + "0001"
            + "012e0008"                      // scope: selectorId 302, 8 bytes
            + "01300002"                      // selectorAlgorithm 304, 2 bytes
            + "01310004" + "01320004"         // samplingPacketInterval 305, samplingPacketSpace 306
            // a second options template set, 18 bytes: template 263, 2 fields, 1 scope
            + "0003" + "0012" + "0107" + "0002" + "0001"
            + "00950004"                      // scope: observationDomainId 149
            + "00220004"                      // samplingInterval 34
            // data set of 262, 4 + 18 bytes: selector 1, systematic count-based, 1 frame taken, 1 left
            + "0106" + "0016" + "0000000000000001" + "0001" + "00000001" + "00000001"
            // data set of 263, 4 + 8 bytes: domain 119 samples 1 in 2
            + "0107" + "000c" + "00000077" + "00000002";
        assertThat(message.substring(2 * (16 + templateSet))).isEqualTo(sampling);
        assertThat(w.records()).as("options records are data records: the sequence number counts them").isEqualTo(2);
        assertThat(w.flowRecords()).isZero();
    }

    @Test
    void without_sampling_the_report_says_every_frame_and_flow_records_follow_in_the_same_message() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(0, 0, 0xfffffffeL);
        assertThat(w.addTemplates(1)).isTrue();
        assertThat(w.add(dnsQuery())).isTrue();
        String message = hex(w.finish());
        int flows = 2 * (16 + 376 + 26 + 18);
        assertThat(message.substring(flows, flows + 2 * (22 + 12))).isEqualTo(""
            + "0106" + "0016" + "0000000000000001" + "0001" + "00000001" + "00000000" // 1 taken, none left
            + "0107" + "000c" + "fffffffe" + "00000001");                          // 1 in 1
        assertThat(message.substring(flows + 2 * (22 + 12), flows + 2 * (22 + 12) + 8)).isEqualTo("0102" + "0050");
        assertThat(w.records()).isEqualTo(3);
        assertThat(w.flowRecords()).isEqualTo(1);
    }

    @Test
    void a_message_with_no_room_for_the_templates_and_the_report_gets_neither() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(0, 0, 1);
        FlowRecord l2 = new FlowRecord();
        int room = (1452 - 16 - 4 - IpfixMessageWriter.templatesLength()) / 55 + 1; // leaves less than the templates
        for (int i = 0; i < room; i++) {
            assertThat(w.add(l2)).isTrue();
        }
        assertThat(w.addTemplates(2)).isFalse();
        assertThat(w.finish().remaining()).isEqualTo(16 + 4 + 55 * room);
        assertThat(w.records()).isEqualTo(room);
    }

    @Test
    void records_of_two_templates_go_into_two_sets_and_a_full_message_refuses_the_next_record() {
        IpfixMessageWriter w = new IpfixMessageWriter(1452);
        w.begin(0, 0, 1);
        assertThat(w.add(dnsQuery())).isTrue();
        FlowRecord l2 = new FlowRecord(); // 55 bytes a record
        int added = 1;
        while (w.add(l2)) {
            added++;
        }
        ByteBuffer m = w.finish();
        assertThat(added).isEqualTo(1 + (1452 - 16 - 80 - 4) / 55);
        assertThat(m.remaining()).isEqualTo(16 + 80 + 4 + 55 * (added - 1));
        assertThat(m.getShort(2)).isEqualTo((short) m.remaining());
        assertThat(m.getShort(16)).isEqualTo((short) 258);
        assertThat(m.getShort(16 + 80)).isEqualTo((short) 256);
        assertThat(m.getShort(16 + 80 + 2)).isEqualTo((short) (4 + 55 * (added - 1)));
        assertThat(w.records()).isEqualTo(added);
    }
}
