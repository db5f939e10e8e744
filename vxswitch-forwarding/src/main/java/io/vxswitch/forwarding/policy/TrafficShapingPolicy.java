package io.vxswitch.forwarding.policy;

import java.util.Locale;

/**
 * One direction of a port group's traffic shaping, named after vSphere's {@code DVSTrafficShapingPolicy}: a port
 * may send {@code averageBandwidth} over time, and up to {@code peakBandwidth} while it spends a burst bonus of at
 * most {@code burstSize} bytes saved up while it sent less than the average. The frame's bytes are counted as the
 * switch sees them (Ethernet header to the end of the payload, no preamble or FCS).
 *
 * @param averageBandwidth bits per second, averaged over time
 * @param peakBandwidth    bits per second while bursting; at least the average
 * @param burstSize        bytes the burst bonus can hold
 */
public record TrafficShapingPolicy(long averageBandwidth, long peakBandwidth, long burstSize) {
    /** 1 kbit/s: below that a single full-size frame would take minutes to pay for. */
    public static final long MIN_BANDWIDTH = 1_000L;
    /** 1 Tbit/s: keeps the buckets' arithmetic in a {@code long} (see {@code forwarding.shaping.TokenBucket}). */
    public static final long MAX_BANDWIDTH = 1_000_000_000_000L;
    /** 512 MiB: the most a bucket holds in a {@code long} of bit-nanoseconds; vSphere's default is 100 MiB. */
    public static final long MAX_BURST = 512L << 20;
    /** vSphere's default burst size (102400 KB), used when a config gives none. */
    public static final long VDS_DEFAULT_BURST = 102_400L * 1024;

    public TrafficShapingPolicy {
        if (averageBandwidth < MIN_BANDWIDTH || averageBandwidth > MAX_BANDWIDTH) {
            throw new IllegalArgumentException("average bandwidth must be " + bits(MIN_BANDWIDTH) + " to "
                + bits(MAX_BANDWIDTH) + ", got " + bits(averageBandwidth));
        }
        if (peakBandwidth < averageBandwidth || peakBandwidth > MAX_BANDWIDTH) {
            throw new IllegalArgumentException("peak bandwidth must be at least the average (" + bits(averageBandwidth)
                + ") and at most " + bits(MAX_BANDWIDTH) + ", got " + bits(peakBandwidth));
        }
        if (burstSize < 1 || burstSize > MAX_BURST) {
            throw new IllegalArgumentException("burst size must be 1 byte to " + bytes(MAX_BURST) + ", got "
                + burstSize + " bytes");
        }
    }

    @Override
    public String toString() {
        return "average " + bits(averageBandwidth) + ", peak " + bits(peakBandwidth) + ", burst " + bytes(burstSize);
    }

    /** A rate as the config writes it: {@code 50mbit}, {@code 1500kbit}, {@code 2gbit}, whole units only. */
    public static String bits(long bitsPerSecond) {
        String[] units = {"bit", "kbit", "mbit", "gbit", "tbit"};
        long v = bitsPerSecond;
        int u = 0;
        while (u < units.length - 1 && v != 0 && v % 1000 == 0) {
            v /= 1000;
            u++;
        }
        return v + units[u];
    }

    /** A size as the config writes it: {@code 64k}, {@code 1m}, or plain bytes (k and m are 1024 and 1024²). */
    public static String bytes(long n) {
        String[] units = {"", "k", "m", "g"};
        long v = n;
        int u = 0;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return (v + units[u]).toLowerCase(Locale.ROOT);
    }
}
