package io.vxswitch.forwarding;

import java.util.Arrays;

/**
 * (VLAN, IPv6 address) → MAC, for {@link ArpSuppression}'s neighbour discovery half: an open-addressing table over
 * primitive arrays (linear probing, deletion by shifting the probe chain back, so no tombstones), because a 128-bit
 * key does not fit Agrona's primitive maps and a lookup per solicitation must not allocate a key object. Same
 * threading as its owner: changed from one thread while no lane reads, read by the lanes without a lock.
 */
final class Ipv6Bindings {
    private static final int EMPTY = -1;

    /** Keyed per table: the addresses come from guests' packets, which must not be able to aim at one probe chain. */
    private final long secret = new java.util.SplittableRandom().nextLong() | 1;

    private int[] vlans;
    private long[] highs;
    private long[] lows;
    private long[] macs;
    private int mask;
    private int size;

    Ipv6Bindings() {
        allocate(16);
    }

    /** The MAC bound to the address in {@code vlan}, or {@code none}. */
    long get(int vlan, long high, long low, long none) {
        for (int i = slot(vlan, high, low); vlans[i] != EMPTY; i = (i + 1) & mask) {
            if (vlans[i] == vlan && highs[i] == high && lows[i] == low) {
                return macs[i];
            }
        }
        return none;
    }

    void put(int vlan, long high, long low, long mac) {
        int i = slot(vlan, high, low);
        for (; vlans[i] != EMPTY; i = (i + 1) & mask) {
            if (vlans[i] == vlan && highs[i] == high && lows[i] == low) {
                macs[i] = mac;
                return;
            }
        }
        vlans[i] = vlan;
        highs[i] = high;
        lows[i] = low;
        macs[i] = mac;
        if (++size * 2 > vlans.length) { // at most half full: probe chains stay short
            grow();
        }
    }

    /** Removes the binding if it is to {@code mac}; true if it was. */
    boolean remove(int vlan, long high, long low, long mac) {
        for (int i = slot(vlan, high, low); vlans[i] != EMPTY; i = (i + 1) & mask) {
            if (vlans[i] == vlan && highs[i] == high && lows[i] == low) {
                if (macs[i] != mac) {
                    return false;
                }
                vlans[i] = EMPTY;
                size--;
                shiftBack(i);
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    /** Closes the hole at {@code hole}: moves back every later entry of the run whose home slot the hole now cuts off. */
    private void shiftBack(int hole) {
        for (int i = (hole + 1) & mask; vlans[i] != EMPTY; i = (i + 1) & mask) {
            int home = slot(vlans[i], highs[i], lows[i]);
            // the entry may fill the hole if its home is not cyclically within (hole, i]
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                vlans[hole] = vlans[i];
                highs[hole] = highs[i];
                lows[hole] = lows[i];
                macs[hole] = macs[i];
                vlans[i] = EMPTY;
                hole = i;
            }
        }
    }

    private void grow() {
        int[] oldVlans = vlans;
        long[] oldHighs = highs;
        long[] oldLows = lows;
        long[] oldMacs = macs;
        allocate(oldVlans.length * 2);
        size = 0;
        for (int i = 0; i < oldVlans.length; i++) {
            if (oldVlans[i] != EMPTY) {
                put(oldVlans[i], oldHighs[i], oldLows[i], oldMacs[i]);
            }
        }
    }

    private void allocate(int capacity) {
        vlans = new int[capacity];
        Arrays.fill(vlans, EMPTY);
        highs = new long[capacity];
        lows = new long[capacity];
        macs = new long[capacity];
        mask = capacity - 1;
    }

    private int slot(int vlan, long high, long low) {
        long h = (high ^ secret) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ (h >>> 31) ^ low ^ ((long) vlan << 40)) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ (h >>> 29)) * secret;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
