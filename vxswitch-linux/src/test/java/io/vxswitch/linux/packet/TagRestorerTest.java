package io.vxswitch.linux.packet;

import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class TagRestorerTest {

    @Test
    void the_tag_goes_back_after_the_source_mac_and_the_payload_stays_in_place() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(128);
            int length = FrameBuilder.arpRequest(s, 4, 0x0200_0000_0001L, Ipv4Address.of(192, 0, 2, 1),
                Ipv4Address.of(192, 0, 2, 2));
            MemorySegment expected = arena.allocate(128);
            int tagged = FrameBuilder.pushTag(s, 4, length, expected, 0, EtherType.QINQ, Dot1q.tci(3, false, 119));

            long start = TagRestorer.restore(s, 4, EtherType.QINQ, Dot1q.tci(3, false, 119));

            assertThat(start).isZero();
            assertThat(s.asSlice(0, tagged).toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(expected.asSlice(0, tagged).toArray(ValueLayout.JAVA_BYTE));
            assertThat(Ethernet.etherType(s, 0)).isEqualTo(EtherType.QINQ);
        }
    }

    @Test
    void tpid_defaults_to_802_1q_unless_the_kernel_says_otherwise() {
        assertThat(TagRestorer.tpid(TpacketAuxdata.TP_STATUS_VLAN_VALID, 0x88A8)).isEqualTo(EtherType.VLAN);
        assertThat(TagRestorer.tpid(TpacketAuxdata.TP_STATUS_VLAN_VALID | TpacketAuxdata.TP_STATUS_VLAN_TPID_VALID,
            0x88A8)).isEqualTo(EtherType.QINQ);
        assertThat(TagRestorer.hasStrippedTag(TpacketAuxdata.TP_STATUS_VLAN_VALID, 0)).as("priority tag, VID 0")
            .isTrue();
        assertThat(TagRestorer.hasStrippedTag(0, 0)).isFalse();
        assertThat(TagRestorer.hasStrippedTag(0, 119)).as("kernels before VLAN_VALID").isTrue();
    }

    @Test
    void the_auxdata_message_is_found_among_others() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(128);
            // An unrelated 4-byte message first (SOL_SOCKET/SO_TIMESTAMP-like), then PACKET_AUXDATA.
            c.set(ValueLayout.JAVA_LONG, 0, 20);
            c.set(ValueLayout.JAVA_INT, 8, 1);
            c.set(ValueLayout.JAVA_INT, 12, 29);
            long second = CmsgHdr.align(20);
            c.set(ValueLayout.JAVA_LONG, second, CmsgHdr.dataOffset() + TpacketAuxdata.SIZE);
            c.set(ValueLayout.JAVA_INT, second + 8, TpacketAuxdata.SOL_PACKET);
            c.set(ValueLayout.JAVA_INT, second + 12, TpacketAuxdata.PACKET_AUXDATA);
            long end = second + CmsgHdr.space(TpacketAuxdata.SIZE);

            assertThat(TagRestorer.findAuxdata(c, 0, end)).isEqualTo(second + 16);
            assertThat(TagRestorer.findAuxdata(c, 0, second)).as("cut before it").isEqualTo(-1);
            assertThat(TagRestorer.findAuxdata(c, 0, 0)).isEqualTo(-1);
        }
    }
}
