package io.vxswitch.vxlan;

import io.vxswitch.forwarding.LanePadding;

import java.util.Arrays;

/**
 * Counters of one tunnel endpoint: packets encapsulated and decapsulated, and drops by {@link VxlanDrop}.
 * Written only by the data-path thread with plain writes; a reader on another thread may see slightly
 * stale values, which is fine for statistics. The {@link TunnelEgress}, decapsulator and MTU check of one
 * endpoint share one instance; with several forwarding loops each loop's VTEP has its own ({@link #add} sums
 * them), padded so that two loops' counters never share a cache line.
 */
public final class VxlanCounters extends LanePadding {
    private final long[] drops = new long[VxlanDrop.values().length];
    private long encapsulated;
    private long decapsulated;

    public long drops(VxlanDrop reason) {
        return drops[reason.ordinal()];
    }

    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    public long encapsulated() {
        return encapsulated;
    }

    public long decapsulated() {
        return decapsulated;
    }

    /** Counts a drop and returns the reason, so a check can {@code return counters.drop(X);}. */
    VxlanDrop drop(VxlanDrop reason) {
        drops[reason.ordinal()]++;
        return reason;
    }

    /** One packet encapsulated ({@link TunnelEgress} alone counts them, for the lab and the daemon alike). */
    void countEncapsulated() {
        encapsulated++;
    }

    /** Counts {@code datagrams} encapsulated at once (a super-frame's segments). */
    void countEncapsulated(int datagrams) {
        encapsulated += datagrams;
    }

    void countDecapsulated() {
        decapsulated++;
    }

    /** Adds {@code other}'s counts to these: for the sum of several loops' counters. */
    public void add(VxlanCounters other) {
        encapsulated += other.encapsulated;
        decapsulated += other.decapsulated;
        for (int d = 0; d < drops.length; d++) {
            drops[d] += other.drops[d];
        }
    }

    public void reset() {
        Arrays.fill(drops, 0);
        encapsulated = 0;
        decapsulated = 0;
    }

    /** Non-zero counters as {@code name=value} pairs, for logs and the CLI. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("encapsulated=").append(encapsulated)
            .append(" decapsulated=").append(decapsulated);
        for (VxlanDrop reason : VxlanDrop.values()) {
            if (drops[reason.ordinal()] != 0) {
                out.append(' ').append(reason.counterName()).append('=').append(drops[reason.ordinal()]);
            }
        }
        return out.toString();
    }
}
