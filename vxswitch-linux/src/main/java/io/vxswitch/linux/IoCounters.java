package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;

/**
 * Counters of one port, written by the thread that owns the port; other threads read them without locks
 * (a value may be a moment old, never torn on a 64-bit JVM).
 */
public final class IoCounters {
    private static final IoCounter[] ALL = IoCounter.values();
    private final long[] values = new long[ALL.length];

    public void increment(IoCounter counter) {
        values[counter.ordinal()]++;
    }

    public void add(IoCounter counter, long amount) {
        values[counter.ordinal()] += amount;
    }

    /**
     * Counts the result of sending one frame or datagram ({@code write}, {@code sendto}) and returns it in the
     * ports' contract: the length sent, {@code 0} when the kernel would block (queue full), or {@code -errno}.
     */
    public int countSend(long result) {
        if (result >= 0) {
            values[IoCounter.TX_FRAMES.ordinal()]++;
            values[IoCounter.TX_BYTES.ordinal()] += result;
            return (int) result;
        }
        if (result == -Errno.EAGAIN || result == -Errno.ENOBUFS) {
            values[IoCounter.TX_WOULD_BLOCK.ordinal()]++;
            return 0;
        }
        values[IoCounter.TX_ERRORS.ordinal()]++;
        return (int) result;
    }

    public long get(IoCounter counter) {
        return values[counter.ordinal()];
    }

    /** Non-zero counters, one per line, {@code NAME value}: for logs and tests. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (IoCounter c : ALL) {
            if (values[c.ordinal()] != 0) {
                out.append(c.name()).append(' ').append(values[c.ordinal()]).append('\n');
            }
        }
        return out.toString();
    }
}
