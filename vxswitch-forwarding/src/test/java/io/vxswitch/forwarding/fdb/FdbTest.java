package io.vxswitch.forwarding.fdb;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbTest {
    private static final long SECRET = 0x1234_5678_9abc_def0L;
    private static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    private static final long C = 0x02_00_00_00_00_0cL;
    private static final long D = 0x02_00_00_00_00_0dL;

    private final Fdb fdb = new Fdb(16, 8, SECRET);

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    @Test
    void a_frame_from_an_unknown_mac_on_p3_is_learned_on_p3() {
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, 0)).isEqualTo(LearnOutcome.LEARNED);

        assertThat(fdb.portOf(10, A)).isEqualTo(3);
        assertThat(fdb.learnedOn(3)).isEqualTo(1);
        assertThat(fdb.size()).isEqualTo(1);
        assertThat(fdb.stats().learned()).isEqualTo(1);
    }

    @Test
    void an_unknown_mac_is_not_found() {
        assertThat(fdb.portOf(10, A)).isEqualTo(Fdb.NOT_FOUND);
    }

    @Test
    void an_unknown_destination_reads_as_no_port_and_no_remote_vtep() {
        long found = fdb.destination(10, A);

        assertThat(found).isEqualTo(Fdb.NOT_FOUND);
        assertThat(Fdb.destinationPort(found)).isEqualTo(Fdb.NOT_FOUND); // the pipeline decodes without a branch
        assertThat(Fdb.destinationRemote(found)).isEqualTo(Fdb.NO_REMOTE);
    }

    @Test
    void the_same_mac_on_two_vlans_is_two_entries() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(20, A, 2, NO_LIMIT, 0);

        assertThat(fdb.portOf(10, A)).isEqualTo(1);
        assertThat(fdb.portOf(20, A)).isEqualTo(2);
        assertThat(fdb.portOf(30, A)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.size()).isEqualTo(2);
    }

    @Test
    void a_mac_seen_again_on_the_same_port_is_refreshed() {
        fdb.learn(10, A, 3, NO_LIMIT, seconds(1));

        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(2))).isEqualTo(LearnOutcome.REFRESHED);
        assertThat(entries()).containsExactly(new Row(10, A, 3, FdbEntryType.LEARNED, seconds(2), 0));
        assertThat(fdb.stats().learned()).isEqualTo(1);
    }

    @Test
    void a_mac_seen_on_another_port_moves_and_the_move_is_counted() {
        fdb.learn(10, A, 1, NO_LIMIT, seconds(1));

        assertThat(fdb.learn(10, A, 2, NO_LIMIT, seconds(2))).isEqualTo(LearnOutcome.MOVED);

        assertThat(fdb.portOf(10, A)).isEqualTo(2);
        assertThat(fdb.learnedOn(1)).isZero();
        assertThat(fdb.learnedOn(2)).isEqualTo(1);
        assertThat(entries()).containsExactly(new Row(10, A, 2, FdbEntryType.LEARNED, seconds(2), 1));
        assertThat(fdb.stats().moved()).isEqualTo(1);
    }

    @Test
    void a_move_onto_a_port_at_its_limit_is_refused_and_the_entry_stays() {
        fdb.learn(10, A, 1, NO_LIMIT, seconds(1));
        fdb.learn(10, B, 2, 1, seconds(1));

        assertThat(fdb.learn(10, A, 2, 1, seconds(2))).isEqualTo(LearnOutcome.LIMIT_REACHED);

        assertThat(fdb.portOf(10, A)).isEqualTo(1);
        assertThat(entries()).contains(new Row(10, A, 1, FdbEntryType.LEARNED, seconds(1), 0));
        assertThat(fdb.stats().moved()).isZero();
        assertThat(fdb.stats().limitReached()).isEqualTo(1);
    }

    @Test
    void entries_idle_past_the_port_aging_time_expire_refreshed_ones_stay() {
        fdb.learn(10, A, 1, NO_LIMIT, seconds(0));
        fdb.learn(10, B, 1, NO_LIMIT, seconds(0));
        fdb.learn(10, C, 1, NO_LIMIT, seconds(0));
        fdb.learn(10, A, 1, NO_LIMIT, seconds(200));

        assertThat(fdb.expire(seconds(299))).isZero();
        assertThat(fdb.expire(seconds(300))).isEqualTo(2);

        assertThat(fdb.portOf(10, A)).isEqualTo(1);
        assertThat(fdb.portOf(10, B)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.portOf(10, C)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.stats().aged()).isEqualTo(2);
        assertThat(fdb.expire(seconds(500))).isEqualTo(1);
        assertThat(fdb.size()).isZero();
    }

    @Test
    void each_port_ages_with_its_own_aging_time() {
        fdb.setAging(2, seconds(15));
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 2, NO_LIMIT, 0);

        assertThat(fdb.nextExpiry()).isEqualTo(seconds(15));
        assertThat(fdb.expire(seconds(15))).isEqualTo(1);

        assertThat(fdb.portOf(10, A)).isEqualTo(1);
        assertThat(fdb.portOf(10, B)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.nextExpiry()).isEqualTo(Fdb.DEFAULT_AGING_NANOS);
        assertThat(fdb.aging(2)).isEqualTo(seconds(15));
    }

    @Test
    void with_nothing_learned_there_is_no_next_expiry() {
        fdb.addStatic(10, A, 1);

        assertThat(fdb.nextExpiry()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void static_entries_never_age_or_move() {
        assertThat(fdb.addStatic(10, A, 1)).isTrue();

        assertThat(fdb.learn(10, A, 2, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.STATIC_ENTRY);
        assertThat(fdb.learn(10, A, 1, NO_LIMIT, seconds(1))).isEqualTo(LearnOutcome.STATIC_ENTRY);
        assertThat(fdb.expire(seconds(1_000_000))).isZero();

        assertThat(entries()).containsExactly(new Row(10, A, 1, FdbEntryType.STATIC, 0, 0));
        assertThat(fdb.learnedOn(1)).isZero();
        assertThat(fdb.stats().moved()).isZero();
    }

    @Test
    void a_static_entry_replaces_a_learned_one_and_takes_it_off_aging() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, A, 2, NO_LIMIT, 0);

        assertThat(fdb.addStatic(10, A, 3)).isTrue();

        assertThat(entries()).containsExactly(new Row(10, A, 3, FdbEntryType.STATIC, 0, 0));
        assertThat(fdb.learnedOn(2)).isZero();
        assertThat(fdb.expire(seconds(1000))).isZero();
        assertThat(fdb.size()).isEqualTo(1);
    }

    @Test
    void a_static_entry_can_be_repointed() {
        fdb.addStatic(10, A, 1);

        assertThat(fdb.addStatic(10, A, 2)).isTrue();

        assertThat(fdb.portOf(10, A)).isEqualTo(2);
        assertThat(fdb.size()).isEqualTo(1);
        assertThat(fdb.removePort(1)).isZero();
        assertThat(fdb.removePort(2)).isEqualTo(1);
    }

    @Test
    void at_the_limit_a_new_mac_is_refused_but_a_known_one_refreshes() {
        fdb.learn(10, A, 1, 2, 0);
        fdb.learn(10, B, 1, 2, 0);

        assertThat(fdb.learn(10, C, 1, 2, seconds(1))).isEqualTo(LearnOutcome.LIMIT_REACHED);
        assertThat(fdb.learn(10, A, 1, 2, seconds(1))).isEqualTo(LearnOutcome.REFRESHED);

        assertThat(fdb.portOf(10, C)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.learnedOn(1)).isEqualTo(2);
        assertThat(fdb.stats().limitReached()).isEqualTo(1);
    }

    @Test
    void a_limit_of_zero_learns_nothing() {
        assertThat(fdb.learn(10, A, 1, 0, 0)).isEqualTo(LearnOutcome.LIMIT_REACHED);
        assertThat(fdb.size()).isZero();
    }

    @Test
    void full_table_evicts_from_the_port_holding_most_macs() {
        Fdb small = new Fdb(6, 4, SECRET);
        small.learn(1, 0x02_00_00_00_01_01L, 1, NO_LIMIT, 1);
        small.learn(1, 0x02_00_00_00_01_02L, 1, NO_LIMIT, 2);
        small.learn(1, 0x02_00_00_00_02_01L, 2, NO_LIMIT, 3); // oldest in the table, but p2 holds few MACs
        for (int i = 1; i <= 3; i++) {
            small.learn(1, 0x02_00_00_00_03_00L + i, 3, NO_LIMIT, 3 + i); // the flooder, with the most MACs
        }
        small.learn(1, 0x02_00_00_00_03_01L, 3, NO_LIMIT, 10); // refreshed: 03:02 is now p3's oldest

        assertThat(small.learn(1, 0x02_00_00_00_01_03L, 1, NO_LIMIT, 11)).isEqualTo(LearnOutcome.LEARNED);

        assertThat(small.portOf(1, 0x02_00_00_00_03_02L)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(small.portOf(1, 0x02_00_00_00_02_01L)).isEqualTo(2);
        assertThat(small.learnedOn(3)).isEqualTo(2);
        assertThat(small.size()).isEqualTo(6);
        assertThat(small.stats().evicted()).isEqualTo(1);
    }

    @Test
    void a_port_that_catches_up_with_the_busiest_evicts_its_own_macs_not_the_other_ports() {
        Fdb small = new Fdb(4, 4, SECRET);
        small.learn(1, 0x02_00_00_00_01_01L, 1, NO_LIMIT, 1); // p1 first: the heap keeps it on top of a tie
        small.learn(1, 0x02_00_00_00_01_02L, 1, NO_LIMIT, 2);
        small.learn(1, 0x02_00_00_00_03_01L, 3, NO_LIMIT, 3);
        small.learn(1, 0x02_00_00_00_03_02L, 3, NO_LIMIT, 4); // full; p1 and p3 hold two each

        assertThat(small.learn(1, 0x02_00_00_00_03_03L, 3, NO_LIMIT, 5)).isEqualTo(LearnOutcome.LEARNED);

        assertThat(small.portOf(1, 0x02_00_00_00_03_01L)).as("p3's oldest made room").isEqualTo(Fdb.NOT_FOUND);
        assertThat(small.learnedOn(1)).as("p1 keeps both MACs").isEqualTo(2);
        assertThat(small.learnedOn(3)).isEqualTo(2);
    }

    @Test
    void a_port_flooding_a_full_table_with_new_macs_never_evicts_the_macs_of_other_ports() {
        Fdb small = new Fdb(64, 8, SECRET);
        for (int port = 1; port <= 3; port++) {
            small.learn(1, 0x02_00_00_00_00_00L + port, port, NO_LIMIT, port); // three VMs, one MAC each
        }
        long now = 10;
        for (long mac = 0; mac < 100_000; mac++) {
            small.learn(1, 0x0a_00_00_00_00_00L + mac, 5, NO_LIMIT, now++);
            assertThat(small.size()).isLessThanOrEqualTo(64);
        }

        for (int port = 1; port <= 3; port++) {
            assertThat(small.portOf(1, 0x02_00_00_00_00_00L + port)).as("the VM on p" + port).isEqualTo(port);
        }
        assertThat(small.learnedOn(5)).isEqualTo(61);
        assertThat(small.stats().evicted()).isEqualTo(100_000 - 61);
    }

    @Test
    void a_table_full_of_static_entries_refuses_new_macs() {
        Fdb small = new Fdb(2, 4, SECRET);
        small.addStatic(1, A, 1);
        small.addStatic(1, B, 2);

        assertThat(small.learn(1, C, 3, NO_LIMIT, 0)).isEqualTo(LearnOutcome.TABLE_FULL);
        assertThat(small.addStatic(1, C, 3)).isFalse();
        assertThat(small.addStatic(1, B, 3)).as("replacing an existing static entry needs no room").isTrue();
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void a_static_entry_makes_room_by_evicting_a_learned_one() {
        Fdb small = new Fdb(2, 4, SECRET);
        small.addStatic(1, A, 1);
        small.learn(1, B, 2, NO_LIMIT, 0);

        assertThat(small.addStatic(1, C, 3)).isTrue();

        assertThat(small.portOf(1, B)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(small.portOf(1, C)).isEqualTo(3);
        assertThat(small.stats().evicted()).isEqualTo(1);
    }

    @Test
    void flushing_a_port_forgets_its_learned_macs_but_keeps_static_ones() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 1, NO_LIMIT, 0);
        fdb.learn(10, C, 2, NO_LIMIT, 0);
        fdb.addStatic(10, D, 1);

        assertThat(fdb.flushPort(1)).isEqualTo(2);

        assertThat(fdb.portOf(10, A)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.portOf(10, C)).isEqualTo(2);
        assertThat(fdb.portOf(10, D)).isEqualTo(1);
        assertThat(fdb.learnedOn(1)).isZero();
    }

    @Test
    void flushing_learned_macs_keeps_static_ones() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 2, NO_LIMIT, 0);
        fdb.addStatic(10, D, 1);

        assertThat(fdb.flushLearned()).isEqualTo(2);

        assertThat(entries()).containsExactly(new Row(10, D, 1, FdbEntryType.STATIC, 0, 0));
    }

    @Test
    void a_port_going_away_takes_its_static_entries_too() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.addStatic(10, B, 1);
        fdb.addStatic(10, C, 2);

        assertThat(fdb.removePort(1)).isEqualTo(2);

        assertThat(entries()).containsExactly(new Row(10, C, 2, FdbEntryType.STATIC, 0, 0));
    }

    @Test
    void removing_an_entry_forgets_it_whatever_its_type() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.addStatic(10, B, 1);

        assertThat(fdb.remove(10, A)).isTrue();
        assertThat(fdb.remove(10, B)).isTrue();
        assertThat(fdb.remove(10, B)).isFalse();
        assertThat(fdb.size()).isZero();
        assertThat(fdb.learnedOn(1)).isZero();
    }

    @Test
    void stats_report_size_capacity_and_totals() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, A, 2, NO_LIMIT, 0);
        fdb.learn(10, B, 2, 1, 0);
        fdb.expire(seconds(300));

        assertThat(fdb.stats()).isEqualTo(new FdbStats(0, 16, 1, 1, 1, 0, 1, 0, 0));
    }

    @Test
    void bad_ports_vlans_and_macs_are_rejected_with_the_value() {
        assertThatThrownBy(() -> fdb.learn(10, A, 8, NO_LIMIT, 0)).hasMessageContaining("port 8");
        assertThatThrownBy(() -> fdb.learn(4096, A, 1, NO_LIMIT, 0)).hasMessageContaining("VLAN 4096");
        assertThatThrownBy(() -> fdb.portOf(-1, A)).hasMessageContaining("VLAN -1");
        assertThatThrownBy(() -> fdb.portOf(1, 1L << 48)).hasMessageContaining("MAC 0x1000000000000");
        assertThatThrownBy(() -> fdb.setAging(1, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Fdb(0, 1, 0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new Fdb(1, 0, 0)).hasMessageContaining("port");
    }

    @Test
    void the_extremes_of_vlan_and_mac_are_valid_keys() {
        fdb.learn(0, 0, 0, NO_LIMIT, 0);
        fdb.learn(4095, 0xFFFF_FFFF_FFFFL, 7, NO_LIMIT, 0);

        assertThat(fdb.portOf(0, 0)).isZero();
        assertThat(fdb.portOf(4095, 0xFFFF_FFFF_FFFFL)).isEqualTo(7);
        assertThat(entries()).containsExactlyInAnyOrder(
            new Row(0, 0, 0, FdbEntryType.LEARNED, 0, 0),
            new Row(4095, 0xFFFF_FFFF_FFFFL, 7, FdbEntryType.LEARNED, 0, 0));
    }

    @Test
    void learning_and_lookup_allocate_nothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var counting = (com.sun.management.ThreadMXBean) threads;
        assumeThat(counting.isThreadAllocatedMemorySupported() && counting.isThreadAllocatedMemoryEnabled()).isTrue();
        Fdb table = new Fdb(1024, 64, SECRET);
        churn(table, 0); // warm up, let the JIT settle

        long before = counting.getCurrentThreadAllocatedBytes();
        long sink = churn(table, 1_000_000_000L);
        long allocated = counting.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotZero();
        // getCurrentThreadAllocatedBytes itself may allocate a few bytes; a boxed key per call would be megabytes.
        assertThat(allocated).isLessThan(1024);
    }

    private static long churn(Fdb table, long start) {
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            long mac = 0x02_00_00_00_00_00L | (i * 7919L % 3000);
            int port = i % 64;
            long now = start + i;
            sink += table.learn(i % 3, mac, port, 40, now).ordinal();
            sink += table.portOf(i % 3, mac);
            if (i % 1000 == 0) {
                sink += table.expire(now);
            }
        }
        return sink;
    }

    record Row(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves) {
    }

    private List<Row> entries() {
        List<Row> rows = new ArrayList<>();
        fdb.forEach((vlan, mac, port, type, lastSeen, moves, remote) -> rows.add(new Row(vlan, mac, port, type, lastSeen,
            moves)));
        return rows;
    }
}
