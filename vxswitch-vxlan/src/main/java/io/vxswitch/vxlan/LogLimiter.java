package io.vxswitch.vxlan;

/**
 * At most one log line per interval, on an injected clock (nanoseconds, any origin, as from
 * {@code System.nanoTime()} or the lab's virtual clock). Counts what it held back so the next line can say so.
 */
final class LogLimiter {
    private final long intervalNanos;
    private boolean logged;
    private long lastNanos;
    private long suppressed;

    LogLimiter(long intervalNanos) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("log interval must not be negative: " + intervalNanos + " ns");
        }
        this.intervalNanos = intervalNanos;
    }

    /** True if a line may be written now; otherwise the event is counted as suppressed. */
    boolean tryAcquire(long nowNanos) {
        if (!logged || nowNanos - lastNanos >= intervalNanos) {
            logged = true;
            lastNanos = nowNanos;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Events held back since the last line; reading resets the count. */
    long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }

    long intervalNanos() {
        return intervalNanos;
    }
}
