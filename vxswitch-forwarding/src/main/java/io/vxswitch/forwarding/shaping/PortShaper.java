package io.vxswitch.forwarding.shaping;

import io.vxswitch.forwarding.policy.TrafficShapingPolicy;

/**
 * One direction of one port's traffic shaping, as seen by one forwarding lane: two {@link TokenBucket}s, as a VDS
 * port's average, peak and burst describe them. A frame passes if both hold credit, and then draws on both.
 * <ul>
 * <li>the <b>average</b> bucket fills at the average bandwidth and holds the burst size: what a port saves up while
 *     it sends less than the average is its burst bonus;</li>
 * <li>the <b>peak</b> bucket fills at the peak bandwidth and holds what the peak sends in {@link #PEAK_WINDOW_NANOS}:
 *     the bonus is spent no faster than the peak, measured over 10 ms. vSphere does not say how deep its peak bucket
 *     is; the Linux policer's answer is one MTU, for a clock read per packet. Here the time is read once per
 *     forwarding turn, and every frame that waited in a tap's queue meanwhile (up to 64 per port) comes with the
 *     same time: on a busy host a turn can come milliseconds after the last. A peak bucket smaller than what the
 *     peak sends in that gap drops frames the average allows: with 1 ms, UDP offered at a 100 Mbit/s peak through
 *     a 50 Mbit/s average arrived at 40 Mbit/s on a loaded 2-CPU machine (ShapingIT), with 10 ms at the average.</li>
 * </ul>
 * A frame over either is dropped by the caller (a policer, as a VDS's shaper is: nothing queues).
 *
 * <p>Several lanes: each lane forwarding for the port has its own shaper with 1/N of the rates and of the burst
 * ({@link #forLane}), so that no two threads write one bucket and the port as a whole never exceeds what is
 * configured. A port whose traffic is one flow (one loop) then gets 1/N (docs/config.md, "Traffic shaping").
 */
public final class PortShaper {
    /** How long the peak bucket lets a burst run at the peak rate: its depth is the peak times this. */
    public static final long PEAK_WINDOW_NANOS = 10_000_000L;

    private final TokenBucket average;
    private final TokenBucket peak;

    PortShaper(long averageBitsPerSecond, long peakBitsPerSecond, long burstBytes) {
        this.average = new TokenBucket(averageBitsPerSecond, burstBytes * TokenBucket.UNITS_PER_BYTE);
        this.peak = new TokenBucket(peakBitsPerSecond, peakBitsPerSecond * PEAK_WINDOW_NANOS);
    }

    /** The shaper lane {@code lane} of {@code lanes} uses: the policy's rates and burst divided among the lanes. */
    public static PortShaper forLane(TrafficShapingPolicy p, int lanes) {
        return new PortShaper(Math.max(1, p.averageBandwidth() / lanes), Math.max(1, p.peakBandwidth() / lanes),
            Math.max(1, p.burstSize() / lanes));
    }

    /** The shaper of one lane with the policy's full rates (one lane). */
    public static PortShaper of(TrafficShapingPolicy p) {
        return forLane(p, 1);
    }

    /** True if a frame of {@code bytes} at {@code now} conforms: it then has been paid for. False: drop it. */
    public boolean admit(int bytes, long now) {
        average.refill(now);
        peak.refill(now);
        if (!average.hasCredit() || !peak.hasCredit()) {
            return false;
        }
        average.draw(bytes);
        peak.draw(bytes);
        return true;
    }

    /** The average bucket: its credit is the burst bonus left. */
    public TokenBucket average() {
        return average;
    }

    public TokenBucket peak() {
        return peak;
    }
}
