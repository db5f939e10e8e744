package io.vxswitch.jmh;

import java.util.SplittableRandom;

/**
 * (VLAN, MAC, port) triples for the FDB benchmarks, the same for every run. Key number {@code n} maps to a MAC
 * through a bijection of 47 bits, so different numbers never give the same MAC and no set is needed to keep keys
 * distinct; the VLAN (1-4094) and the port are drawn from a seeded RNG. The group bit is always clear: a switch
 * never learns a multicast source.
 */
final class FdbKeys {
    /** Ports the entries are spread over. */
    static final int PORTS = 64;

    private static final long MASK_47 = (1L << 47) - 1;
    private static final long LOW_40 = (1L << 40) - 1;

    final int[] vlans;
    final long[] macs;
    final int[] ports;

    private FdbKeys(int n) {
        vlans = new int[n];
        macs = new long[n];
        ports = new int[n];
    }

    int length() {
        return macs.length;
    }

    /** Keys {@code first} to {@code first + count - 1}, in that order. */
    static FdbKeys range(long first, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FdbKeys k = new FdbKeys(count);
        for (int i = 0; i < count; i++) {
            k.vlans[i] = 1 + rnd.nextInt(4094);
            k.macs[i] = mac(first + i);
            k.ports[i] = rnd.nextInt(PORTS);
        }
        return k;
    }

    /**
     * {@code length} keys (a power of two, so a counter and a mask index it) drawn from {@code from} in a random
     * order: every key once before any key twice.
     */
    static FdbKeys shuffled(FdbKeys from, int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = from.length();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        FdbKeys k = new FdbKeys(length);
        for (int i = 0; i < length; i++) {
            int src = order[i % n];
            k.vlans[i] = from.vlans[src];
            k.macs[i] = from.macs[src];
            k.ports[i] = from.ports[src];
        }
        return k;
    }

    /** The smallest power of two at least {@code n}. */
    static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** A unicast MAC, distinct for each n in 0 to 2^47 - 1: 47 scrambled bits around a clear group bit (bit 40). */
    static long mac(long n) {
        long x = (n * 0x9E3779B97F4A7C15L) & MASK_47;
        x ^= x >>> 23;
        x = (x * 0xBF58476D1CE4E5B9L) & MASK_47;
        x ^= x >>> 21;
        return (x & ~LOW_40) << 1 | (x & LOW_40);
    }
}
