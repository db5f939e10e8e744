package io.vxswitch.vxlan;

import java.util.Arrays;

/**
 * Open-addressing map from a non-negative {@code int} key (a VNI) to an {@code int} value, without boxing:
 * linear probing, load factor at most 1/2, deletion by backward shift so no tombstones pile up. Lookups
 * allocate nothing; puts may grow the table (control plane only).
 */
final class IntIntMap {
    static final int MISSING = -1;
    private static final int EMPTY = -1;

    private int[] keys;
    private int[] values;
    private int mask;
    private int size;

    IntIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private int slot(int key) {
        int h = key * 0x9E37_79B9; // Fibonacci hashing spreads consecutive VNIs
        return (h ^ (h >>> 16)) & mask;
    }

    /** The value for {@code key}, or {@link #MISSING}. */
    int get(int key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return MISSING;
            }
        }
    }

    boolean containsKey(int key) {
        return get(key) != MISSING;
    }

    void put(int key, int value) {
        if (key < 0) {
            throw new IllegalArgumentException("negative key " + key);
        }
        int i = slot(key);
        for (; keys[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** Removes {@code key}; returns its value or {@link #MISSING}. */
    int remove(int key) {
        int i = slot(key);
        for (; keys[i] != key; i = (i + 1) & mask) {
            if (keys[i] == EMPTY) {
                return MISSING;
            }
        }
        int old = values[i];
        // Backward shift: pull later entries of the probe run into the gap unless that would move them
        // in front of their home slot.
        int gap = i;
        for (int j = (gap + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = EMPTY;
        size--;
        return old;
    }

    int size() {
        return size;
    }

    /** Keys in table order, for the control plane. */
    int[] keys() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        return out;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
