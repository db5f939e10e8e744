package io.vxswitch.forwarding.shaping;

import io.vxswitch.forwarding.LanePadding;

/**
 * A token bucket filled at a rate in bits per second, drawn on in bytes, refilled from the frame's time: arithmetic
 * only, no clock, no allocation, no lock. One thread owns it (a forwarding lane: see {@link PortShaper}).
 *
 * <p>Credit is kept in bit-nanoseconds per second: a byte is {@link #UNITS_PER_BYTE} (8 bits × 10^9 ns/s), and
 * {@code dt} nanoseconds at {@code rate} bits per second add exactly {@code dt × rate}. No division, no rounding,
 * so a test can say to the byte what passes. The policy's bounds keep it in a {@code long}: 512 MiB of depth is
 * 4.3 × 10^18 units, 1 Tbit/s over the time to fill it adds no more than that.
 *
 * <p>A frame draws on the bucket while it holds credit, and takes its whole length even when that is more than is
 * left: the bucket goes into debt for at most one frame, paid back before the next frame passes. So a 64 KiB TCP
 * super-frame from a VM with offloads passes a bucket smaller than itself and is paid for after, instead of being
 * refused for ever, and over any time {@code T} the bucket lets through at most {@code depth + rate × T} bytes plus
 * one frame.
 */
public final class TokenBucket extends LanePadding {
    /** One byte of credit: 8 bits, times 10^9 because time is in nanoseconds and rates are per second. */
    public static final long UNITS_PER_BYTE = 8_000_000_000L;
    /** The largest frame one draw counts (a super-frame is at most 64 KiB plus headers); keeps debt bounded. */
    static final int MAX_DRAW = 1 << 20;
    private static final long NEVER = Long.MIN_VALUE;

    private final long rate;
    private final long depth;
    /** From empty (or in debt by one largest frame) to full: a longer gap needs no multiplication at all. */
    private final long fillNanos;
    private long credit;
    private long last = NEVER;

    /**
     * @param bitsPerSecond how fast credit comes back, at least 1
     * @param depthUnits    the most credit the bucket holds, in units ({@link #UNITS_PER_BYTE} a byte); starts full
     */
    public TokenBucket(long bitsPerSecond, long depthUnits) {
        if (bitsPerSecond < 1 || depthUnits < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate and a depth, got " + bitsPerSecond
                + " bit/s and " + depthUnits + " units");
        }
        this.rate = bitsPerSecond;
        this.depth = depthUnits;
        this.fillNanos = (depthUnits + MAX_DRAW * UNITS_PER_BYTE) / bitsPerSecond + 1;
        this.credit = depthUnits;
    }

    /** Adds the credit earned since the last refill, up to the depth. Time going backwards adds nothing. */
    public void refill(long now) {
        long dt = now - last;
        if (last == NEVER || dt >= fillNanos) {
            credit = depth;
        } else if (dt > 0) {
            credit = Math.min(depth, credit + dt * rate);
        } else {
            return; // the same turn (one time for a whole batch) or an earlier one: keep last where it is
        }
        last = now;
    }

    /** True while the bucket holds credit (it is not empty, nor in debt). */
    public boolean hasCredit() {
        return credit > 0;
    }

    /** Takes a frame's bytes, possibly into debt (see the class comment). */
    public void draw(int bytes) {
        credit -= Math.min(bytes, MAX_DRAW) * UNITS_PER_BYTE;
    }

    /** Credit in whole bytes, rounded down (negative in debt): for tests and views. */
    public long creditBytes() {
        return Math.floorDiv(credit, UNITS_PER_BYTE);
    }

    public long depthBytes() {
        return depth / UNITS_PER_BYTE;
    }
}
