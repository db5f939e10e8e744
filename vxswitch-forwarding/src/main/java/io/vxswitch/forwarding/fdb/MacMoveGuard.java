package io.vxswitch.forwarding.fdb;

import java.util.Arrays;

/**
 * Watches MAC moves for flapping. A MAC that moves more than {@code maxMoves} times within one window is flapping:
 * a loop, or one MAC on two hosts. Each flap is recorded for the log and counted; with a hold time the entry is also
 * frozen on the port (and remote VTEP) it had when the window began (the FDB keeps it where it is if that port has
 * learned up to its MAC limit meanwhile), and further moves are refused until the hold
 * ends, like SONiC's MAC move guard. Frames that would have moved a frozen MAC are dropped by the switch.
 *
 * <p>State per FDB entry in arrays indexed by entry id, and flap records in a fixed ring: nothing allocates on the
 * data path. Owned by the switch loop, like the {@link Fdb}.
 */
public final class MacMoveGuard {
    /**
     * @param maxMoves    moves tolerated within the window; one more is a flap
     * @param windowNanos length of the window
     * @param holdNanos   how long a flapping MAC stays frozen; 0 = only log and count
     */
    public record Options(int maxMoves, long windowNanos, long holdNanos) {
        public static final Options DEFAULT = new Options(5, 10_000_000_000L, 0);

        public Options {
            if (maxMoves < 1 || windowNanos <= 0 || holdNanos < 0) {
                throw new IllegalArgumentException("MAC move guard needs maxMoves >= 1, a window > 0 and a hold"
                    + " >= 0 (got " + maxMoves + ", " + windowNanos + " ns, " + holdNanos + " ns)");
            }
        }
    }

    /** What {@link #onMove} decided. */
    enum Verdict {
        /** Let the entry move. */
        ALLOW,
        /** Flapping detected now and a hold is set: put the entry back on its home port and refuse the frame. */
        FREEZE,
        /** Frozen earlier and the hold is not over: refuse the frame, leave the entry. */
        FROZEN
    }

    static final int RING = 64;

    private final Options options;
    private final long[] windowStart;
    private final int[] windowMoves;
    private final int[] homePort;
    private final int[] homeRemote;
    private final long[] frozenUntil;

    // flap records, oldest first from head; written here, drained by the reporter on the same thread
    private final int[] flapVlan = new int[RING];
    private final long[] flapMac = new long[RING];
    private final int[] flapHome = new int[RING];
    private final int[] flapFrom = new int[RING];
    private final int[] flapTo = new int[RING];
    private final boolean[] flapFrozen = new boolean[RING];
    private long flapsWritten;
    private long flapsRead;

    private long flapsTotal;
    private long refusedTotal;

    MacMoveGuard(Options options, int capacity) {
        this.options = options;
        windowStart = new long[capacity];
        windowMoves = new int[capacity];
        homePort = new int[capacity];
        homeRemote = new int[capacity];
        frozenUntil = new long[capacity];
    }

    public Options options() {
        return options;
    }

    /** A new entry starts with no history. */
    void reset(int id) {
        windowMoves[id] = 0;
        frozenUntil[id] = 0;
    }

    /**
     * Entry {@code id} of (vlan, mac), now on {@code from}/{@code fromRemote}, would move to {@code to}/{@code toRemote}.
     */
    Verdict onMove(int id, int vlan, long mac, int from, int fromRemote, int to, int toRemote, long now) {
        if (frozenUntil[id] != 0) {
            if (now - frozenUntil[id] < 0) {
                refusedTotal++;
                return Verdict.FROZEN;
            }
            frozenUntil[id] = 0; // the hold is over: a fresh window starts below
            windowMoves[id] = 0;
        }
        if (windowMoves[id] == 0 || now - windowStart[id] > options.windowNanos) {
            windowStart[id] = now;
            windowMoves[id] = 0;
            homePort[id] = from;
            homeRemote[id] = fromRemote;
        }
        if (++windowMoves[id] <= options.maxMoves) {
            return Verdict.ALLOW;
        }
        boolean freeze = options.holdNanos > 0;
        if (windowMoves[id] == options.maxMoves + 1 || freeze) { // record each flap once per window
            flapsTotal++;
            record(vlan, mac, homePort[id], from, to, freeze);
        }
        if (!freeze) {
            return Verdict.ALLOW;
        }
        frozenUntil[id] = now + options.holdNanos;
        if (frozenUntil[id] == 0) {
            frozenUntil[id] = 1;
        }
        refusedTotal++;
        return Verdict.FREEZE;
    }

    int homePort(int id) {
        return homePort[id];
    }

    int homeRemote(int id) {
        return homeRemote[id];
    }

    /** True while entry {@code id} is frozen. */
    public boolean isFrozen(int id, long now) {
        return frozenUntil[id] != 0 && now - frozenUntil[id] < 0;
    }

    private void record(int vlan, long mac, int home, int from, int to, boolean frozen) {
        int i = (int) (flapsWritten++ % RING);
        flapVlan[i] = vlan;
        flapMac[i] = mac;
        flapHome[i] = home;
        flapFrom[i] = from;
        flapTo[i] = to;
        flapFrozen[i] = frozen;
    }

    /** One recorded flap, for {@link #drainFlaps}. */
    @FunctionalInterface
    public interface FlapVisitor {
        void flap(int vlan, long mac, int homePort, int fromPort, int toPort, boolean frozen);
    }

    /**
     * Hands each flap recorded since the last drain to {@code visitor}, oldest first, and returns how many were
     * lost because more than the ring holds happened in between.
     */
    public long drainFlaps(FlapVisitor visitor) {
        long lost = Math.max(0, flapsWritten - flapsRead - RING);
        flapsRead += lost;
        while (flapsRead < flapsWritten) {
            int i = (int) (flapsRead++ % RING);
            visitor.flap(flapVlan[i], flapMac[i], flapHome[i], flapFrom[i], flapTo[i], flapFrozen[i]);
        }
        return lost;
    }

    /** MACs found flapping so far. */
    public long flapsTotal() {
        return flapsTotal;
    }

    /** Moves refused because the MAC was frozen (each one a dropped frame). */
    public long refusedTotal() {
        return refusedTotal;
    }

    void clear() {
        Arrays.fill(frozenUntil, 0);
        Arrays.fill(windowMoves, 0);
    }
}
