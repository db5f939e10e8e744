package io.vxswitch.forwarding;

import io.vxswitch.packet.Malformation;

/**
 * Counters of one port, or of one forwarding lane's share of them. Each lane's set is written only by that lane's
 * thread (plain writes, no locks); readers on other threads may see slightly stale values, which is fine for
 * statistics. {@link Port#counters} adds the lanes up.
 *
 * <p>The counts live in one array with 128 bytes of padding at each end. Two lanes' sets of the same port are
 * created together and a young GC copies them next to each other; without the padding their counters would share a
 * cache line, and two threads counting frames would take that line from each other on every frame (measured:
 * two lanes then forwarded a quarter of what one did, see docs/benchmarks.md).
 */
public final class PortCounters {
    /** Longs of padding at each end: two cache lines, as CPUs fetch lines in adjacent pairs. */
    private static final int PAD = 16;
    private static final int RX_FRAMES = PAD;
    private static final int RX_BYTES = PAD + 1;
    private static final int TX_FRAMES = PAD + 2;
    private static final int TX_BYTES = PAD + 3;
    private static final int DROPS = PAD + 4;
    private static final int MALFORMED = DROPS + DropReason.values().length;
    private static final int SIZE = MALFORMED + Malformation.values().length + PAD;

    private final long[] counts = new long[SIZE];

    public long rxFrames() {
        return counts[RX_FRAMES];
    }

    public long rxBytes() {
        return counts[RX_BYTES];
    }

    public long txFrames() {
        return counts[TX_FRAMES];
    }

    public long txBytes() {
        return counts[TX_BYTES];
    }

    public long drops(DropReason reason) {
        return counts[DROPS + reason.ordinal()];
    }

    /** Malformed frames received on this port, by what was wrong with them. */
    public long malformed(Malformation m) {
        return counts[MALFORMED + m.ordinal()];
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = DROPS; i < MALFORMED; i++) {
            sum += counts[i];
        }
        return sum;
    }

    void countRx(int length) {
        counts[RX_FRAMES]++;
        counts[RX_BYTES] += length;
    }

    void countTx(int length) {
        counts[TX_FRAMES]++;
        counts[TX_BYTES] += length;
    }

    void countDrop(DropReason reason) {
        counts[DROPS + reason.ordinal()]++;
    }

    void countMalformed(Malformation m) {
        counts[MALFORMED + m.ordinal()]++;
    }

    /** Adds {@code other}'s counts to these. */
    void add(PortCounters other) {
        for (int i = PAD; i < SIZE - PAD; i++) {
            counts[i] += other.counts[i];
        }
    }
}
