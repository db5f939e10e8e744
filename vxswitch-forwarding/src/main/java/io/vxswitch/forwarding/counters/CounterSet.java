package io.vxswitch.forwarding.counters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage of some counters: {@code instances} instances of the same descriptors (one port; or every remote VTEP
 * of a tunnel, by id), once per writer. A writer is a thread that counts (a forwarding lane, a sender); it writes
 * its own row through its {@link CounterLane}, with plain stores, and readers add the rows up.
 *
 * <p>Why not Agrona's {@code CountersManager}, the Aeron shape this follows: it keeps each counter alone in its own
 * 128-byte slot, so counting a frame (frames and bytes, in and out) would touch four slot pairs where one row of
 * the writer's own touches one or two; it has no lanes, so per-lane counts would be separate counters for every
 * reader to find and add; and its fixed value and metadata buffers (640 bytes a counter) would hold every port of
 * every lane up front. Its strength, counters shared with another process through a mapped file, is not needed:
 * the readers are in the process. What it shows, descriptors with an id and a label and one registry that
 * readers walk, is kept ({@link CounterDescriptor}, {@link CounterRegistry}).
 *
 * <p>Each row is its own array with two cache lines of padding at each end: rows of two writers are created
 * together, and without padding a young GC would copy them side by side, so that two threads counting frames take
 * the line from each other on every frame (measured: two lanes then forwarded a quarter of what one did,
 * docs/benchmarks.md). Readers read with opaque loads: a count may be a moment old, never torn.
 */
public final class CounterSet {
    /** Longs of padding at each end of a row: two cache lines, as CPUs fetch lines in adjacent pairs. */
    static final int PAD = 16;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<CounterDescriptor> descriptors;
    private final Map<CounterDescriptor, Integer> slots = new IdentityHashMap<>();
    private final int instances;
    private final long[][] rows;
    private final CounterLane[] lanes;

    /**
     * @param descriptors one instance's counters, in the order readers list them; all of one scope
     * @param instances   how many instances (1 for a port; a tunnel's remote VTEP capacity for its peers)
     * @param writers     how many threads count into it, each with its own row
     */
    public CounterSet(List<? extends CounterDescriptor> descriptors, int instances, int writers) {
        if (descriptors.isEmpty() || instances < 1 || writers < 1) {
            throw new IllegalArgumentException("a counter set needs counters, instances and writers, got "
                + descriptors.size() + ", " + instances + ", " + writers);
        }
        this.descriptors = List.copyOf(descriptors);
        CounterScope scope = this.descriptors.get(0).scope();
        for (int i = 0; i < this.descriptors.size(); i++) {
            CounterDescriptor d = this.descriptors.get(i);
            if (d.scope() != scope || slots.put(d, i) != null) {
                throw new IllegalArgumentException("counter " + d.key() + " is " + d.scope() + " or listed twice, in a "
                    + scope + " set");
            }
        }
        this.instances = instances;
        this.rows = new long[writers][PAD + instances * this.descriptors.size() + PAD];
        this.lanes = new CounterLane[writers];
        for (int w = 0; w < writers; w++) {
            lanes[w] = new CounterLane(rows[w], this.descriptors.size());
        }
    }

    /** A set of one instance counted by one thread. */
    public static CounterSet single(List<? extends CounterDescriptor> descriptors) {
        return new CounterSet(descriptors, 1, 1);
    }

    /** The row writer {@code w} counts into: only that thread may use it. */
    public CounterLane writer(int w) {
        return lanes[w];
    }

    public int writers() {
        return rows.length;
    }

    public int instances() {
        return instances;
    }

    public List<CounterDescriptor> descriptors() {
        return descriptors;
    }

    public CounterScope scope() {
        return descriptors.get(0).scope();
    }

    /** Where {@code d} is within an instance: the slot a {@link CounterLane} counts it in. */
    public int slot(CounterDescriptor d) {
        Integer s = slots.get(d);
        if (s == null) {
            throw new IllegalArgumentException("no counter " + d.key() + " in this " + scope() + " set");
        }
        return s;
    }

    /** True if {@code d} is one of this set's counters. */
    public boolean has(CounterDescriptor d) {
        return slots.containsKey(d);
    }

    /** The count of slot {@code slot} of {@code instance}, every writer's added up; any thread. */
    public long get(int instance, int slot) {
        int at = PAD + instance * descriptors.size() + slot;
        long sum = 0;
        for (long[] row : rows) {
            sum += (long) LONGS.getOpaque(row, at);
        }
        return sum;
    }

    /** {@link #get(int, int)} of instance 0. */
    public long get(CounterDescriptor d) {
        return get(0, slot(d));
    }

    /**
     * Zeroes every writer's counts of {@code instance}, for an id used anew. Only while no writer counts into it
     * (the instance was unused: nothing counts for an id that names nothing).
     */
    public void reset(int instance) {
        int from = PAD + instance * descriptors.size();
        for (long[] row : rows) {
            for (int i = from; i < from + descriptors.size(); i++) {
                LONGS.setOpaque(row, i, 0L);
            }
        }
    }
}
