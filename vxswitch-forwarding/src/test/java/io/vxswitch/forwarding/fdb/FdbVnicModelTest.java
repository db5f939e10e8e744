package io.vxswitch.forwarding.fdb;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based test of vNIC MACs in the FDB: random sequences of learning, static entries, vNICs taking, changing and
 * dropping MACs in one VLAN or several, removals and aging, against two plain maps. After every step the data path's
 * answers must be those of the rules the separate vNIC table gave: a vNIC's MAC is its destination in the VLANs it
 * carries, else the learned or static entry counts; a vNIC's MAC is never learned, in any VLAN; the tools see
 * learned and static entries only. A tiny key space and few ports make every overlap of the two common.
 */
class FdbVnicModelTest {
    private static final int PORTS = 4;
    private static final int[] VLANS = {0, 7, 8};
    private static final long[] MACS = {0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 0x02_00_00_00_00_03L};
    /** The VLAN sets a vNIC's port group may carry: one VLAN (a direct entry), or several (a trunk). */
    private static final Map<String, Set<Integer>> SCOPES = Map.of(
        "none", Set.of(0), "vlan 7", Set.of(7), "vlan 8", Set.of(8), "trunk 7-8", Set.of(7, 8),
        "trunk 0,7,8", Set.of(0, 7, 8));

