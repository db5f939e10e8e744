package io.vxswitch.forwarding.lacp;

import java.util.Arrays;

/**
 * The data path's view of one LAG: which members collect (frames received on them are taken) and which distribute
 * (frames are sent on them), and the flow hash → member choice. Written only by the dataplane's conductor between
 * two turns while no loop forwards (from what the LACP agent decided); read by the forwarding loops, without a
 * lock. Collecting and distributing go together (802.1AX §6.4.15 coupled control), so one list says both.
 */
public final class LagDistribution {
    private LagHashPolicy policy;
    /** Member indexes that distribute, in index order; the first {@link #count} are valid. */
    private final int[] distributing;
    private final boolean[] collecting;
    private int count;

    public LagDistribution(int members, LagHashPolicy policy) {
        this.policy = policy;
        this.distributing = new int[members];
        this.collecting = new boolean[members];
    }

    public LagHashPolicy policy() {
        return policy;
    }

    /** Hashes with {@code next} from now on (a reload that changed the LAG's hash). Conductor only. */
    public void policy(LagHashPolicy next) {
        this.policy = next;
    }

    public int members() {
        return collecting.length;
    }

    /** How many members distribute now. */
    public int count() {
        return count;
    }

    public boolean collecting(int member) {
        return collecting[member];
    }

    /** The member a frame with flow hash {@code hash} leaves by; only while {@link #count} is not 0. */
    public int pick(int hash) {
        // multiply-shift instead of a modulo: no division on the data path, as even a spread
        return distributing[(int) (((hash & 0xFFFF_FFFFL) * count) >>> 32)];
    }

    /** Sets the members that collect and distribute (bit i: member i). Conductor only, while no loop forwards. */
    public void set(long members) {
        int n = 0;
        for (int i = 0; i < collecting.length; i++) {
            boolean on = (members & (1L << i)) != 0;
            collecting[i] = on;
            if (on) {
                distributing[n++] = i;
            }
        }
        count = n;
    }

    /** The members as {@link #set} takes them. */
    public long mask() {
        long m = 0;
        for (int i = 0; i < count; i++) {
            m |= 1L << distributing[i];
        }
        return m;
    }

    @Override
    public String toString() {
        return "distributing " + Arrays.toString(Arrays.copyOf(distributing, count));
    }
}
