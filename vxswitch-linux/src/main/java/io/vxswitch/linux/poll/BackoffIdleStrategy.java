package io.vxswitch.linux.poll;

/**
 * Spin, then yield, then park with a doubling period (Agrona's {@code BackoffIdleStrategy}). Spinning
 * keeps latency lowest while traffic comes in bursts; parking gives the core back when it stops. On a
 * small machine, park through {@link Epoll#awaitNanos} ({@link #withEpoll}) so a parked loop wakes on the
 * first frame instead of at the end of the period.
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    public static final long DEFAULT_MAX_SPINS = 100;
    public static final long DEFAULT_MAX_YIELDS = 50;
    public static final long DEFAULT_MIN_PARK_NANOS = 1_000;
    public static final long DEFAULT_MAX_PARK_NANOS = 1_000_000;

    private final long maxSpins;
    private final long maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final Parker parker;
    private long spins;
    private long yields;
    private long parkNanos;

    public BackoffIdleStrategy(long maxSpins, long maxYields, long minParkNanos, long maxParkNanos, Parker parker) {
        if (maxSpins < 0 || maxYields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("idle strategy needs spins, yields >= 0 and 1 <= min park <= max park"
                + " (got " + maxSpins + ", " + maxYields + ", " + minParkNanos + ", " + maxParkNanos + ")");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parker = parker;
        reset();
    }

    /** 100 spins, 50 yields, then parks from 1 µs doubling up to 1 ms. */
    public BackoffIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NANOS, DEFAULT_MAX_PARK_NANOS,
            Parker.LOCK_SUPPORT);
    }

    /** Defaults, parking in {@code epoll.awaitNanos} so I/O ends the park. */
    public static BackoffIdleStrategy withEpoll(Epoll epoll) {
        return new BackoffIdleStrategy(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NANOS,
            DEFAULT_MAX_PARK_NANOS, epoll::awaitNanos);
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            parker.park(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    /** Where the strategy is, for tests and {@code show loop}: "spinning", "yielding" or "parking 8000 ns". */
    public String state() {
        if (spins < maxSpins) {
            return "spinning";
        }
        return yields < maxYields ? "yielding" : "parking " + parkNanos + " ns";
    }
}
