package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteVtepsTest {
    final RemoteVteps vteps = new RemoteVteps(4);
    static final VtepAddress B = VtepAddress.parse("192.0.2.2");
    static final VtepAddress C = VtepAddress.parse("198.51.100.7");
    static final VtepAddress B6 = VtepAddress.parse("2001:db8::2");

    @Test
    void each_lane_counts_its_own_packets_and_a_vteps_count_is_their_sum() throws Exception {
        RemoteVteps shared = new RemoteVteps(4, 2);
        int b = shared.register(B);
        Thread[] lanes = new Thread[2];
        for (int lane = 0; lane < 2; lane++) {
            int l = lane;
            lanes[lane] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500_000; i++) {
                    shared.countRx(l, b, 1);
                    shared.countTx(l, b, 2);
                }
            });
        }
        for (Thread t : lanes) {
            t.join();
        }

        assertThat(shared.rxPackets(b)).as("no count lost between two threads").isEqualTo(1_000_000);
        assertThat(shared.txPackets(b)).isEqualTo(2_000_000);
        shared.remove(B);
        assertThat(shared.register(C)).as("the id again, its counts from zero").isEqualTo(b);
        assertThat(shared.rxPackets(b)).isZero();
    }

    @Test
    void each_address_gets_a_small_stable_id_and_lookups_go_both_ways() {
        int b = vteps.register(B);
        int b6 = vteps.register(B6);

        assertThat(b).isZero();
        assertThat(b6).isEqualTo(1);
        assertThat(vteps.register(B)).isEqualTo(b);
        assertThat(vteps.idOf(B6)).isEqualTo(b6);
        assertThat(vteps.idOfIpv4(0xC0000202)).isEqualTo(b);
        assertThat(vteps.idOf(B6.high(), B6.low())).isEqualTo(b6);
        assertThat(vteps.address(b6)).isEqualTo(B6);
        assertThat(vteps.isIpv4(b)).isTrue();
        assertThat(vteps.ipv4(b)).isEqualTo(0xC0000202);
        assertThat(vteps.isIpv4(b6)).isFalse();
        assertThat(vteps.idOf(C)).isEqualTo(RemoteVteps.NONE);
        assertThat(vteps.size()).isEqualTo(2);
        assertThat(vteps).hasToString("RemoteVteps{0=192.0.2.2, 1=2001:db8::2}");
    }

    @Test
    void removal_tells_listeners_first_then_frees_the_id_for_reuse_lowest_first() {
        List<Integer> removed = new ArrayList<>();
        vteps.onRemove(id -> {
            assertThat(vteps.contains(id)).as("still registered while listeners run").isTrue();
            removed.add(id);
        });
        vteps.register(B);
        int c = vteps.register(C);
        vteps.register(B6);

        assertThat(vteps.remove(C)).isEqualTo(c);
        assertThat(vteps.remove(C)).isEqualTo(RemoteVteps.NONE);
        assertThat(removed).containsExactly(c);
        assertThat(vteps.contains(c)).isFalse();
        assertThat(vteps.address(c)).isNull();
        assertThat(vteps.idOf(C)).isEqualTo(RemoteVteps.NONE);
        assertThat(vteps.register(VtepAddress.parse("203.0.113.9"))).isEqualTo(c);
        assertThat(vteps.idOf(B6)).isEqualTo(2);
    }

    @Test
    void multicast_and_unspecified_addresses_are_not_vteps_and_a_full_registry_says_so() {
        assertThatThrownBy(() -> vteps.register(VtepAddress.parse("239.1.1.1")))
            .hasMessageContaining("not a unicast address").hasMessageContaining("flood list");
        assertThatThrownBy(() -> vteps.register(VtepAddress.parse("0.0.0.0"))).hasMessageContaining("not a unicast");
        for (int i = 1; i <= 4; i++) {
            vteps.register(VtepAddress.ipv4(0xC0000200 + i));
        }
        assertThatThrownBy(() -> vteps.register(B6)).hasMessageContaining("all 4 ids are in use");
    }

    @Test
    void a_large_registry_keeps_every_mapping_through_churn() {
        RemoteVteps big = new RemoteVteps(5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(big.register(VtepAddress.ipv6(0x2001_0DB8L << 32, i))).isEqualTo(i);
        }
        for (int i = 0; i < 5000; i += 3) {
            big.remove(VtepAddress.ipv6(0x2001_0DB8L << 32, i));
        }
        for (int i = 0; i < 5000; i++) {
            assertThat(big.idOf(0x2001_0DB8L << 32, i)).isEqualTo(i % 3 == 0 ? RemoteVteps.NONE : i);
        }
    }
}
