package io.vxswitch.forwarding.lacp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two LACPDUs of a formed aggregation, captured with tshark on this machine during {@code LacpIT}: Open vSwitch
 * 3.1.0's bond (system ae:b0:f8:18:b9:43, priority 65534, key 1, its member port 1) and vxswitch's member ul1
 * (system 6e:0e:42:48:fb:13, priority 32768, key 2, port 1), each in sync with the other (state 0x3f).
 */
class OpenVswitchLacpduTest {
    static final String FROM_OVS = "0180c2000002 4ac42306fbbb 8809 0101"
        + " 0114 fffe aeb0f818b943 0001 ffff 0001 3f 000000"
        + " 0214 8000 6e0e4248fb13 0002 8000 0001 3f 000000"
        + " 0310 0000 000000000000000000000000 0000" + "00".repeat(50);
    static final String FROM_VXSWITCH = "0180c2000002 6e0e4248fb13 8809 0101"
        + " 0114 8000 6e0e4248fb13 0002 8000 0001 3f 000000"
        + " 0214 fffe aeb0f818b943 0001 ffff 0001 3f 000000"
        + " 0310 0000 000000000000000000000000 0000" + "00".repeat(50);
    private static final long VXSWITCH = 0x6e0e_4248_fb13L;

    @Test
    void open_vswitchs_lacpdu_in_sync_puts_the_member_in_sync_and_we_answer_with_the_bytes_we_sent_it() {
        Aggregator us = new Aggregator(new LagOptions("lag0", List.of("ul1"), LacpMode.ACTIVE, LacpRate.FAST,
            LagHashPolicy.L3L4, 32768, VXSWITCH, 2, 32768));
        MemorySegment ovs = MemorySegment.ofArray(hex(FROM_OVS));
        long now = 0;
        us.linkChanged(0, true, now);
        for (; now < 3_000_000_000L; now += 100_000_000L) { // OVS sends every second; the mux waits 2 s
            if (now % 1_000_000_000L == 0) {
                assertThat(us.receive(0, ovs, 14, 110, now)).isEqualTo(Aggregator.Outcome.ACCEPTED);
            }
            us.tick(now);
            if (us.transmitDue(0, now)) {
                us.writeLacpdu(0, MemorySegment.ofArray(new byte[124]), 0, VXSWITCH, now);
            }
        }
        assertThat(us.distributing()).isEqualTo(1);
        LagStatus.Member m = us.status(null).members().getFirst();
        assertThat(m.partner()).isEqualTo(new LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 65535, 1, 0x3f));
        assertThat(m.actor().state()).isEqualTo(0x3f);
        MemorySegment out = MemorySegment.ofArray(new byte[124]);
        us.writeLacpdu(0, out, 0, VXSWITCH, now);
        assertThat(HexFormat.of().formatHex(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)))
            .isEqualTo(FROM_VXSWITCH.replace(" ", ""));
    }

    @Test
    void a_lacpdu_whose_partner_is_not_us_leaves_the_member_out_of_sync() {
        Aggregator other = new Aggregator(new LagOptions("lag0", List.of("ul1"), LacpMode.ACTIVE, LacpRate.FAST,
            LagHashPolicy.L3L4, 32768, VXSWITCH, 3, 32768)); // key 3: OVS's view of us is of key 2
        other.linkChanged(0, true, 0);
        other.receive(0, MemorySegment.ofArray(hex(FROM_OVS)), 14, 110, 0);
        LagStatus.Member m = other.status(null).members().getFirst();
        assertThat(m.partner().state() & LacpState.SYNCHRONIZATION).isZero();
        assertThat(other.transmitDue(0, 0)).as("tells OVS who we are at once").isTrue();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
