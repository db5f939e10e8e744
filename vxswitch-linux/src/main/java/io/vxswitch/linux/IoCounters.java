package io.vxswitch.linux;

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
