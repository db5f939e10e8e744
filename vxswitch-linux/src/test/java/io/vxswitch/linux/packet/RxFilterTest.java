package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.ffi.TpacketAuxdata;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.offload.VirtioNetHeader;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class RxFilterTest {
    private static final int VNET = VirtioNetHeader.LENGTH;
    private static final int FRAME = 4 + VNET; // headroom, header, frame: as a packet socket's slot holds them
    private static final int MAX = 1500 + 22;
    private static final int TCI = Dot1q.tci(0, false, 119);

    private final IoCounters counters = new IoCounters();

    @Test
    void a_frame_the_kernel_finished_is_admitted_where_it_is_and_counted() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            int length = arp(s);

            assertThat(RxFilter.admit(counters, s, FRAME, length, MAX, 0, 0, 0, 0)).isEqualTo(FRAME);
            assertThat(counters.get(IoCounter.RX_FRAMES)).isEqualTo(1);
            assertThat(counters.get(IoCounter.RX_BYTES)).isEqualTo(length);
        }
    }

    @Test
    void a_partial_checksum_is_dropped_without_the_vnet_header_and_taken_with_it() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            int length = arp(s);
            int partial = TpacketAuxdata.TP_STATUS_CSUMNOTREADY;

            assertThat(RxFilter.admit(counters, s, FRAME, length, MAX, partial, 0, 0, 0)).isEqualTo(RxFilter.DROPPED);
            assertThat(counters.get(IoCounter.RX_PARTIAL_CHECKSUM_DROPS)).isEqualTo(1);

            VirtioNetHeader.write(s, FRAME - VNET, VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 34, 6);
            assertThat(RxFilter.admit(counters, s, FRAME, length, MAX, partial, 0, 0, VNET)).isEqualTo(FRAME);
        }
    }

    @Test
    void a_super_frame_with_a_final_checksum_is_refused_and_one_left_to_fill_in_is_taken() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            int length = arp(s);
            VirtioNetHeader.write(s, FRAME - VNET, VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.GSO_TCPV4, 54, 1448,
                0, 0);

            assertThat(RxFilter.admit(counters, s, FRAME, length, 65_557, 0, 0, 0, VNET)).isEqualTo(RxFilter.DROPPED);
            assertThat(counters.get(IoCounter.RX_LRO_DROPS)).isEqualTo(1);

            VirtioNetHeader.write(s, FRAME - VNET, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 54, 1448,
                34, 16);
            assertThat(RxFilter.admit(counters, s, FRAME, length, 65_557, 0, 0, 0, VNET)).isEqualTo(FRAME);
        }
    }

    @Test
    void a_restored_tag_moves_the_vnet_header_along_and_its_offsets_by_four() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            int length = arp(s);
            MemorySegment expected = arena.allocate(256);
            int tagged = FrameBuilder.pushTag(s, FRAME, length, expected, 0, EtherType.VLAN, TCI);
            VirtioNetHeader.write(s, FRAME - VNET, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 54, 1448,
                34, 16);

            long at = RxFilter.admit(counters, s, FRAME, length, 65_557, TpacketAuxdata.TP_STATUS_VLAN_VALID, TCI, 0,
                VNET);

            assertThat(at).isEqualTo(FRAME - Dot1q.LENGTH);
            assertThat(s.asSlice(at, tagged).toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(expected.asSlice(0, tagged).toArray(ValueLayout.JAVA_BYTE));
            long header = at - VNET;
            assertThat(VirtioNetHeader.flags(s, header)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
            assertThat(VirtioNetHeader.gsoType(s, header)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
            assertThat(VirtioNetHeader.gsoSize(s, header)).isEqualTo(1448);
            assertThat(VirtioNetHeader.hdrLen(s, header)).isEqualTo(58);
            assertThat(VirtioNetHeader.csumStart(s, header)).isEqualTo(38);
            assertThat(VirtioNetHeader.csumOffset(s, header)).isEqualTo(16);
            assertThat(counters.get(IoCounter.RX_VLAN_TAGS_RESTORED)).isEqualTo(1);
            assertThat(counters.get(IoCounter.RX_BYTES)).isEqualTo(tagged);
        }
    }

    @Test
    void a_tag_that_would_make_the_frame_too_long_drops_it() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(256);
            int length = arp(s);

            assertThat(RxFilter.admit(counters, s, FRAME, length, length + 3, TpacketAuxdata.TP_STATUS_VLAN_VALID,
                TCI, 0, 0)).isEqualTo(RxFilter.DROPPED);
            assertThat(counters.get(IoCounter.RX_OVERSIZE_DROPS)).isEqualTo(1);
            assertThat(counters.get(IoCounter.RX_FRAMES)).isZero();
        }
    }

    private static int arp(MemorySegment s) {
        return FrameBuilder.arpRequest(s, FRAME, 0x0200_0000_0001L, Ipv4Address.of(192, 0, 2, 1),
            Ipv4Address.of(192, 0, 2, 2));
    }
}
