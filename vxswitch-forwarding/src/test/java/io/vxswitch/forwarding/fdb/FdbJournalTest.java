package io.vxswitch.forwarding.fdb;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.vxswitch.forwarding.fdb.FdbJournal.Kind.LEARNED;
import static io.vxswitch.forwarding.fdb.FdbJournal.Kind.MOVED;
import static io.vxswitch.forwarding.fdb.FdbJournal.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The change journal the EVPN control plane reads to advertise local MACs and withdraw them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbJournalTest {
    private static final long SECRET = 0x1234_5678_9abc_def0L;
    private static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    private static final long C = 0x02_00_00_00_00_0cL;
    private static final int TUNNEL = 7;
    private static final int VTEP_1 = 1;
    private static final int VTEP_2 = 2;
    private static final int NO = Fdb.NO_REMOTE;

    private final Fdb fdb = new Fdb(16, 8, SECRET);

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    /** Enables the journal and drains the resync a new journal starts with. */
    private void journalOn(int capacity) {
        fdb.enableJournal(capacity);
        assertThat(drain()).containsExactly(Event.RESYNC);
    }

    @Test
    void the_journal_is_off_until_enabled_and_a_new_one_asks_for_a_resync_first() {
        assertThatThrownBy(() -> fdb.drainJournal(new Recorder())).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("enableJournal");
        fdb.learn(10, A, 1, NO_LIMIT, 0);

        fdb.enableJournal(16);

        assertThat(drain()).containsExactly(Event.RESYNC);
        assertThat(drain()).isEmpty();
        assertThatThrownBy(() -> fdb.enableJournal(0)).hasMessageContaining("capacity must be 1-");
    }

    @Test
    void a_new_mac_is_learned_and_a_refresh_is_no_event() {
        journalOn(16);

        fdb.learn(10, A, 1, NO_LIMIT, seconds(1));
        fdb.learn(10, A, 1, NO_LIMIT, seconds(2));
        fdb.learn(20, B, TUNNEL, VTEP_1, NO_LIMIT, seconds(2));

        assertThat(drain()).containsExactly(new Event(LEARNED, 10, A, 1, NO), new Event(LEARNED, 20, B, TUNNEL, VTEP_1));
    }

    @Test
    void a_move_to_another_port_or_vtep_is_an_event_with_where_the_mac_is_now() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, TUNNEL, VTEP_1, NO_LIMIT, 0);
        journalOn(16);

        fdb.learn(10, A, 2, NO_LIMIT, seconds(1));
        fdb.learn(10, B, TUNNEL, VTEP_2, NO_LIMIT, seconds(1));

        assertThat(drain()).containsExactly(new Event(MOVED, 10, A, 2, NO), new Event(MOVED, 10, B, TUNNEL, VTEP_2));
    }

    @Test
    void an_evpn_mac_seen_on_a_local_port_is_moved_there_and_nothing_else_about_evpn_entries_is_an_event() {
        journalOn(16);

        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 1);
        fdb.learn(10, A, TUNNEL, VTEP_2, NO_LIMIT, 0);
        fdb.addEvpn(10, A, TUNNEL, VTEP_2, 2);
        fdb.addEvpn(10, B, TUNNEL, VTEP_2, 1);
        fdb.removeEvpn(10, B);
        fdb.learn(10, A, 3, NO_LIMIT, seconds(1));

        assertThat(drain()).containsExactly(new Event(MOVED, 10, A, 3, NO));
    }

    @Test
    void a_learned_mac_replaced_by_an_evpn_or_static_entry_is_removed() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 2, NO_LIMIT, 0);
        journalOn(16);

        fdb.addEvpn(10, A, TUNNEL, VTEP_1, 3);
        fdb.addStatic(10, B, 4);
        fdb.addStatic(10, A, 4);

        assertThat(drain()).containsExactly(new Event(REMOVED, 10, A, 1, NO), new Event(REMOVED, 10, B, 2, NO));
    }

    @Test
    void aged_evicted_and_removed_macs_are_removed() {
        Fdb small = new Fdb(3, 8, SECRET);
        small.learn(10, A, 1, NO_LIMIT, 0);
        small.learn(10, B, 2, NO_LIMIT, seconds(100));
        small.learn(20, B, 2, NO_LIMIT, seconds(150));
        small.enableJournal(16);
        drain(small);

        small.expire(seconds(300));
        small.learn(10, A, 1, NO_LIMIT, seconds(301));
        small.learn(10, C, 1, NO_LIMIT, seconds(302)); // full: evicts the oldest MAC of port 2, the busiest
        small.remove(10, A);

        assertThat(drain(small)).containsExactly(new Event(REMOVED, 10, A, 1, NO), new Event(LEARNED, 10, A, 1, NO),
            new Event(REMOVED, 10, B, 2, NO), new Event(LEARNED, 10, C, 1, NO), new Event(REMOVED, 10, A, 1, NO));
        assertThat(small.stats().aged()).isEqualTo(1);
        assertThat(small.stats().evicted()).isEqualTo(1);
    }

    @Test
    void flushed_macs_and_those_of_a_port_or_vtep_going_away_are_removed_but_not_static_or_evpn_entries() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 2, NO_LIMIT, 0);
        fdb.learn(10, C, 3, NO_LIMIT, 0);
        fdb.learn(20, A, TUNNEL, VTEP_1, NO_LIMIT, 0);
        fdb.learn(20, B, TUNNEL, VTEP_2, NO_LIMIT, 0);
        fdb.addStatic(30, A, 2);
        fdb.addEvpn(30, B, TUNNEL, VTEP_1, 1);
        journalOn(16);

        fdb.flushPort(1);
        fdb.removePort(2);
        fdb.removeRemote(VTEP_1);
        fdb.flushLearned();

        assertThat(drain()).containsExactly(new Event(REMOVED, 10, A, 1, NO), new Event(REMOVED, 10, B, 2, NO),
            new Event(REMOVED, 20, A, TUNNEL, VTEP_1), new Event(REMOVED, 10, C, 3, NO),
            new Event(REMOVED, 20, B, TUNNEL, VTEP_2));
    }

    @Test
    void a_flapping_mac_frozen_back_home_is_moved_home_and_refused_moves_are_no_events() {
        fdb.setMacMoveGuard(new MacMoveGuard.Options(2, seconds(10), seconds(30)));
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        journalOn(16);

        fdb.learn(10, A, 2, NO_LIMIT, seconds(1));
        fdb.learn(10, A, 3, NO_LIMIT, seconds(2));
        assertThat(fdb.learn(10, A, 2, NO_LIMIT, seconds(3))).isEqualTo(LearnOutcome.FROZEN);
        assertThat(fdb.learn(10, A, 3, NO_LIMIT, seconds(4))).isEqualTo(LearnOutcome.FROZEN);

        assertThat(drain()).containsExactly(new Event(MOVED, 10, A, 2, NO), new Event(MOVED, 10, A, 3, NO),
            new Event(MOVED, 10, A, 1, NO));
    }

    @Test
    void a_flapping_mac_is_frozen_where_it_is_when_its_home_port_filled_up_to_its_limit_meanwhile() {
        fdb.setMacMoveGuard(new MacMoveGuard.Options(2, seconds(10), seconds(30)));
        fdb.setMacLimit(1, 2);
        fdb.learn(10, A, 1, 2, 0);
        fdb.learn(10, A, 2, NO_LIMIT, seconds(1)); // A away: port 1 has room for another
        fdb.learn(10, B, 1, 2, seconds(1));
        fdb.learn(10, C, 1, 2, seconds(1));        // port 1 at its limit of 2
        fdb.learn(10, A, 3, NO_LIMIT, seconds(2));

        assertThat(fdb.learn(10, A, 2, NO_LIMIT, seconds(3))).isEqualTo(LearnOutcome.FROZEN);
        assertThat(fdb.learnedOn(1)).as("home full: A frozen on port 3, not pushed past port 1's limit").isEqualTo(2);
        assertThat(fdb.learnedOn(3)).isEqualTo(1);
    }

    @Test
    void when_the_ring_overflows_events_are_dropped_and_the_next_drain_resyncs_first() {
        journalOn(2);

        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 1, NO_LIMIT, 0);
        fdb.learn(10, C, 1, NO_LIMIT, 0); // dropped
        assertThat(drain()).containsExactly(Event.RESYNC);

        fdb.learn(10, A, 2, NO_LIMIT, seconds(1));
        assertThat(drain()).containsExactly(new Event(MOVED, 10, A, 2, NO));
    }

    @Test
    void events_come_in_order_across_the_end_of_the_ring() {
        journalOn(3);
        List<Event> expected = new ArrayList<>();
        List<Event> seen = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            int port = i % 4;
            fdb.learn(10, A, port, NO_LIMIT, seconds(i));
            expected.add(new Event(i == 0 ? LEARNED : MOVED, 10, A, port, NO));
            if (i % 2 == 1) {
                seen.addAll(drain());
            }
        }

        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void a_visitor_may_rescan_the_table_from_resync() {
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.addEvpn(10, B, TUNNEL, VTEP_1, 1);
        fdb.enableJournal(4);
        Map<Long, Integer> local = new HashMap<>();

        fdb.drainJournal(new FdbJournal.Visitor() {
            @Override
            public void resync() {
                local.clear();
                fdb.forEach((vlan, mac, port, type, lastSeen, moves, remote) -> {
                    if (type == FdbEntryType.LEARNED) {
                        local.put(mac, port);
                    }
                });
            }

            @Override
            public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
                throw new AssertionError("no events yet");
            }
        });

        assertThat(local).isEqualTo(Map.of(A, 1));
    }

    @Test
    void a_visitor_that_throws_does_not_get_the_same_event_again() {
        journalOn(4);
        fdb.learn(10, A, 1, NO_LIMIT, 0);
        fdb.learn(10, B, 1, NO_LIMIT, 0);

        assertThatThrownBy(() -> fdb.drainJournal(new Recorder() {
            @Override
            public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
                throw new IllegalStateException("speaker down");
            }
        })).hasMessage("speaker down");

        assertThat(drain()).containsExactly(new Event(LEARNED, 10, B, 1, NO));
    }

    @Test
    void aging_while_the_journal_is_off_costs_nothing_new() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var counting = (com.sun.management.ThreadMXBean) threads;
        assumeThat(counting.isThreadAllocatedMemorySupported() && counting.isThreadAllocatedMemoryEnabled()).isTrue();
        Fdb table = new Fdb(4096, 64, SECRET);
        learnAndAge(table, 0); // warm up

        long before = counting.getCurrentThreadAllocatedBytes();
        int aged = learnAndAge(table, seconds(1_000));
        long allocated = counting.getCurrentThreadAllocatedBytes() - before;

        assertThat(aged).isEqualTo(4000);
        assertThat(allocated).as("no events made, no journal made").isLessThan(1024);
        table.enableJournal(16);
        assertThat(drain(table)).as("nothing was recorded while off").containsExactly(Event.RESYNC);
    }

    private static int learnAndAge(Fdb table, long start) {
        for (int i = 0; i < 4000; i++) {
            table.learn(0, 0x02_00_00_00_00_00L | i, i % 64, NO_LIMIT, start);
        }
        return table.expire(start + seconds(300));
    }

    /** Several forwarding threads would change the table while the control plane drains: the reader ends in sync. */
    @Test
    void a_reader_draining_while_a_writer_churns_ends_with_exactly_the_learned_macs() throws Exception {
        Fdb table = new Fdb(64, 4, SECRET);
        table.enableJournal(8); // small: overflows and resyncs happen too
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(42);
            for (long now = 1; now < 200_000; now++) {
                long mac = 0x02_00_00_00_00_00L | random.nextInt(100);
                switch (random.nextInt(20)) {
                    case 0 -> table.expire(now);
                    case 1 -> table.addEvpn(1, mac, 3, random.nextInt(2), now);
                    case 2 -> table.removeEvpn(1, mac);
                    case 3 -> table.remove(1, mac);
                    default -> table.learn(1, mac, random.nextInt(3), Fdb.NO_REMOTE, NO_LIMIT, now);
                }
                if (now % 20_000 == 0) {
                    table.flushPort(random.nextInt(3));
                }
            }
            done.set(true);
        });
        Mirror mirror = new Mirror(table);
        writer.start();
        while (!done.get()) {
            table.drainJournal(mirror);
        }
        writer.join();
        table.drainJournal(mirror);

        assertThat(mirror.local).isEqualTo(learned(table));
        assertThat(mirror.resyncs).isGreaterThan(1);
    }

    /** What the control plane would keep: the MACs learned here, from the journal. */
    private static final class Mirror implements FdbJournal.Visitor {
        final Fdb table;
        final Map<Long, Integer> local = new HashMap<>();
        int resyncs;

        Mirror(Fdb table) {
            this.table = table;
        }

        @Override
        public void resync() {
            resyncs++;
            local.clear();
            local.putAll(learned(table));
        }

        @Override
        public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
            if (kind == REMOVED) {
                local.remove(mac);
            } else {
                local.put(mac, port);
            }
        }
    }

    private static Map<Long, Integer> learned(Fdb table) {
        Map<Long, Integer> learned = new HashMap<>();
        table.forEach((vlan, mac, port, type, lastSeen, moves, remote) -> {
            if (type == FdbEntryType.LEARNED) {
                learned.put(mac, port);
            }
        });
        return learned;
    }

    record Event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
        static final Event RESYNC = new Event(null, -1, -1, -1, -1);
    }

    private static class Recorder implements FdbJournal.Visitor {
        final List<Event> events = new ArrayList<>();

        @Override
        public void resync() {
            events.add(Event.RESYNC);
        }

        @Override
        public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
            events.add(new Event(kind, vlan, mac, port, remote));
        }
    }

    private List<Event> drain() {
        return drain(fdb);
    }

    private static List<Event> drain(Fdb table) {
        Recorder r = new Recorder();
        int n = table.drainJournal(r);
        assertThat(n).isEqualTo(r.events.stream().filter(e -> e != Event.RESYNC).count());
        return r.events;
    }
}
