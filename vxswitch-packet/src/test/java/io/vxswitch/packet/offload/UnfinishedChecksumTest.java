package io.vxswitch.packet.offload;

import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/** A checksum left for a NIC (CHECKSUM_PARTIAL) is told from a finished one, cheaply and without false alarms. */
class UnfinishedChecksumTest {
    static final int L3 = Ethernet.HEADER_LENGTH;
    static final int L4 = L3 + Ipv4.MIN_HEADER_LENGTH;
    final MemorySegment s = MemorySegment.ofArray(new byte[4096]);

    /** Fills in the TCP checksum of the frame SegmenterTest built, as a NIC would. */
    private void finishTcp(boolean v6, int length) {
        int l4 = v6 ? L3 + Ipv6.LENGTH : L4;
        int tcpLength = length - l4;
        long pseudo = v6 ? Ipv6PseudoHeader.sum(s, L3, Ipv6.NEXT_HEADER_TCP, tcpLength)
            : Ipv4.pseudoHeaderSum(Ipv4.src(s, L3), Ipv4.dst(s, L3), Ipv4.PROTOCOL_TCP, tcpLength);
        Wire.putU16(s, l4 + 16, 0);
        Wire.putU16(s, l4 + 16, InternetChecksum.checksum(s, l4, tcpLength, pseudo));
    }

    @Test
    void a_tcp_segment_whose_checksum_field_holds_the_pseudo_header_sum_is_unfinished_over_ipv4_and_ipv6() {
        for (boolean v6 : new boolean[] {false, true}) {
            int length = SegmenterTest.superFrame(s, v6, 0, SegmenterTest.payload(1200, 9));
            assertThat(UnfinishedChecksum.test(s, 0, length)).as("v6 %s, as the kernel left it", v6).isTrue();
            finishTcp(v6, length);
            assertThat(UnfinishedChecksum.test(s, 0, length)).as("v6 %s, finished", v6).isFalse();
        }
    }

    @Test
    void a_udp_datagram_with_its_checksum_left_unfinished_is_recognised_and_one_without_a_checksum_is_not() {
        MemorySegment payload = MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7});
        int length = FrameBuilder.udp(s, 0, 0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 0x0A000001, 0x0A000002,
            40000, 5201, payload);
        assertThat(UnfinishedChecksum.test(s, 0, length)).as("finished by FrameBuilder").isFalse();
        Wire.putU16(s, L4 + Udp.CHECKSUM_OFFSET, InternetChecksum.fold(Ipv4.pseudoHeaderSum(0x0A000001, 0x0A000002,
            Ipv4.PROTOCOL_UDP, Udp.LENGTH + 7)));
        assertThat(UnfinishedChecksum.test(s, 0, length)).isTrue();
        Wire.putU16(s, L4 + Udp.CHECKSUM_OFFSET, 0);
        assertThat(UnfinishedChecksum.test(s, 0, length)).as("no checksum (IPv4)").isFalse();
    }

    @Test
    void a_finished_checksum_that_equals_the_pseudo_header_sum_by_chance_is_not_unfinished() {
        int length = SegmenterTest.superFrame(s, false, 0, SegmenterTest.payload(1200, 9));
        int tcpLength = length - L4;
        long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(s, L3), Ipv4.dst(s, L3), Ipv4.PROTOCOL_TCP, tcpLength);
        int p = InternetChecksum.fold(pseudo);
        // Choose the last two payload bytes so that the correct checksum is exactly the pseudo-header sum.
        Wire.putU16(s, length - 2, 0);
        Wire.putU16(s, L4 + 16, 0);
        long rest = InternetChecksum.add(s, L4, tcpLength, pseudo) + p;
        Wire.putU16(s, length - 2, InternetChecksum.finish(rest));
        Wire.putU16(s, L4 + 16, p);
        assertThat(InternetChecksum.verify(s, L4, tcpLength, pseudo)).as("a correct checksum").isTrue();
        assertThat(UnfinishedChecksum.test(s, 0, length)).isFalse();
    }

    @Test
    void anything_it_cannot_read_is_not_unfinished() {
        int arp = FrameBuilder.arpRequest(s, 0, 0x02_00_00_00_00_01L, 0x0A000001, 0x0A000002);
        assertThat(UnfinishedChecksum.test(s, 0, arp)).isFalse();
        int length = SegmenterTest.superFrame(s, false, 0, SegmenterTest.payload(1200, 9));
        assertThat(UnfinishedChecksum.test(s, 0, length - 1)).as("cut short").isFalse();
        assertThat(UnfinishedChecksum.test(s, 0, 40)).as("shorter than the headers").isFalse();
        Ipv4.flagsFragment(s, L3, Ipv4.FLAG_MORE_FRAGMENTS);
        assertThat(UnfinishedChecksum.test(s, 0, length)).as("a fragment").isFalse();
        assertThat(UnfinishedChecksum.test(s, 0, FrameBuilder.icmpEcho(s, 0, 1L, 2L, 0x0A000001, 0x0A000002, true,
            1, 1))).as("ICMP").isFalse();
    }
}
