package io.vxswitch.forwarding.lacp;

/**
 * LACP_Timeout as an actor asks for it (802.1AX §6.4.4 constants): fast, the partner sends every second and the link
 * is given up after 3 s of silence; slow, every 30 s and 90 s. Open vSwitch's {@code lacp-time=fast|slow}.
 */
public enum LacpRate {
    FAST(1_000_000_000L, 3_000_000_000L),
    SLOW(30_000_000_000L, 90_000_000_000L);

    /** Fast_Periodic_Time and Short_Timeout_Time (§6.4.4): what the rest of the protocol keys on. */
    public static final long FAST_PERIOD_NANOS = 1_000_000_000L;
    public static final long SHORT_TIMEOUT_NANOS = 3_000_000_000L;

    private final long periodNanos;
    private final long timeoutNanos;

    LacpRate(long periodNanos, long timeoutNanos) {
        this.periodNanos = periodNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** How often a partner that asked for this rate is sent a LACPDU. */
    public long periodNanos() {
        return periodNanos;
    }

    /** How long the receive machine waits for a LACPDU before the partner information expires (3 periods). */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
