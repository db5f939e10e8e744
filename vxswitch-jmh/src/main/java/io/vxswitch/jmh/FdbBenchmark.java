package io.vxswitch.jmh;

import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.LearnOutcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * The MAC table alone, at 1,000 to 1,000,000 entries: lookup hit and miss, learning a known MAC again (refresh),
 * and learning new MACs while old ones age out (churn). Keys are spread over VLANs 1-4094 and random unicast MACs,
 * visited in a random order that covers the whole table, so at 1 M entries most lookups miss the CPU caches as
 * they would on a busy host. The measured methods only read a precomputed array at a counter; no RNG, no clock.
 *
 * <p>Each table is built as a switch builds its own ({@link #table}): one lane, and a refresh that writes an entry's
 * last-seen time at most once a millisecond. Time here is the op counter, so a refresh writes almost never, as for
 * a busy flow.
 *
 * <p>Baseline, measured in the same run on the same keys: {@code java.util.HashMap<Long, Integer>}, the table a
 * straightforward Java switch would use, boxing the key on every lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FdbBenchmark {
    /** The per-port learning limit is not under test: no port ever reaches it. */
    static final int NO_LIMIT = Integer.MAX_VALUE;
    static final int MAX_PORTS = SwitchOptions.DEFAULT_MAX_PORTS;
    static final long SECRET = 0x5eed_cafe_f00dL;

    /** The keys in the table, and as many that are not, in the order the benchmarks visit them. */
    @State(Scope.Thread)
    public static class Keys {
        @Param({"1000", "100000", "1000000"})
        int size;

        /** Every key of the table, in key order (the order they are learned). */
        FdbKeys present;
        /** The present keys in a random order, repeated up to a power of two. */
        FdbKeys hits;
        /** As many keys that are in no table, random order. */
        FdbKeys misses;
        int mask;
        int cursor;

        @Setup(Level.Trial)
        public void generate() {
            int visits = FdbKeys.powerOfTwoAtLeast(size);
            present = FdbKeys.range(0, size, 1);
            hits = FdbKeys.shuffled(present, visits, 2);
            misses = FdbKeys.range(size, visits, 3);
            mask = visits - 1;
        }

        int next() {
            return cursor++ & mask;
        }
    }

    /** An FDB filled with every present key, as learned. */
    @State(Scope.Thread)
    public static class Table {
        Fdb fdb;
        long now;

        @Setup(Level.Trial)
        public void fill(Keys k) {
            fdb = table(k.size);
            FdbKeys p = k.present;
            for (int i = 0; i < p.length(); i++) {
                LearnOutcome o = fdb.learn(p.vlans[i], p.macs[i], p.ports[i], NO_LIMIT, ++now);
                if (o != LearnOutcome.LEARNED) {
                    throw new IllegalStateException("setup: key " + i + " was " + o + ", not LEARNED");
                }
            }
        }
    }

    /** The same keys in a {@code HashMap<Long, Integer>}. */
    @State(Scope.Thread)
    public static class Boxed {
        HashMap<Long, Integer> map;

        @Setup(Level.Trial)
        public void fill(Keys k) {
            map = HashMap.newHashMap(k.size);
            FdbKeys p = k.present;
            for (int i = 0; i < p.length(); i++) {
                map.put(key(p.vlans[i], p.macs[i]), p.ports[i]);
            }
        }
    }

    /**
     * A table in steady churn: every op learns a MAC it has not seen for longer than the aging time, and every
     * {@link #EXPIRE_EVERY} ops {@link Fdb#expire} removes the entries that aged out meanwhile. Time is the op
     * counter. With aging = size - EXPIRE_EVERY ticks the table holds between size - EXPIRE_EVERY and size entries
     * and never needs to evict; the ring of keys is long enough that a key has always expired before it returns.
     */
    @State(Scope.Thread)
    public static class Churn {
        static final int EXPIRE_EVERY = 256;

        Fdb fdb;
        FdbKeys ring;
        int mask;
        long now;

        @Setup(Level.Trial)
        public void warm(Keys k) {
            int size = k.size;
            long aging = Math.max(1, size - EXPIRE_EVERY);
            int length = FdbKeys.powerOfTwoAtLeast(2 * size);
            fdb = table(size);
            for (int port = 0; port < MAX_PORTS; port++) {
                fdb.setAging(port, aging);
            }
            ring = FdbKeys.range(0, length, 4);
            mask = length - 1;
            // Two turns of the ring: the table reaches steady state and every key has been learned and expired once.
            for (int i = 0; i < 2 * length; i++) {
                LearnOutcome o = churn(this);
                if (o != LearnOutcome.LEARNED) {
                    throw new IllegalStateException("setup: churn op " + i + " was " + o + ", not LEARNED");
                }
            }
            if (fdb.stats().evicted() != 0 || fdb.size() < size - EXPIRE_EVERY) {
                throw new IllegalStateException("setup: churn evicted " + fdb.stats().evicted() + " entries, holds "
                    + fdb.size() + " of " + size);
            }
        }
    }

    /** A table as {@code Switch} builds one, for one lane. */
    static Fdb table(int size) {
        return new Fdb(size, MAX_PORTS, SECRET, 1, Fdb.SWITCH_REFRESH_NANOS);
    }

    // ---- vxswitch FDB

    @Benchmark
    public int lookupHit(Keys k, Table t) {
        int i = k.next();
        return t.fdb.portOf(k.hits.vlans[i], k.hits.macs[i]);
    }

    @Benchmark
    public int lookupMiss(Keys k, Table t) {
        int i = k.next();
        return t.fdb.portOf(k.misses.vlans[i], k.misses.macs[i]);
    }

    /**
     * A known MAC seen again on its port, without a lock: its last-seen time compared with the frame's, and written
     * at most once a millisecond (the LRU order is mended at aging).
     */
    @Benchmark
    public LearnOutcome learnRefresh(Keys k, Table t) {
        int i = k.next();
        return t.fdb.learn(k.hits.vlans[i], k.hits.macs[i], k.hits.ports[i], NO_LIMIT, ++t.now);
    }

    /** A new MAC learned, plus 1/256 of an expire() that ages out 256 old ones. */
    @Benchmark
    public LearnOutcome learnNewAndExpire(Churn c) {
        return churn(c);
    }

    // ---- baseline: java.util.HashMap<Long, Integer>

    @Benchmark
    public Integer hashMapLookupHit(Keys k, Boxed b) {
        int i = k.next();
        return b.map.get(key(k.hits.vlans[i], k.hits.macs[i]));
    }

    @Benchmark
    public Integer hashMapLookupMiss(Keys k, Boxed b) {
        int i = k.next();
        return b.map.get(key(k.misses.vlans[i], k.misses.macs[i]));
    }

    private static LearnOutcome churn(Churn c) {
        long now = ++c.now;
        int i = (int) now & c.mask;
        LearnOutcome o = c.fdb.learn(c.ring.vlans[i], c.ring.macs[i], c.ring.ports[i], NO_LIMIT, now);
        if ((now & (Churn.EXPIRE_EVERY - 1)) == 0) {
            c.fdb.expire(now);
        }
        return o;
    }

    /** The FDB's key layout: VLAN in the top 16 bits, MAC in the low 48. Boxed by the caller, as HashMap needs. */
    private static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }
}
