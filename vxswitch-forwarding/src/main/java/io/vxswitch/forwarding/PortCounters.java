package io.vxswitch.forwarding;

import io.vxswitch.packet.Malformation;

/**
 * Counters of one port. Written only by the thread that runs the switch (plain writes, no locks);
 * readers on other threads may see slightly stale values, which is fine for statistics.
 */
public final class PortCounters {
    long rxFrames;
    long rxBytes;
    long txFrames;
    long txBytes;
    final long[] drops = new long[DropReason.values().length];
    final long[] malformed = new long[Malformation.values().length];

    public long rxFrames() {
        return rxFrames;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long txFrames() {
        return txFrames;
    }

    public long txBytes() {
        return txBytes;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Malformed frames received on this port, by what was wrong with them. */
    public long malformed(Malformation m) {
        return malformed[m.ordinal()];
    }

    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    void reset() {
        rxFrames = rxBytes = txFrames = txBytes = 0;
        java.util.Arrays.fill(drops, 0);
        java.util.Arrays.fill(malformed, 0);
    }
}
