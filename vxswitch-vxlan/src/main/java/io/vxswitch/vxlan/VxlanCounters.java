package io.vxswitch.vxlan;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.counters.CounterInstance;

import java.util.ArrayList;
import java.util.List;

/**
 * One forwarding loop's counts of a tunnel endpoint: packets encapsulated and decapsulated ({@link TunnelCounter}),
 * and drops by {@link VxlanDrop}. The {@link TunnelEgress}, decapsulator and MTU check of one loop's VTEP share one
 * instance; each loop's VTEP has its own ({@link Vtep#forLane}), and the {@link Vtep} registers every loop's in the
 * switch's counter registry under the tunnel's name, where readers find their sum.
 *
 * <p>The counts are a {@link CounterSet} of one padded row: written only by the loop's thread, plain stores; the
 * getters here read this loop's share (for tests and the loop itself).
 */
public final class VxlanCounters {
    /** The tunnel's counters in the order readers list them: traffic, then drops ({@link VxlanDrop#NONE} has none). */
    static final List<CounterDescriptor> DESCRIPTORS;
    private static final int ENCAPSULATED = 0;
    private static final int DECAPSULATED = 1;
    private static final int INNER_CSUM_UNFINISHED = 2;
    /** Slot of {@link VxlanDrop} {@code d}: {@code DROPS + d.ordinal()}, NONE having none. */
    private static final int DROPS = TunnelCounter.values().length - 1;

    static {
        List<CounterDescriptor> all = new ArrayList<>(List.of(TunnelCounter.values()));
        for (VxlanDrop d : VxlanDrop.values()) {
            if (d != VxlanDrop.NONE) {
                all.add(d);
            }
        }
        DESCRIPTORS = List.copyOf(all);
    }

    private final CounterSet set = CounterSet.single(DESCRIPTORS);
    private final CounterLane lane = set.writer(0);

    /** The storage, for the registry. */
    public CounterSet set() {
        return set;
    }

    public long drops(VxlanDrop reason) {
        return reason == VxlanDrop.NONE ? 0 : set.get(0, DROPS + reason.ordinal());
    }

    public long totalDrops() {
        return values().total(CounterKind.DROP);
    }

    public long encapsulated() {
        return set.get(0, ENCAPSULATED);
    }

    public long decapsulated() {
        return set.get(0, DECAPSULATED);
    }

    public long innerChecksumUnfinished() {
        return set.get(0, INNER_CSUM_UNFINISHED);
    }

    /** Counts a drop and returns the reason, so a check can {@code return counters.drop(X);}. */
    VxlanDrop drop(VxlanDrop reason) {
        lane.increment(DROPS + reason.ordinal());
        return reason;
    }

    /** One packet encapsulated ({@link TunnelEgress} alone counts them, for the lab and the daemon alike). */
    void countEncapsulated() {
        lane.increment(ENCAPSULATED);
    }

    /** Counts {@code datagrams} encapsulated at once (a super-frame's segments). */
    void countEncapsulated(int datagrams) {
        lane.add(ENCAPSULATED, datagrams);
    }

    /** {@code datagrams} VXLAN packets handed to the switch (a coalesced super-frame's segments at once). */
    void countDecapsulated(int datagrams) {
        lane.add(DECAPSULATED, datagrams);
    }

    /** Counts {@code datagrams} drops at once (a coalesced run from a refused VTEP) and returns the reason. */
    VxlanDrop drop(VxlanDrop reason, int datagrams) {
        lane.add(DROPS + reason.ordinal(), datagrams);
        return reason;
    }

    void countInnerChecksumUnfinished() {
        lane.increment(INNER_CSUM_UNFINISHED);
    }

    private CounterValues values() {
        return CounterValues.of(set, 0, CounterInstance.tunnel("-"));
    }

    /** Non-zero counters as {@code name=value} pairs, for logs: this loop's share. */
    @Override
    public String toString() {
        CounterValues v = values();
        String drops = v.describe(CounterKind.DROP, " ");
        return "encapsulated=" + encapsulated() + " decapsulated=" + decapsulated()
            + (drops.isEmpty() ? "" : " " + drops);
    }
}
