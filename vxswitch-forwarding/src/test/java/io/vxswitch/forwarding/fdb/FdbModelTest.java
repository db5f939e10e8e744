package io.vxswitch.forwarding.fdb;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based test: random sequences of operations run against the FDB and against a plain {@link HashMap}, and after
 * every step lookups, size, per-port counts, the visited entries, the next expiry and the stats must agree. A tiny
 * key space, a tiny table and short aging times make refreshes, moves, limits, evictions and expiry all common.
 */
class FdbModelTest {
    private static final int PORTS = 4;
    private static final int[] VLANS = {0, 7, 4095};
    private static final long[] MACS = {0x0L, 0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 0x02_00_00_00_00_03L,
        0xFE_FF_FF_FF_FF_FEL};

    @Property(tries = 400)
    void the_fdb_agrees_with_a_map_model_after_every_step(@ForAll("chains") ActionChain<Harness> chain) {
        chain.withInvariant("FDB agrees with model", Harness::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Harness>> chains() {
        return Arbitraries.integers().between(1, 10).flatMap(capacity ->
            ActionChain.startWith(() -> new Harness(capacity))
                .withAction(6, action(Combinators.combine(vlans(), macs(), ports(), limits(), steps())
                    .as((vlan, mac, port, limit, dt) -> Transformer.mutate(
                        "learn vlan " + vlan + " mac " + Long.toHexString(mac) + " on p" + port + " limit " + limit
                            + " after " + dt, h -> h.learn(vlan, mac, port, limit, dt)))))
                .withAction(2, action(Combinators.combine(vlans(), macs(), ports()).as((vlan, mac, port) ->
                    Transformer.mutate("static vlan " + vlan + " mac " + Long.toHexString(mac) + " on p" + port,
                        h -> h.addStatic(vlan, mac, port)))))
                .withAction(1, action(Combinators.combine(vlans(), macs()).as((vlan, mac) ->
                    Transformer.mutate("remove vlan " + vlan + " mac " + Long.toHexString(mac),
                        h -> h.remove(vlan, mac)))))
                .withAction(2, action(steps().map(dt ->
                    Transformer.mutate("expire after " + dt, h -> h.expire(dt)))))
                .withAction(1, action(Combinators.combine(ports(), Arbitraries.longs().between(1, 300))
                    .as((port, aging) -> Transformer.mutate("aging of p" + port + " = " + aging,
                        h -> h.setAging(port, aging)))))
                .withAction(1, action(ports().map(port ->
                    Transformer.mutate("flush p" + port, h -> h.flushPort(port)))))
                .withAction(1, action(ports().map(port ->
                    Transformer.mutate("remove p" + port, h -> h.removePort(port)))))
                .withAction(1, action(Arbitraries.just(
                    Transformer.<Harness>mutate("flush learned", Harness::flushLearned))))
                .withMaxTransformations(80));
    }

    private static Action.Independent<Harness> action(Arbitrary<Transformer<Harness>> transformers) {
        return () -> transformers;
    }

    private static Arbitrary<Integer> vlans() {
        return Arbitraries.of(VLANS[0], VLANS[1], VLANS[2]);
    }

    private static Arbitrary<Long> macs() {
        return Arbitraries.of(MACS[0], MACS[1], MACS[2], MACS[3], MACS[4]);
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, PORTS - 1);
    }

    private static Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(0, 4)),
            Tuple.of(1, Arbitraries.just(Integer.MAX_VALUE)));
    }

    private static Arbitrary<Long> steps() {
        return Arbitraries.longs().between(0, 120);
    }

    /** One entry of the model; {@code touched} orders learned entries by recency, like the FDB's LRU lists. */
    private static final class Entry {
        int port;
        boolean isStatic;
        long lastSeen;
        int moves;
        long touched;

        Entry(int port, boolean isStatic, long lastSeen, long touched) {
            this.port = port;
            this.isStatic = isStatic;
            this.lastSeen = lastSeen;
            this.touched = touched;
        }
    }

    static final class Harness {
        private final int capacity;
        private final Fdb fdb;
        private final Map<Long, Entry> model = new HashMap<>();
        private final long[] aging = new long[PORTS];
        private long now = 1_000;
        private long clock;
        private long learned;
        private long moved;
        private long aged;
        private long evicted;
        private long limitReached;

        Harness(int capacity) {
            this.capacity = capacity;
            this.fdb = new Fdb(capacity, PORTS, 0x5eedL * capacity);
            for (int port = 0; port < PORTS; port++) {
                aging[port] = 100;
                fdb.setAging(port, 100);
            }
        }

        @Override
        public String toString() {
            return "FDB of capacity " + capacity + " at time " + now + ": " + model.size() + " entries";
        }

        void learn(int vlan, long mac, int port, int limit, long dt) {
            now += dt;
            long key = key(vlan, mac);
            Entry e = model.get(key);
            List<Long> victims = List.of();
            LearnOutcome expected;
            if (e != null && e.isStatic) {
                expected = LearnOutcome.STATIC_ENTRY;
            } else if (e != null && e.port == port) {
                e.lastSeen = now;
                e.touched = ++clock;
                expected = LearnOutcome.REFRESHED;
            } else if (learnedOn(port) >= limit) {
                limitReached++;
                expected = LearnOutcome.LIMIT_REACHED;
            } else if (e != null) {
                e.port = port;
                e.lastSeen = now;
                e.touched = ++clock;
                e.moves++;
                moved++;
                expected = LearnOutcome.MOVED;
            } else {
                victims = model.size() == capacity ? evictionCandidates() : List.of();
                if (model.size() == capacity && victims.isEmpty()) {
                    expected = LearnOutcome.TABLE_FULL;
                } else {
                    model.put(key, new Entry(port, false, now, ++clock));
                    learned++;
                    expected = LearnOutcome.LEARNED;
                }
            }
            assertThat(fdb.learn(vlan, mac, port, limit, now)).isEqualTo(expected);
            if (expected == LearnOutcome.LEARNED) {
                applyEviction(victims);
            }
        }

        void addStatic(int vlan, long mac, int port) {
            long key = key(vlan, mac);
            Entry e = model.get(key);
            List<Long> victims = List.of();
            boolean expected = true;
            if (e != null) {
                e.isStatic = true;
                e.port = port;
                e.lastSeen = 0;
                e.moves = 0;
            } else {
                victims = model.size() == capacity ? evictionCandidates() : List.of();
                expected = model.size() < capacity || !victims.isEmpty();
                if (expected) {
                    model.put(key, new Entry(port, true, 0, 0));
                }
            }
            assertThat(fdb.addStatic(vlan, mac, port)).isEqualTo(expected);
            if (expected) {
                applyEviction(victims);
            }
        }

        void remove(int vlan, long mac) {
            boolean expected = model.remove(key(vlan, mac)) != null;
            assertThat(fdb.remove(vlan, mac)).isEqualTo(expected);
        }

        void expire(long dt) {
            now += dt;
            int expected = removeWhere(e -> !e.isStatic && now - e.lastSeen >= aging[e.port]);
            aged += expected;
            assertThat(fdb.expire(now)).isEqualTo(expected);
        }

        void setAging(int port, long nanos) {
            aging[port] = nanos;
            fdb.setAging(port, nanos);
        }

        void flushPort(int port) {
            int expected = removeWhere(e -> !e.isStatic && e.port == port);
            assertThat(fdb.flushPort(port)).isEqualTo(expected);
        }

        void removePort(int port) {
            int expected = removeWhere(e -> e.port == port);
            assertThat(fdb.removePort(port)).isEqualTo(expected);
        }

        void flushLearned() {
            int expected = removeWhere(e -> !e.isStatic);
            assertThat(fdb.flushLearned()).isEqualTo(expected);
        }

        void check() {
            assertThat(fdb.size()).isEqualTo(model.size());
            for (int vlan : VLANS) {
                for (long mac : MACS) {
                    Entry e = model.get(key(vlan, mac));
                    assertThat(fdb.portOf(vlan, mac)).as("lookup vlan %d mac %x", vlan, mac)
                        .isEqualTo(e == null ? Fdb.NOT_FOUND : e.port);
                }
            }
            for (int port = 0; port < PORTS; port++) {
                assertThat(fdb.learnedOn(port)).as("learned on p%d", port).isEqualTo(learnedOn(port));
            }
            assertThat(fdb.stats())
                .isEqualTo(new FdbStats(model.size(), capacity, learned, moved, aged, evicted, limitReached, 0, 0));
            Map<Long, String> visited = new HashMap<>();
            fdb.forEach((vlan, mac, port, type, lastSeen, moves, remote) ->
                assertThat(visited.put(key(vlan, mac), port + " " + type + " " + lastSeen + " " + moves)).isNull());
            Map<Long, String> expected = new HashMap<>();
            model.forEach((key, e) -> expected.put(key,
                e.port + " " + (e.isStatic ? FdbEntryType.STATIC : FdbEntryType.LEARNED) + " " + e.lastSeen + " "
                    + e.moves));
            assertThat(visited).isEqualTo(expected);
            long nextExpiry = model.values().stream().filter(e -> !e.isStatic)
                .mapToLong(e -> e.lastSeen + aging[e.port]).min().orElse(Long.MAX_VALUE);
            assertThat(fdb.nextExpiry()).isEqualTo(nextExpiry);
        }

        /**
         * The entries the FDB may evict: the least recently seen learned entry of each port tied for the most learned
         * entries. Which tied port loses is the FDB's choice.
         */
        private List<Long> evictionCandidates() {
            int most = 0;
            for (int port = 0; port < PORTS; port++) {
                most = Math.max(most, learnedOn(port));
            }
            List<Long> candidates = new ArrayList<>();
            for (int port = 0; port < PORTS; port++) {
                if (most > 0 && learnedOn(port) == most) {
                    int p = port;
                    model.entrySet().stream().filter(en -> !en.getValue().isStatic && en.getValue().port == p)
                        .min((x, y) -> Long.compare(x.getValue().touched, y.getValue().touched))
                        .ifPresent(en -> candidates.add(en.getKey()));
                }
            }
            return candidates;
        }

        private void applyEviction(List<Long> candidates) {
            if (candidates.isEmpty()) {
                return;
            }
            List<Long> gone = candidates.stream()
                .filter(key -> fdb.portOf((int) (key >>> 48), key & 0xFFFF_FFFF_FFFFL) == Fdb.NOT_FOUND).toList();
            assertThat(gone).as("exactly one of the busiest ports' oldest entries is evicted").hasSize(1);
            model.remove(gone.getFirst());
            evicted++;
        }

        private int learnedOn(int port) {
            return (int) model.values().stream().filter(e -> !e.isStatic && e.port == port).count();
        }

        private int removeWhere(Predicate<Entry> condition) {
            int before = model.size();
            model.values().removeIf(condition);
            return before - model.size();
        }

        private static long key(int vlan, long mac) {
            return (long) vlan << 48 | mac;
        }
    }
}
