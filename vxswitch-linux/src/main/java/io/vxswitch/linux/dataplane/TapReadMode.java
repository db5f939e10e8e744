package io.vxswitch.linux.dataplane;

/** How a {@link TapPort} reads its VM's frames ({@code switch.tapReads}). */
public enum TapReadMode {
    /** {@link #RING} where the kernel has what it needs (an io_uring with multishot reads, Linux 6.7), else {@link #READ}. */
    AUTO,
    /** A {@code read(2)} per frame. */
    READ,
    /** One multishot read through an io_uring per tap queue; refused where the kernel cannot. */
    RING;

    /**
     * What {@link #AUTO} comes to on this host, and why, for the start-up line: null if taps are read through
     * io_uring, else why not.
     */
    public static String whyNotRing() {
        return RingTapReads.unavailable();
    }
}
