package io.vxswitch.linux;

import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.linux.ffi.Errno;

import java.util.List;

/**
 * Counters of one socket or tap: a {@link CounterSet} with a row for the thread that receives (the forwarding
 * agent) and one for the thread that sends (the sender), each counter in the row of the thread that counts it
 * ({@link IoCounter#sending}), so the two count every frame without sharing a cache line. Other threads read
 * without locks (a value may be a moment old, never torn).
 */
public final class IoCounters {
    private static final IoCounter[] ALL = IoCounter.values();
    private static final int TX_FRAMES = IoCounter.TX_FRAMES.ordinal();
    private static final int TX_BYTES = IoCounter.TX_BYTES.ordinal();
    private final CounterSet set = new CounterSet(List.of(ALL), 1, 2);
    /** The row each counter is counted in, by ordinal. */
    private final CounterLane[] rowOf = new CounterLane[ALL.length];
    private final CounterLane sending = set.writer(1);

    public IoCounters() {
        for (IoCounter c : ALL) {
            rowOf[c.ordinal()] = c.sending() ? sending : set.writer(0);
        }
    }

    public void increment(IoCounter counter) {
        rowOf[counter.ordinal()].increment(counter.ordinal());
    }

    public void add(IoCounter counter, long amount) {
        rowOf[counter.ordinal()].add(counter.ordinal(), amount);
    }

    /**
     * Counts the result of sending one frame or datagram ({@code write}, {@code sendto}) and returns it in the
     * ports' contract: the length sent, {@code 0} when the kernel would block (queue full), or {@code -errno}.
     */
    public int countSend(long result) {
        if (result >= 0) {
            sending.increment(TX_FRAMES);
            sending.add(TX_BYTES, result);
            return (int) result;
        }
        if (result == -Errno.EAGAIN || result == -Errno.ENOBUFS) {
            sending.increment(IoCounter.TX_WOULD_BLOCK.ordinal());
            return 0;
        }
        sending.increment(IoCounter.TX_ERRORS.ordinal());
        return (int) result;
    }

    public long get(IoCounter counter) {
        return set.get(0, counter.ordinal());
    }

    /** The storage, for a reader that lists counters by their descriptors. */
    public CounterSet set() {
        return set;
    }

    /** Non-zero counters, one per line, {@code NAME value}: for logs and tests. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (IoCounter c : ALL) {
            long v = get(c);
            if (v != 0) {
                out.append(c.name()).append(' ').append(v).append('\n');
            }
        }
        return out.toString();
    }
}
