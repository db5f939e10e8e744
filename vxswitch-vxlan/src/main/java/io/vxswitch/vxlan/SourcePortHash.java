package io.vxswitch.vxlan;

import java.lang.foreign.MemorySegment;

/**
 * The outer UDP source port of an encapsulated frame, from a hash of its inner flow, so the underlay's ECMP
 * and load balancers, which hash the outer 5-tuple, spread VM-to-VM flows over their paths while the
 * packets of one flow stay on one path (in order). RFC 7348 §5: "it is recommended that the UDP source port
 * number be calculated using a hash of fields from the inner packet", and "it is RECOMMENDED that the value
 * be in the dynamic/private port range 49152-65535 [RFC6335]".
 *
 * <p>The default range is that one, 49152-65535. The Linux kernel's vxlan device instead uses the host's
 * ephemeral port range ({@code net.ipv4.ip_local_port_range}, 32768-60999 by default) unless given
 * {@code srcport MIN MAX}; {@link #linuxEphemeral()} imitates it. Receivers do not care: a VTEP must
 * accept any source port and always answer to the destination port (LINUX-NOTES).
 *
 * <p>Deterministic: one flow always gets the same port from the same instance (same seed). Parsing is in
 * place and allocates nothing; see {@link InnerFlowHash} for the fields used.
 */
public final class SourcePortHash {
    public static final int RFC7348_MIN = 49152;
    public static final int RFC7348_MAX = 65535;
    public static final int LINUX_MIN = 32768;
    public static final int LINUX_MAX = 60999;
    private static final long DEFAULT_SEED = 0x7348_4789_0000_0119L;

    private final int min;
    private final int max;
    private final long span;
    private final long seed;

    /**
     * Ports in {@code [min, max]}. A per-host {@code seed} decorrelates the choices of different hosts.
     *
     * @throws IllegalArgumentException unless {@code 1 <= min <= max <= 65535}
     */
    public SourcePortHash(int min, int max, long seed) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("source port range " + min + "-" + max
                + " is invalid: need 1 <= min <= max <= 65535 (RFC 7348 §5 recommends 49152-65535)");
        }
        this.min = min;
        this.max = max;
        this.span = max - min + 1L;
        this.seed = seed;
    }

    /** 49152-65535, the range RFC 7348 §5 recommends. */
    public static SourcePortHash rfc7348() {
        return new SourcePortHash(RFC7348_MIN, RFC7348_MAX, DEFAULT_SEED);
    }

    /** 32768-60999, the Linux vxlan device's default (the ephemeral port range). */
    public static SourcePortHash linuxEphemeral() {
        return new SourcePortHash(LINUX_MIN, LINUX_MAX, DEFAULT_SEED);
    }

    /** The source port for the inner frame at {@code frame}. Never throws for any {@code length}. */
    public int port(MemorySegment s, long frame, int length) {
        long h = InnerFlowHash.hash(s, frame, length, seed);
        // Lemire's multiply-shift range reduction on the high 32 bits: uniform without a division.
        return min + (int) (((h >>> 32) * span) >>> 32);
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    @Override
    public String toString() {
        return "source ports " + min + "-" + max;
    }
}