    @Property(tries = 400)
    void the_fdb_answers_as_the_separate_vnic_table_did(@ForAll("chains") ActionChain<Harness> chain) {
        chain.withInvariant("FDB agrees with model", Harness::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Harness>> chains() {
        return Arbitraries.integers().between(3, 8).flatMap(capacity ->
            ActionChain.startWith(() -> new Harness(capacity))
                .withAction(4, action(Combinators.combine(vlans(), macs(), ports(), Arbitraries.longs().between(0, 60))
                    .as((vlan, mac, port, dt) -> Transformer.mutate("learn vlan " + vlan + " mac " + Long.toHexString(mac)
                        + " on p" + port + " after " + dt, h -> h.learn(vlan, mac, port, dt)))))
                .withAction(2, action(Combinators.combine(vlans(), macs(), ports()).as((vlan, mac, port) ->
                    Transformer.mutate("static vlan " + vlan + " mac " + Long.toHexString(mac) + " on p" + port,
                        h -> h.addStatic(vlan, mac, port)))))
                .withAction(1, action(Combinators.combine(vlans(), macs()).as((vlan, mac) ->
                    Transformer.mutate("remove vlan " + vlan + " mac " + Long.toHexString(mac),
                        h -> h.remove(vlan, mac)))))
                .withAction(3, action(Combinators.combine(ports(), macs(), Arbitraries.of(SCOPES.keySet()))
                    .as((port, mac, scope) -> Transformer.mutate("vNIC p" + port + " takes " + Long.toHexString(mac)
                        + " in " + scope, h -> h.setVnic(port, mac, scope)))))
                .withAction(1, action(ports().map(port ->
                    Transformer.mutate("vNIC p" + port + " lets go of its MAC", h -> h.removeVnic(port)))))
                .withAction(1, action(ports().map(port ->
                    Transformer.mutate("remove p" + port, h -> h.removePort(port)))))
                .withAction(1, action(Arbitraries.longs().between(0, 120).map(dt ->
                    Transformer.mutate("expire after " + dt, h -> h.expire(dt)))))
                .withMaxTransformations(60));
    }

    private static Action.Independent<Harness> action(Arbitrary<Transformer<Harness>> transformers) {
        return () -> transformers;
    }

    private static Arbitrary<Integer> vlans() {
        return Arbitraries.of(VLANS[0], VLANS[1], VLANS[2]);
    }

    private static Arbitrary<Long> macs() {
        return Arbitraries.of(MACS[0], MACS[1], MACS[2]);
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, PORTS - 1);
    }

    private record Entry(int port, boolean isStatic, long lastSeen) {
    }

    private record Vnic(long mac, Set<Integer> vlans) {
    }

    static final class Harness {
        private final int capacity;
        private final Fdb fdb;
        private final Map<Long, Entry> entries = new HashMap<>();
        private final Map<Integer, Vnic> vnics = new HashMap<>();
        private long now = 1_000;

        Harness(int capacity) {
            this.capacity = capacity;
            this.fdb = new Fdb(capacity, PORTS, 0x5eedL * capacity);
            for (int port = 0; port < PORTS; port++) {
                fdb.setAging(port, 100);
            }
        }

        @Override
        public String toString() {
            return "FDB of capacity " + capacity + " at " + now + ": " + entries + ", vNICs " + vnics;
        }

        void learn(int vlan, long mac, int port, long dt) {
            now += dt;
            long key = key(vlan, mac);
            Entry e = entries.get(key);
            LearnOutcome expected;
            if (owner(mac) >= 0) {
                expected = LearnOutcome.VNIC_MAC;
            } else if (e != null && e.isStatic) {
                expected = LearnOutcome.STATIC_ENTRY;
            } else if (e != null) {
                expected = e.port == port ? LearnOutcome.REFRESHED : LearnOutcome.MOVED;
                entries.put(key, new Entry(port, false, now));
            } else if (entries.size() == capacity && entries.values().stream().allMatch(Entry::isStatic)) {
                expected = LearnOutcome.TABLE_FULL;
            } else {
                expected = LearnOutcome.LEARNED;
            }
            assertThat(fdb.learn(vlan, mac, port, Integer.MAX_VALUE, now)).isEqualTo(expected);
            if (expected == LearnOutcome.LEARNED) {
                forgetEvicted();
                entries.put(key, new Entry(port, false, now));
            }
        }

        void addStatic(int vlan, long mac, int port) {
            long key = key(vlan, mac);
            boolean room = entries.containsKey(key) || entries.size() < capacity
                || entries.values().stream().anyMatch(e -> !e.isStatic);
            assertThat(fdb.addStatic(vlan, mac, port)).isEqualTo(room);
            if (room) {
                if (!entries.containsKey(key)) {
                    forgetEvicted();
                }
                entries.put(key, new Entry(port, true, 0));
            }
        }

        void remove(int vlan, long mac) {
            assertThat(fdb.remove(vlan, mac)).isEqualTo(entries.remove(key(vlan, mac)) != null);
        }

        void setVnic(int port, long mac, String scope) {
            int other = owner(mac);
            IntPredicate carries = SCOPES.get(scope)::contains;
            if (other >= 0 && other != port) {
                assertThatThrownBy(() -> fdb.setVnic(port, mac, carries)).hasMessageContaining("MAC");
                return;
            }
            fdb.setVnic(port, mac, carries);
            vnics.put(port, new Vnic(mac, SCOPES.get(scope)));
        }

        void removeVnic(int port) {
            fdb.removeVnic(port);
            vnics.remove(port);
        }

        void removePort(int port) {
            long expected = entries.values().stream().filter(e -> e.port == port).count();
            entries.values().removeIf(e -> e.port == port);
            vnics.remove(port);
            assertThat(fdb.removePort(port)).isEqualTo((int) expected);
        }

        void expire(long dt) {
            now += dt;
            long expected = entries.values().stream().filter(e -> !e.isStatic && now - e.lastSeen >= 100).count();
            entries.values().removeIf(e -> !e.isStatic && now - e.lastSeen >= 100);
            assertThat(fdb.expire(now)).isEqualTo((int) expected);
        }

        void check() {
            assertThat(fdb.size()).as("learned and static entries").isEqualTo(entries.size());
            for (int vlan : VLANS) {
                for (long mac : MACS) {
                    Entry e = entries.get(key(vlan, mac));
                    int owner = owner(mac);
                    int expected = owner >= 0 && vnics.get(owner).vlans.contains(vlan) ? owner
                        : e != null ? e.port : Fdb.NOT_FOUND;
                    long found = fdb.destination(vlan, mac);
                    assertThat(found == Fdb.NOT_FOUND ? Fdb.NOT_FOUND : Fdb.destinationPort(found))
                        .as("destination vlan %d mac %x", vlan, mac).isEqualTo(expected);
                    assertThat(fdb.portOf(vlan, mac)).as("entry vlan %d mac %x", vlan, mac)
                        .isEqualTo(e == null ? Fdb.NOT_FOUND : e.port);
                    assertThat(fdb.sourcePort(vlan, mac)).as("source vlan %d mac %x", vlan, mac)
                        .isEqualTo(owner >= 0 ? owner : e == null ? Fdb.NOT_FOUND : e.port);
                }
            }
            for (long mac : MACS) {
                assertThat(fdb.vnicPort(mac)).isEqualTo(owner(mac) >= 0 ? owner(mac) : Fdb.NOT_FOUND);
            }
            Map<Integer, Long> listed = new HashMap<>();
            fdb.forEachVnic((mac, port) -> listed.put(port, mac));
            Map<Integer, Long> expectedVnics = new HashMap<>();
            vnics.forEach((port, v) -> expectedVnics.put(port, v.mac));
            assertThat(listed).isEqualTo(expectedVnics);
        }

        /** The FDB evicts an entry the model cannot predict; the model forgets whichever went. */
        private void forgetEvicted() {
            if (entries.size() < capacity) {
                return;
            }
            entries.keySet().removeIf(key -> !entries.get(key).isStatic
                && fdb.portOf((int) (key >>> 48), key & 0xFFFF_FFFF_FFFFL) == Fdb.NOT_FOUND);
            assertThat(entries.size()).as("one learned entry evicted").isEqualTo(capacity - 1);
        }

        private int owner(long mac) {
            return vnics.entrySet().stream().filter(v -> v.getValue().mac == mac).mapToInt(Map.Entry::getKey)
                .findFirst().orElse(-1);
        }

        private static long key(int vlan, long mac) {
            return (long) vlan << 48 | mac;
        }
    }
}
