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
 * key space, a tiny table and short aging times make refreshes, moves, limits, evictions and expiry all common. EVPN
 * entries come and go too, and a reader of the change journal (with a tiny ring, so it overflows) must know exactly
 * the learned MACs after every step.
 */
class FdbModelTest {
    private static final int PORTS = 4;
    private static final int[] VLANS = {0, 7, 4095};
    private static final long[] MACS = {0x0L, 0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 0x02_00_00_00_00_03L,
        0xFE_FF_FF_FF_FF_FEL};
    /** Remote VTEP ids: -1 is a local port's. */
    private static final int[] REMOTES = {Fdb.NO_REMOTE, 0, 1};

    @Property(tries = 400)
    void the_fdb_agrees_with_a_map_model_after_every_step(@ForAll("chains") ActionChain<Harness> chain) {
        chain.withInvariant("FDB agrees with model", Harness::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Harness>> chains() {
        return Combinators.combine(Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 8))
            .flatAs((capacity, journal) ->
            ActionChain.startWith(() -> new Harness(capacity, journal))
                .withAction(6, action(Combinators.combine(vlans(), macs(), ports(), remotes(), limits(), steps())
                    .as((vlan, mac, port, remote, limit, dt) -> Transformer.mutate(
                        "learn vlan " + vlan + " mac " + Long.toHexString(mac) + " on p" + port + " remote " + remote
                            + " limit " + limit + " after " + dt, h -> h.learn(vlan, mac, port, remote, limit, dt)))))
                .withAction(2, action(Combinators.combine(vlans(), macs(), ports(), remotes(), sequences())
                    .as((vlan, mac, port, remote, seq) -> Transformer.mutate("evpn vlan " + vlan + " mac "
                        + Long.toHexString(mac) + " on p" + port + " remote " + Math.max(0, remote) + " seq " + seq,
                        h -> h.addEvpn(vlan, mac, port, Math.max(0, remote), seq)))))
                .withAction(1, action(Combinators.combine(vlans(), macs()).as((vlan, mac) ->
                    Transformer.mutate("remove evpn vlan " + vlan + " mac " + Long.toHexString(mac),
                        h -> h.removeEvpn(vlan, mac)))))
                .withAction(1, action(Arbitraries.integers().between(0, 1).map(remote ->
                    Transformer.mutate("remove remote " + remote, h -> h.removeRemote(remote)))))
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

    private static Arbitrary<Integer> remotes() {
        return Arbitraries.of(REMOTES[0], REMOTES[1], REMOTES[2]);
    }

    private static Arbitrary<Long> sequences() {
        return Arbitraries.of(0L, 1L, 0xFFFF_FFFFL);
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
        int remote = Fdb.NO_REMOTE;
        FdbEntryType type;
        long lastSeen;
        int moves;
        long touched;
        long sequence = Fdb.NO_SEQUENCE;

        Entry(int port, FdbEntryType type, long lastSeen, long touched) {
            this.port = port;
            this.type = type;
            this.lastSeen = lastSeen;
            this.touched = touched;
        }

        boolean learned() {
            return type == FdbEntryType.LEARNED;
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
        /** The learned MACs as a reader of the journal knows them: key to "port remote". */
        private final Map<Long, String> journalled = new HashMap<>();
        private final FdbJournal.Visitor reader = new FdbJournal.Visitor() {
            @Override
            public void resync() {
                journalled.clear();
                fdb.forEach((vlan, mac, port, type, lastSeen, moves, remote) -> {
                    if (type == FdbEntryType.LEARNED) {
                        journalled.put(key(vlan, mac), port + " " + remote);
                    }
                });
            }

            @Override
            public void event(FdbJournal.Kind kind, int vlan, long mac, int port, int remote) {
                if (kind == FdbJournal.Kind.REMOVED) {
                    assertThat(journalled.remove(key(vlan, mac))).as("removed where it was").isEqualTo(port + " " + remote);
                } else {
                    journalled.put(key(vlan, mac), port + " " + remote);
                }
            }
        };

        Harness(int capacity, int journal) {
            this.capacity = capacity;
            this.fdb = new Fdb(capacity, PORTS, 0x5eedL * capacity);
            fdb.setMacMoveGuard(new MacMoveGuard.Options(Integer.MAX_VALUE, 1, 0)); // moves are never flaps here
            fdb.enableJournal(journal);
            for (int port = 0; port < PORTS; port++) {
                aging[port] = 100;
                fdb.setAging(port, 100);
            }
        }

        @Override
        public String toString() {
            return "FDB of capacity " + capacity + " at time " + now + ": " + model.size() + " entries";
        }

        void learn(int vlan, long mac, int port, int remote, int limit, long dt) {
            now += dt;
            long key = key(vlan, mac);
            Entry e = model.get(key);
            List<Long> victims = List.of();
            LearnOutcome expected;
            if (e != null && e.type == FdbEntryType.STATIC) {
                expected = LearnOutcome.STATIC_ENTRY;
            } else if (e != null && e.type == FdbEntryType.EVPN && e.port == port) {
                expected = LearnOutcome.EVPN_ENTRY;
            } else if (e != null && e.port == port && e.remote == remote) {
                e.lastSeen = now;
                e.touched = ++clock;
                expected = LearnOutcome.REFRESHED;
            } else if ((e == null || e.port != port) && learnedOn(port) >= limit) {
                limitReached++;
                expected = LearnOutcome.LIMIT_REACHED;
            } else if (e != null) {
                e.type = FdbEntryType.LEARNED;
                e.sequence = Fdb.NO_SEQUENCE;
                e.port = port;
                e.remote = remote;
                e.lastSeen = now;
                e.touched = ++clock;
                e.moves++;
                moved++;
                expected = LearnOutcome.MOVED;
            } else {
                victims = model.size() == capacity ? evictionCandidates(port) : List.of();
                if (model.size() == capacity && victims.isEmpty()) {
                    expected = LearnOutcome.TABLE_FULL;
                } else {
                    Entry added = new Entry(port, FdbEntryType.LEARNED, now, ++clock);
                    added.remote = remote;
                    model.put(key, added);
                    learned++;
                    expected = LearnOutcome.LEARNED;
                }
            }
            assertThat(fdb.learn(vlan, mac, port, remote, limit, now)).isEqualTo(expected);
            if (expected == LearnOutcome.LEARNED) {
                applyEviction(victims);
            }
        }

        void addEvpn(int vlan, long mac, int port, int remote, long sequence) {
            long key = key(vlan, mac);
            Entry e = model.get(key);
            List<Long> victims = List.of();
            boolean expected = true;
            if (e != null && e.type == FdbEntryType.STATIC) {
                expected = false;
            } else if (e == null) {
                victims = model.size() == capacity ? evictionCandidates() : List.of();
                expected = model.size() < capacity || !victims.isEmpty();
                e = expected ? new Entry(port, FdbEntryType.EVPN, 0, 0) : null;
            }
            if (e != null && expected) {
                e.type = FdbEntryType.EVPN;
                e.port = port;
                e.remote = remote;
                e.lastSeen = 0;
                e.sequence = sequence;
            }
            assertThat(fdb.addEvpn(vlan, mac, port, remote, sequence)).isEqualTo(expected);
            if (expected) {
                applyEviction(victims);
                model.put(key, e);
            }
        }

        void removeEvpn(int vlan, long mac) {
            Entry e = model.get(key(vlan, mac));
            boolean expected = e != null && e.type == FdbEntryType.EVPN;
            if (expected) {
                model.remove(key(vlan, mac));
            }
            assertThat(fdb.removeEvpn(vlan, mac)).isEqualTo(expected);
        }

        void removeRemote(int remote) {
            int expected = removeWhere(e -> e.remote == remote);
            assertThat(fdb.removeRemote(remote)).isEqualTo(expected);
        }

        void addStatic(int vlan, long mac, int port) {
            long key = key(vlan, mac);
            Entry e = model.get(key);
            List<Long> victims = List.of();
            boolean expected = true;
            if (e != null) {
                e.type = FdbEntryType.STATIC;
                e.port = port;
                e.remote = Fdb.NO_REMOTE;
                e.lastSeen = 0;
                e.moves = 0;
                e.sequence = Fdb.NO_SEQUENCE;
            } else {
                victims = model.size() == capacity ? evictionCandidates() : List.of();
                expected = model.size() < capacity || !victims.isEmpty();
                if (expected) {
                    model.put(key, new Entry(port, FdbEntryType.STATIC, 0, 0));
                }
            }
            assertThat(fdb.addStatic(vlan, mac, port)).isEqualTo(expected);
            if (expected) {
                applyEviction(victims);
            }
        }

        void remove(int vlan, long mac) {
            Entry e = model.get(key(vlan, mac));
            boolean expected = e != null && e.type != FdbEntryType.EVPN; // EVPN entries go by removeEvpn only
            if (expected) {
                model.remove(key(vlan, mac));
            }
            assertThat(fdb.remove(vlan, mac)).isEqualTo(expected);
        }

        void expire(long dt) {
            now += dt;
            int expected = removeWhere(e -> e.learned() && now - e.lastSeen >= aging[e.port]);
            aged += expected;
            assertThat(fdb.expire(now)).isEqualTo(expected);
        }

        void setAging(int port, long nanos) {
            aging[port] = nanos;
            fdb.setAging(port, nanos);
        }

        void flushPort(int port) {
            int expected = removeWhere(e -> e.learned() && e.port == port);
            assertThat(fdb.flushPort(port)).isEqualTo(expected);
        }

        void removePort(int port) {
            int expected = removeWhere(e -> e.port == port);
            assertThat(fdb.removePort(port)).isEqualTo(expected);
        }

        void flushLearned() {
            int expected = removeWhere(Entry::learned);
            assertThat(fdb.flushLearned()).isEqualTo(expected);
        }

        void check() {
            assertThat(fdb.size()).isEqualTo(model.size());
            for (int vlan : VLANS) {
                for (long mac : MACS) {
                    Entry e = model.get(key(vlan, mac));
                    assertThat(fdb.portOf(vlan, mac)).as("lookup vlan %d mac %x", vlan, mac)
                        .isEqualTo(e == null ? Fdb.NOT_FOUND : e.port);
                    assertThat(fdb.evpnSequence(vlan, mac)).as("sequence vlan %d mac %x", vlan, mac)
                        .isEqualTo(e == null ? Fdb.NO_SEQUENCE : e.sequence);
                }
            }
            for (int port = 0; port < PORTS; port++) {
                assertThat(fdb.learnedOn(port)).as("learned on p%d", port).isEqualTo(learnedOn(port));
            }
            assertThat(fdb.stats())
                .isEqualTo(new FdbStats(model.size(), capacity, learned, moved, aged, evicted, limitReached, 0, 0));
            Map<Long, String> visited = new HashMap<>();
            fdb.forEach((vlan, mac, port, type, lastSeen, moves, remote) -> assertThat(visited.put(key(vlan, mac),
                port + " " + remote + " " + type + " " + lastSeen + " " + moves)).isNull());
            Map<Long, String> expected = new HashMap<>();
            model.forEach((key, e) -> expected.put(key,
                e.port + " " + e.remote + " " + e.type + " " + e.lastSeen + " " + e.moves));
            assertThat(visited).isEqualTo(expected);
            long nextExpiry = model.values().stream().filter(Entry::learned)
                .mapToLong(e -> e.lastSeen + aging[e.port]).min().orElse(Long.MAX_VALUE);
            assertThat(fdb.nextExpiry()).isEqualTo(nextExpiry);
            fdb.drainJournal(reader);
            Map<Long, String> local = new HashMap<>();
            model.forEach((key, e) -> {
                if (e.learned()) {
                    local.put(key, e.port + " " + e.remote);
                }
            });
            assertThat(journalled).as("the learned MACs, from the journal").isEqualTo(local);
        }

        /**
         * The entries the FDB may evict: the least recently seen learned entry of each port tied for the most learned
         * entries. Which tied port loses is the FDB's choice.
         */
        private List<Long> evictionCandidates() {
            return evictionCandidates(-1);
        }

        /** As {@link #evictionCandidates()}, for a MAC learned on {@code learner}: tied for the most, it loses its own. */
        private List<Long> evictionCandidates(int learner) {
            int most = 0;
            for (int port = 0; port < PORTS; port++) {
                most = Math.max(most, learnedOn(port));
            }
            if (learner >= 0 && most > 0 && learnedOn(learner) == most) {
                return oldestOf(learner);
            }
            List<Long> candidates = new ArrayList<>();
            for (int port = 0; port < PORTS; port++) {
                if (most > 0 && learnedOn(port) == most) {
                    candidates.addAll(oldestOf(port));
                }
            }
            return candidates;
        }

        /** The least recently seen learned entry of {@code port}, if it has one. */
        private List<Long> oldestOf(int port) {
            return model.entrySet().stream().filter(en -> en.getValue().learned() && en.getValue().port == port)
                .min((x, y) -> Long.compare(x.getValue().touched, y.getValue().touched))
                .map(en -> List.of(en.getKey())).orElse(List.of());
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
            return (int) model.values().stream().filter(e -> e.learned() && e.port == port).count();
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
