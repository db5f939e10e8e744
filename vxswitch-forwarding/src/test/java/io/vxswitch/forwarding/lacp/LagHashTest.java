package io.vxswitch.forwarding.lacp;

import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Malformation;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

class LagHashTest {
    @Test
    void distribution_picks_only_distributing_members_and_spreads_flows_evenly() {
        LagDistribution d = new LagDistribution(3, LagHashPolicy.L3L4);
        d.set(0b101);
        int[] hits = new int[3];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 30_000; i++) {
            hits[d.pick(r.nextInt())]++;
        }
        assertThat(hits[1]).isZero();
        assertThat(hits[0]).isBetween(14_000, 16_000);
        assertThat(d.collecting(1)).isFalse();
        assertThat(d.mask()).isEqualTo(0b101);
    }

    @Test
    void l3l4_spreads_udp_flows_between_two_hosts_that_l2_keeps_on_one_member() {
        LagDistribution d = new LagDistribution(2, LagHashPolicy.L3L4);
        d.set(0b11);
        java.util.Set<Integer> l3l4 = new java.util.HashSet<>();
        java.util.Set<Integer> l2 = new java.util.HashSet<>();
        for (int port = 5000; port < 5016; port++) {
            FrameMeta f = udp(port, 0);
            l3l4.add(d.pick(LagHash.hash(LagHashPolicy.L3L4, f)));
            l2.add(d.pick(LagHash.hash(LagHashPolicy.L2, f)));
        }
        assertThat(l3l4).containsExactlyInAnyOrder(0, 1);
        assertThat(l2).hasSize(1);
    }

    @Test
    void every_fragment_of_a_datagram_hashes_alike_and_a_frame_that_is_not_ip_falls_back_to_l2() {
        assertThat(LagHash.l3l4(udp(5000, 0x2000))).isEqualTo(LagHash.l3l4(udp(6000, 0x00B9)));
        assertThat(LagHash.l3l4(udp(5000, 0))).isNotEqualTo(LagHash.l3l4(udp(5001, 0)));
        MemorySegment arpFrame = MemorySegment.ofArray(new byte[64]);
        int n = FrameBuilder.arpRequest(arpFrame, 0, 0x0200_0000_0001L, 0x0A00_0001, 0x0A00_0002);
        FrameMeta arp = parse(arpFrame, n);
        assertThat(LagHash.l3l4(arp)).isEqualTo(LagHash.l2(arp));
    }

    private static FrameMeta udp(int srcPort, int flagsFragment) {
        MemorySegment frame = MemorySegment.ofArray(new byte[128]);
        int n = FrameBuilder.udp(frame, 0, 0x0200_0000_0001L, 0x0200_0000_0002L, 0x0A00_0001, 0x0A00_0002, srcPort,
            9, MemorySegment.ofArray(new byte[32]));
        if (flagsFragment != 0) {
            io.vxswitch.packet.Ipv4.flagsFragment(frame, 14, flagsFragment);
        }
        return parse(frame, n);
    }

    private static FrameMeta parse(MemorySegment frame, int length) {
        FrameMeta f = new FrameMeta();
        assertThat(FrameParser.parse(frame, 0, length, f)).isEqualTo(Malformation.NONE);
        return f;
    }
}
