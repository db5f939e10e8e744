package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxswitch.packet.FrameBuilder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RFC 7348 §4.3: what does not fit the underlay is refused, counted and explained, never fragmented. */
class MtuCheckTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    final VxlanCounters counters = new VxlanCounters();
    final List<String> log = new ArrayList<>();
    final MtuCheck mtu1500 = new MtuCheck(1500, counters, log::add, 10 * SECOND);
    final MemorySegment s = MemorySegment.ofArray(new byte[2000]);

    /** An untagged frame carrying an IP packet of {@code ipLength} bytes. */
    int untagged(int ipLength) {
        FrameBuilder.ethernet(s, 0, LabAddresses.VM3, LabAddresses.VM1, 0x0800);
        return 14 + ipLength;
    }

    int tagged(int ipLength) {
        return FrameBuilder.pushVlanTag(s, 0, untagged(ipLength), 119);
    }

    @Test
    void overhead_is_50_over_ipv4_70_over_ipv6_and_4_more_for_a_tagged_inner_frame() {
        assertThat(VxlanOverhead.of(false, false)).isEqualTo(50);
        assertThat(VxlanOverhead.of(true, false)).isEqualTo(70);
        assertThat(VxlanOverhead.of(false, true)).isEqualTo(54);
        assertThat(VxlanOverhead.of(true, true)).isEqualTo(74);
        assertThat(MtuCheck.maxVmMtu(1500, false, false)).isEqualTo(1450);
        assertThat(MtuCheck.maxVmMtu(9000, true, false)).isEqualTo(8930);
    }

    @Test
    void a_vm_mtu_of_exactly_underlay_minus_50_passes_and_one_byte_more_is_refused() {
        assertThat(mtu1500.admit(s, 0, untagged(1450), 119, false, 0)).isTrue();
        assertThat(1450 + 14 + 36).isEqualTo(1500); // the outer IP packet is exactly the MTU
        assertThat(mtu1500.admit(s, 0, untagged(1451), 119, false, 0)).isFalse();
        assertThat(counters.drops(VxlanDrop.MTU_EXCEEDED)).isEqualTo(1);
    }

    @Test
    void over_ipv6_the_limit_is_underlay_minus_70() {
        assertThat(mtu1500.admit(s, 0, untagged(1430), 119, true, 0)).isTrue();
        assertThat(mtu1500.admit(s, 0, untagged(1431), 119, true, 0)).isFalse();
    }

    @Test
    void a_tagged_inner_frame_costs_4_bytes_more() {
        assertThat(mtu1500.admit(s, 0, tagged(1446), 119, false, 0)).isTrue();
        assertThat(mtu1500.admit(s, 0, tagged(1447), 119, false, 0)).isFalse();
        assertThat(mtu1500.admit(s, 0, tagged(1450), 119, false, SECOND)).isFalse();
        assertThat(counters.drops(VxlanDrop.MTU_EXCEEDED)).isEqualTo(2);
        assertThat(log.getFirst()).contains("802.1Q-tagged", "Lower the VM's MTU to 1446 (underlay MTU - 54)");
    }

    @Test
    void the_log_line_says_sizes_and_what_to_do() {
        mtu1500.admit(s, 0, untagged(1500), 119, false, 0);

        assertThat(log).containsExactly("VXLAN: dropped a 1514-byte inner frame on VNI 119 (1500-byte IP packet): "
            + "over IPv4 the outer packet is 1550 bytes, above the underlay MTU 1500, and VTEPs never fragment "
            + "(RFC 7348 §4.3). Lower the VM's MTU to 1450 (underlay MTU - 50) or raise the underlay MTU to at "
            + "least 1550.");
    }

    @Test
    void at_most_one_log_line_per_interval_and_the_next_one_counts_the_rest() {
        for (int i = 0; i < 5; i++) {
            mtu1500.admit(s, 0, untagged(1500), 119, false, i * SECOND); // 0..4 s
        }
        assertThat(log).hasSize(1);
        mtu1500.admit(s, 0, untagged(1500), 119, false, 10 * SECOND - 1);
        assertThat(log).hasSize(1);
        mtu1500.admit(s, 0, untagged(1500), 119, false, 10 * SECOND);

        assertThat(log).hasSize(2);
        assertThat(log.get(1)).endsWith("[5 more such drops since the last message, not logged]");
        assertThat(counters.drops(VxlanDrop.MTU_EXCEEDED)).isEqualTo(7);
    }

    @Test
    void frames_that_fit_never_log() {
        for (int i = 0; i < 100; i++) {
            mtu1500.admit(s, 0, untagged(64 + i), 119, false, i);
        }
        assertThat(log).isEmpty();
        assertThat(counters.totalDrops()).isZero();
    }

    @Test
    void the_underlay_mtu_is_validated() {
        assertThatThrownBy(() -> new MtuCheck(67, counters, log::add)).hasMessageContaining("68..65535");
    }
}
