package io.vxswitch.forwarding.counters;

/**
 * One writer's row of a {@link CounterSet}: what a forwarding lane (or a sender) counts into, frame by frame. Plain
 * stores, no lock, no allocation: only the one thread that owns the row writes it, so no count is lost, and the
 * row's padding keeps other writers' rows off its cache lines.
 *
 * <p>Slots come from {@link CounterSet#slot} (or constants laid out the same way): {@code instance * width + slot}
 * for a set of several instances.
 */
public final class CounterLane {
    private final long[] row;
    private final int width;

    CounterLane(long[] row, int width) {
        this.row = row;
        this.width = width;
    }

    public void increment(int slot) {
        row[CounterSet.PAD + slot]++;
    }

    public void add(int slot, long amount) {
        row[CounterSet.PAD + slot] += amount;
    }

    /** Adds to slot {@code slot} of instance {@code instance} (a remote VTEP's id). */
    public void add(int instance, int slot, long amount) {
        row[CounterSet.PAD + instance * width + slot] += amount;
    }

    /** This writer's own count in {@code slot}: for the writer itself (the others' rows are not in it). */
    public long own(int slot) {
        return row[CounterSet.PAD + slot];
    }
}
