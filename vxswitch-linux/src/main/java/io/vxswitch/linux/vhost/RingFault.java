package io.vxswitch.linux.vhost;

/**
 * What a guest got wrong in a virtqueue (virtio 1.0 §2.4, split virtqueues), found while the switch walked it. Any of
 * these stops the port: the guest's driver is broken or hostile, and nothing it puts in the ring afterwards can be
 * trusted. Each says what was wrong in the guest's terms, for the one log line.
 */
public enum RingFault {
    /** {@code avail->idx} ran more than a ring's worth ahead of what the switch had taken (§2.4.6). */
    AVAIL_INDEX("the available ring's index is %2$d entries ahead of the last one taken, more than the ring's %3$d"),
    /** An available ring entry names a descriptor past the table. */
    HEAD_OUT_OF_RANGE("the available ring names descriptor %2$d of a %3$d-entry table"),
    /** A descriptor's {@code next} points past the table. */
    NEXT_OUT_OF_RANGE("descriptor %1$d chains to descriptor %2$d of a %3$d-entry table"),
    /** A chain visited more descriptors than the table holds: it loops (§2.4.5: the device must not loop). */
    CHAIN_LOOP("the chain from descriptor %1$d is longer than the %3$d-entry table: a loop"),
    /** A descriptor's buffer is not wholly inside the guest's memory. */
    OUTSIDE_MEMORY("descriptor %1$d points outside the guest's memory (address 0x%4$x, %5$d bytes)"),
    /** A device-writable buffer on the transmit queue (§2.4.5: a device must not write a driver's read buffer). */
    WRITABLE_ON_TX("descriptor %1$d on the transmit queue is device-writable"),
    /** A device-readable buffer on the receive queue, where the switch writes. */
    READ_ONLY_ON_RX("descriptor %1$d on the receive queue is not device-writable"),
    /** {@code VIRTQ_DESC_F_INDIRECT}, which this back-end does not offer (§2.4.5.3). */
    INDIRECT("descriptor %1$d is indirect, which was not negotiated"),
    /** A chain the switch had written into was shorter when it came back to it: the guest changed it meanwhile. */
    CHANGED("the chain from descriptor %1$d changed while the switch was writing into it"),
    /** The guest's memory faulted under the switch (its file shrunk after it was mapped). */
    MEMORY_FAULT("the guest's memory could not be read or written (its file shrunk?): %6$s");

    private final String format;

    RingFault(String format) {
        this.format = format;
    }

    /**
     * The sentence for this fault: {@code descriptor} the descriptor (or head) where it was found, {@code value} and
     * {@code limit} what was found and what was allowed, {@code address} and {@code length} a buffer, {@code detail}
     * any other text.
     */
    public String describe(int descriptor, long value, long limit, long address, long length, String detail) {
        return String.format(format, descriptor, value, limit, address, length, detail);
    }
}
