package io.vxswitch.forwarding.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that every forwarding lane adds to without sharing a cache line with another lane or with the table's
 * lookups: one cell per lane, two cache lines apart (CPUs fetch lines in adjacent pairs), and one more cell for
 * callers that are no lane (tools, tests), which may call from any thread and so add atomically.
 *
 * <p>Why: an FDB counts a frame refused by the MAC limit without taking its lock, once per frame of a MAC flood. One
 * atomic counter beside the table's fields made every lane's lookups miss the cache while any lane was flooded.
 */
final class LaneCounts {
    /** Lanes that pass no lane index ({@link Fdb#learn(int, long, int, int, long)} and the like). */
    static final int NO_LANE = -1;

    /** Longs from one cell to the next, and before the first: two 64-byte cache lines. */
    private static final int STRIDE = 16;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int lanes;
    /** Cell i at {@code (i + 1) * STRIDE}; the last cell is for {@link #NO_LANE}; padding after it too. */
    private final long[] cells;

    LaneCounts(int lanes) {
        this.lanes = lanes;
        this.cells = new long[(lanes + 3) * STRIDE];
    }

    /** Adds one for {@code lane}: a plain write, since only that lane's thread writes its cell. */
    void increment(int lane) {
        if (lane == NO_LANE) {
            CELLS.getAndAdd(cells, cell(lanes), 1L);
        } else {
            int i = cell(lane);
            CELLS.setOpaque(cells, i, (long) CELLS.getOpaque(cells, i) + 1);
        }
    }

    /** The sum over every lane; lanes counting meanwhile may or may not be in it. */
    long sum() {
        long sum = 0;
        for (int i = 0; i <= lanes; i++) {
            sum += (long) CELLS.getOpaque(cells, cell(i));
        }
        return sum;
    }

    int lanes() {
        return lanes;
    }

    private static int cell(int i) {
        return (i + 1) * STRIDE;
    }
}
