package io.vxswitch.linux.dataplane;

/**
 * What a {@link SenderAgent} drives: something the forwarding agent fills and publishes batches into, whose transmit
 * syscalls the sender makes. A {@link PortDevice}, or an {@link ErspanSender} (a mirror session's copies to its
 * collector, which belong to no port).
 */
public interface Transmitter {
    /** Sender: makes the transmit syscalls for every batch published so far; returns the frames handed over. */
    int transmit();

    /** Any thread: true while a published batch waits for {@link #transmit}. */
    boolean hasPending();
}
