package io.vxswitch.forwarding.fdb;

import java.util.Arrays;

/**
 * Open-addressing index from an FDB key to its entry id. Linear probing in a power-of-two table at most half full;
 * deletion shifts the rest of the probe chain back instead of leaving tombstones, so a miss always stops at the
 * first empty slot, however much churn the table has seen.
 *
 * <p>The index stores only entry ids; keys are read from the FDB's key column, which it shares. Changes come under
 * the FDB's write lock; {@link #find} may run beside them.
 */
final class FdbIndex {
    static final int NONE = -1;

    private final long[] keys;
    private final int[] slots;
    private final int mask;
    private final int shift;
    private final long secret;

    /**
     * @param keys     the key column of the entry pool, indexed by entry id
     * @param capacity most entries ever indexed at once; the table gets at least twice as many slots
     * @param secret   per-table hash secret, so slots cannot be predicted from MACs
     */
    FdbIndex(long[] keys, int capacity, long secret) {
        int n = Integer.highestOneBit(2 * capacity - 1) << 1;
        this.keys = keys;
        this.slots = new int[n];
        this.mask = n - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(n);
        this.secret = secret;
        Arrays.fill(slots, NONE);
    }

    /**
     * The id of the entry holding {@code key}, or {@link #NONE}. Safe to race with a writer (the FDB validates the
     * answer afterwards): ids read are always in range, and the probe gives up after one lap of the table.
     */
    int find(long key) {
        int i = home(key);
        for (int probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
            int id = slots[i];
            if (id == NONE || keys[id] == key) {
                return id;
            }
        }
        return NONE;
    }

    /** Indexes entry {@code id} under its key, which must not be indexed yet. */
    void insert(int id) {
        int i = home(keys[id]);
        while (slots[i] != NONE) {
            i = (i + 1) & mask;
        }
        slots[i] = id;
    }

    /** Removes entry {@code id}, which must be indexed, and closes the gap it leaves in its probe chain. */
    void delete(int id) {
        int hole = home(keys[id]);
        while (slots[hole] != id) {
            hole = (hole + 1) & mask;
        }
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            int other = slots[j];
            if (other == NONE) {
                break;
            }
            // `other` may move back into the hole only if the hole lies on its probe path: between its home
            // slot and j, cyclically. Otherwise a lookup starting at its home would never reach it.
            int otherHome = home(keys[other]);
            if (((j - otherHome) & mask) >= ((j - hole) & mask)) {
                slots[hole] = other;
                hole = j;
            }
        }
        slots[hole] = NONE;
    }

    /** The slot a probe for {@code key} starts at. */
    int home(long key) {
        return (int) (mix(key ^ secret) >>> shift);
    }

    int slotCount() {
        return slots.length;
    }

    /** The entry id in slot {@code slot}, or {@link #NONE}; for consistency checks. */
    int idAt(int slot) {
        return slots[slot];
    }

    /**
     * A 64-bit finalizer with full avalanche (every input bit flips each output bit with probability about 1/2),
     * so the high bits used for the slot depend on the whole key and on the whole secret.
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
