package io.vxswitch.vxlan;

import java.util.Arrays;

/**
 * Open-addressing map from a 128-bit underlay address ({@link VtepAddress} bits) to a small {@code int}
 * id, without boxing: linear probing, load at most 1/2, backward-shift deletion. Lookups allocate nothing.
 */
final class AddressIndex {
    static final int MISSING = -1;

    private long[] highs;
    private long[] lows;
    private int[] ids; // MISSING marks a free slot
    private int mask;
    private int size;

    AddressIndex(int expected) {
        allocate(Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1);
    }

    private void allocate(int capacity) {
        highs = new long[capacity];
        lows = new long[capacity];
        ids = new int[capacity];
        Arrays.fill(ids, MISSING);
        mask = capacity - 1;
    }

    private int slot(long high, long low) {
        // murmur3 fmix64 of the folded halves: consecutive addresses land far apart
        long h = high * 0x9E37_79B9_7F4A_7C15L ^ low;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    /**
     * The id of (high, low), or {@link #MISSING}. Safe to race with a writer when the caller validates the answer
     * afterwards ({@link RemoteVteps} does): it reads each array once, stays in bounds while {@link #grow} swaps them,
     * and gives up after one lap.
     */
    int get(long high, long low) {
        int[] idsNow = ids;
        long[] highsNow = highs;
        long[] lowsNow = lows;
        int m = idsNow.length - 1;
        if (highsNow.length != idsNow.length || lowsNow.length != idsNow.length) {
            return MISSING; // caught in the middle of a grow
        }
        int i = slot(high, low) & m;
        for (int probes = 0; probes <= m; probes++, i = (i + 1) & m) {
            int id = idsNow[i];
            if (id == MISSING) {
                return MISSING;
            }
            if (highsNow[i] == high && lowsNow[i] == low) {
                return id;
            }
        }
        return MISSING;
    }

    void put(long high, long low, int id) {
        int i = slot(high, low);
        for (; ids[i] != MISSING; i = (i + 1) & mask) {
            if (highs[i] == high && lows[i] == low) {
                ids[i] = id;
                return;
            }
        }
        highs[i] = high;
        lows[i] = low;
        ids[i] = id;
        if (++size * 2 > ids.length) {
            grow();
        }
    }

    int remove(long high, long low) {
        int i = slot(high, low);
        while (highs[i] != high || lows[i] != low || ids[i] == MISSING) {
            if (ids[i] == MISSING) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
        int old = ids[i];
        int gap = i;
        for (int j = (gap + 1) & mask; ids[j] != MISSING; j = (j + 1) & mask) {
            int home = slot(highs[j], lows[j]);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                highs[gap] = highs[j];
                lows[gap] = lows[j];
                ids[gap] = ids[j];
                gap = j;
            }
        }
        ids[gap] = MISSING;
        size--;
        return old;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        int[] oldIds = ids;
        allocate(oldIds.length * 2);
        size = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != MISSING) {
                put(oldHighs[i], oldLows[i], oldIds[i]);
            }
        }
    }
}
