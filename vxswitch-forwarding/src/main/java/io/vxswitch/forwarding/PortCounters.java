package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.packet.Malformation;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a port's counters in its {@link CounterSet} (one row per forwarding lane), and how the pipeline
 * counts a frame into a lane's row: the slots are constants, so counting is an add to an array element.
 */
final class PortCounters {
    /** Frames and bytes, then drops by reason, then malformed frames by kind: the order readers list them in. */
    static final List<CounterDescriptor> DESCRIPTORS;
    private static final int RX_FRAMES = PortCounter.RX_FRAMES.ordinal();
    private static final int RX_BYTES = PortCounter.RX_BYTES.ordinal();
    private static final int TX_FRAMES = PortCounter.TX_FRAMES.ordinal();
    private static final int TX_BYTES = PortCounter.TX_BYTES.ordinal();
    private static final int ARP_SUPPRESSED = PortCounter.ARP_SUPPRESSED.ordinal();
    private static final int ARP_FLOODED = PortCounter.ARP_FLOODED.ordinal();
    private static final int ND_SUPPRESSED = PortCounter.ND_SUPPRESSED.ordinal();
    private static final int ND_FLOODED = PortCounter.ND_FLOODED.ordinal();
    private static final int DROPS = PortCounter.values().length;
    /** Slot of the first malformation that counts (NONE has none). */
    private static final int MALFORMED = DROPS + DropReason.values().length - 1;

    static {
        List<CounterDescriptor> all = new ArrayList<>(List.of(PortCounter.values()));
        all.addAll(List.of(DropReason.values()));
        all.addAll(MalformedCounter.ALL);
        DESCRIPTORS = List.copyOf(all);
    }

    private PortCounters() {
    }

    /** A port's counters, a row for each of {@code lanes} forwarding lanes. */
    static CounterSet newSet(int lanes) {
        return new CounterSet(DESCRIPTORS, 1, lanes);
    }

    static void countRx(CounterLane lane, int length) {
        lane.increment(RX_FRAMES);
        lane.add(RX_BYTES, length);
    }

    static void countTx(CounterLane lane, int length) {
        lane.increment(TX_FRAMES);
        lane.add(TX_BYTES, length);
    }

    static void countArp(CounterLane lane, boolean suppressed) {
        lane.increment(suppressed ? ARP_SUPPRESSED : ARP_FLOODED);
    }

    static void countNd(CounterLane lane, boolean suppressed) {
        lane.increment(suppressed ? ND_SUPPRESSED : ND_FLOODED);
    }

    static void countDrop(CounterLane lane, DropReason reason) {
        lane.increment(DROPS + reason.ordinal());
    }

    static void countMalformed(CounterLane lane, Malformation m) {
        lane.increment(MALFORMED + m.ordinal());
    }
}
